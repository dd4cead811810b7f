"""The selections a refresh campaign starts from, free of the ORM.

Each preset is a domain on ``renewal.installed.product`` with its dates
written out as of a given day, so that the campaign shows (and its user may
edit) exactly what it selects. The rules live here once; the campaign's
domain is computed from them.
"""

from dateutil.relativedelta import relativedelta

END_OF_SUPPORT = "end_of_support"
OLD = "old"
UNCOVERED = "uncovered"
SERVICE_LEVEL = "service_level"
CUSTOM = "custom"

PRESET_SELECTION = [
    (END_OF_SUPPORT, "End of support within 12 months"),
    (OLD, "Installed more than 4 years ago"),
    (UNCOVERED, "Registered, under no live contract"),
    (SERVICE_LEVEL, "Covered at a service level"),
    (CUSTOM, "Custom domain"),
]

END_OF_SUPPORT_MONTHS = 12
OLD_YEARS = 4


def preset_domain(preset, today, service_level_id=None):
    """The domain of ``preset`` on ``renewal.installed.product`` as of
    ``today`` (a date), or None for a custom selection (or a service-level
    preset without its level)."""
    if preset == END_OF_SUPPORT:
        # Reaching the end of support within the months to come, or past it
        # already and still installed: both are due for a refresh.
        limit = today + relativedelta(months=END_OF_SUPPORT_MONTHS)
        return [
            ("end_of_support_date", "!=", False),
            ("end_of_support_date", "<=", limit.isoformat()),
        ]
    if preset == OLD:
        # Installed before the limit, or, with no installation date, bought
        # before it.
        limit = (today - relativedelta(years=OLD_YEARS)).isoformat()
        return [
            "|",
            ("install_date", "<", limit),
            "&",
            ("install_date", "=", False),
            ("purchase_date", "<", limit),
        ]
    if preset == UNCOVERED:
        return [("coverage_state", "in", ["uncovered", "lapsed"])]
    if preset == SERVICE_LEVEL and service_level_id:
        day = today.isoformat()
        return [
            (
                "line_ids",
                "any",
                [
                    ("service_level_id", "=", service_level_id),
                    ("is_cancelled", "=", False),
                    ("contract_id.is_cancelled", "=", False),
                    ("date_start", "<=", day),
                    ("date_end", ">=", day),
                ],
            )
        ]
    return None
