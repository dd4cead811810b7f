from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, tagged
from odoo.tools import mute_logger

from odoo.addons.renewal_portal.models.renewal_portal_link import _digest

from .common import RenewalPortalCase


@tagged("post_install", "-at_install")
class TestLinkAccess(RenewalPortalCase):
    """Links are made and revoked by the suite's own methods only: nobody
    but the superuser creates, writes or deletes one directly, so nobody
    picks a token or brings a revoked link back."""

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def forged_values(self, token):
        return {
            "partner_id": self.customer.id,
            "scope": "sales",
            "holder_id": self.seller_1.id,
            "company_id": self.company_a.id,
            "token_hash": _digest(token),
            "expires_at": fields.Datetime.to_string(
                fields.Datetime.now() + timedelta(days=3650)
            ),
        }

    @mute_logger("odoo.http")
    def test_no_direct_change_over_json_rpc(self):
        Link = self.env["renewal.portal.link"]
        for user in (self.sales_user, self.manager):
            self.link_seller.action_revoke()
            with self.subTest(user=user.login):
                self.authenticate(user.login, user.login)
                token = f"chosen-by-{user.login}"
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self.call_kw(
                        "renewal.portal.link", "create", [self.forged_values(token)]
                    )
                self.assertFalse(Link._find(token))
                for method, args in [
                    ("write", [self.link_seller.ids, {"revoked": False}]),
                    ("write", [self.link_seller.ids, {"expires_at": False}]),
                    ("unlink", [self.link_seller.ids]),
                ]:
                    with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                        self.call_kw("renewal.portal.link", method, args)
                self.link_seller.invalidate_recordset()
                self.assertTrue(self.link_seller.exists())
                self.assertTrue(self.link_seller.revoked)
                self.assertEqual(self.get(self.path_seller).status_code, 404)
                # Reading stays open to them.
                links = self.call_kw(
                    "renewal.portal.link",
                    "search_read",
                    [[("id", "=", self.link_seller.id)]],
                    {"fields": ["revoked", "holder_id"]},
                )
                self.assertEqual(links[0]["revoked"], True)

    def test_no_direct_change_through_the_orm(self):
        for user in (self.sales_user, self.manager):
            Link = self.env["renewal.portal.link"].with_user(user)
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Link.create(self.forged_values(f"orm-{user.login}"))
                link = self.link_customer.with_user(user)
                with self.assertRaises(AccessError):
                    link.write({"revoked": False})
                with self.assertRaises(AccessError):
                    link.unlink()

    def test_suite_methods_still_work_for_renewals_users(self):
        contract = self.contracts["SH-A4"].with_user(self.sales_user)
        action = contract.action_issue_customer_link()
        token = action["params"]["message"].rsplit("/", 1)[1]
        link = self.env["renewal.portal.link"]._find(token)
        self.assertEqual(link.create_uid, self.sales_user)
        self.assertEqual(link.company_id, self.company_a)
        action = contract.action_issue_sales_link()
        sales = self.env["renewal.portal.link"]._find(
            action["params"]["message"].rsplit("/", 1)[1]
        )
        self.assertEqual(sales.holder_id, self.sales_user.partner_id)
        reissue = link.with_user(self.sales_user).action_reissue()
        self.assertFalse(self.env["renewal.portal.link"]._find(token))
        new_token = reissue["params"]["message"].rsplit("/", 1)[1]
        new_link = self.env["renewal.portal.link"]._find(new_token)
        self.assertTrue(new_link)
        new_link.with_user(self.sales_user).action_revoke()
        self.assertFalse(self.env["renewal.portal.link"]._find(new_token))

    def test_suite_methods_check_the_caller(self):
        """Issuing checks the contract is the caller's to read, revoking
        that the link is; a portal user does neither."""
        with self.assertRaises(AccessError):
            self.contracts["SH-A1"].with_user(self.user_b).action_issue_customer_link()
        with self.assertRaises(AccessError):
            self.link_customer.with_user(self.user_b).action_revoke()
        portal = self.portal_user("link_access_sam", self.seller_1)
        with self.assertRaises(AccessError):
            self.env["renewal.portal.link"].with_user(portal)._issue(
                self.customer, "sales", holder=self.seller_1
            )
        with self.assertRaises(AccessError):
            self.link_seller.with_user(portal).action_revoke()
        self.assertFalse(self.link_customer.revoked)
        self.assertFalse(self.link_seller.revoked)
