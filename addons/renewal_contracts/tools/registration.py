"""Product registration checks, free of the ORM: the shape of a row's
values (dates, e-mail address, serial number against a product's pattern).

Each check returns the cleaned value, or raises :class:`RowError` with the
reason; ``renewal.registration._register_check`` adds the row and field
names.
"""

import re
from datetime import date, datetime

from odoo.exceptions import ValidationError

from .text import FORMULA_PREFIXES

# One address, no display name: local part, "@", a domain with a dot.
EMAIL_RE = re.compile(r"[^@\s<>,;:\"()\[\]]+@[^@\s<>,;:\"()\[\]]+\.[A-Za-z0-9-]{2,}")


class RegistrationError(ValidationError):
    """Registration rows refused: the message names every row, field and
    reason, one per line; ``errors`` holds the same as ``(row, field,
    reason)`` tuples (row: the row's ``row`` key, else its position from 1;
    field: the row key, ``contact.email`` for a key of the contact)."""

    def __init__(self, message, errors):
        super().__init__(message)
        self.errors = errors


class RowError(ValueError):
    """A value of a registration row is not acceptable: ``field`` and
    ``reason`` (a translated sentence)."""

    def __init__(self, field, reason):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def compile_pattern(pattern):
    """The compiled serial-number ``pattern`` (a Python regular expression),
    or ``re.error`` when it is not one."""
    return re.compile(pattern)


def serial_matches(serial, pattern):
    """``serial`` matches the whole of ``pattern`` (no pattern: any serial)."""
    if not pattern:
        return True
    return re.fullmatch(pattern, serial) is not None


def clean_serial(value):
    """The serial number as stored: text without surrounding blanks, upper
    case kept. Empty string when missing."""
    if value is None or value is False:
        return ""
    return str(value).strip()


def serial_is_formula(serial):
    """A serial number that a spreadsheet would run as a formula."""
    return serial.startswith(FORMULA_PREFIXES)


def parse_date(value):
    """A date from a ``date``, a ``datetime`` or an ISO ``YYYY-MM-DD``
    string; None when empty; ``ValueError`` otherwise."""
    if value in (None, False, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip())


def normalize_email(value):
    """The normalised e-mail address, or None when it is not well formed."""
    text = (value or "").strip()
    if not EMAIL_RE.fullmatch(text):
        return None
    return text.lower()
