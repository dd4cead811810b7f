from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import tagged

from ..models.renewal_contract import EVENT_BATCH
from .common import QuoteCase, days


@tagged("post_install", "-at_install")
class TestRenewalEvents(QuoteCase):
    """``renewal.contract._renewal_notify_event``: called when a renewal
    quotation is issued, renewed or lost and when a contract's colour
    changes, with the contracts concerned, and never when nothing
    happened."""

    @contextmanager
    def events(self):
        """Record each call of the hook as ``(event, contracts, order)``."""
        calls = []

        def record(contracts, event, order=None):
            calls.append((event, contracts, order))

        Contract = type(self.env["renewal.contract"])
        with patch.object(Contract, "_renewal_notify_event", record):
            yield calls

    def test_quotation_issued_then_renewed(self):
        first = self.make_contract(ends=[30])
        second = self.make_contract(ends=[60])
        with self.events() as calls:
            order = self.quote(first | second)
        issued = [call for call in calls if call[0] == "quotation_issued"]
        self.assertEqual(issued, [("quotation_issued", first | second, order)])
        with self.events() as calls:
            self.assertFalse(self.quote(first | second))
        self.assertFalse(calls, "nothing quoted, nothing told")
        with self.events() as calls:
            order.action_confirm()
        renewed = [call for call in calls if call[0] == "renewed"]
        self.assertEqual(renewed, [("renewed", first | second, order)])
        with self.events() as calls:
            order._renewal_renew_lines()
        self.assertFalse(calls, "renewed already: nothing renews twice")

    def test_quotation_lost(self):
        contract = self.make_contract(ends=[30])
        order = self.quote(contract)
        with self.events() as calls:
            order.renewal_lost_reason_id = self.reason
            order.action_cancel()
        self.assertIn(("lost", contract, order), calls)
        self.assertEqual(contract.line_ids.status, "cancelled")
        with self.events() as calls:
            order.action_cancel()
        self.assertNotIn("lost", [call[0] for call in calls])

    def test_contract_cancelled_is_lost(self):
        contract = self.make_contract(ends=[30])
        with self.events() as calls:
            contract._cancel(self.reason)
        self.assertIn(("lost", contract, None), calls)
        with self.events() as calls:
            contract._cancel(self.reason)
        self.assertNotIn("lost", [call[0] for call in calls])

    def test_status_changed_in_the_orm(self):
        with self.events() as calls:
            contract = self.make_contract(ends=[200])
            self.assertEqual(contract.status, "live")
        self.assertFalse(calls, "a new contract has no change of status")
        with self.events() as calls:
            contract.line_ids.date_end = days(300)
            contract.note = "<p>Still live</p>"
            self.assertEqual(contract.status, "live")
        self.assertFalse(calls, "recomputed, but the colour is the same")
        with self.events() as calls:
            contract.line_ids.date_end = days(30)
            self.assertEqual(contract.status, "due")
        self.assertEqual(calls, [("status_changed", contract, None)])

    def test_status_changed_in_the_refresh(self):
        contract = self.make_contract(ends=[200])
        self.assertEqual(contract.status, "live")
        Contract = self.env["renewal.contract"]
        with self.events() as calls:
            Contract._refresh_status(today=days(120), companies=self.company)
        self.assertEqual(contract.status, "due")
        self.assertEqual({call[0] for call in calls}, {"status_changed"})
        changed = Contract.union(*(call[1] for call in calls))
        self.assertIn(contract, changed)
        self.assertTrue(all(len(call[1]) <= EVENT_BATCH for call in calls))
        with self.events() as calls:
            Contract._refresh_status(today=days(120), companies=self.company)
        self.assertFalse(calls, "a second refresh the same day changes nothing")
