"""Product registrations that a channel partner sends (a portal form, an
uploaded CSV/XLSX file, the partner API), made ready for
``renewal.registration._register``: no ORM here.

A file has one product per row under a header of the column names below
(in any order, any case; only ``product_code`` and ``serial_number`` are
required). Text is trimmed, cut to its size and never stored as a
spreadsheet formula; dates are ``YYYY-MM-DD`` text or real date cells. A row
is numbered as the spreadsheet numbers it (the header is row 1), and every
problem is a ``RowError`` naming the row, the column and the reason.
"""

import csv
import io
import re
from datetime import date, datetime

from odoo.addons.renewal_contracts.tools.text import neutralize_formula

from .feed import FeedError, Profile, RowError, read_table

# Column -> (label, size): what a file (and the portal's form) may carry.
COLUMNS = {
    "product_code": ("Product code", 64),
    "serial_number": ("Serial number", 128),
    "purchase_date": ("Purchase date", None),
    "install_date": ("Installation date", None),
    "customer_company": ("End customer company", 128),
    "contact_name": ("Contact name", 128),
    "contact_email": ("Contact e-mail", 128),
    "contact_phone": ("Contact phone", 64),
    "street": ("Street", 128),
    "zip": ("ZIP", 32),
    "city": ("City", 128),
    "country_code": ("Country code", 2),
    "customer_po_number": ("Customer PO number", 64),
    "vendor_order_number": ("Vendor sales order", 64),
}
REQUIRED = ("product_code", "serial_number")
DATES = ("purchase_date", "install_date")
# Where each column goes in a ``_register_products`` row: the contact's keys.
CONTACT_KEYS = {
    "contact_name": "name",
    "contact_email": "email",
    "contact_phone": "phone",
    "customer_company": "company_name",
    "street": "street",
    "zip": "zip",
    "city": "city",
    "country_code": "country_code",
}
# Rows in one upload; more go through the partner API or a feed.
MAX_ROWS = 1000
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A phone number as people write one: digits, spaces, + ( ) . / -. Such text
# runs as no formula, so its leading "+" is kept.
_PHONE = re.compile(r"\+?[0-9 ()./-]{3,}")


def clean_text(value, size=None):
    """Text typed by a partner, as stored: trimmed, cut to ``size``, never a
    spreadsheet formula."""
    text = _cell_text(value)
    if size:
        text = text[:size].strip()
    return neutralize_formula(text) if text else ""


def clean_phone(value, size=64):
    """A phone number kept as typed when it is one, else as text."""
    text = _cell_text(value)[:size]
    return text if _PHONE.fullmatch(text) else clean_text(text, size)


def parse_date(value):
    """A date from a cell or a form field: ``None`` when empty; a
    ``ValueError`` saying how to write it otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"'{text[:40]}' is not a date written YYYY-MM-DD.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date of the calendar.") from None


def registration_row(values, number=None):
    """One product's values (column -> cell, as in ``COLUMNS``) as a
    ``_register_products`` row, with its problems: ``(row, errors)``. ``number``, the
    row's number in its file (kept in the row as ``row``)."""
    row, errors, contact = {}, [], {}
    for column, (label, size) in COLUMNS.items():
        value = values.get(column)
        if column in DATES:
            try:
                day = parse_date(value)
            except ValueError as exc:
                errors.append(RowError(number or 1, column, _shown(value), str(exc)))
                continue
            if day:
                row[column] = day
            continue
        if column == "contact_phone":
            text = clean_phone(value, size)
        elif column == "country_code":
            text = clean_text(value).upper()
            if text and not re.fullmatch(r"[A-Z]{2}", text):
                errors.append(
                    RowError(
                        number or 1,
                        column,
                        _shown(value),
                        f"{label}: two letters (ISO 3166), such as NL or US.",
                    )
                )
                continue
        elif column in ("product_code", "serial_number"):
            # As sent: the code is only looked up, and the serial number is
            # checked (against the product's pattern; a formula is refused).
            text = _cell_text(value)[:size]
        else:
            text = clean_text(value, size)
        if not text:
            if column in REQUIRED:
                errors.append(RowError(number or 1, column, "", f"{label} is missing."))
            continue
        if column in CONTACT_KEYS:
            contact[CONTACT_KEYS[column]] = text
        else:
            row[column] = text
    if contact:
        row["contact"] = contact
    if number is not None:
        row["row"] = number
    return row, errors


def read_upload(content, filename):
    """The rows of an uploaded CSV or XLSX file: ``(rows, errors)``, rows
    ready for ``_register_products``, errors as ``RowError``. A ``FeedError`` when the
    file as a whole cannot be used (unreadable, no known header, too many
    rows)."""
    name = (filename or "").lower()
    if not name.endswith((".csv", ".xlsx")):
        raise FeedError("Upload a CSV or XLSX file (.csv, .xlsx).")
    profile = Profile(columns={}, delimiter=_delimiter(content, name))
    header, table = read_table(content, filename, profile)
    columns = _header_columns(header)
    if len(table) > MAX_ROWS:
        raise FeedError(
            f"The file has {len(table)} rows; upload at most {MAX_ROWS} at a "
            "time, or send them through the partner API."
        )
    rows, errors = [], []
    width = len(header)
    for number, cells in table:
        extra = [cell for cell in cells[width:] if _cell_text(cell)]
        if extra:
            errors.append(
                RowError(
                    number,
                    "",
                    "",
                    f"The row has {len(cells)} columns, the header {width}.",
                )
            )
            continue
        values = {
            column: cells[index] if index < len(cells) else None
            for column, index in columns.items()
        }
        row, row_errors = registration_row(values, number)
        errors.extend(row_errors)
        if not row_errors:
            rows.append(row)
    _check_repeated_serials(rows, errors)
    errors.sort(key=lambda error: error.row)
    return rows, errors


def template_csv():
    """The header of an upload file, as CSV (UTF-8 with a byte-order mark)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(list(COLUMNS))
    return buffer.getvalue().encode("utf-8-sig")


def _header_columns(header):
    """Column -> index in ``header``: every header cell must be one of
    ``COLUMNS`` (written with spaces or dashes for underscores, in any case),
    and the required ones must be there."""
    columns, unknown = {}, []
    for index, title in enumerate(header):
        key = re.sub(r"[\s-]+", "_", (title or "").strip().lower())
        if not key:
            continue
        if key not in COLUMNS:
            unknown.append(title)
        elif key in columns:
            raise FeedError(f"The header names the column {key} twice.")
        else:
            columns[key] = index
    if unknown:
        raise FeedError(
            "Unknown columns: "
            + ", ".join(repr(title[:40]) for title in unknown)
            + ". The columns are: "
            + ", ".join(COLUMNS)
            + "."
        )
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        raise FeedError("The header has no column " + ", ".join(missing) + ".")
    return columns


def _check_repeated_serials(rows, errors):
    """A serial number of one product twice in the file: both rows are
    refused (which one is right is the sender's to say)."""
    seen = {}
    for row in rows:
        key = (row["product_code"].lower(), row["serial_number"])
        seen.setdefault(key, []).append(row)
    for (_code, serial), repeated in seen.items():
        if len(repeated) < 2:
            continue
        numbers = ", ".join(str(row["row"]) for row in repeated)
        for row in repeated:
            errors.append(
                RowError(
                    row["row"],
                    "serial_number",
                    serial,
                    f"Serial number {serial} is on rows {numbers}.",
                )
            )
            rows.remove(row)


def _delimiter(content, name):
    """A CSV's delimiter: a comma, or the semicolon of European spreadsheets
    when the header line has more of them."""
    if name.endswith(".xlsx"):
        return ","
    first = content.split(b"\n", 1)[0]
    return ";" if first.count(b";") > first.count(b",") else ","


def _cell_text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell).replace("\x00", "").strip()


def _shown(value):
    return _cell_text(value)[:60]
