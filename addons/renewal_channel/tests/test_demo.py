from odoo.tests import TransactionCase, tagged
from odoo.tools.image import image_data_uri


@tagged("post_install", "-at_install")
class TestChannelDemoData(TransactionCase):
    """The channel in the demo base: a reseller publishing in its own name,
    one with its own terms, one with its own cadence and a renewals manager
    with a portal account, and the three parties' feeds."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("renewal_channel.feed_source_vendor", False):
            self.skipTest("installed without demo data")

    def _html(self, report, records):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            report, records.ids
        )
        return html.decode()

    def test_demo_reseller_brand(self):
        """ServerHuis publishes in its own name: its quotations and
        certificates carry its logo and address."""
        reseller = self.env.ref("renewal_contracts.partner_reseller_serverhuis")
        self.assertTrue(reseller.renewal_own_brand)
        self.assertTrue(reseller.image_1920)
        Contract = self.env["renewal.contract"]
        resold = Contract.search(
            [("reseller_id", "=", reseller.id), ("is_cancelled", "=", False)]
        )
        self.assertTrue(resold)
        self.assertTrue(all(resold.mapped("publish_in_reseller_name")))
        # One with lines still to renew (other addons' demo data may add
        # contracts whose history is renewed or lost).
        contract = resold.filtered(lambda c: c._open_lines())[:1]
        self.assertTrue(contract)
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

    def test_demo_reseller_terms(self):
        bitsbytes = self.env.ref("renewal_contracts.partner_reseller_bitsbytes")
        contract = self.env["renewal.contract"].search(
            [("reseller_id", "=", bitsbytes.id)], limit=1
        )
        self.assertEqual(contract._renewal_quote_lead_days(), 120)
        self.assertEqual(contract._renewal_uplift_percent(), 4.0)
        serverhuis = self.env.ref("renewal_contracts.partner_reseller_serverhuis")
        self.assertEqual(serverhuis.renewal_discount_percent, 12.0)

    def test_demo_notices(self):
        """The demo's notices follow Northwind's own cadence for its
        contracts."""
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

    def test_demo_portal_manager(self):
        """Northwind's renewals manager logs in to the portal: every contract
        Northwind sells, its feed source, nothing else."""
        user = self.env.ref("renewal_channel.user_northwind_manager")
        northwind = self.env.ref("renewal_contracts.partner_reseller_northwind")
        self.assertTrue(user.share)
        contracts = self.env["renewal.contract"].with_user(user).search([])
        self.assertTrue(contracts)
        self.assertEqual(
            contracts,
            self.env["renewal.contract"].search([("reseller_id", "=", northwind.id)]),
        )
        self.assertEqual(
            self.env["renewal.feed.source"].with_user(user).search([]),
            self.env.ref("renewal_channel.feed_source_reseller_us"),
        )
