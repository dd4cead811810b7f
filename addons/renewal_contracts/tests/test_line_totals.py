from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import tagged

from .common import RenewalCase, days

FIELDS = ("next_expiry_date", "amount_renewal", "warranty_only", "status")


@tagged("post_install", "-at_install")
class TestRecomputeFromLines(RenewalCase):
    """``renewal.contract._recompute_from_lines``: the set-based twin of the
    computes of the fields that follow the lines, for lines written in SQL
    (the feeds). It must write what the ORM's computes write."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        make = cls.make_contract
        cls.overdue = make(ends=[-10, 200])
        cls.due = make(ends=[30, 400])
        cls.live = make(ends=[200, 300])
        cls.empty = make(ends=[], date_end=days(20))
        cls.cancelled = make(ends=[50])
        cls.cancelled._cancel(cls.reason)
        # one line cancelled alone, one renewed, odd amounts and quantities
        cls.mixed = make(ends=[15, 60, 120])
        first, second, third = cls.mixed.line_ids
        first._cancel(cls.reason)
        second.successor_line_id = cls.live.line_ids[0]
        third.write({"quantity": 3, "renewal_price": 33.33})
        # warranty only: every line not cancelled is a warranty line
        cls.warranty = make(ends=[100, 150])
        cls.warranty.line_ids[0].service_level_id = cls.level_warranty
        cls.warranty.line_ids[1]._cancel(cls.reason)
        cls.half_warranty = make(ends=[100, 150])
        cls.half_warranty.line_ids[0].service_level_id = cls.level_warranty
        cls.contracts = (
            cls.overdue
            | cls.due
            | cls.live
            | cls.empty
            | cls.cancelled
            | cls.mixed
            | cls.warranty
            | cls.half_warranty
        )
        cls.env.flush_all()

    @contextmanager
    def events(self):
        calls = []

        def record(contracts, event, order=None):
            calls.append((event, contracts))

        Contract = type(self.env["renewal.contract"])
        with patch.object(Contract, "_renewal_notify_event", record):
            yield calls

    def orm_values(self):
        return {
            contract: tuple(contract[name] for name in FIELDS)
            for contract in self.contracts
        }

    def spoil(self, contracts):
        """Stored values that no compute would give, as SQL leaves them."""
        self.env.cr.execute(
            """
            UPDATE renewal_contract
               SET next_expiry_date = NULL, amount_renewal = -1,
                   warranty_only = NOT warranty_only, status = 'live'
             WHERE id = ANY(%s)
            """,
            [contracts.ids],
        )
        contracts.invalidate_recordset(FIELDS)

    def test_same_values_as_the_computes(self):
        expected = self.orm_values()
        # the cases the computes tell apart are all here
        self.assertEqual(
            set(self.contracts.mapped("status")),
            {"overdue", "due", "live", "cancelled"},
        )
        self.assertEqual(self.empty.next_expiry_date, days(20))
        self.assertTrue(self.warranty.warranty_only)
        self.assertFalse(self.half_warranty.warranty_only)
        self.assertEqual(self.mixed.amount_renewal, 99.99)  # the third line alone
        self.assertEqual(self.mixed.next_expiry_date, days(120))
        self.spoil(self.contracts)
        self.assertNotEqual(self.orm_values(), expected)
        self.contracts._recompute_from_lines()
        self.assertEqual(self.orm_values(), expected)

    def test_status_change_is_an_event_except_for_new_contracts(self):
        self.spoil(self.overdue | self.due | self.live)
        with self.events() as calls:
            changed = self.contracts._recompute_from_lines(created=self.due)
        # 'live' was spoiled to its own status: written, but no change of colour
        self.assertEqual(changed, self.overdue | self.due)
        self.assertEqual(calls, [("status_changed", self.overdue)])
        self.assertEqual(self.live.status, "live")
        self.assertEqual(self.live.next_expiry_date, days(200))

    def test_nothing_to_change_writes_nothing(self):
        self.env.cr.execute(
            "UPDATE renewal_contract SET write_date = '2000-01-01' WHERE id = ANY(%s)",
            [self.contracts.ids],
        )
        self.contracts.invalidate_recordset(["write_date"])
        with self.events() as calls:
            changed = self.contracts._recompute_from_lines()
        self.assertFalse(changed)
        self.assertFalse(calls)
        self.assertEqual(
            set(self.contracts.mapped("write_date")),
            {self.contracts[0].write_date},
        )
        self.assertEqual(self.contracts[0].write_date.year, 2000)
