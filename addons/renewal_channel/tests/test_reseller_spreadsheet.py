import csv
import io
from datetime import date

from openpyxl import load_workbook

from odoo.tests import BaseCase, tagged

from ..tools.brand import (
    contrast_ratio,
    normalize_color,
    style_variables,
    text_color_on,
)
from ..tools.spreadsheet import csv_bytes, xlsx_bytes

HEADER = ["Contract", "Ends", "Price", "Note"]
ROWS = [
    ["C-1", date(2027, 1, 31), 12.5, '=HYPERLINK("http://x")'],
    ["+31 20", date(2027, 2, 1), -3, "@SUM(A1)"],
    ["-minus", None, 0, "plain"],
]


@tagged("at_install")
class TestResellerSpreadsheet(BaseCase):
    """The downloads' writers and the brand's colours, without a database."""

    def test_csv_neutralises_text_only(self):
        content = csv_bytes(HEADER, ROWS)
        self.assertTrue(content.startswith(b"\xef\xbb\xbf"))
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        self.assertEqual(rows[0], HEADER)
        self.assertEqual(
            rows[1], ["C-1", "2027-01-31", "12.5", '\'=HYPERLINK("http://x")']
        )
        self.assertEqual(rows[2], ["'+31 20", "2027-02-01", "-3", "'@SUM(A1)"])
        self.assertEqual(rows[3], ["'-minus", "", "0", "plain"])

    def test_xlsx_writes_text_as_text(self):
        sheet = load_workbook(io.BytesIO(xlsx_bytes(HEADER, ROWS, "Due"))).active
        self.assertEqual(sheet.title, "Due")
        self.assertEqual([cell.value for cell in sheet[1]], HEADER)
        note = sheet.cell(row=2, column=4)
        self.assertEqual(
            (note.value, note.data_type), ('\'=HYPERLINK("http://x")', "s")
        )
        self.assertEqual(sheet.cell(row=3, column=1).value, "'+31 20")
        self.assertEqual(sheet.cell(row=2, column=2).value.date(), date(2027, 1, 31))
        self.assertEqual(sheet.cell(row=3, column=3).value, -3)
        self.assertIsNone(sheet.cell(row=4, column=2).value)

    def test_colours(self):
        self.assertEqual(normalize_color(" #2E8B57 "), "#2e8b57")
        self.assertEqual(normalize_color("#abc"), "#aabbcc")
        for value in ("", None, "red", "#12345", "#1234567", "#12345g", "#fff; x: y"):
            with self.subTest(value=value):
                self.assertIsNone(normalize_color(value))
        self.assertEqual(text_color_on("#0b4f6c"), "#ffffff")
        self.assertEqual(text_color_on("#2e8b57"), "#000000")
        self.assertEqual(text_color_on("#f2a541"), "#000000")
        self.assertAlmostEqual(contrast_ratio("#000000", "#ffffff"), 21.0)
        self.assertEqual(
            style_variables("#0b4f6c", "#f2a541"),
            "--renewal-brand-primary: #0b4f6c; "
            "--renewal-brand-on-primary: #ffffff; "
            "--renewal-brand-secondary: #f2a541; "
            "--renewal-brand-on-secondary: #000000;",
        )
