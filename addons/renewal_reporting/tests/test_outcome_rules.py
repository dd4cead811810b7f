from datetime import date
from itertools import product

from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tools import SQL

from ..tools import outcome as rules

TODAY = date(2026, 6, 15)
DUE = (date(2026, 6, 14), TODAY, date(2026, 6, 16))
RENEWED_ON = (None, date(2026, 6, 1), TODAY, date(2026, 6, 20))


def cases():
    """Every combination of the rules' inputs around today."""
    for due, renewed, renewed_on, cancelled in product(
        DUE, (False, True), RENEWED_ON, (False, True)
    ):
        yield due, renewed, renewed_on if renewed else None, cancelled


class TestOutcomeRules(BaseCase):
    """The outcome of a renewal period, in Python."""

    def test_rules(self):
        outcome = rules.line_outcome
        self.assertEqual(outcome(DUE[0], TODAY), rules.OVERDUE)
        self.assertEqual(outcome(TODAY, TODAY), rules.OPEN)  # due today
        self.assertEqual(outcome(DUE[0], TODAY, cancelled=True), rules.LOST)
        renewed = {"renewed": True}
        self.assertEqual(
            outcome(TODAY, TODAY, renewed_date=TODAY, **renewed),
            rules.RENEWED_ON_TIME,
        )
        self.assertEqual(
            outcome(TODAY, TODAY, renewed_date=DUE[2], **renewed), rules.RENEWED_LATE
        )
        # A renewal on an unknown day is on time; a renewal before a later
        # cancellation of the contract stays a renewal.
        self.assertEqual(outcome(DUE[0], TODAY, **renewed), rules.RENEWED_ON_TIME)
        self.assertEqual(
            outcome(DUE[0], TODAY, cancelled=True, renewed_date=DUE[2], **renewed),
            rules.RENEWED_LATE,
        )


@tagged("post_install", "-at_install")
class TestOutcomeSql(TransactionCase):
    """The SQL of the outcome rules gives what the Python gives."""

    def test_sql_agrees_with_python(self):
        rows = list(cases())
        values = SQL(", ").join(
            SQL(
                "(%s, CAST(%s AS date), %s, CAST(%s AS date), %s)",
                index,
                due,
                renewed,
                renewed_on,
                cancelled,
            )
            for index, (due, renewed, renewed_on, cancelled) in enumerate(rows)
        )
        args = {
            "date_end": SQL("due"),
            "today": TODAY,
            "renewed": SQL("renewed"),
            "renewed_date": SQL("renewed_on"),
            "cancelled": SQL("cancelled"),
        }
        groups = {
            "renewed": rules.RENEWED,
            "decided": rules.DECIDED,
            "lost": [rules.LOST],
            "open": [rules.OPEN],
        }
        self.env.cr.execute(
            SQL(
                "SELECT i, %s, %s FROM (VALUES %s) AS t(i, due, renewed, "
                "renewed_on, cancelled) ORDER BY i",
                rules.outcome_sql(**args),
                SQL(", ").join(
                    rules.outcome_in_sql(outcomes, **args)
                    for outcomes in groups.values()
                ),
                values,
            )
        )
        for (index, outcome, *flags), (due, renewed, renewed_on, cancelled) in zip(
            self.env.cr.fetchall(), rows, strict=True
        ):
            expected = rules.line_outcome(
                due,
                TODAY,
                renewed=renewed,
                renewed_date=renewed_on,
                cancelled=cancelled,
            )
            with self.subTest(case=index):
                self.assertEqual(outcome, expected)
                self.assertEqual(
                    dict(zip(groups, flags, strict=True)),
                    {name: expected in wanted for name, wanted in groups.items()},
                )

    def test_settled_then_today_agrees_with_python(self):
        """The materialized view stores the settled outcome; the query adds
        the day's: together, the outcome of the rules."""
        rows = list(cases())
        values = SQL(", ").join(
            SQL(
                "(%s, CAST(%s AS date), %s, CAST(%s AS date), %s)",
                index,
                due,
                renewed,
                renewed_on,
                cancelled,
            )
            for index, (due, renewed, renewed_on, cancelled) in enumerate(rows)
        )
        settled = rules.settled_outcome_sql(
            SQL("due"), SQL("renewed"), SQL("renewed_on"), SQL("cancelled")
        )
        groups = {
            "renewed": rules.RENEWED,
            "decided": rules.DECIDED,
            "lost": [rules.LOST],
            "open": [rules.OPEN],
            "overdue": [rules.OVERDUE],
        }
        self.env.cr.execute(
            SQL(
                "SELECT i, settled, %s, %s FROM (SELECT i, due, %s AS settled "
                "FROM (VALUES %s) AS t(i, due, renewed, renewed_on, cancelled)) "
                "AS s ORDER BY i",
                rules.outcome_from_settled_sql(SQL("settled"), SQL("due"), TODAY),
                SQL(", ").join(
                    rules.outcome_in_settled_sql(
                        outcomes, SQL("settled"), SQL("due"), TODAY
                    )
                    for outcomes in groups.values()
                ),
                settled,
                values,
            )
        )
        for (index, stored, outcome, *flags), (
            due,
            renewed,
            renewed_on,
            cancelled,
        ) in zip(self.env.cr.fetchall(), rows, strict=True):
            expected = rules.line_outcome(
                due,
                TODAY,
                renewed=renewed,
                renewed_date=renewed_on,
                cancelled=cancelled,
            )
            with self.subTest(case=index):
                self.assertEqual(outcome, expected)
                self.assertEqual(
                    stored, expected if expected in rules.SETTLED else None
                )
                self.assertEqual(
                    dict(zip(groups, flags, strict=True)),
                    {name: expected in wanted for name, wanted in groups.items()},
                )
