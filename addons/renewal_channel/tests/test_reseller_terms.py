from odoo.tests import tagged

from .common import ChannelQuoteCase


@tagged("post_install", "-at_install")
class TestResellerTerms(ChannelQuoteCase):
    """A reseller's own lead time, uplift, discount and brand on its renewal
    quotations and certificates, through the core's channel answers."""

    def test_lead_time(self):
        direct = self.make_contract(ends=[50])
        via_reseller = self.make_contract(ends=[50], reseller_id=self.reseller.id)
        near = self.make_contract(ends=[30], reseller_id=self.reseller.id)
        self.assertEqual(via_reseller._renewal_quote_lead_days(), 100)
        # A reseller's own lead time wins over the company's.
        self.reseller.renewal_quote_lead_days = 30
        self.assertEqual(via_reseller._renewal_quote_lead_days(), 30)
        self.assertEqual(direct._renewal_quote_lead_days(), 100)
        due = self.SaleOrder._renewal_due_lines(contracts=direct | via_reseller | near)
        self.assertEqual(due.contract_id, direct | near)
        # Longer than the company's: the quotation run looks that far ahead.
        self.reseller.renewal_quote_lead_days = 150
        late = self.make_contract(ends=[140], reseller_id=self.reseller.id)
        self.assertGreaterEqual(
            self.env["renewal.contract"]._renewal_longest_quote_lead_days(self.company),
            150,
        )
        due = self.SaleOrder._renewal_due_lines(contracts=late)
        self.assertEqual(due.contract_id, late)

    def test_pricing_uplift_and_reseller_discount(self):
        self.company.renewal_uplift_percent = 10.0
        direct = self.make_contract(ends=[30])
        self.reseller.write(
            {
                "renewal_own_uplift": True,
                "renewal_uplift_percent": 5.0,
                "renewal_discount_percent": 15.0,
            }
        )
        resold = self.make_contract(ends=[30, 40], reseller_id=self.reseller.id)
        resold.line_ids[1].renewal_discount = 20.0
        self.assertEqual(
            (resold._renewal_uplift_percent(), resold._renewal_discount_percent()),
            (5.0, 15.0),
        )
        self.assertEqual(
            (direct._renewal_uplift_percent(), direct._renewal_discount_percent()),
            (10.0, 0.0),
        )
        orders = self.quote(direct | resold)
        direct_order = orders.filtered(lambda order: not order.renewal_reseller_id)
        self.assertAlmostEqual(direct_order.order_line.price_unit, 1100.0)
        self.assertEqual(direct_order.order_line.discount, 0.0)
        # Through the reseller: its own uplift, its discount unless the line
        # has one of its own.
        by_line = {
            sol.renewal_line_id: sol for sol in (orders - direct_order).order_line
        }
        first, second = resold.line_ids
        self.assertAlmostEqual(by_line[first].price_unit, 1050.0)
        self.assertEqual(by_line[first].discount, 15.0)
        self.assertEqual(by_line[second].discount, 20.0)
        # Without its own uplift, the company's.
        self.reseller.renewal_own_uplift = False
        self.assertEqual(resold._renewal_uplift_percent(), 10.0)

    def _html(self, report, records):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            report, records.ids
        )
        return html.decode()

    def test_brand_on_both_documents(self):
        self.env.company.name = "Vendor Corp"
        self.reseller.write({"renewal_own_brand": True, "email": "hi@resell.example"})
        direct = self.make_contract(ends=[30])
        branded = self.make_contract(
            ends=[30],
            reseller_id=self.reseller.id,
            reseller_salesperson_id=self.reseller_salesperson.id,
        )
        self.assertTrue(branded.publish_in_reseller_name)
        orders = self.quote(direct | branded)
        vendor_order = orders.filtered(lambda order: not order.renewal_reseller_id)
        reseller_order = orders - vendor_order
        self.assertEqual(reseller_order.renewal_brand_partner_id, self.reseller)
        for report, vendor_doc, reseller_doc in [
            ("sale.action_report_saleorder", vendor_order, reseller_order),
            ("renewal_contracts.action_report_renewal_certificate", direct, branded),
        ]:
            with self.subTest(report=report):
                vendor_html = self._html(report, vendor_doc)
                reseller_html = self._html(report, reseller_doc)
                self.assertNotIn("o_renewal_reseller_brand", vendor_html)
                self.assertIn("Vendor Corp", vendor_html)
                self.assertIn("o_renewal_reseller_brand", reseller_html)
                self.assertIn("Resell One", reseller_html)
                self.assertRegex(
                    reseller_html, r"Your contact:\s*<span>Rosa Reseller</span>"
                )
                self.assertIn("hi@resell.example", reseller_html)
        # The brand follows the contract's setting, which starts from the
        # reseller's and may be changed per contract.
        self.assertEqual(branded._renewal_brand_partner(), self.reseller)
        branded.publish_in_reseller_name = False
        self.assertEqual(branded._renewal_brand_partner(), self.company.partner_id)
