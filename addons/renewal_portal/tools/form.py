"""What a renewal page's forms send, made safe to store: no ORM here."""

import math

from markupsafe import Markup

from odoo.addons.renewal_contracts.tools.text import neutralize_formula


def public_text(value, size=None):
    """Text typed on a renewal page, as stored: trimmed, cut to ``size``,
    never a spreadsheet formula."""
    text = (value or "").strip()
    if size:
        text = text[:size].strip()
    return neutralize_formula(text) if text else ""


def text_to_html(text):
    """``text`` as HTML that shows it as typed: escaped, its line breaks
    kept, and no link made of it (unlike ``plaintext2html``)."""
    return Markup("<p>%s</p>") % Markup("<br/>").join(text.splitlines())


def parse_number(value):
    """The number typed in a form field (empty is zero), or ``None`` when it
    is not a finite number ("abc", "nan", "inf", "1e999")."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def in_range(value, maximum):
    """Whether ``value`` is a finite number from 0 to ``maximum``."""
    return isinstance(value, float) and math.isfinite(value) and 0 <= value <= maximum
