import json
from datetime import date, datetime

from odoo.tests import BaseCase, tagged

from ..tools import feed

COLUMNS = {
    "serial_number": "serial",
    "contract_number": "contract",
    "customer_name": "customer",
    "product_code": "product",
    "date_start": "start",
    "date_end": "end",
    "list_price": "price",
    "currency": "currency",
}
HEADER = "serial,contract,customer,product,start,end,price,currency\n"


def parse(text, encoding="utf-8", filename="f.csv", **profile):
    profile = feed.Profile(columns=dict(COLUMNS), encoding=encoding, **profile)
    content = text if isinstance(text, bytes) else text.encode(encoding)
    header, rows = feed.read_table(content, filename, profile)
    return feed.parse_rows(header, rows, profile)


@tagged("post_install", "-at_install")
class TestFeedParse(BaseCase):
    """Reading and checking rows, without the database."""

    def test_good_row(self):
        rows, errors, repeated = parse(
            HEADER + "SN1,C-1,Acme Ltd,P1,2026-01-01,2026-12-31,1234.50,usd\n"
        )
        self.assertEqual(errors, [])
        self.assertEqual(repeated, 0)
        self.assertEqual(rows[0].row, 2)
        values = rows[0].values
        self.assertEqual(values["date_end"], date(2026, 12, 31))
        self.assertEqual(values["list_price"], 1234.5)
        self.assertEqual(values["currency"], "USD")

    def assertRejected(self, line, column, reason, **profile):
        rows, errors, _repeated = parse(HEADER + line, **profile)
        self.assertEqual(rows, [])
        self.assertTrue(errors, "the row should be rejected")
        self.assertEqual((errors[0].row, errors[0].column), (2, column))
        self.assertRegex(errors[0].reason, reason)

    def test_row_errors(self):
        cases = [
            (
                ",C-1,A,P1,2026-01-01,2026-12-31,1,USD\n",
                "serial",
                "Serial number is missing",
            ),
            (
                "S,C-1,A,P1,2026-12-31,2026-01-01,1,USD\n",
                "end",
                r"ends \(2026-01-01\) before",
            ),
            (
                "S,C-1,A,P1,31/12/2026,2027-01-01,1,USD\n",
                "start",
                "not a date in the format %Y-%m-%d",
            ),
            (
                "S,C-1,A,P1,2026-01-01,2026-12-31,-5,USD\n",
                "price",
                "cannot be negative",
            ),
            (
                "S,C-1,A,P1,2026-01-01,2026-12-31,abc,USD\n",
                "price",
                "'abc' is not a number",
            ),
            (
                "S,C-1,,P1,2026-01-01,2026-12-31,1,USD\n",
                "customer",
                "End customer name is missing",
            ),
        ]
        for line, column, reason in cases:
            with self.subTest(line=line):
                self.assertRejected(line, column, reason)

    def test_wrong_column_count(self):
        rows, errors, _repeated = parse(HEADER + "S,C-1,A,P1,2026-01-01\n")
        self.assertEqual(rows, [])
        self.assertEqual(errors[0].row, 2)
        self.assertIn("5 columns, the header has 8", errors[0].reason)

    def test_duplicate_serials(self):
        rows, errors, repeated = parse(
            HEADER
            + "S1,C-1,A,P1,2026-01-01,2026-12-31,1,USD\n"
            + "S1,C-1,A,P1,2026-01-01,2026-12-31,1,USD\n"  # same data: kept once
            + "S2,C-1,A,P1,2026-01-01,2026-12-31,1,USD\n"
            + "S2,C-1,A,P1,2026-01-01,2027-12-31,1,USD\n"  # different: both out
        )
        self.assertEqual([row.row for row in rows], [2])
        self.assertEqual(repeated, 1)
        self.assertEqual([error.row for error in errors], [4, 5])
        self.assertIn("appears on rows 4, 5 with different data", errors[0].reason)

    def test_file_errors(self):
        cases = [
            (b"", "The file is empty"),
            (HEADER.encode(), "header but no data row"),
            (
                b"serial,contract\nS,C\n",
                r"no column 'customer' \(End customer name\)",
            ),
        ]
        for content, reason in cases:
            with (
                self.subTest(reason=reason),
                self.assertRaisesRegex(feed.FeedError, reason),
            ):
                parse(content)

    def test_encodings(self):
        line = "S1,C-1,Schäfer & Söhne KG,P1,2026-01-01,2026-12-31,1,EUR\n"
        for encoding, content in [
            ("utf-8", (HEADER + line).encode("utf-8")),
            ("utf-8", b"\xef\xbb\xbf" + (HEADER + line).encode("utf-8")),  # BOM
            ("cp1252", (HEADER + line).encode("cp1252")),
            ("latin-1", (HEADER + line).encode("latin-1")),
        ]:
            with self.subTest(encoding=encoding, bom=content[:3] == b"\xef\xbb\xbf"):
                rows, errors, _repeated = parse(content, encoding=encoding)
                self.assertEqual(errors, [])
                self.assertEqual(rows[0].values["customer_name"], "Schäfer & Söhne KG")

    def test_unexpected_encoding(self):
        line = "S1,C-1,Schäfer,P1,2026-01-01,2026-12-31,1,EUR\n"
        with self.assertRaisesRegex(
            feed.FeedError, r"not UTF-8 .* byte 0xe4 on line 2"
        ):
            parse((HEADER + line).encode("cp1252"), encoding="utf-8")
        with self.assertRaisesRegex(
            feed.FeedError, "is UTF-8, but the profile says cp1252"
        ):
            parse((HEADER + line).encode("utf-8"), encoding="cp1252")

    def test_formula_payload_is_text(self):
        rows, errors, _repeated = parse(
            HEADER
            + 'S1,C-1,"=HYPERLINK(""http://x"")",P1,2026-01-01,2026-12-31,1,USD\n'
        )
        self.assertEqual(errors, [])
        self.assertEqual(rows[0].values["customer_name"], '=HYPERLINK("http://x")')
        self.assertEqual(feed.csv_safe("=1+2"), "'=1+2")
        self.assertEqual(feed.csv_safe("@SUM(A1)"), "'@SUM(A1)")
        self.assertEqual(feed.csv_safe("plain"), "plain")

    def test_decimal_comma_and_dates(self):
        text = (
            HEADER.replace(",", ";")
            + "S1;C-1;A;P1;28-10-2025;27-10-2026;2.098,62;EUR\n"
        )
        rows, errors, _repeated = parse(
            text, delimiter=";", decimal_separator=",", date_format="%d-%m-%Y"
        )
        self.assertEqual(errors, [])
        self.assertEqual(rows[0].values["list_price"], 2098.62)
        self.assertEqual(rows[0].values["date_start"], date(2025, 10, 28))

    def test_iso_dates_read_as_strptime_reads_them(self):
        """ISO dates take a quicker path than ``strptime``: the same days,
        the same refusals."""
        for text in ("2026-01-05", "2026-1-5", "2024-02-29", "2026-12-31"):
            with self.subTest(text=text):
                rows, errors, _repeated = parse(
                    HEADER + f"S1,C-1,A,P1,2020-01-01,{text},1,USD\n"
                )
                self.assertEqual(errors, [])
                self.assertEqual(
                    rows[0].values["date_end"],
                    datetime.strptime(text, "%Y-%m-%d").date(),
                )
        for text in ("2026-02-30", "2026-13-01", "20261231", "2026-W01-1"):
            with self.subTest(text=text):
                rows, errors, _repeated = parse(
                    HEADER + f"S1,C-1,A,P1,2020-01-01,{text},1,USD\n"
                )
                self.assertEqual(rows, [])
                self.assertRegex(errors[0].reason, "not a date in the format %Y-%m-%d")

    def test_normalisation(self):
        self.assertEqual(feed.normalize_name("Schäfer & Söhne KG"), "schafer sohne")
        self.assertEqual(feed.normalize_name("ACME Logistics Ltd."), "acme logistics")
        self.assertEqual(feed.normalize_vat("gb 900.000.022"), "GB900000022")
        self.assertEqual(feed.email_domain("IT@Cust.Example"), "cust.example")


@tagged("post_install", "-at_install")
class TestFeedParseJson(BaseCase):
    """A JSON push of canonical rows goes through the same checks."""

    def parse(self, data, require_serial=True):
        profile = feed.json_profile(
            feed.Profile(columns={}, require_serial=require_serial)
        )
        content = data if isinstance(data, bytes) else json.dumps(data).encode()
        header, rows = feed.read_json(content)
        return feed.parse_rows(header, rows, profile)

    ROW = {
        "serial_number": "SN1",
        "contract_number": "C-1",
        "customer_name": "Acme Ltd",
        "product_code": "P1",
        "date_start": "2026-01-01",
        "date_end": "2026-12-31",
        "list_price": 1234.5,
        "currency": "usd",
    }

    def test_good_rows(self):
        second = dict(self.ROW, serial_number="SN2", list_price="99.90", quantity=2)
        rows, errors, repeated = self.parse([self.ROW, second])
        self.assertEqual((errors, repeated), ([], 0))
        self.assertEqual([row.row for row in rows], [1, 2])
        self.assertEqual(rows[0].values["date_end"], date(2026, 12, 31))
        self.assertEqual(rows[0].values["list_price"], 1234.5)
        self.assertEqual(rows[0].values["currency"], "USD")
        self.assertEqual(rows[1].values["list_price"], 99.9)
        self.assertEqual(rows[1].values["quantity"], 2.0)

    def test_row_errors_name_row_and_field(self):
        bad = dict(self.ROW, serial_number="SN2", date_end="31/12/2026")
        rows, errors, _repeated = self.parse([self.ROW, bad])
        self.assertEqual(len(rows), 1)
        self.assertEqual((errors[0].row, errors[0].column), (2, "date_end"))
        self.assertRegex(errors[0].reason, "not a date in the format %Y-%m-%d")
        missing = {k: v for k, v in self.ROW.items() if k != "serial_number"}
        _rows, errors, _repeated = self.parse([missing])
        self.assertEqual(errors[0].column, "serial_number")
        rows, errors, _repeated = self.parse([missing], require_serial=False)
        self.assertEqual((len(rows), errors), (1, []))

    def test_file_errors(self):
        cases = [
            (b"", "The file is empty"),
            (b"{not json", "not valid JSON"),
            (b'{"rows": []}', "must hold a list of rows"),
            (b"[]", "no data row"),
            (b"[1]", "Row 1 is not an object"),
            (
                json.dumps([self.ROW, dict(self.ROW, colour="red")]).encode(),
                "Row 2 has unknown fields: colour",
            ),
            (
                json.dumps([dict(self.ROW, quantity=True)]).encode(),
                "Row 1, field quantity: a text, a number or null",
            ),
            (
                json.dumps([dict(self.ROW, customer_name={"a": 1})]).encode(),
                "Row 1, field customer_name: .* not dict",
            ),
        ]
        for content, reason in cases:
            with (
                self.subTest(reason=reason),
                self.assertRaisesRegex(feed.FeedError, reason),
            ):
                self.parse(content)
