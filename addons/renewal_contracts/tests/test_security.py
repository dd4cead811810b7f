from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import RenewalCase


@tagged("post_install", "-at_install")
class TestSecurity(RenewalCase):
    """Who may do what, and who sees which company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls.make_contract(ends=[30, 200])
        cls.employee = new_test_user(
            cls.env, login="plain_employee", groups="base.group_user"
        )

    def test_user_rights(self):
        Contract = self.env["renewal.contract"].with_user(self.user)
        contract = Contract.create(
            {
                "name": "U-1",
                "partner_id": self.customer.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
            }
        )
        contract.write({"customer_po_number": "PO-1"})
        self.assertEqual(contract.customer_po_number, "PO-1")
        self.env["renewal.contract.line"].with_user(self.user).create(
            {"contract_id": contract.id, "product_id": self.product.id}
        )
        with self.assertRaises(AccessError):
            contract.unlink()
        with self.assertRaises(AccessError):
            self.env["renewal.service.level"].with_user(self.user).create({"name": "X"})
        with self.assertRaises(AccessError):
            self.env["renewal.cancel.reason"].with_user(self.user).create({"name": "X"})
        with self.assertRaises(AccessError):
            self.env["renewal.status.refresh"].with_user(self.user).search([])
        # A user may cancel, with a reason, but not re-open.
        contract._cancel(self.reason.with_user(self.user))
        self.assertTrue(contract.is_cancelled)
        with self.assertRaisesMsg(AccessError, "Only a Renewals Manager"):
            contract.action_reopen()
        # Reading config is fine.
        self.assertTrue(self.level.with_user(self.user).name)

    def test_manager_rights(self):
        contract = self.contract.with_user(self.manager)
        self.env["renewal.service.level"].with_user(self.manager).create(
            {"name": "Platinum"}
        )
        self.env["renewal.status.refresh"].with_user(self.manager).search([])
        contract._cancel(self.reason)
        contract.action_reopen()
        self.assertFalse(contract.is_cancelled)
        contract.unlink()
        self.assertFalse(self.contract.exists())

    def test_reopen_is_manager_only(self):
        """Re-opening is one rule in the model, whatever the way in: the
        button, a plain write over RPC, or code running sudo for a user (as
        the portal does for its public user)."""
        contract = self.make_contract(ends=[30, 200])
        contract._cancel(self.reason)
        line = contract.line_ids[0]
        line._cancel(self.reason)
        as_user = contract.with_user(self.user)
        attempts = {
            "write": lambda: as_user.write({"is_cancelled": False}),
            "action_reopen": as_user.action_reopen,
            "sudo write": lambda: as_user.sudo().write({"is_cancelled": False}),
            "line write": lambda: line.with_user(self.user).write(
                {"is_cancelled": False}
            ),
            "line sudo write": lambda: (
                line.with_user(self.user).sudo().write({"is_cancelled": False})
            ),
            "line action_reopen": line.with_user(self.user).action_reopen,
            "line marked the customer's": lambda: line.with_user(self.user).write(
                {"is_cancelled": False, "customer_left_out": True}
            ),
        }
        for name, attempt in attempts.items():
            with self.subTest(name):
                with self.assertRaisesMsg(AccessError, "Renewals Manager|customer"):
                    attempt()
        self.assertTrue(contract.is_cancelled)
        self.assertTrue(line.is_cancelled)
        # Other writes on a cancelled contract stay open to users.
        as_user.write({"customer_po_number": "PO-9"})
        # A manager re-opens, by write or by the button.
        contract.with_user(self.manager).write({"is_cancelled": False})
        self.assertFalse(contract.is_cancelled)
        line.with_user(self.manager).action_reopen()
        self.assertFalse(line.is_cancelled)
        contract._cancel(self.reason)
        contract.with_user(self.manager).action_reopen()
        self.assertFalse(contract.is_cancelled)
        # The superuser (scheduled actions, scripts) may.
        contract._cancel(self.reason)
        contract.with_user(self.env.ref("base.user_root")).write(
            {"is_cancelled": False}
        )
        self.assertFalse(contract.is_cancelled)

    def test_customer_choice_is_undone_by_salespeople(self):
        """Lines the customer left out are not cancellations to guard: a
        salesperson (a Renewals User selling) puts them back."""
        salesperson = new_test_user(
            self.env,
            login="renewal_security_sales",
            groups="renewal_contracts.renewal_contracts_group_user,"
            "sales_team.group_sale_salesman_all_leads",
        )
        contract = self.make_contract(ends=[30, 200])
        keep, left_out = contract.line_ids
        contract._renew_in_part(keep, {left_out.id: self.reason}, self.customer_contact)
        contract.with_user(salesperson)._undo_renew_in_part(
            left_out, salesperson.partner_id
        )
        self.assertFalse(left_out.is_cancelled)

    def test_employee_without_group_sees_nothing(self):
        with self.assertRaises(AccessError):
            self.env["renewal.contract"].with_user(self.employee).search([])
        with self.assertRaises(AccessError):
            self.contract.with_user(self.employee).read(["name"])
        # The partner smart button hides quietly.
        self.assertEqual(
            self.customer.with_user(self.employee).renewal_contract_count, 0
        )

    def test_multi_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "Vendor B"})
        customer_b = self.env["res.partner"].create(
            {"name": "Customer B", "is_company": True, "company_id": company_b.id}
        )
        contract_b = self.make_contract(
            ends=[50], name="B-1", company_id=company_b.id, partner_id=customer_b.id
        )
        user_a = self.user  # company A only
        self.assertNotIn(
            contract_b, self.env["renewal.contract"].with_user(user_a).search([])
        )
        self.assertFalse(
            self.env["renewal.contract.line"]
            .with_user(user_a)
            .search([("contract_id", "=", contract_b.id)])
        )
        with self.assertRaises(AccessError):
            contract_b.with_user(user_a).read(["name"])
        with self.assertRaises(AccessError):
            contract_b.line_ids.with_user(user_a).read(["serial_number"])
        # A user of both companies sees both, once both are active.
        user_ab = new_test_user(
            self.env,
            login="renewal_user_ab",
            groups="renewal_contracts.renewal_contracts_group_user",
            company_ids=[(6, 0, (self.company | company_b).ids)],
        )
        both = (
            self.env["renewal.contract"]
            .with_user(user_ab)
            .with_context(allowed_company_ids=(self.company | company_b).ids)
        )
        self.assertIn(contract_b, both.search([]))
        self.assertIn(self.contract, both.search([]))
        # A contract cannot mix companies: a customer of company B on a
        # contract of company A is refused.
        with self.assertRaises(UserError):
            self.make_contract(ends=[50], partner_id=customer_b.id)
