"""Coverage state of an installed product, free of the ORM.

An installed product is covered, under warranty only, lapsed or uncovered
depending on its covered lines on a given day. The rule is written once, in
``COVERAGE_RULES`` (first match wins); ``coverage_state`` applies it in
Python (the stored compute) and ``coverage_state_sql`` turns the same table
into the SQL ``CASE`` of the set-based daily refresh
(``renewal.installed.product._refresh_coverage``).
"""

from odoo.tools import SQL

COVERED = "covered"  # a live line that is not warranty-only
WARRANTY = "warranty"  # live lines, all warranty-only
LAPSED = "lapsed"  # had lines, none live today
UNCOVERED = "uncovered"  # never had a line

COVERAGE_SELECTION = [
    (COVERED, "Covered"),
    (WARRANTY, "Warranty only"),
    (UNCOVERED, "Uncovered"),
    (LAPSED, "Lapsed"),
]

# (test, state), first match wins, else COVERAGE_DEFAULT.
COVERAGE_RULES = (
    ("paid_live", COVERED),  # a live line that is not warranty-only
    ("live", WARRANTY),  # a live line (warranty-only, then)
    ("has_lines", LAPSED),  # lines, none live
)
COVERAGE_DEFAULT = UNCOVERED


def is_live(date_start, date_end, today, cancelled=False):
    """A line covers ``today``: not cancelled, started, not ended."""
    return not cancelled and date_start <= today <= date_end


def coverage_state(lines, today):
    """State of an installed product from its ``lines``: an iterable of
    ``(date_start, date_end, cancelled, warranty_only)``."""
    lines = list(lines)
    live = [line for line in lines if is_live(line[0], line[1], today, line[2])]
    tests = {
        "paid_live": any(not line[3] for line in live),
        "live": bool(live),
        "has_lines": bool(lines),
    }
    for test, state in COVERAGE_RULES:
        if tests[test]:
            return state
    return COVERAGE_DEFAULT


def coverage_end(lines, today):
    """The latest coverage end of the live ``lines`` (same tuples), or None."""
    ends = [line[1] for line in lines if is_live(line[0], line[1], today, line[2])]
    return max(ends, default=None)


def live_sql(date_start, date_end, cancelled, today):
    """SQL condition of ``is_live``."""
    return SQL(
        "(NOT COALESCE(%s, FALSE) AND %s <= %s AND %s >= %s)",
        cancelled,
        date_start,
        today,
        date_end,
        today,
    )


def coverage_state_sql(paid_live, live, has_lines):
    """SQL ``CASE`` of ``coverage_state`` on the same rules, given the SQL
    aggregates that tell each test (booleans, NULL counts as false)."""
    tests = {
        "paid_live": SQL("COALESCE(%s, FALSE)", paid_live),
        "live": SQL("COALESCE(%s, FALSE)", live),
        "has_lines": SQL("COALESCE(%s, FALSE)", has_lines),
    }
    return SQL(
        "CASE %s ELSE %s END",
        SQL(" ").join(
            SQL("WHEN %s THEN %s", tests[test], state) for test, state in COVERAGE_RULES
        ),
        COVERAGE_DEFAULT,
    )
