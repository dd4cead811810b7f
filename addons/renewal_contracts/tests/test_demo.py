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

    def test_demo_installed_base(self):
        """Every coverage state, every channel, a registration to review and
        products with their lifecycle."""
        installed = self.env["renewal.installed.product"].search([])
        self.assertGreaterEqual(len(installed), 30)
        self.assertEqual(
            set(installed.mapped("coverage_state")),
            {"covered", "warranty", "uncovered", "lapsed"},
        )
        registrations = self.env["renewal.registration"].search([])
        self.assertEqual(
            set(registrations.mapped("channel")),
            {"back_office", "customer_page", "reseller_portal", "partner_api", "feed"},
        )
        self.assertIn("review", registrations.mapped("state"))
        self.assertTrue(registrations.warranty_line_id)
        r660 = self.env.ref("renewal_contracts.product_pwr_r660")
        r770 = self.env.ref("renewal_contracts.product_pwr_r770")
        self.assertEqual(r660.renewal_successor_id, r770)
        self.assertTrue(r660.renewal_end_of_support_date)
        self.assertTrue(r660.renewal_end_of_sale_date)
        self.assertTrue(r660.renewal_alternative_ids)
        self.assertTrue(r770.optional_product_ids)
        self.assertTrue(r770.renewal_serial_pattern)
        self.assertTrue(r770.renewal_warranty_months)

    def _html(self, report, records):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            report, records.ids
        )
        return html.decode()

    def test_demo_brand(self):
        """The demo vendor has a brand: its certificates carry its logo."""
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
        direct = self.env["renewal.contract"].search(
            [("reseller_id", "=", False), ("name", "=like", "RC-%")], limit=1
        )
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
        """The demo's notices go out, and Ulrich's go into his digest."""
        Notice = self.env["renewal.notice"]
        before = Notice.search([], order="id desc", limit=1).id or 0
        Notice._run()
        notices = Notice.search([("id", ">", before)])
        self.assertTrue(notices)
        ulrich = self.env.ref("renewal_contracts.user_renewal_user").partner_id
        to_ulrich = notices.filtered(lambda n: n.partner_id == ulrich)
        if to_ulrich:
            self.assertEqual(set(to_ulrich.mapped("role")), {"sales", "digest"})
