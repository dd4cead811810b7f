"""The outcome of a renewal period, free of the ORM.

One covered line is one renewal period: it ends on its coverage end (the
renewal's due date), and it was renewed (a successor line continues it, or
its contract was renewed as a whole), lost (the line or its contract was
cancelled), or neither yet. The rules are written once, in ``RULES`` (first
match wins); ``line_outcome`` applies them in Python and ``outcome_sql``
turns the same table into the SQL ``CASE`` of the analysis
(``renewal.report``).
"""

from odoo.tools import SQL

RENEWED_ON_TIME = "renewed_on_time"  # confirmed on or before the due date
RENEWED_LATE = "renewed_late"  # confirmed after the due date
LOST = "lost"  # cancelled, not renewed
OVERDUE = "overdue"  # due date passed, neither renewed nor lost
OPEN = "open"  # not yet due, neither renewed nor lost

SELECTION = [
    (RENEWED_ON_TIME, "Renewed on Time"),
    (RENEWED_LATE, "Renewed Late"),
    (LOST, "Lost"),
    (OVERDUE, "Overdue"),
    (OPEN, "Open"),
]

RENEWED = (RENEWED_ON_TIME, RENEWED_LATE)
# The lines a renewal rate counts: decided, or due and not decided.
DECIDED = (RENEWED_ON_TIME, RENEWED_LATE, LOST, OVERDUE)

# (test, outcome), first match wins, else DEFAULT. A renewal confirmed is a
# renewal even when the contract was cancelled later (the lines that renewed
# it are the ones lost then). A renewal without a known date (renewed before
# the date was recorded) counts as on time: nothing says it was late.
RULES = (
    ("renewed_late", RENEWED_LATE),
    ("renewed", RENEWED_ON_TIME),
    ("cancelled", LOST),
    ("ended", OVERDUE),
)
DEFAULT = OPEN


def line_outcome(date_end, today, renewed=False, renewed_date=None, cancelled=False):
    """The outcome of one renewal period.

    :param date date_end: last day of coverage (the due date)
    :param date today: the reference day
    :param bool renewed: the coverage continues in a successor
    :param date renewed_date: the day the renewal was confirmed, if known
    :param bool cancelled: the line or its contract is cancelled
    """
    tests = {
        "renewed_late": renewed and bool(renewed_date) and renewed_date > date_end,
        "renewed": renewed,
        "cancelled": cancelled,
        "ended": date_end < today,
    }
    for test, outcome in RULES:
        if tests[test]:
            return outcome
    return DEFAULT


def _tests_sql(date_end, today, renewed, renewed_date, cancelled):
    return {
        "renewed_late": SQL(
            "COALESCE(%s AND %s > %s, FALSE)", renewed, renewed_date, date_end
        ),
        "renewed": renewed,
        "cancelled": cancelled,
        "ended": SQL("%s < %s", date_end, today),
    }


def outcome_sql(date_end, today, renewed, renewed_date, cancelled):
    """SQL expression of ``line_outcome``, on the same rules; each argument
    but ``today`` (a parameter) is an ``SQL`` expression."""
    tests = _tests_sql(date_end, today, renewed, renewed_date, cancelled)
    return SQL(
        "CASE %s ELSE %s END",
        SQL(" ").join(
            SQL("WHEN %s THEN %s", tests[test], outcome) for test, outcome in RULES
        ),
        DEFAULT,
    )


def outcome_in_sql(outcomes, date_end, today, renewed, renewed_date, cancelled):
    """SQL condition that the outcome is one of ``outcomes``, on the same
    rules, as plain boolean tests (cheaper on a million rows than comparing
    the ``CASE`` of ``outcome_sql`` with strings). The tests must not be
    NULL (wrap a nullable one in ``COALESCE``)."""
    tests = _tests_sql(date_end, today, renewed, renewed_date, cancelled)
    wanted = set(outcomes)
    everything = {outcome for _test, outcome in RULES} | {DEFAULT}
    if len(wanted) > len(everything) / 2:
        return SQL(
            "NOT %s",
            outcome_in_sql(
                everything - wanted, date_end, today, renewed, renewed_date, cancelled
            ),
        )
    branches, before = [], []
    for test, outcome in RULES:
        if outcome in wanted:
            branches.append(SQL(" AND ").join([*before, tests[test]]))
        before.append(SQL("NOT %s", tests[test]))
    if DEFAULT in wanted:
        branches.append(SQL(" AND ").join(before))
    if not branches:
        return SQL("FALSE")
    return SQL("(%s)", SQL(" OR ").join(SQL("(%s)", branch) for branch in branches))


# The tests that do not depend on the day: once one of them holds, the
# outcome is settled for good (stored by the analysis' materialized view);
# the others ("ended") are read against today, when the analysis is queried.
SETTLED_TESTS = ("renewed_late", "renewed", "cancelled")
SETTLED = tuple(outcome for test, outcome in RULES if test in SETTLED_TESTS)


def settled_outcome_sql(date_end, renewed, renewed_date, cancelled):
    """SQL expression of the settled outcome of a line (renewed on time,
    renewed late or lost), NULL while it is neither, on the rules of
    ``RULES``. The settled tests come first in ``RULES``, so
    ``outcome_from_settled_sql`` of this gives ``outcome_sql``."""
    tests = _tests_sql(date_end, None, renewed, renewed_date, cancelled)
    return SQL(
        "CASE %s END",
        SQL(" ").join(
            SQL("WHEN %s THEN %s", tests[test], outcome)
            for test, outcome in RULES
            if test in SETTLED_TESTS
        ),
    )


def _day_tests_sql(date_end, today):
    return {"ended": SQL("%s < %s", date_end, today)}


def outcome_from_settled_sql(settled, date_end, today):
    """SQL expression of the outcome from the settled one (``settled``, an
    SQL expression, NULL when not settled) and today."""
    tests = _day_tests_sql(date_end, today)
    return SQL(
        "COALESCE(%s, CASE %s ELSE %s END)",
        settled,
        SQL(" ").join(
            SQL("WHEN %s THEN %s", tests[test], outcome)
            for test, outcome in RULES
            if test not in SETTLED_TESTS
        ),
        DEFAULT,
    )


def outcome_in_settled_sql(outcomes, settled, date_end, today):
    """SQL condition that the outcome (from ``settled`` and today, as in
    ``outcome_from_settled_sql``) is one of ``outcomes``; never NULL."""
    wanted = set(outcomes)
    branches = []
    settled_wanted = [outcome for outcome in SETTLED if outcome in wanted]
    if len(settled_wanted) == len(SETTLED):
        branches.append(SQL("%s IS NOT NULL", settled))
    elif settled_wanted:
        branches.append(SQL("%s IN %s", settled, tuple(settled_wanted)))
    tests = _day_tests_sql(date_end, today)
    before = [SQL("%s IS NULL", settled)]
    for test, outcome in RULES:
        if test in SETTLED_TESTS:
            continue
        if outcome in wanted:
            branches.append(SQL(" AND ").join([*before, tests[test]]))
        before.append(SQL("NOT %s", tests[test]))
    if DEFAULT in wanted:
        branches.append(SQL(" AND ").join(before))
    if not branches:
        return SQL("FALSE")
    return SQL(
        "COALESCE(%s, FALSE)",
        SQL(" OR ").join(SQL("(%s)", branch) for branch in branches),
    )
