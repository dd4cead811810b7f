"""Tables a reseller downloads from the portal, as CSV or XLSX: no ORM here.

A table is a header and rows of plain values (text, numbers, dates). Text
is passed through ``neutralize_formula`` on its way out, so that no cell a
customer or a feed typed runs as a formula in the reseller's spreadsheet;
numbers and dates stay numbers and dates.
"""

import csv
import io
from datetime import date, datetime

import xlsxwriter

from odoo.addons.renewal_contracts.tools.text import neutralize_formula

CSV_MIMETYPE = "text/csv;charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    """A value as a CSV cell: text neutralised, dates in ISO format."""
    if value is None or value is False:
        return ""
    if isinstance(value, bool):
        return "1"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return neutralize_formula(value)


def csv_bytes(header, rows):
    """The table as UTF-8 CSV with a byte-order mark (so that Excel reads
    its accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_cell(title) for title in header])
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(header, rows, sheet_name="Sheet1"):
    """The table as an XLSX workbook of one sheet: text cells written as
    text (never as formulas), numbers as numbers, dates as dates."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    widths = [len(str(title)) for title in header]
    for column, title in enumerate(header):
        sheet.write_string(0, column, neutralize_formula(title), bold)
    for row_index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None or value is False:
                sheet.write_blank(row_index, column, None)
                continue
            if isinstance(value, bool):
                sheet.write_boolean(row_index, column, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(row_index, column, value)
            elif isinstance(value, datetime):
                sheet.write_datetime(row_index, column, value, date_format)
            elif isinstance(value, date):
                sheet.write_datetime(
                    row_index,
                    column,
                    datetime(value.year, value.month, value.day),
                    date_format,
                )
            else:
                text = neutralize_formula(value)
                sheet.write_string(row_index, column, text)
                widths[column] = max(widths[column], min(len(text), 60))
    for column, width in enumerate(widths):
        sheet.set_column(column, column, max(width, 10) + 2)
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()
