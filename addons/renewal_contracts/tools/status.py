"""Renewal status rules, free of the ORM.

The colour of a covered line, and of a contract, is a pure function of a few
values and of "today". Each rule is written once, in the tables below
(``LINE_RULES``, ``CONTRACT_RULES``: first match wins). ``line_status`` and
``contract_status`` apply them in Python (the ORM's computes, tested in
microseconds); ``line_status_sql`` and ``contract_status_sql`` turn the same
tables into the SQL ``CASE`` expressions of the set-based daily refresh
(``renewal.contract._refresh_status``). Only the tests named in a table have
a Python and an SQL spelling, side by side; the order of the rules, their
outcomes and the fallbacks are shared.
"""

from datetime import timedelta

from odoo.tools import SQL

OVERDUE = "overdue"  # red: coverage ended, not renewed, not cancelled
DUE = "due"  # amber: live, but ends within the renewal window
LIVE = "live"  # green: live (or renewed: coverage continues in a successor)
CANCELLED = "cancelled"  # black: cancelled

# Most urgent first: a contract shows the most urgent status of its lines.
URGENCY = (OVERDUE, DUE, LIVE)

DEFAULT_DUE_DAYS = 90

# A covered line: (test, status), first match wins, else LINE_DEFAULT.
LINE_RULES = (
    ("cancelled", CANCELLED),  # the line or its contract is cancelled
    ("renewed", LIVE),  # its coverage continues in a successor
    ("ended", OVERDUE),  # its last day of coverage is before today
    ("in_window", DUE),  # it ends within the window (today included)
)
LINE_DEFAULT = LIVE

# The status of a contract's own dates, used when it has no line.
OWN = "own"

# A contract: (test, status), first match wins, else CONTRACT_DEFAULT. A test
# named after a status holds when a line of the contract has that status.
CONTRACT_RULES = (
    ("cancelled", CANCELLED),  # the contract is cancelled
    ("no_lines", OWN),  # it has no line
    *((status, status) for status in URGENCY),  # its most urgent line
)
CONTRACT_DEFAULT = CANCELLED  # every line is cancelled


def _first_match(rules, tests, default):
    for test, status in rules:
        if tests[test]:
            return status
    return default


def _case_sql(rules, tests, default):
    """The SQL ``CASE`` of ``rules``: ``tests`` maps each test to its SQL
    condition, or None for a test that cannot hold (left out)."""
    return SQL(
        "CASE %s ELSE %s END",
        SQL(" ").join(
            SQL("WHEN %s THEN %s", tests[test], status)
            for test, status in rules
            if tests[test] is not None
        ),
        default,
    )


def line_status(
    date_end, today, due_days=DEFAULT_DUE_DAYS, cancelled=False, renewed=False
):
    """Status of one covered line.

    :param date date_end: last day of coverage (inclusive)
    :param date today: the reference day
    :param int due_days: length of the amber window, in days before the end
    :param bool cancelled: the line or its contract is cancelled
    :param bool renewed: the line's coverage continues in a successor
    """
    tests = {
        "cancelled": cancelled,
        "renewed": renewed,
        "ended": date_end < today,
        "in_window": date_end <= today + timedelta(days=due_days),
    }
    return _first_match(LINE_RULES, tests, LINE_DEFAULT)


def line_status_sql(date_end, today, due_days, cancelled=None, renewed=None):
    """SQL expression of ``line_status``, on the same rules.

    :param SQL date_end: the last day of coverage (a date column)
    :param date today: the reference day, passed as a parameter
    :param due_days: the window in days: an ``SQL`` integer expression, or
        an int passed as a parameter
    :param SQL cancelled: condition that the line is cancelled; None when
        it cannot be (the rule is left out)
    :param SQL renewed: condition that its coverage continues; None when it
        cannot
    """
    tests = {
        "cancelled": cancelled,
        "renewed": renewed,
        "ended": SQL("%s < %s", date_end, today),
        "in_window": SQL("%s <= %s + %s", date_end, today, due_days),
    }
    return _case_sql(LINE_RULES, tests, LINE_DEFAULT)


def contract_status(line_statuses, cancelled=False, own_status=None):
    """Status of a contract from the statuses of its lines.

    A cancelled contract is black. Otherwise it takes the most urgent status
    of its lines that are not cancelled (red before amber before green); when
    every line is cancelled the contract is black too. A contract without any
    line falls back on ``own_status``, the status of its own dates (green
    when not given).
    """
    statuses = set(line_statuses)
    tests = {
        "cancelled": cancelled,
        "no_lines": not statuses,
        **{status: status in statuses for status in URGENCY},
    }
    status = _first_match(CONTRACT_RULES, tests, CONTRACT_DEFAULT)
    return (own_status or LIVE) if status == OWN else status


def contract_status_sql(line_statuses, cancelled=None, own_status=None):
    """SQL expression of ``contract_status``, on the same rules.

    :param SQL line_statuses: array of the statuses of the contract's lines,
        NULL or empty when it has none (``array_agg`` over a left join)
    :param SQL cancelled: condition that the contract is cancelled; None
        when it cannot be
    :param SQL own_status: status of the contract's own dates (a
        ``line_status_sql`` of them); green when None
    """
    tests = {
        "cancelled": cancelled,
        "no_lines": SQL("COALESCE(cardinality(%s), 0) = 0", line_statuses),
        **{status: SQL("%s = ANY(%s)", status, line_statuses) for status in URGENCY},
    }
    own = own_status if own_status is not None else LIVE
    rules = tuple(
        (test, own if status == OWN else status) for test, status in CONTRACT_RULES
    )
    return _case_sql(rules, tests, CONTRACT_DEFAULT)
