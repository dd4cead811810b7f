from odoo.tests import Form, tagged

from .common import RenewalCase, days


@tagged("post_install", "-at_install")
class TestContractStatus(RenewalCase):
    """Statuses as a back-office user sees them after typing a contract."""

    def test_line_boundaries(self):
        expected = {
            -1: "overdue",  # ended yesterday
            0: "due",  # ends today
            1: "due",  # ends tomorrow
            90: "due",  # first day of the amber window
            91: "live",  # the day before the window opens
        }
        for offset, status in expected.items():
            with self.subTest(offset=offset):
                contract = self.make_contract(ends=[offset])
                self.assertEqual(contract.line_ids.status, status)
                self.assertEqual(contract.status, status)

    def test_mixed_lines_take_most_urgent(self):
        contract = self.make_contract(ends=[-5, 30, 400])
        self.assertEqual(contract.line_ids.mapped("status"), ["overdue", "due", "live"])
        self.assertEqual(contract.status, "overdue")
        self.assertEqual(contract.next_expiry_date, days(-5))
        # Cancelling the overdue line leaves the amber one in charge.
        contract.line_ids[0]._cancel(self.reason)
        self.assertEqual(contract.line_ids[0].status, "cancelled")
        self.assertEqual(contract.status, "due")
        self.assertEqual(contract.next_expiry_date, days(30))

    def test_all_lines_cancelled_is_black(self):
        contract = self.make_contract(ends=[200, 300])
        contract.line_ids._cancel(self.reason)
        self.assertEqual(contract.status, "cancelled")
        self.assertFalse(contract.is_cancelled)

    def test_cancel_contract_and_reopen(self):
        contract = self.make_contract(ends=[-3, 50])
        contract.line_ids[1]._cancel(self.reason)
        wizard = (
            self.env["renewal.contract.cancel"]
            .with_context(active_model="renewal.contract", active_ids=contract.ids)
            .create({"reason_id": self.reason.id, "note": "Site closed"})
        )
        wizard.action_confirm()
        self.assertTrue(contract.is_cancelled)
        self.assertEqual(contract.cancel_reason_id, self.reason)
        self.assertEqual(contract.status, "cancelled")
        self.assertEqual(set(contract.line_ids.mapped("status")), {"cancelled"})
        self.assertIn("Site closed", contract.message_ids[0].body)
        contract.with_user(self.manager).action_reopen()
        self.assertFalse(contract.is_cancelled)
        # The line cancelled on its own stays cancelled; the other is back.
        self.assertEqual(contract.line_ids.mapped("status"), ["overdue", "cancelled"])
        self.assertEqual(contract.status, "overdue")

    def test_renewed_line_is_not_overdue(self):
        contract = self.make_contract(ends=[-10, 200])
        successor = self.make_contract(ends=[355])
        contract.line_ids[0].successor_line_id = successor.line_ids
        self.assertTrue(contract.line_ids[0].is_renewed)
        self.assertEqual(contract.line_ids[0].status, "live")
        self.assertEqual(contract.status, "live")
        # Renewing the whole contract covers every line.
        other = self.make_contract(ends=[-10, 20])
        other.successor_id = successor
        self.assertTrue(other.is_renewed)
        self.assertEqual(set(other.line_ids.mapped("status")), {"live"})
        self.assertEqual(other.status, "live")
        self.assertIn(other, successor.predecessor_ids)

    def test_warranty_only_flag(self):
        contract = self.make_contract(ends=[20, 200])
        self.assertFalse(contract.warranty_only)
        contract.line_ids.service_level_id = self.level_warranty
        self.assertTrue(all(contract.line_ids.mapped("warranty_only")))
        self.assertTrue(contract.warranty_only)
        # Warranty-only lines keep their colour.
        self.assertEqual(contract.status, "due")
        contract.line_ids[0].warranty_only = False
        self.assertFalse(contract.warranty_only)

    def test_consolidated_flag(self):
        target = self.make_contract(ends=[300])
        source = self.make_contract(ends=[100])
        source.consolidated_into_id = target
        self.assertTrue(source.is_consolidated)
        self.assertEqual(target.consolidated_ids, source)
        self.assertEqual(source.status, "live")

    def test_contract_without_lines_uses_own_dates(self):
        contract = self.make_contract(ends=[], date_start=days(-400), date_end=days(-2))
        self.assertEqual(contract.status, "overdue")
        contract.date_end = days(60)
        self.assertEqual(contract.status, "due")

    def test_company_window(self):
        contract = self.make_contract(ends=[45])
        self.assertEqual(contract.status, "due")
        self.company.renewal_due_days = 30
        self.assertEqual(contract.line_ids.status, "live")
        self.assertEqual(contract.status, "live")

    def test_form_lines_default_from_contract(self):
        form = Form(self.env["renewal.contract"])
        form.name = "FORM-1"
        form.partner_id = self.customer_contact
        self.assertEqual(
            form.partner_id, self.customer, "a contact becomes its company"
        )
        form.date_start = days(-10)
        form.date_end = days(355)
        form.service_level_id = self.level
        form.reseller_id = self.reseller
        self.assertEqual(form.distributor_id, self.distributor)
        with form.line_ids.new() as line:
            line.product_id = self.product
            line.serial_number = "FORM-SN-1"
        contract = form.save()
        self.assertEqual(contract.line_ids.date_start, days(-10))
        self.assertEqual(contract.line_ids.date_end, days(355))
        self.assertEqual(contract.line_ids.service_level_id, self.level)
        self.assertEqual(contract.status, "live")

    def test_lines_created_alone_take_contract_defaults(self):
        contract = self.make_contract(
            ends=[], date_end=days(120), service_level_id=self.level.id
        )
        line = self.env["renewal.contract.line"].create(
            {"contract_id": contract.id, "product_id": self.product.id}
        )
        self.assertEqual(line.date_end, days(120))
        self.assertEqual(line.service_level_id, self.level)
        self.assertEqual(line.status, "live")

    def test_amount_excludes_cancelled(self):
        contract = self.make_contract(ends=[100, 200])
        contract.line_ids[0].renewal_price = 150.0
        contract.line_ids[1].quantity = 2
        self.assertEqual(contract.amount_renewal, 150.0 + 2 * 100.0)
        contract.line_ids[1]._cancel(self.reason)
        self.assertEqual(contract.amount_renewal, 150.0)

    def test_kanban_groups_show_all_colours(self):
        self.make_contract(ends=[200])
        groups = self.env["renewal.contract"].read_group(
            [("id", "=", 0)], ["status"], ["status"]
        )
        self.assertEqual(
            [group["status"] for group in groups],
            ["overdue", "due", "live", "cancelled"],
        )

    def test_copy_keeps_lines_not_number(self):
        contract = self.make_contract(ends=[100, 200])
        copy = contract.copy({"name": "T-COPY"})
        self.assertEqual(len(copy.line_ids), 2)
        self.assertEqual(
            copy.line_ids.mapped("serial_number"),
            contract.line_ids.mapped("serial_number"),
        )
        self.assertEqual(
            copy.line_ids.mapped("date_end"), contract.line_ids.mapped("date_end")
        )
        self.assertNotEqual(copy.line_ids, contract.line_ids)
        self.assertEqual(copy.line_ids.contract_id, copy)
        self.assertFalse(copy.is_cancelled)
        self.assertEqual(
            self.env["renewal.contract.line"].search_count(
                [("contract_id", "=", copy.id)]
            ),
            2,
        )
