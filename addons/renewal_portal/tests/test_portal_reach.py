import re

from odoo.tests import new_test_user, tagged

from .common import RenewalPortalCase

ROW_RE = re.compile(r'class="o_renewal_row[^"]*"\s+data-contract="([^"]+)"')


@tagged("post_install", "-at_install")
class TestLinkReach(RenewalPortalCase):
    """What a link reaches: a customer link, all the customer's contracts in
    its company; a sales link, those its holder may handle (the answer of
    the record rules for the holder), in its company."""

    def listed(self, path):
        response = self.get(path)
        self.assertEqual(response.status_code, 200)
        return set(ROW_RE.findall(response.text))

    def test_each_link_lists_what_it_reaches(self):
        expected = {
            self.path_customer: {"SH-A1", "SH-A2", "SH-A3", "SH-A4"},
            self.path_seller: {"SH-A1"},
            self.path_vendor: {"SH-A1", "SH-A2", "SH-A3", "SH-A4"},
            self.path_customer_b: {"SH-B1", "SH-B2"},
            self.path_seller_b: {"SH-B1"},
        }
        for path, names in expected.items():
            with self.subTest(path=path[-8:]):
                self.assertEqual(self.listed(path), names)
                # The totals and the search keep to the same contracts.
                page = self.get(f"{path}?search=SH-").text
                self.assertEqual(set(ROW_RE.findall(page)), names)

    # renewal_channel checks the same for a reseller's renewals manager.
    holders_without_account = (("link_seller", "reach_portal_sam"),)

    def test_sales_link_holder_without_account_mirrors_the_portal_rule(self):
        """A reseller's contact without a portal account reaches what the
        portal rule would give them; once they have an account, the link
        follows their record rules, and both answers agree."""
        for link_name, login in self.holders_without_account:
            link = getattr(self, link_name)
            with self.subTest(holder=link.holder_id.name):
                mirrored = link._contracts()
                user = self.portal_user(login, link.holder_id)
                link.invalidate_recordset()
                by_rules = (
                    self.env["renewal.contract"]
                    .with_user(user)
                    .search([("partner_id", "=", self.customer.id)])
                )
                self.assertEqual(self.names(mirrored), self.names(by_rules))
                self.assertEqual(self.names(link._contracts()), self.names(by_rules))

    def test_internal_holder_follows_their_access(self):
        """An internal salesperson's link follows their access rights and
        record rules: a user without the Renewals group reaches nothing, nor
        does a user of another company."""
        self.assertEqual(
            self.names(self.link_vendor._contracts()),
            {"SH-A1", "SH-A2", "SH-A3", "SH-A4"},
        )
        employee = new_test_user(
            self.env, login="reach_employee", groups="base.group_user"
        )
        Link = self.env["renewal.portal.link"]
        link, url = Link._issue(self.customer, "sales", holder=employee.partner_id)
        self.assertFalse(link._contracts())
        self.assertFalse(self.listed(self._path(url)))
        link, url = Link._issue(
            self.customer,
            "sales",
            holder=self.user_b.partner_id,
            contract=self.contracts["SH-A1"],
        )
        self.assertEqual(link.company_id, self.company_a)
        self.assertFalse(link._contracts())

    def test_sales_link_cannot_open_or_amend_what_its_holder_does_not_sell(self):
        for name in ("SH-A2", "SH-A3", "SH-A4", "SH-B1", "SH-B2"):
            contract = self.contracts[name]
            with self.subTest(contract=name):
                for suffix in ("", "/certificate?report_type=html"):
                    response = self.get(
                        f"{self.path_seller}/contract/{contract.id}{suffix}"
                    )
                    self.assertEqual(response.status_code, 404)
                    self.assertNotIn(name, response.text)
                messages = len(contract.message_ids)
                for action, data in [
                    ("amend_contract", {"do_not_contact": "on"}),
                    ("cancel", {"reason_id": self.reason.id}),
                    (
                        "amend_line",
                        {"line_id": contract.line_ids[0].id, "renewal_price": "1"},
                    ),
                    ("reply", {"body": "Hello"}),
                ]:
                    response = self.post(
                        self.path_seller, contract, action=action, **data
                    )
                    self.assertEqual(response.status_code, 404)
                self.assertFalse(contract.do_not_contact)
                self.assertFalse(contract.is_cancelled)
                self.assertFalse(contract.line_ids[0].renewal_price)
                self.assertEqual(len(contract.message_ids), messages)
                self.assertNotIn(self.seller_1, contract.message_partner_ids)
        # What Sam sells he handles.
        own = self.contracts["SH-A1"]
        response = self.post(
            self.path_seller, own, action="amend_contract", do_not_contact="on"
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(own.do_not_contact)

    def test_consolidation_target_within_reach(self):
        own = self.contracts["SH-A1"]
        for target in ("SH-A3", "SH-B1", "NOPE"):
            with self.subTest(target=target):
                response = self.post(
                    self.path_seller,
                    own,
                    action="amend_contract",
                    consolidated_into=target,
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn("is open to you", response.text)
                self.assertFalse(own.consolidated_into_id)
        # The vendor's salesperson reaches SH-A2: it is a valid target for him.
        response = self.post(
            self.path_vendor, own, action="amend_contract", consolidated_into="SH-A2"
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(own.consolidated_into_id, self.contracts["SH-A2"])


@tagged("post_install", "-at_install")
class TestLinkCompany(RenewalPortalCase):
    """Links do not cross companies, for a customer both companies share."""

    def test_customer_link_stays_in_its_company(self):
        b1 = self.contracts["SH-B1"]
        order_b = self.env["sale.order"]._renewal_generate(b1.line_ids)
        self.assertTrue(order_b)
        page = self.get(self.path_customer).text
        self.assertNotIn("SH-B", page)
        for path in (
            f"{self.path_customer}/contract/{b1.id}",
            f"{self.path_customer}/contract/{b1.id}/certificate",
            f"{self.path_customer}/contract/{b1.id}/certificate?report_type=html",
        ):
            with self.subTest(path=path[-40:]):
                response = self.get(path)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("SH-B1", response.text)
                self.assertNotIn(order_b.name, response.text)
        for action, data in [
            ("po", {"po": "PO-CROSS"}),
            ("callback", {"note": "cross"}),
            ("decline", {"reason_id": self.reason.id}),
            ("reply", {"body": "cross"}),
        ]:
            with self.subTest(action=action):
                response = self.post(self.path_customer, b1, action=action, **data)
                self.assertEqual(response.status_code, 404)
        self.assertFalse(b1.customer_po_number)
        self.assertFalse(b1.is_cancelled)
        self.assertFalse(b1.activity_ids)
        # Company A's own contract shows its own quotation only.
        a1 = self.contracts["SH-A1"]
        order_a = self.env["sale.order"]._renewal_generate(a1.line_ids)
        detail = self.get(f"{self.path_customer}/contract/{a1.id}").text
        self.assertIn(order_a.name, detail)
        self.assertNotIn(order_b.name, detail)
        # The company B link shows B's.
        detail = self.get(f"{self.path_customer_b}/contract/{b1.id}").text
        self.assertIn(order_b.name, detail)

    def test_sales_link_stays_in_its_company(self):
        """Sam sells SH-B1 in company B, but his company A link does not
        reach it."""
        b1 = self.contracts["SH-B1"]
        line = b1.line_ids[0]
        for action, data in [
            ("cancel", {"reason_id": self.reason.id}),
            ("amend_line", {"line_id": line.id, "renewal_price": "5"}),
        ]:
            with self.subTest(action=action):
                response = self.post(self.path_seller, b1, action=action, **data)
                self.assertEqual(response.status_code, 404)
        self.assertFalse(b1.is_cancelled)
        self.assertFalse(line.renewal_price)
        # His company B link does.
        response = self.post(
            self.path_seller_b,
            b1,
            action="amend_line",
            line_id=line.id,
            renewal_price="5",
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(line.renewal_price, 5.0)
