from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QuoteCase, days


@tagged("post_install", "-at_install")
class TestRenewalQuotes(QuoteCase):
    """Renewal quotations on Odoo's own sale orders."""

    def test_window_edges(self):
        inside = self.make_contract(ends=[100])
        outside = self.make_contract(ends=[101])
        overdue = self.make_contract(ends=[-30])
        contracts = inside | outside | overdue
        due = self.SaleOrder._renewal_due_lines(contracts=contracts)
        self.assertEqual(due.contract_id, inside | overdue)
        # The company's lead time, whoever sells the contract.
        resold = self.make_contract(ends=[100, 101], reseller_id=self.reseller.id)
        due = self.SaleOrder._renewal_due_lines(contracts=resold)
        self.assertEqual(due, resold.line_ids[0])

    def test_consolidation_and_no_double_quote(self):
        first = self.make_contract(ends=[20, 60, 300])
        second = self.make_contract(ends=[80])
        resold = self.make_contract(ends=[40], reseller_id=self.reseller.id)
        orders = self.quote(first | second | resold)
        self.assertEqual(len(orders), 2)
        direct = orders.filtered(lambda order: not order.renewal_reseller_id)
        self.assertEqual(direct.partner_id, self.customer)
        self.assertEqual(
            direct.order_line.renewal_line_id,
            first.line_ids[:2] | second.line_ids,
            "one quotation for every due line of the customer, across contracts",
        )
        self.assertEqual(
            orders.filtered("renewal_reseller_id").order_line.renewal_line_id,
            resold.line_ids,
        )
        self.assertTrue(all(orders.mapped("is_renewal")))
        # Running again quotes nothing twice.
        self.assertFalse(self.quote(first | second | resold))
        # The cron does the same for the whole base.
        self.env["renewal.contract"]._cron_generate_quotes()
        self.assertEqual(
            self.env["sale.order.line"].search_count(
                [("renewal_line_id", "in", (first | second | resold).line_ids.ids)]
            ),
            4,
        )

    def test_quote_line_content(self):
        contract = self.make_contract(ends=[30], service_level_id=self.level.id)
        line = contract.line_ids
        line.service_level_id = self.level
        order = self.quote(contract)
        sale_line = order.order_line
        self.assertEqual(sale_line.renewal_date_start, days(31))
        self.assertEqual(sale_line.renewal_date_end, days(31 + 364))
        for text in (
            line.serial_number,
            "Gold 4h",
            contract.name,
            "Coverage: 2026-07-16",
        ):
            self.assertIn(text, sale_line.name)
        self.assertEqual(sale_line.product_uom_qty, 1)

    def test_pricing_uplift_and_reseller_discount(self):
        self.company.renewal_uplift_percent = 10.0
        contract = self.make_contract(ends=[30, 40])
        contract.line_ids[1].renewal_price = 500.0
        order = self.quote(contract)
        by_line = {sol.renewal_line_id: sol for sol in order.order_line}
        # No renewal price: the pricelist (list) price 1000 plus 10 %.
        self.assertAlmostEqual(by_line[contract.line_ids[0]].price_unit, 1100.0)
        # A renewal price on the line is taken as it is.
        self.assertAlmostEqual(by_line[contract.line_ids[1]].price_unit, 500.0)
        self.assertEqual(order.order_line.mapped("discount"), [0.0, 0.0])
        # A line's own discount is quoted.
        resold = self.make_contract(ends=[30], reseller_id=self.reseller.id)
        resold.line_ids.renewal_discount = 20.0
        order = self.quote(resold)
        self.assertAlmostEqual(order.order_line.price_unit, 1100.0)
        self.assertEqual(order.order_line.discount, 20.0)

    def test_coterm_arithmetic(self):
        self.company.renewal_coterm = True
        contract = self.make_contract(ends=[10, 40])
        order = self.quote(contract)
        self.assertEqual(order.renewal_coterm_date, days(40 + 365))
        first, second = order.order_line.sorted(lambda sol: sol.renewal_date_start)
        self.assertEqual(first.renewal_date_end, second.renewal_date_end)
        self.assertEqual(first.renewal_date_start, days(11))
        # 395 days instead of 365: price 1000 * 395 / 365.
        self.assertAlmostEqual(first.price_unit, round(1000.0 * 395 / 365, 2))
        self.assertAlmostEqual(second.price_unit, 1000.0)

    def test_currency(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        pricelist = self.env["product.pricelist"].create(
            {"name": "EUR renewals", "currency_id": eur.id}
        )
        in_eur = self.make_contract(ends=[30], currency_id=eur.id)
        in_usd = self.make_contract(ends=[30])
        orders = self.quote(in_eur | in_usd)
        self.assertEqual(len(orders), 2, "one quotation per currency")
        eur_order = orders.filtered(lambda order: order.currency_id == eur)
        self.assertEqual(eur_order.pricelist_id, pricelist)
        self.assertEqual(eur_order.order_line.renewal_line_id, in_eur.line_ids)

    def test_confirmation_renews_lines(self):
        contract = self.make_contract(ends=[-3, 30, 300])
        self.assertEqual(contract.status, "overdue")
        order = self.quote(contract)
        self.assertEqual(len(order.order_line), 2)
        order.action_confirm()
        old_lines = contract.line_ids.filtered("successor_line_id")
        self.assertEqual(len(old_lines), 2)
        for old in old_lines:
            new = old.successor_line_id
            self.assertEqual(new.date_start, old.date_end + timedelta(days=1))
            self.assertEqual(new.serial_number, old.serial_number)
            self.assertEqual(new.contract_id, contract)
            self.assertEqual(new.status, "live")
            self.assertEqual(old.status, "live")
            self.assertTrue(old.is_renewed)
            self.assertEqual(new.predecessor_line_ids, old)
        self.assertEqual(contract.status, "live")
        self.assertEqual(contract.date_end, max(contract.line_ids.mapped("date_end")))
        message = contract.message_ids[0]
        self.assertIn(f"Renewed by {order.name}", message.body)
        self.assertIn(old_lines[0].serial_number, message.body)
        # Renewed lines are not quoted again.
        self.assertFalse(self.quote(contract).order_line.renewal_line_id & old_lines)

    def test_loss_requires_reason(self):
        contract = self.make_contract(ends=[30, 60])
        order = self.quote(contract)
        with self.assertRaisesMsg(UserError, "say why it is lost"):
            order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "draft")
        # One line is quoted again on another open quotation: it stays.
        requote = order.copy()
        requote.order_line[1:].unlink()
        requote.order_line.renewal_line_id = order.order_line[0].renewal_line_id
        wizard = self.env["renewal.quote.lost"].create(
            {"order_ids": [(6, 0, order.ids)], "reason_id": self.reason.id}
        )
        wizard.action_confirm()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.renewal_lost_reason_id, self.reason)
        kept, lost = order.order_line.renewal_line_id.sorted("date_end")
        self.assertEqual(kept.status, "due")
        self.assertEqual(
            (lost.status, lost.cancel_reason_id), ("cancelled", self.reason)
        )

    def test_upsell_options(self):
        better_service = self.env["product.product"].create(
            {"name": "Platinum 2h service", "type": "service", "list_price": 300.0}
        )
        platinum = self.env["renewal.service.level"].create(
            {"name": "Platinum 2h", "product_id": better_service.id}
        )
        self.level.upsell_level_id = platinum
        successor = self.env["product.product"].create(
            {"name": "Rack Server R2", "list_price": 5000.0}
        )
        self.product.renewal_successor_id = successor
        contract = self.make_contract(ends=[30])
        contract.line_ids.service_level_id = self.level
        order = self.quote(contract)
        options = order.sale_order_option_ids
        self.assertEqual(options.product_id, better_service | successor)
        upgrade = options.filtered(lambda option: option.product_id == better_service)
        self.assertIn("to Platinum 2h", upgrade.name)
        self.assertEqual(upgrade.price_unit, 300.0)

    def _html(self, report, records):
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            report, records.ids
        )
        return html.decode()

    def test_vendor_brand_on_both_documents(self):
        """The core publishes every renewal in the vendor's name, whoever
        sells it."""
        self.env.company.name = "Vendor Corp"
        resold = self.make_contract(
            ends=[30],
            reseller_id=self.reseller.id,
            reseller_salesperson_id=self.reseller_salesperson.id,
        )
        order = self.quote(resold)
        self.assertEqual(order.renewal_reseller_id, self.reseller)
        self.assertEqual(order.renewal_brand_partner_id, self.company.partner_id)
        for report, record in [
            ("sale.action_report_saleorder", order),
            ("renewal_contracts.action_report_renewal_certificate", resold),
        ]:
            with self.subTest(report=report):
                html = self._html(report, record)
                self.assertNotIn("o_renewal_reseller_brand", html)
                self.assertIn("Vendor Corp", html)

    def test_feed_text_escaped_in_documents(self):
        contract = self.make_contract(ends=[30])
        contract.line_ids.serial_number = "<script>alert(1)</script>"
        order = self.quote(contract)
        for report, record in [
            ("sale.action_report_saleorder", order),
            ("renewal_contracts.action_report_renewal_certificate", contract),
        ]:
            html = self._html(report, record)
            self.assertNotIn("<script>alert(1)</script>", html)
            self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)

    def test_on_demand_button(self):
        contract = self.make_contract(ends=[30])
        action = contract.action_generate_quotes()
        order = self.env["sale.order"].search(action["domain"])
        self.assertEqual(order.order_line.renewal_line_id, contract.line_ids)
        again = contract.action_generate_quotes()
        self.assertEqual(again["tag"], "display_notification")
        self.assertEqual(contract.action_view_quotations()["res_model"], "sale.order")
