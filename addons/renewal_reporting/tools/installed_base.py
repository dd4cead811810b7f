"""The age band and end-of-support window of an installed product, free of
the ORM.

Both depend on today, so the installed-base analysis
(``renewal.report.installed.base``) computes them when it is read. Each is
written once, as a table of bands (first match wins); the Python function
and the SQL ``CASE`` are built from the same table and the same bounds
(``_age_bounds``, ``_support_bounds``), so they agree on every day,
29 February included.
"""

from dateutil.relativedelta import relativedelta

from odoo.tools import SQL

# Age: from the installation date, else the purchase date.
AGE_UNKNOWN = "unknown"
# (key, label, installed less than this many years ago); the last band has
# no upper bound.
AGE_BANDS = (
    ("0_2", "0-2 Years", 2),
    ("2_4", "2-4 Years", 4),
    ("4_plus", "4+ Years", None),
)
AGE_SELECTION = [(key, label) for key, label, _years in AGE_BANDS] + [
    (AGE_UNKNOWN, "No Date")
]

# End of support: the product's end-of-support date against today.
SUPPORT_NONE = "none"
# (key, label, support ends before this many months from today); the last
# window has no upper bound.
SUPPORT_WINDOWS = (
    ("ended", "Support Ended", 0),
    ("within_12", "Ends within 12 Months", 12),
    ("later", "Ends Later", None),
)
SUPPORT_SELECTION = [(key, label) for key, label, _months in SUPPORT_WINDOWS] + [
    (SUPPORT_NONE, "Not Announced")
]


def _age_bounds(today):
    """(key, first installation day that is still younger than the band's
    upper bound, or None)."""
    return [
        (key, today - relativedelta(years=years) if years is not None else None)
        for key, _label, years in AGE_BANDS
    ]


def _support_bounds(today):
    """(key, day from which support ending falls past the window, or
    None): ended = before today; within 12 months = up to today + 12
    months, that day included."""
    bounds = []
    for key, _label, months in SUPPORT_WINDOWS:
        if months is None:
            bounds.append((key, None))
        elif months == 0:
            bounds.append((key, today))
        else:
            bounds.append((key, today + relativedelta(months=months, days=1)))
    return bounds


def age_band(installed_on, today):
    """The age band of a product installed (or bought) on ``installed_on``:
    under 2 years, 2 to 4 (exactly 2 years included), 4 or more."""
    if not installed_on:
        return AGE_UNKNOWN
    for key, since in _age_bounds(today):
        if since is None or installed_on > since:
            return key
    raise AssertionError("the last band has no bound")


def age_band_sql(installed_on, today):
    """SQL of ``age_band``; ``installed_on`` is an SQL date expression."""
    return SQL(
        "CASE WHEN %s IS NULL THEN %s %s END",
        installed_on,
        AGE_UNKNOWN,
        SQL(" ").join(
            SQL("WHEN %s > %s THEN %s", installed_on, since, key)
            if since is not None
            else SQL("ELSE %s", key)
            for key, since in _age_bounds(today)
        ),
    )


def support_window(end_of_support, today):
    """When support of the product ends, against ``today``: ended (before
    today), within 12 months (today to the same day next year), later, or
    not announced."""
    if not end_of_support:
        return SUPPORT_NONE
    for key, until in _support_bounds(today):
        if until is None or end_of_support < until:
            return key
    raise AssertionError("the last window has no bound")


def support_window_sql(end_of_support, today):
    """SQL of ``support_window``; ``end_of_support`` is an SQL date
    expression."""
    return SQL(
        "CASE WHEN %s IS NULL THEN %s %s END",
        end_of_support,
        SUPPORT_NONE,
        SQL(" ").join(
            SQL("WHEN %s < %s THEN %s", end_of_support, until, key)
            if until is not None
            else SQL("ELSE %s", key)
            for key, until in _support_bounds(today)
        ),
    )
