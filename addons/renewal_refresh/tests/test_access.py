from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import RefreshCase


@tagged("post_install", "-at_install")
class TestCampaignAccess(RefreshCase):
    def test_missing_app_rights_named_nothing_written(self):
        renewals_only = new_test_user(
            self.env,
            login="refresh_renewals_only",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        self.install(self.direct)
        campaign = self.env["renewal.refresh.campaign"].create(
            {
                "name": "Rights T",
                "preset": "custom",
                "domain": repr([("partner_id", "=", self.direct.id)]),
                "output_opportunity": True,
                "output_mailing": True,
            }
        )
        with self.assertRaisesRegex(
            UserError,
            r"create opportunities for others \(Sales: All Documents\)"
            r".*create mailings",
        ):
            campaign.with_user(renewals_only).action_launch()
        self.assertFalse(campaign.target_ids)
        self.assertEqual(campaign.state, "draft")

    def test_other_company_campaign_hidden(self):
        other = self.env["res.company"].create({"name": "Other Vendor T"})
        campaign = self.env["renewal.refresh.campaign"].create(
            {"name": "Elsewhere T", "company_id": other.id, "preset": "uncovered"}
        )
        Campaign = self.env["renewal.refresh.campaign"].with_user(self.user)
        self.assertNotIn(campaign, Campaign.search([]))


@tagged("post_install", "-at_install")
class TestCampaignRpc(HttpCase):
    def test_targets_over_json_rpc(self):
        new_test_user(self.env, login="refresh_portal", groups="base.group_portal")
        new_test_user(
            self.env,
            login="refresh_rpc_user",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        params = {
            "model": "renewal.refresh.target",
            "method": "search_read",
            "args": [[]],
            "kwargs": {"fields": ["partner_id"], "limit": 1},
        }
        self.authenticate("refresh_portal", "refresh_portal")
        with self.assertRaisesRegex(Exception, "AccessError|not allowed"):
            self.make_jsonrpc_request("/web/dataset/call_kw", params)
        self.authenticate("refresh_rpc_user", "refresh_rpc_user")
        self.assertIsInstance(
            self.make_jsonrpc_request("/web/dataset/call_kw", params), list
        )
