"""Renewal status rules, free of the ORM.

The colour of a covered line, and of a contract, is a pure function of a few
values and of "today". Keeping it here lets the rules be tested in
microseconds and lets the set-based SQL refresh
(``renewal.contract._refresh_status``) be checked against the very same
rules.
"""

from datetime import timedelta

OVERDUE = "overdue"  # red: coverage ended, not renewed, not cancelled
DUE = "due"  # amber: live, but ends within the renewal window
LIVE = "live"  # green: live (or renewed: coverage continues in a successor)
CANCELLED = "cancelled"  # black: cancelled

# Most urgent first: a contract shows the most urgent status of its lines.
URGENCY = (OVERDUE, DUE, LIVE)

DEFAULT_DUE_DAYS = 90


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
    if cancelled:
        return CANCELLED
    if renewed:
        return LIVE
    if date_end < today:
        return OVERDUE
    if date_end <= today + timedelta(days=due_days):
        return DUE
    return LIVE


def contract_status(line_statuses, cancelled=False, own_status=None):
    """Status of a contract from the statuses of its lines.

    A cancelled contract is black. Otherwise it takes the most urgent status
    of its lines that are not cancelled (red before amber before green); when
    every line is cancelled the contract is black too. A contract without any
    line falls back on ``own_status``, the status of its own dates.
    """
    if cancelled:
        return CANCELLED
    statuses = set(line_statuses)
    if not statuses:
        return own_status or LIVE
    for status in URGENCY:
        if status in statuses:
            return status
    return CANCELLED
