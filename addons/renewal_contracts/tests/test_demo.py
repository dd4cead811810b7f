import base64

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_open
from odoo.tools.image import image_data_uri


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo base a person looks at: big enough, and every colour in it."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("renewal_contracts.user_renewal_manager", False):
            self.skipTest("installed without demo data")

    def test_demo_base(self):
        Partner = self.env["res.partner"]
        self.assertGreaterEqual(
            Partner.search_count([("is_renewal_distributor", "=", True)]), 2
        )
        self.assertGreaterEqual(
            Partner.search_count([("is_renewal_reseller", "=", True)]), 4
        )
        contracts = self.env["renewal.contract"].search([("name", "=like", "RC-%")])
        self.assertGreaterEqual(len(contracts.partner_id), 40)
        lines = contracts.line_ids
        self.assertGreaterEqual(len(lines), 300)
        self.assertTrue(all(lines.mapped("serial_number")))
        self.assertTrue(all(lines.mapped("service_level_id")))
        self.assertEqual(
            set(contracts.mapped("status")), {"overdue", "due", "live", "cancelled"}
        )
        self.assertEqual(
            set(lines.mapped("status")), {"overdue", "due", "live", "cancelled"}
        )
        self.assertTrue(contracts.filtered("warranty_only"))
        self.assertTrue(contracts.filtered("is_consolidated"))
        self.assertTrue(contracts.reseller_salesperson_id)

    def _html(self, report, records):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            report, records.ids
        )
        return html.decode()

    def test_demo_brand(self):
        """The demo vendor has a brand, and one reseller publishes in its own
        name: its quotations and certificates carry its logo and address."""
        company = self.env.ref("base.main_company")
        self.assertEqual(company.name, "Halcyon Systems")
        self.assertTrue(company.street and company.city and company.country_id)
        with file_open("base/static/img/res_company_logo.png", "rb") as placeholder:
            self.assertNotEqual(
                base64.b64decode(company.logo), placeholder.read(), "Your logo"
            )
        self.assertEqual(
            (company.primary_color, company.secondary_color), ("#0B4F6C", "#F2A541")
        )
        self.assertEqual(
            company.external_report_layout_id, self.env.ref("web.external_layout_bold")
        )
        reseller = self.env.ref("renewal_contracts.partner_reseller_serverhuis")
        self.assertTrue(reseller.renewal_own_brand)
        self.assertTrue(reseller.image_1920)
        Contract = self.env["renewal.contract"]
        resold = Contract.search(
            [("reseller_id", "=", reseller.id), ("is_cancelled", "=", False)]
        )
        self.assertTrue(resold)
        self.assertTrue(all(resold.mapped("publish_in_reseller_name")))
        contract = resold[0]
        direct = Contract.search(
            [("reseller_id", "=", False), ("name", "=like", "RC-%")], limit=1
        )
        SaleOrder = self.env["sale.order"]
        order = SaleOrder._renewal_generate(contract._open_lines())
        self.assertEqual(order.renewal_brand_partner_id, reseller)
        reseller_logo = image_data_uri(reseller.image_128)
        for report, record in [
            ("renewal_contracts.action_report_renewal_certificate", contract),
            ("sale.action_report_saleorder", order),
        ]:
            with self.subTest(report=report):
                html = self._html(report, record)
                self.assertIn("o_renewal_reseller_brand", html)
                self.assertIn("ServerHuis BV", html)
                self.assertIn("Herengracht 182", html)
                self.assertIn(reseller_logo, html)
        vendor_html = self._html(
            "renewal_contracts.action_report_renewal_certificate", direct
        )
        self.assertNotIn("o_renewal_reseller_brand", vendor_html)
        self.assertIn("Halcyon Systems", vendor_html)
        self.assertIn(image_data_uri(company.logo), vendor_html)

    def test_demo_users(self):
        manager = self.env.ref("renewal_contracts.user_renewal_manager")
        user = self.env.ref("renewal_contracts.user_renewal_user")
        self.assertTrue(
            manager.has_group("renewal_contracts.renewal_contracts_group_manager")
        )
        self.assertTrue(
            user.has_group("renewal_contracts.renewal_contracts_group_user")
        )
        self.assertFalse(
            user.has_group("renewal_contracts.renewal_contracts_group_manager")
        )

    def test_demo_notices(self):
        """The demo's notices follow Northwind's own cadence for its
        contracts, and Ulrich's go into his digest."""
        northwind = self.env.ref("renewal_contracts.partner_reseller_northwind")
        self.assertEqual(
            sorted(northwind.renewal_notice_step_ids.mapped("offset_days")),
            [-60, -14, 0, 14],
        )
        Notice = self.env["renewal.notice"]
        before = Notice.search([], order="id desc", limit=1).id or 0
        Notice._run()
        notices = Notice.search([("id", ">", before)])
        self.assertTrue(notices)
        of_northwind = notices.line_ids.filtered(
            lambda line: line.contract_id.reseller_id == northwind
        )
        self.assertLessEqual(set(of_northwind.mapped("offset_days")), {-60, -14, 0})
        ulrich = self.env.ref("renewal_contracts.user_renewal_user").partner_id
        to_ulrich = notices.filtered(lambda n: n.partner_id == ulrich)
        if to_ulrich:
            self.assertEqual(set(to_ulrich.mapped("role")), {"sales", "digest"})
