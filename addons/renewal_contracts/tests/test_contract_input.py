from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import RenewalCase, days


@tagged("post_install", "-at_install")
class TestContractInput(RenewalCase):
    """Bad input gets a clear error naming the contract, line and reason."""

    def test_contract_end_before_start(self):
        with self.assertRaisesMsg(
            ValidationError, r"Contract BAD-1: the end date \(2026-06-14\) is before"
        ):
            self.make_contract(
                ends=[], name="BAD-1", date_start=days(0), date_end=days(-1)
            )

    def test_line_end_before_start(self):
        contract = self.make_contract(ends=[100], name="BAD-2")
        with self.assertRaisesMsg(
            ValidationError, r"Contract BAD-2, line SN-X: the coverage end .* is before"
        ):
            self.env["renewal.contract.line"].create(
                {
                    "contract_id": contract.id,
                    "product_id": self.product.id,
                    "serial_number": "SN-X",
                    "date_start": days(10),
                    "date_end": days(9),
                }
            )

    def test_negative_price(self):
        contract = self.make_contract(ends=[100], name="BAD-3")
        with self.assertRaisesMsg(
            ValidationError,
            r"Contract BAD-3, line SN-.*: the List Price cannot be negative",
        ):
            contract.line_ids.list_price = -1.0
        with self.assertRaisesMsg(ValidationError, "Renewal Price cannot be negative"):
            contract.line_ids.renewal_price = -0.01

    def test_quantity_zero(self):
        contract = self.make_contract(ends=[100], name="BAD-4")
        for quantity in (0, -2):
            with (
                self.subTest(quantity=quantity),
                self.assertRaisesMsg(
                    ValidationError,
                    r"Contract BAD-4, line .*: the quantity must be more than zero",
                ),
            ):
                contract.line_ids.quantity = quantity

    def test_nothing_half_written(self):
        """One bad line in a contract's creation: neither contract nor lines."""
        count = self.env["renewal.contract.line"].search_count([])
        with self.assertRaises(ValidationError):
            self.env["renewal.contract"].create(
                {
                    "name": "BAD-5",
                    "partner_id": self.customer.id,
                    "date_start": days(0),
                    "date_end": days(300),
                    "line_ids": [
                        Command.create(
                            {"product_id": self.product.id, "serial_number": "OK"}
                        ),
                        Command.create({"product_id": self.product.id, "quantity": 0}),
                    ],
                }
            )
        self.assertFalse(self.env["renewal.contract"].search([("name", "=", "BAD-5")]))
        self.assertEqual(self.env["renewal.contract.line"].search_count([]), count)

    def test_contract_number_unique_per_company(self):
        self.make_contract(ends=[100], name="DUP-1")
        other_company = self.env["res.company"].create({"name": "Vendor Two"})
        # Same number in another company is fine.
        self.make_contract(ends=[100], name="DUP-1", company_id=other_company.id)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.make_contract(ends=[100], name="DUP-1")

    def test_end_customer_must_be_commercial(self):
        with self.assertRaisesMsg(
            ValidationError, "not Nordwind Kliniken GmbH, Ina Admin, a contact of"
        ):
            self.make_contract(ends=[10], partner_id=self.customer_contact.id)

    def test_channel_roles(self):
        with self.assertRaisesMsg(ValidationError, "is not marked as a reseller"):
            self.make_contract(ends=[10], reseller_id=self.customer.id)
        with self.assertRaisesMsg(ValidationError, "is not marked as a distributor"):
            self.make_contract(ends=[10], distributor_id=self.reseller.id)
        with self.assertRaisesMsg(ValidationError, "is not a contact of the reseller"):
            self.make_contract(
                ends=[10], reseller_salesperson_id=self.customer_contact.id
            )
        contract = self.make_contract(
            ends=[10],
            reseller_id=self.reseller.id,
            distributor_id=self.distributor.id,
            reseller_salesperson_id=self.reseller_salesperson.id,
        )
        self.assertEqual(contract.reseller_salesperson_id, self.reseller_salesperson)

    def test_cancel_needs_reason(self):
        contract = self.make_contract(ends=[10], name="BAD-6")
        with self.assertRaisesMsg(
            ValidationError, "Contract BAD-6: a cancellation needs a reason"
        ):
            contract.write({"is_cancelled": True})
        with self.assertRaisesMsg(UserError, "needs a reason"):
            contract._cancel(self.env["renewal.cancel.reason"])
        with self.assertRaisesMsg(ValidationError, "a cancellation needs a reason"):
            contract.line_ids.write({"is_cancelled": True})
        self.assertFalse(contract.is_cancelled)
        self.assertFalse(contract.line_ids.is_cancelled)

    def test_self_links_rejected(self):
        contract = self.make_contract(ends=[10], name="BAD-7")
        with self.assertRaisesMsg(
            ValidationError, "cannot be consolidated into itself"
        ):
            contract.consolidated_into_id = contract
        with self.assertRaisesMsg(ValidationError, "cannot renew itself"):
            contract.successor_id = contract

    def test_negative_window(self):
        with self.assertRaisesMsg(
            ValidationError, "renewal window must be zero or more"
        ):
            self.company.renewal_due_days = -1
