from datetime import date, timedelta

from odoo.tests import BaseCase, tagged

from ..tools import status as rules

D = date(2026, 3, 1)


@tagged("post_install", "-at_install")
class TestStatusRules(BaseCase):
    """The colour rules themselves, without the ORM."""

    def test_line_boundaries(self):
        cases = [
            (-1, rules.OVERDUE),  # ended yesterday
            (0, rules.DUE),  # ends today: still live, last amber day
            (1, rules.DUE),  # ends tomorrow
            (90, rules.DUE),  # first day of the 90-day window
            (91, rules.LIVE),  # one day before the window
            (400, rules.LIVE),
        ]
        for offset, expected in cases:
            with self.subTest(offset=offset):
                self.assertEqual(
                    rules.line_status(D + timedelta(days=offset), D, 90), expected
                )

    def test_line_flags(self):
        past = D - timedelta(days=10)
        self.assertEqual(
            rules.line_status(past, D, 90, cancelled=True), rules.CANCELLED
        )
        self.assertEqual(rules.line_status(past, D, 90, renewed=True), rules.LIVE)
        # Cancelled wins over renewed.
        self.assertEqual(
            rules.line_status(past, D, 90, cancelled=True, renewed=True),
            rules.CANCELLED,
        )

    def test_window_zero(self):
        self.assertEqual(rules.line_status(D, D, 0), rules.DUE)
        self.assertEqual(rules.line_status(D + timedelta(days=1), D, 0), rules.LIVE)

    def test_contract_most_urgent(self):
        S = rules
        self.assertEqual(S.contract_status([S.LIVE, S.OVERDUE, S.DUE]), S.OVERDUE)
        self.assertEqual(S.contract_status([S.LIVE, S.DUE]), S.DUE)
        self.assertEqual(S.contract_status([S.LIVE, S.CANCELLED]), S.LIVE)
        self.assertEqual(S.contract_status([S.CANCELLED, S.CANCELLED]), S.CANCELLED)
        self.assertEqual(S.contract_status([S.LIVE], cancelled=True), S.CANCELLED)
        self.assertEqual(S.contract_status([], own_status=S.OVERDUE), S.OVERDUE)
