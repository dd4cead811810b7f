from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import QuoteCase

# A 1x1 PNG: what a signature pad sends, as small as it gets.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJ"
    "RU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestPartialRenewal(QuoteCase):
    """The customer renews some lines of a contract and leaves the others
    out, each for a reason; a salesperson may put them back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        upgrade = cls.env["product.product"].create(
            {"name": "Gold Plus upgrade", "list_price": 50.0}
        )
        cls.level.upsell_level_id = cls.env["renewal.service.level"].create(
            {"name": "Gold Plus", "product_id": upgrade.id}
        )
        cls.price_reason = cls.env["renewal.cancel.reason"].create(
            {"name": "Too expensive (test)"}
        )
        cls.author = cls.customer_contact
        cls.salesperson = new_test_user(
            cls.env,
            login="renewal_partial_sales",
            groups="renewal_contracts.renewal_contracts_group_user,"
            "sales_team.group_sale_salesman_all_leads",
        )

    def setUp(self):
        super().setUp()
        self.contract = self.make_contract(
            ends=[30, 40, 50], service_level_id=self.level.id
        )
        self.first, self.second, self.third = self.contract.line_ids
        self.order = self.quote(self.contract)
        self.order.write(
            {
                "signature": SIGNATURE,
                "signed_by": "Ina Admin",
                "signed_on": fields.Datetime.now(),
            }
        )

    def test_lines_left_out_leave_the_quotation(self):
        self.assertEqual(self.order.order_line.renewal_line_id, self.contract.line_ids)
        self.assertEqual(len(self.order.sale_order_option_ids), 3)
        total = self.order.amount_untaxed
        left_out = self.contract._renew_in_part(
            self.first,
            {self.second.id: self.reason, self.third.id: self.price_reason},
            self.author,
        )
        self.assertEqual(left_out, self.second | self.third)
        for line, reason in (
            (self.second, self.reason),
            (self.third, self.price_reason),
        ):
            self.assertTrue(line.is_cancelled)
            self.assertTrue(line.customer_left_out)
            self.assertEqual(line.cancel_reason_id, reason)
            self.assertEqual(line.status, "cancelled")
        self.assertFalse(self.first.is_cancelled)
        # The quotation keeps the line renewed, and its upgrade option only.
        self.assertEqual(self.order.state, "draft")
        self.assertEqual(self.order.order_line.renewal_line_id, self.first)
        self.assertEqual(self.order.sale_order_option_ids.renewal_line_id, self.first)
        self.assertAlmostEqual(self.order.amount_untaxed, total / 3, places=2)
        # A new version: signed again.
        self.assertFalse(self.order.signature)
        self.assertFalse(self.order.signed_by)
        self.assertFalse(self.order.signed_on)
        note = self.order.message_ids[0]
        self.assertEqual(note.author_id, self.author)
        self.assertIn("SN-", note.body)
        self.assertIn("Too expensive (test)", note.body)
        # The contract says who chose what, and what is left to renew.
        message = self.contract.message_ids[0]
        self.assertEqual(message.author_id, self.author)
        self.assertIn(self.first.serial_number, message.body)
        self.assertIn(
            f"{self.third.serial_number} (Too expensive (test))", message.body
        )
        self.assertEqual(self.contract.amount_renewal, self.first.renewal_subtotal)
        self.assertEqual(self.contract.next_expiry_date, self.first.date_end)
        self.assertEqual(self.contract.status, "due")

    def test_chatter_text_is_escaped(self):
        self.author.name = "<b>Ina</b>"
        self.contract._renew_in_part(
            self.first | self.second, {self.third.id: self.reason}, self.author
        )
        body = self.contract.message_ids[0].body
        self.assertNotIn("<b>Ina</b>", body)
        self.assertIn("&lt;b&gt;Ina&lt;/b&gt;", body)

    def test_refusals(self):
        other = self.make_contract(ends=[30])
        cases = [
            (
                self.first,
                {self.second.id: self.reason},
                f"give a reason for each line left out: {self.third.serial_number}",
            ),
            (
                self.env["renewal.contract.line"],
                {line.id: self.reason for line in self.contract.line_ids},
                "choose at least one line to renew",
            ),
            (
                self.first | other.line_ids,
                {self.second.id: self.reason, self.third.id: self.reason},
                "not a line of contract",
            ),
        ]
        for keep, reasons, message in cases:
            with self.subTest(message=message):
                with self.assertRaisesMsg(UserError, message):
                    self.contract._renew_in_part(keep, reasons, self.author)
        self.assertFalse(self.contract.line_ids.filtered("is_cancelled"))
        # A line cancelled already is not renewed in part, but needs no reason.
        self.third._cancel(self.reason)
        with self.assertRaisesMsg(UserError, self.third.serial_number):
            self.contract._renew_in_part(
                self.first | self.third, {self.second.id: self.reason}, self.author
            )
        left_out = self.contract._renew_in_part(
            self.first, {self.second.id: self.reason}, self.author
        )
        self.assertEqual(left_out, self.second)
        self.assertFalse(self.third.customer_left_out)
        # A cancelled contract is declined already.
        self.contract._cancel(self.reason)
        with self.assertRaisesMsg(UserError, "is cancelled"):
            self.contract._renew_in_part(self.first, {}, self.author)

    def test_quotation_left_empty_is_lost(self):
        later = self.make_contract(ends=[30, 300])
        due, not_due = later.line_ids
        order = self.quote(later)
        self.assertEqual(order.order_line.renewal_line_id, due)
        later._renew_in_part(not_due, {due.id: self.price_reason}, self.author)
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.renewal_lost_reason_id, self.price_reason)
        self.assertFalse(not_due.is_cancelled)

    def test_salesperson_puts_lines_back(self):
        self.contract._renew_in_part(
            self.first,
            {self.second.id: self.reason, self.third.id: self.reason},
            self.author,
        )
        contract = self.contract.with_user(self.salesperson)
        seller = self.salesperson.partner_id
        orders = contract._undo_renew_in_part(self.third, seller)
        self.assertEqual(orders, self.order)
        self.assertFalse(self.third.is_cancelled)
        self.assertFalse(self.third.customer_left_out)
        self.assertFalse(self.third.cancel_reason_id)
        self.assertEqual(self.order.order_line.renewal_line_id, self.first | self.third)
        self.assertEqual(
            self.order.sale_order_option_ids.renewal_line_id, self.first | self.third
        )
        self.assertEqual(self.contract.message_ids[0].author_id, seller)
        self.assertIn(self.third.serial_number, self.contract.message_ids[0].body)
        self.assertIn(self.third.serial_number, self.order.message_ids[0].body)
        # Only what the customer left out is put back.
        self.first._cancel(self.reason)
        with self.assertRaisesMsg(UserError, "not left out by the customer"):
            contract._undo_renew_in_part(self.first | self.second, seller)
        self.assertTrue(self.second.is_cancelled)

    def test_put_back_without_open_quotation(self):
        self.contract._renew_in_part(
            self.first | self.second, {self.third.id: self.reason}, self.author
        )
        self.order.write({"renewal_lost_reason_id": self.reason.id})
        self.order.with_context(disable_cancel_warning=True).action_cancel()
        orders = self.contract._undo_renew_in_part(self.third, self.author)
        self.assertFalse(orders)
        self.assertFalse(self.third.is_cancelled)
        # The next quotation run quotes it.
        self.assertIn(self.third, self.SaleOrder._renewal_due_lines(self.contract))
