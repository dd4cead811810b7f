"""Renewal quotation arithmetic, free of the ORM: the next coverage period,
the quoting window, co-terming and the price of a renewal."""

from datetime import timedelta


def next_period(date_start, date_end):
    """The coverage that renews ``date_start``-``date_end``: it starts the day
    after the old end and lasts as long (both ends inclusive)."""
    start = date_end + timedelta(days=1)
    return start, start + (date_end - date_start)


def in_quote_window(date_end, today, lead_days):
    """A line is quoted from ``lead_days`` before its end, and while overdue."""
    return date_end <= today + timedelta(days=lead_days)


def coterm_factor(period_start, period_end, coterm_end):
    """Share of a full renewal period's price for coverage from
    ``period_start`` to ``coterm_end`` instead of ``period_end``."""
    full = (period_end - period_start).days + 1
    aligned = (coterm_end - period_start).days + 1
    if full <= 0 or aligned <= 0:
        return 0.0
    return aligned / full


def renewal_price(line_price, list_price, uplift_percent):
    """Unit price of a renewal: the line's renewal price when set, otherwise
    the list price (from the pricelist) raised by the uplift."""
    if line_price:
        return line_price
    return list_price * (1.0 + (uplift_percent or 0.0) / 100.0)
