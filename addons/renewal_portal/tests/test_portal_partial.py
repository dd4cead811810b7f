import re

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RenewalPortalCase

# A 2x2 black PNG: the customer's signature.
SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAC0lEQVR4nGNgQAYAAA4AAamRc7EA"
    "AAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestPartialRenewal(RenewalPortalCase):
    """On the customer's page, a contract with several lines is renewed in
    part: the lines ticked stay, each line left out has its reason; the
    salesperson sees the choice and may put a line back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls.contracts["SH-A1"]
        cls.line_1, cls.line_2 = cls.contract.line_ids.sorted("serial_number")
        cls.order = cls.env["sale.order"]._renewal_generate(cls.contract.line_ids)
        cls.order.write({"signature": SIGNATURE, "signed_by": "Ida"})

    def page(self, path):
        response = self.get(f"{path}/contract/{self.contract.id}")
        self.assertEqual(response.status_code, 200)
        return response.text

    def renew_part(self, **data):
        return self.post(self.path_customer, self.contract, action="renew_part", **data)

    def test_the_form_on_the_customers_page(self):
        page = self.page(self.path_customer)
        self.assertIn('id="o_renewal_part_form"', page)
        for line in (self.line_1, self.line_2):
            self.assertRegex(
                page, rf'form="o_renewal_part_form"[^>]*name="keep_{line.id}"'
            )
            self.assertIn(f'name="reason_{line.id}"', page)
        form = re.search(r'<form id="o_renewal_part_form".*?</form>', page, re.S)
        self.assertIn('name="csrf_token"', form.group(0))
        # Not on the sales view, nor for a contract with one line to renew.
        self.assertNotIn("o_renewal_part_form", self.page(self.path_seller))
        self.line_2._cancel(self.reason)
        self.assertNotIn("o_renewal_part_form", self.page(self.path_customer))

    def test_every_line_left_out_needs_a_reason(self):
        response = self.renew_part(**{f"keep_{self.line_1.id}": "on"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please choose why you leave out SH-A1-SN2.", response.text)
        response = self.renew_part(
            **{
                f"reason_{self.line_1.id}": self.reason.id,
                f"reason_{self.line_2.id}": self.reason.id,
            }
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please tick at least one line to renew.", response.text)
        self.assertFalse(self.contract.line_ids.filtered("is_cancelled"))
        self.assertEqual(self.order.order_line.renewal_line_id, self.contract.line_ids)
        self.assertTrue(self.order.signature)

    def test_renew_in_part_then_undo(self):
        amount = self.order.amount_untaxed
        response = self.renew_part(
            **{
                f"keep_{self.line_1.id}": "on",
                f"reason_{self.line_1.id}": self.other_reason.id,
                f"reason_{self.line_2.id}": self.reason.id,
            }
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=renewed_in_part", response.headers["Location"])
        self.env.invalidate_all()
        self.assertTrue(self.line_2.is_cancelled)
        self.assertTrue(self.line_2.customer_left_out)
        self.assertEqual(self.line_2.cancel_reason_id, self.reason)
        self.assertFalse(self.line_1.is_cancelled)
        self.assertEqual(self.order.order_line.renewal_line_id, self.line_1)
        self.assertLess(self.order.amount_untaxed, amount)
        self.assertFalse(self.order.signature)
        chatter = self.contract.message_ids.filtered(
            lambda message: "leaves out" in message.body
        )
        self.assertEqual(chatter.author_id, self.customer)
        self.assertIn("SH-A1-SN2 (Reach reason)", chatter.body)
        # The customer sees the line black, with their reason.
        page = self.page(self.path_customer)
        row = re.search(r'<tr data-serial="SH-A1-SN2".*?</tr>', page, re.S).group(0)
        self.assertIn("o_renewal_left_out", row)
        self.assertIn("o_renewal_status_cancelled text-bg-dark", row)
        self.assertIn("Left out by you:", row)
        self.assertIn("Reach reason", row)
        # The salesperson sees the choice and may undo it.
        page = self.page(self.path_seller)
        row = re.search(r'<tr data-serial="SH-A1-SN2".*?</tr>', page, re.S).group(0)
        self.assertIn("Left out by the customer:", row)
        self.assertIn('value="undo_part"', row)
        response = self.post(
            self.path_seller, self.contract, action="undo_part", line_id=self.line_2.id
        )
        self.assertEqual(response.status_code, 303)
        self.env.invalidate_all()
        self.assertFalse(self.line_2.is_cancelled)
        self.assertFalse(self.line_2.customer_left_out)
        self.assertEqual(self.order.order_line.renewal_line_id, self.contract.line_ids)
        self.assertTrue(
            self.contract.message_ids.filtered(
                lambda message: (
                    message.author_id == self.seller_1 and "put back" in message.body
                )
            )
        )

    def test_undo_only_for_the_customers_choice_within_reach(self):
        self.renew_part(
            **{
                f"keep_{self.line_1.id}": "on",
                f"reason_{self.line_2.id}": self.reason.id,
            }
        )
        self.assertTrue(self.line_2.customer_left_out)
        # The customer's link does not undo; a sales link that does not
        # reach the contract finds nothing.
        response = self.post(
            self.path_customer,
            self.contract,
            action="undo_part",
            line_id=self.line_2.id,
        )
        self.assertEqual(response.status_code, 403)
        other = self.env["renewal.portal.link"]._issue(
            self.customer, "sales", holder=self.seller_2
        )[1]
        response = self.post(
            self._path(other), self.contract, action="undo_part", line_id=self.line_2.id
        )
        self.assertEqual(response.status_code, 404)
        self.assertTrue(self.line_2.customer_left_out)
        # A line cancelled by the vendor is no customer's choice to undo.
        self.line_1._cancel(self.other_reason)
        response = self.post(
            self.path_seller, self.contract, action="undo_part", line_id=self.line_1.id
        )
        self.assertEqual(response.status_code, 400)
        self.line_1.invalidate_recordset()
        self.assertTrue(self.line_1.is_cancelled)

    @mute_logger("odoo.http")
    def test_csrf(self):
        response = self.url_open(
            f"{self.path_customer}/contract/{self.contract.id}/do",
            data={
                "action": "renew_part",
                f"keep_{self.line_1.id}": "on",
                f"reason_{self.line_2.id}": self.reason.id,
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.line_2.is_cancelled)
