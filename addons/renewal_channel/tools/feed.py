"""Reading and checking contract feeds, free of the ORM.

A feed is a CSV or XLSX file in the sender's own layout. A *profile* says
which column holds what, and how dates, decimals and text are written. This
module turns the file into clean rows (``ParsedRow``) and row-level errors
(``RowError``: row number, column, value, reason). Matching the rows against
the database is ``renewal.feed.matcher``'s job, writing them
``renewal.feed.writer``'s; ``renewal.feed.import`` runs the three.
"""

import codecs
import csv
import functools
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from odoo.addons.renewal_contracts.tools.text import neutralize_formula

ISO_DATE = "%Y-%m-%d"
# What ``strptime(ISO_DATE)`` and ``date.fromisoformat`` both read alike.
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# What a column may feed, with the label used in messages.
TARGETS = {
    "serial_number": "Serial number",
    "contract_number": "Contract number",
    "customer_name": "End customer name",
    "customer_vat": "End customer VAT",
    "customer_email": "End customer email",
    "customer_city": "End customer city",
    "customer_street": "End customer street",
    "customer_zip": "End customer ZIP",
    "customer_country": "End customer country code",
    "product_code": "Product code",
    "quantity": "Quantity",
    "service_level": "Service level",
    "date_start": "Coverage start",
    "date_end": "Coverage end",
    "list_price": "List price",
    "renewal_price": "Renewal price",
    "currency": "Currency",
    "customer_po": "Customer PO number",
    "vendor_order": "Vendor sales order",
    "reseller": "Reseller",
    "salesperson": "Reseller salesperson",
}
REQUIRED = (
    "contract_number",
    "customer_name",
    "product_code",
    "date_start",
    "date_end",
)
DATES = ("date_start", "date_end")
PRICES = ("list_price", "renewal_price")
# Values compared to tell a changed line from an unchanged one.
LINE_KEYS = (
    "contract_number",
    "product_code",
    "quantity",
    "service_level",
    "date_start",
    "date_end",
    "list_price",
    "renewal_price",
)

ENCODINGS = ("utf-8", "cp1252", "latin-1")


class FeedError(Exception):
    """The whole file is unusable (nothing of it is imported)."""


@dataclass
class Profile:
    columns: dict  # target -> header text in the file
    encoding: str = "utf-8"
    delimiter: str = ","
    decimal_separator: str = "."
    date_format: str = ISO_DATE
    header_row: int = 1  # 1-based row of the header
    require_serial: bool = True


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class ParsedRow:
    row: int
    values: dict = field(default_factory=dict)

    def line_signature(self):
        return tuple(self.values.get(key) for key in LINE_KEYS)


@functools.lru_cache(maxsize=65536)
def normalize_name(name):
    """Compare company names loosely: case, accents, punctuation and legal
    suffixes do not count."""
    # "B.V." and "BV", "S.A." and "SA" are the same suffix.
    text = unicodedata.normalize("NFKD", (name or "").replace(".", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).split()
    while text and text[-1] in LEGAL_SUFFIXES:
        text.pop()
    return " ".join(text)


LEGAL_SUFFIXES = {
    "ltd", "limited", "inc", "llc", "llp", "bv", "nv", "kg", "ag", "sa", "sas",
    "sarl", "gmbh", "plc", "co", "corp", "as", "ab", "oy", "spa", "srl", "z", "o",
    "sp",
}  # fmt: skip


def normalize_vat(vat):
    return re.sub(r"[^A-Z0-9]", "", (vat or "").upper())


def email_domain(email):
    email = (email or "").strip().lower()
    return email.rpartition("@")[2] if "@" in email else ""


def csv_safe(value):
    """A cell for a CSV a person opens in a spreadsheet: formulas neutralised."""
    return neutralize_formula(value)


# ----------------------------------------------------------------------
# Reading the file
# ----------------------------------------------------------------------


def read_table(content, filename, profile):
    """Return ``(header, rows)``: the header cells, and ``(row_number,
    cells)`` for each data row, numbered as a spreadsheet numbers them."""
    if not content:
        raise FeedError("The file is empty.")
    name = (filename or "").lower()
    if name.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content)
    else:
        table = _read_csv(content, profile)
    header_index = profile.header_row - 1
    header = None
    rows = []
    for number, cells in table:
        if number - 1 < header_index:
            continue
        if header is None:
            header = [_text(cell) for cell in cells]
            if not any(header):
                raise FeedError(
                    f"Row {number} should hold the column names, but it is blank."
                )
            continue
        if all(_text(cell) == "" for cell in cells):
            continue
        rows.append((number, cells))
    if header is None:
        raise FeedError("The file is empty.")
    if not rows:
        raise FeedError("The file has a header but no data row.")
    return header, rows


def is_json(filename):
    """A push of canonical rows (the partner API's, or a ``.json`` file)."""
    return (filename or "").lower().endswith(".json")


def json_profile(profile):
    """The profile of a JSON push: every canonical field under its own name,
    ISO dates and numbers as numbers (or text with a decimal point). Only
    ``require_serial`` is the source's."""
    return Profile(
        columns={target: target for target in TARGETS},
        date_format=ISO_DATE,
        require_serial=profile.require_serial,
    )


def read_json(content):
    """Return ``(header, rows)`` for a JSON array of objects keyed by the
    canonical fields (``TARGETS``), numbered from 1 in the array's order, so
    that ``parse_rows`` checks them as it checks a file's rows."""
    if not content:
        raise FeedError("The file is empty.")
    try:
        data = json.loads(content)
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedError(f"The file is not valid JSON: {exc}.") from None
    if not isinstance(data, list):
        raise FeedError("The JSON file must hold a list of rows (objects).")
    if not data:
        raise FeedError("The file has no data row.")
    header = list(TARGETS)
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise FeedError(f"Row {number} is not an object of fields.")
        unknown = sorted(set(item) - set(TARGETS))
        if unknown:
            raise FeedError(
                f"Row {number} has unknown fields: {', '.join(map(str, unknown))}."
                f" Known fields: {', '.join(TARGETS)}."
            )
        for key, value in item.items():
            if isinstance(value, bool) or (
                value is not None and not isinstance(value, str | int | float)
            ):
                raise FeedError(
                    f"Row {number}, field {key}: a text, a number or null is "
                    f"expected, not {type(value).__name__}."
                )
        rows.append((number, [item.get(target) for target in header]))
    return header, rows


def _read_csv(content, profile):
    encoding = profile.encoding
    if encoding in ("utf-8", "utf-8-sig"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            raise FeedError(
                f"The file is not UTF-8 as the profile says: byte "
                f"0x{content[exc.start]:02x} on line {line} cannot be read. "
                "Save it as UTF-8 or set the profile's encoding (cp1252, latin-1)."
            ) from None
    else:
        if content.startswith(codecs.BOM_UTF8) or _is_utf8_text(content):
            raise FeedError(
                f"The file is UTF-8, but the profile says {encoding}: set the "
                "profile's encoding to UTF-8."
            )
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError as exc:
            line = content[: exc.start].count(b"\n") + 1
            raise FeedError(
                f"The file is not {encoding} as the profile says: byte "
                f"0x{content[exc.start]:02x} on line {line} cannot be read."
            ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=profile.delimiter)
    return ((reader.line_num, cells) for cells in reader)


def _is_utf8_text(content):
    """Non-ASCII bytes that all decode as UTF-8: the file is UTF-8."""
    if content.isascii():
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _read_xlsx(content):
    import openpyxl

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise FeedError("The file is not a readable XLSX workbook.") from None
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise FeedError(f"The XLSX workbook cannot be read: {exc}") from None
    if len(workbook.sheetnames) != 1:
        raise FeedError(
            f"The workbook has {len(workbook.sheetnames)} sheets "
            f"({', '.join(workbook.sheetnames)}): send one sheet per file."
        )
    for member in archive.namelist():
        if member.startswith("xl/worksheets/") and member.endswith(".xml"):
            with archive.open(member) as sheet:
                if _has_merged_cells(sheet):
                    raise FeedError(
                        "The sheet has merged cells: unmerge them so that every "
                        "row has its own values."
                    )
    sheet = workbook.worksheets[0]
    return (
        (number, list(cells))
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
    )


def _has_merged_cells(stream):
    tail = b""
    while chunk := stream.read(1 << 16):
        if b"<mergeCell " in tail + chunk or b"<mergeCells" in tail + chunk:
            return True
        tail = chunk[-16:]
    return False


def _text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


# ----------------------------------------------------------------------
# Checking the rows
# ----------------------------------------------------------------------


def column_indexes(header, profile):
    """Where each mapped column sits in the header."""
    positions = {name.strip().lower(): index for index, name in enumerate(header)}
    indexes = {}
    missing = []
    for target, column in profile.columns.items():
        index = positions.get((column or "").strip().lower())
        if index is None:
            missing.append(f"'{column}' ({TARGETS.get(target, target)})")
        else:
            indexes[target] = index
    if missing:
        raise FeedError(
            "The header has no column "
            + ", ".join(missing)
            + ". Header found: "
            + ", ".join(repr(name) for name in header if name)
        )
    absent = [TARGETS[t] for t in REQUIRED if t not in indexes]
    if profile.require_serial and "serial_number" not in indexes:
        absent.insert(0, TARGETS["serial_number"])
    if absent:
        raise FeedError("The profile maps no column to: " + ", ".join(absent) + ".")
    return indexes


def parse_rows(header, rows, profile):
    """Check every row; return ``(parsed_rows, errors, repeated)``.

    A row with any error is left out of ``parsed_rows``. Duplicate serial
    numbers with different data reject every row of that serial; exact
    duplicates keep the first row, and ``repeated`` counts the others.
    """
    indexes = column_indexes(header, profile)
    width = len(header)
    parsed, errors = [], []
    for number, cells in rows:
        if len(cells) != width and not _only_blank_overflow(cells, width):
            errors.append(
                RowError(
                    number,
                    "",
                    "",
                    f"The row has {len(cells)} columns, the header has {width}.",
                )
            )
            continue
        row, row_errors = _parse_row(number, cells, indexes, profile)
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append(row)
    return _drop_duplicate_serials(parsed, errors, profile)


def _only_blank_overflow(cells, width):
    return len(cells) > width and all(_text(c) == "" for c in cells[width:])


def _parse_row(number, cells, indexes, profile):
    values, errors = {}, []
    raw = {target: cells[index] for target, index in indexes.items()}
    for target, cell in raw.items():
        column = profile.columns[target]
        text = _text(cell)
        try:
            if target in DATES:
                values[target] = _parse_date(cell, text, profile.date_format)
            elif target in PRICES:
                values[target] = _parse_number(cell, text, profile, allow_empty=True)
            elif target == "quantity":
                quantity = _parse_number(cell, text, profile, allow_empty=True)
                if quantity is None:
                    quantity = 1.0
                if quantity <= 0:
                    raise ValueError("the quantity must be more than zero")
                values[target] = quantity
            elif target == "currency":
                values[target] = text.upper()
            elif target == "customer_country":
                values[target] = text.upper()
            else:
                values[target] = text
        except ValueError as exc:
            errors.append(RowError(number, column, text, str(exc)))
    failed = {error.column for error in errors}
    for target in REQUIRED:
        if profile.columns.get(target) in failed:
            continue
        if target in indexes and values.get(target) in ("", None):
            errors.append(
                RowError(
                    number,
                    profile.columns[target],
                    "",
                    f"{TARGETS[target]} is missing.",
                )
            )
    if profile.require_serial and not values.get("serial_number"):
        errors.append(
            RowError(
                number,
                profile.columns.get("serial_number", ""),
                "",
                "Serial number is missing (the profile requires one).",
            )
        )
    start, end = values.get("date_start"), values.get("date_end")
    if start and end and end < start:
        errors.append(
            RowError(
                number,
                profile.columns["date_end"],
                _text(raw["date_end"]),
                f"Coverage ends ({end}) before it starts ({start}).",
            )
        )
    for target in PRICES:
        if values.get(target) is not None and values[target] < 0:
            errors.append(
                RowError(
                    number,
                    profile.columns[target],
                    _text(raw[target]),
                    f"{TARGETS[target]} cannot be negative.",
                )
            )
    return ParsedRow(number, values), errors


def _parse_date(cell, text, date_format):
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if not text:
        return None
    try:
        if date_format == ISO_DATE and _ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)  # the same, ten times quicker
        return datetime.strptime(text, date_format).date()
    except ValueError:
        raise ValueError(
            f"'{text}' is not a date in the format {date_format}."
        ) from None


def _parse_number(cell, text, profile, allow_empty=False):
    if isinstance(cell, bool):
        raise ValueError(f"'{text}' is not a number.")
    if isinstance(cell, int | float):
        return float(cell)
    if not text:
        if allow_empty:
            return None
        raise ValueError("A number is missing.")
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if profile.decimal_separator == ",":
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?", cleaned):
        raise ValueError(
            f"'{text}' is not a number (decimal separator "
            f"'{profile.decimal_separator}')."
        )
    return float(cleaned)


def _drop_duplicate_serials(parsed, errors, profile):
    by_serial = {}
    for row in parsed:
        serial = row.values.get("serial_number")
        if serial:
            by_serial.setdefault(serial, []).append(row)
    rejected, repeated = set(), set()
    for serial, rows in by_serial.items():
        if len(rows) < 2:
            continue
        signatures = {row.line_signature() for row in rows}
        if len(signatures) > 1:
            numbers = ", ".join(str(row.row) for row in rows)
            for row in rows:
                rejected.add(row.row)
                errors.append(
                    RowError(
                        row.row,
                        profile.columns["serial_number"],
                        serial,
                        f"Serial {serial} appears on rows {numbers} with different "
                        "data.",
                    )
                )
        else:
            repeated.update(row.row for row in rows[1:])
    kept = [row for row in parsed if row.row not in rejected | repeated]
    errors.sort(key=lambda error: error.row)
    return kept, errors, len(repeated)
