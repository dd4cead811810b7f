from datetime import date, timedelta

from odoo.tests import BaseCase, TransactionCase, tagged
from odoo.tools import SQL

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


@tagged("post_install", "-at_install")
class TestStatusRulesSql(TransactionCase):
    """The SQL of the rules, evaluated by PostgreSQL on a matrix of cases,
    gives what the Python rules give: the refresh and the computes cannot
    drift apart."""

    def evaluate(self, expression, columns, rows):
        """``expression`` evaluated on each of ``rows``, a VALUES table
        ``t(i, *columns)`` whose columns are typed by ``columns`` (name,
        ``SQL`` type); returns the results in the order of ``rows``."""
        names = SQL(", ").join(SQL.identifier(name) for name, _type in columns)
        values = SQL(", ").join(
            SQL(
                "(%s, %s)",
                index,
                SQL(", ").join(
                    SQL("%s::%s", value, type_)
                    for value, (_name, type_) in zip(row, columns, strict=True)
                ),
            )
            for index, row in enumerate(rows)
        )
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM (VALUES %s) AS t(i, %s) ORDER BY i",
                expression,
                values,
                names,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def test_line_rules(self):
        flags = (False, True, None)  # None: a NULL column
        rows = [
            (D + timedelta(days=offset), due_days, cancelled, renewed)
            for due_days in (0, 1, 30, 90)
            for offset in sorted(
                {-400, -2, -1, 0, 1, due_days - 1, due_days, due_days + 1, 400}
            )
            for cancelled in flags
            for renewed in flags
        ]
        columns = [
            ("date_end", SQL("date")),
            ("due_days", SQL("int")),
            ("cancelled", SQL("boolean")),
            ("renewed", SQL("boolean")),
        ]
        results = self.evaluate(
            rules.line_status_sql(
                SQL("t.date_end"),
                D,
                SQL("t.due_days"),
                cancelled=SQL("t.cancelled"),
                renewed=SQL("t.renewed"),
            ),
            columns,
            rows,
        )
        # A line that cannot be cancelled (a contract's own dates).
        uncancellable = self.evaluate(
            rules.line_status_sql(
                SQL("t.date_end"), D, SQL("t.due_days"), renewed=SQL("t.renewed")
            ),
            columns,
            rows,
        )
        for row, result, own in zip(rows, results, uncancellable, strict=True):
            date_end, due_days, cancelled, renewed = row
            with self.subTest(row=row):
                self.assertEqual(
                    result,
                    rules.line_status(
                        date_end,
                        D,
                        due_days,
                        cancelled=bool(cancelled),
                        renewed=bool(renewed),
                    ),
                )
                self.assertEqual(
                    own, rules.line_status(date_end, D, due_days, renewed=bool(renewed))
                )
        # The window as a parameter rather than a column.
        for due_days in (0, 90):
            by_param = self.evaluate(
                rules.line_status_sql(SQL("t.date_end"), D, due_days),
                columns,
                rows,
            )
            self.assertEqual(
                by_param,
                [rules.line_status(row[0], D, due_days) for row in rows],
                due_days,
            )
        # Every status is reached: the matrix covers each rule.
        self.assertEqual(
            set(results), {rules.OVERDUE, rules.DUE, rules.LIVE, rules.CANCELLED}
        )

    def test_contract_rules(self):
        statuses = (rules.OVERDUE, rules.DUE, rules.LIVE, rules.CANCELLED)
        # Every set of line statuses, in order of urgency and reversed, and
        # a contract without lines both ways: an empty array, or NULL (no
        # row in a left join).
        line_sets = [
            [status for bit, status in enumerate(statuses) if mask >> bit & 1]
            for mask in range(1 << len(statuses))
        ]
        line_sets += [list(reversed(line_set)) for line_set in line_sets]
        line_sets += [None, [rules.DUE, rules.DUE, rules.CANCELLED]]
        rows = [
            (line_set, cancelled, D + timedelta(days=offset), renewed)
            for line_set in line_sets
            for cancelled in (False, True, None)
            for offset in (-1, 0, 90, 91)
            for renewed in (False, True)
        ]
        columns = [
            ("statuses", SQL("varchar[]")),
            ("cancelled", SQL("boolean")),
            ("date_end", SQL("date")),
            ("renewed", SQL("boolean")),
        ]
        results = self.evaluate(
            rules.contract_status_sql(
                SQL("t.statuses"),
                cancelled=SQL("t.cancelled"),
                own_status=rules.line_status_sql(
                    SQL("t.date_end"), D, 90, renewed=SQL("t.renewed")
                ),
            ),
            columns,
            rows,
        )
        plain = self.evaluate(
            rules.contract_status_sql(SQL("t.statuses")), columns, rows
        )
        for row, result, plain_result in zip(rows, results, plain, strict=True):
            line_set, cancelled, date_end, renewed = row
            with self.subTest(row=row):
                own = rules.line_status(date_end, D, 90, renewed=renewed)
                self.assertEqual(
                    result,
                    rules.contract_status(
                        line_set or [], cancelled=bool(cancelled), own_status=own
                    ),
                )
                self.assertEqual(plain_result, rules.contract_status(line_set or []))
        self.assertEqual(set(results), set(statuses))
