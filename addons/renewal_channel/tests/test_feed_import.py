import base64
import csv
import io
import json
from datetime import datetime
from unittest.mock import patch

import openpyxl

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import file_open, mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import HEADER, FeedCase, csv_bytes, row

JSON_FIELDS = (
    "serial_number",
    "contract_number",
    "customer_name",
    "customer_vat",
    "customer_email",
    "customer_city",
    "product_code",
    "service_level",
    "date_start",
    "date_end",
    "list_price",
    "currency",
    "reseller",
)


@tagged("post_install", "-at_install")
class TestFeedImport(FeedCase):
    """Feeds into the system of record: bad input, upserts, matching."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.USD").active = True
        cls.source = cls.make_source("Vendor test feed", priority=20)
        cls.customer.write({"vat": "DE111111111", "email": "it@nordwind.example"})

    def run_feed(self, content, source=None, filename="feed.csv", **kwargs):
        return (source or self.source).import_file(
            content, filename, delay=False, **kwargs
        )

    def lines(self, serials):
        return self.env["renewal.contract.line"].search(
            [("serial_number", "in", serials)]
        )

    def rejected(self, feed_import):
        return [
            (error.row, error.column, error.reason)
            for error in feed_import.error_ids
            if not error.is_conflict
        ]

    # ------------------------------------------------------------------

    def test_import_creates_contracts_and_lines(self):
        feed_import = self.run_feed(
            csv_bytes(
                [
                    row("SN-1", end="2026-08-31"),
                    row("SN-2", end="2027-06-30"),
                    row("SN-3", "C-2"),
                ]
            )
        )
        self.assertEqual(feed_import.state, "done", feed_import.message)
        self.assertEqual(
            (
                feed_import.row_count,
                feed_import.created_count,
                feed_import.rejected_count,
            ),
            (3, 3, 0),
        )
        lines = self.lines(["SN-1", "SN-2", "SN-3"])
        self.assertEqual(len(lines), 3)
        contract = lines.filtered(lambda line: line.serial_number == "SN-1").contract_id
        self.assertEqual(contract.name, "C-1")
        self.assertEqual(contract.partner_id, self.customer)  # matched, not new
        self.assertEqual(contract.feed_source_id, self.source)
        self.assertEqual(len(contract.line_ids), 2)
        self.assertEqual(contract.date_end.isoformat(), "2027-06-30")
        self.assertEqual(lines.service_level_id, self.level)
        # Stored fields as the ORM computes them.
        self.assertEqual(contract.status, "due")  # SN-1 ends in 77 days
        self.assertEqual(contract.next_expiry_date.isoformat(), "2026-08-31")
        self.assertEqual(contract.amount_renewal, 200.0)
        for line in lines:
            self.assertEqual(line.partner_id, self.customer)
            self.assertEqual(line.renewal_subtotal, 100.0)
            status = line.status
            line.invalidate_recordset()
            self.env.add_to_compute(line._fields["status"], line)
            self.assertEqual(line.status, status)
        self.assertIn("Done: 3 rows, 3 created", feed_import.message_ids[0].body)

    def test_new_contracts_computed_fields_given_as_computed(self):
        """The contracts a feed makes are created with the stored computed
        fields that follow from their values given (``_bulk_create_values``:
        the salesperson's team, the reseller's brand, ...), not computed
        after: each must hold what its compute gives."""
        seller = new_test_user(
            self.env,
            login="feed_team_seller",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        loner = new_test_user(
            self.env,
            login="feed_lone_seller",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        team = self.env["crm.team"].create(
            {"name": "Feed renewals", "member_ids": [Command.link(seller.id)]}
        )
        self.reseller.renewal_own_brand = True
        Contract = self.env["renewal.contract"]
        given = list(Contract._bulk_create_values({"company_id": self.company.id}))
        self.assertIn("team_id", given)
        self.assertIn("publish_in_reseller_name", given)
        for user, serial, reseller, expected in [
            (seller, "SN-T1", "Resell One", (team, True)),
            (loner, "SN-T2", "", (team.browse(), False)),
        ]:
            source = self.make_source(f"Feed of {user.login}", user_id=user.id)
            self.run_feed(
                csv_bytes([row(serial, f"C-{serial}", reseller=reseller)]),
                source=source,
            )
            contract = self.lines([serial]).contract_id
            self.assertEqual(contract.user_id, user)
            self.assertEqual(
                (contract.team_id, contract.publish_in_reseller_name), expected
            )
            stored = {name: contract[name] for name in given}
            # what the computes give
            contract.invalidate_recordset(given)
            for name in given:
                self.env.add_to_compute(contract._fields[name], contract)
            self.assertEqual({name: contract[name] for name in given}, stored)

    def test_json_push_imports_like_the_file(self):
        """Canonical JSON rows need no column mapping: the same checks,
        matching and upsert as the source's CSV, so the same file in JSON
        after the CSV changes nothing."""
        rows = [row("SN-1"), row("SN-2"), row("SN-3", "C-2", end="2026-03-31")]
        self.run_feed(csv_bytes(rows))
        canonical = dict(zip(HEADER, JSON_FIELDS, strict=True))
        data = [
            {canonical[col]: value for col, value in zip(HEADER, r, strict=True)}
            for r in rows
        ]
        again = self.run_feed(json.dumps(data).encode(), filename="push.json")
        self.assertEqual(again.state, "done", again.message)
        self.assertEqual(
            (again.row_count, again.created_count, again.updated_count),
            (3, 0, 0),
        )
        self.assertEqual(again.unchanged_count, 3)
        data[0]["date_end"] = "2027-12-31"
        data[1]["list_price"] = "abc"
        changed = self.run_feed(json.dumps(data).encode(), filename="push.json")
        self.assertEqual((changed.updated_count, changed.rejected_count), (1, 1))
        self.assertEqual(
            self.rejected(changed),
            [(2, "list_price", "'abc' is not a number (decimal separator '.').")],
        )
        self.assertEqual(self.lines(["SN-1"]).date_end.isoformat(), "2027-12-31")

    def test_large_import_refreshes_the_planner_statistics(self):
        """An import that writes at least ANALYZE_AFTER_ROWS lines analyses
        the tables it wrote; a small one leaves that to autovacuum."""
        Import = type(self.env["renewal.feed.import"])
        module = "odoo.addons.renewal_channel.models.renewal_feed_import"
        with (
            patch(f"{module}.ANALYZE_AFTER_ROWS", 3),
            patch.object(
                Import, "_analyze_tables", autospec=True, wraps=Import._analyze_tables
            ) as analyze,
        ):
            self.run_feed(csv_bytes([row("AN-1"), row("AN-2")]))
            analyze.assert_not_called()
            done = self.run_feed(csv_bytes([row("AN-3"), row("AN-4"), row("AN-5")]))
            self.assertEqual(done.created_count, 3)
            analyze.assert_called_once()
        # The statement itself runs (the mock above wrapped the real one).
        done._analyze_tables()

    def test_same_file_twice_changes_nothing(self):
        content = csv_bytes([row("SN-1"), row("SN-2"), row("SN-3", "C-2")])
        self.run_feed(content)
        before = self.lines(["SN-1", "SN-2", "SN-3"]).read(
            ["write_date", "contract_id"]
        )
        again = self.run_feed(content)
        self.assertEqual(
            (again.created_count, again.updated_count, again.unchanged_count),
            (0, 0, 3),
        )
        self.assertEqual(
            self.lines(["SN-1", "SN-2", "SN-3"]).read(["write_date", "contract_id"]),
            before,
        )
        self.assertEqual(
            self.env["renewal.contract"].search_count([("name", "in", ["C-1", "C-2"])]),
            2,
        )

    def test_later_file_updates(self):
        self.run_feed(csv_bytes([row("SN-1"), row("SN-2")]))
        later = self.run_feed(
            csv_bytes(
                [row("SN-1", end="2027-12-31", price="120"), row("SN-2"), row("SN-9")]
            )
        )
        self.assertEqual(
            (later.created_count, later.updated_count, later.unchanged_count), (1, 1, 1)
        )
        line = self.lines(["SN-1"])
        self.assertEqual(line.date_end.isoformat(), "2027-12-31")
        self.assertEqual(line.list_price, 120.0)
        self.assertEqual(line.status, "live")
        self.assertEqual(line.contract_id.date_end.isoformat(), "2027-12-31")

    def test_dry_run_writes_nothing(self):
        self.run_feed(csv_bytes([row("SN-1")]))
        contracts = self.env["renewal.contract"].search_count([])
        partners = self.env["res.partner"].search_count([])
        dry = self.run_feed(
            csv_bytes(
                [
                    row("SN-1", price="150"),
                    row("SN-2", "C-9", customer="Brand New GmbH"),
                    row("SN-3", product="NOPE"),
                ]
            ),
            dry_run=True,
        )
        self.assertEqual(dry.state, "checked")
        self.assertEqual(
            (
                dry.created_count,
                dry.updated_count,
                dry.rejected_count,
                dry.customer_count,
            ),
            (1, 1, 1, 1),
        )
        self.assertEqual(self.env["renewal.contract"].search_count([]), contracts)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(self.lines(["SN-1"]).list_price, 100.0)
        self.assertFalse(self.lines(["SN-2", "SN-3"]))

    def test_bad_rows_matrix(self):
        self.env["res.partner"].create(
            {"name": "Good Reseller", "is_company": True, "is_renewal_reseller": True}
        )
        content = csv_bytes(
            [
                row("OK-1"),
                row("", "C-2"),  # 3: missing serial
                row("BAD-4", product="XX-999"),  # 4: unknown product
                row("BAD-5", start="2026-05-01", end="2026-04-01"),  # 5: end < start
                row("BAD-6", end="31/12/2026"),  # 6: unparseable date
                row("BAD-7", price="-3"),  # 7: negative price
                row("BAD-8", price="ten"),  # 8: non-numeric price
                row("BAD-9", currency="XYZ"),  # 9: unknown currency
                row("BAD-10", reseller="Nobody Resells Inc"),  # 10: unknown reseller
                row("DUP", end="2027-01-01"),  # 11, 12: same serial, other data
                row("DUP", end="2028-01-01"),
                row("OK-2", "C-R", reseller="Good Reseller"),
                row("BAD-14", level="Diamond"),  # 14: unknown service level
            ]
        )
        content += b"BAD-15,C-1,too,few\n"  # 15: wrong column count
        feed_import = self.run_feed(content)
        self.assertEqual(feed_import.state, "done")
        rejected = self.rejected(feed_import)
        by_row = {number: (column, reason) for number, column, reason in rejected}
        expected = {
            3: ("serial", "Serial number is missing"),
            4: ("product", "Unknown product code XX-999"),
            5: ("end", "before it starts"),
            6: ("end", "is not a date in the format"),
            7: ("price", "cannot be negative"),
            8: ("price", "'ten' is not a number"),
            9: ("currency", "Unknown currency XYZ"),
            10: ("reseller", "Unknown reseller Nobody Resells Inc"),
            11: ("serial", "appears on rows 11, 12 with different data"),
            12: ("serial", "appears on rows 11, 12 with different data"),
            14: ("level", "Unknown service level Diamond"),
            15: ("", "4 columns, the header has 13"),
        }
        self.assertEqual(set(by_row), set(expected))
        for number, (column, reason) in expected.items():
            self.assertEqual(by_row[number][0], column, number)
            self.assertIn(reason, by_row[number][1], number)
        self.assertEqual(feed_import.rejected_count, 12)
        self.assertEqual(feed_import.created_count, 2)
        self.assertEqual(
            self.lines(["OK-1", "OK-2"]).mapped("serial_number"), ["OK-1", "OK-2"]
        )
        self.assertEqual(self.lines(["OK-2"]).reseller_id.name, "Good Reseller")
        # The rejected rows as a CSV a person downloads.
        rejected_csv = base64.b64decode(feed_import.rejected_file).decode("utf-8-sig")
        table = list(csv.reader(io.StringIO(rejected_csv)))
        self.assertEqual(table[0], ["row", "column", "value", "reason"])
        self.assertEqual(len(table), 13)
        self.assertEqual(table[1][:2], ["3", "serial"])

    def test_file_level_errors(self):
        cases = [
            (b"", "The file is empty"),
            (csv_bytes([]), "header but no data row"),
            (
                csv_bytes([row("S")[:-2]], header=HEADER[:-2]),
                "no column 'currency' (Currency), 'reseller' (Reseller)",
            ),
            (
                csv_bytes([row("S", customer="Schäfer & Söhne KG")], encoding="cp1252"),
                "not UTF-8 as the profile says",
            ),
        ]
        for content, reason in cases:
            with self.subTest(reason=reason):
                feed_import = self.run_feed(content)
                self.assertEqual(feed_import.state, "failed")
                self.assertIn(reason, feed_import.message)
                self.assertFalse(feed_import.chunk_ids)

    def test_script_payload_stored_as_text(self):
        payload = '<script>alert("x")</script>=HYPERLINK("http://evil")'
        feed_import = self.run_feed(
            csv_bytes(
                [
                    row("XSS-1", "C-X", customer=payload),
                    row("XSS-2", "C-X", product="=1+2"),
                ]
            )
        )
        customer = self.lines(["XSS-1"]).partner_id
        self.assertEqual(customer.name, payload)
        rejected_csv = base64.b64decode(feed_import.rejected_file).decode("utf-8-sig")
        self.assertIn("'=1+2", rejected_csv)  # neutralised for spreadsheets
        # Shown escaped in the back office (Odoo escapes field values).
        self.assertNotIn("<script>", customer.display_name.replace(payload, ""))

    def test_all_or_nothing(self):
        self.source.all_or_nothing = True
        contracts = self.env["renewal.contract"].search_count([])
        partners = self.env["res.partner"].search_count([])
        feed_import = self.run_feed(
            csv_bytes(
                [
                    row("AON-1", customer="Someone New AG"),
                    row("AON-2", product="NOPE"),
                ]
            )
        )
        self.assertEqual(feed_import.state, "failed")
        self.assertIn("nothing was imported", feed_import.message)
        self.assertEqual(feed_import.created_count, 0)
        self.assertEqual(self.env["renewal.contract"].search_count([]), contracts)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        good = self.run_feed(csv_bytes([row("AON-1"), row("AON-3", "C-5")]))
        self.assertEqual((good.state, good.created_count), ("done", 2))
        self.assertEqual(len(good.chunk_ids), 1)

    def test_conflict_between_sources(self):
        low = self.make_source("Reseller feed", priority=5)
        high = self.make_source("Distributor feed", priority=50)
        self.run_feed(csv_bytes([row("CF-1"), row("CF-2")]))  # priority 20
        # A lower priority source disagrees: the data stays, the conflict is logged.
        from_low = self.run_feed(csv_bytes([row("CF-1", price="999")]), source=low)
        self.assertEqual((from_low.unchanged_count, from_low.conflict_count), (1, 1))
        self.assertEqual(self.lines(["CF-1"]).list_price, 100.0)
        conflict = from_low.error_ids.filtered("is_conflict")
        self.assertIn("belongs to Vendor test feed (priority 20", conflict.reason)
        self.assertFalse(from_low.rejected_file)
        # A higher priority source wins and takes the line over.
        from_high = self.run_feed(csv_bytes([row("CF-2", price="80")]), source=high)
        self.assertEqual((from_high.updated_count, from_high.conflict_count), (1, 1))
        line = self.lines(["CF-2"])
        self.assertEqual((line.list_price, line.feed_source_id), (80.0, high))
        # The same source agreeing with itself is no conflict.
        same = self.run_feed(csv_bytes([row("CF-1", price="110")]))
        self.assertEqual((same.updated_count, same.conflict_count), (1, 0))

    def test_customer_matching(self):
        Partner = self.env["res.partner"]
        by_mail = Partner.create(
            {
                "name": "Mail Match Ltd",
                "is_company": True,
                "email": "it@mailmatch.example",
            }
        )
        by_city = Partner.create(
            {"name": "Town Match BV", "is_company": True, "city": "Delft"}
        )
        Partner.create({"name": "Twin Co", "is_company": True, "city": "Leeds"})
        Partner.create({"name": "Twin Co.", "is_company": True, "city": "Leeds"})
        count = Partner.search_count([])
        feed_import = self.run_feed(
            csv_bytes(
                [
                    # VAT wins, whatever the name says.
                    row(
                        "M-1",
                        "C-1",
                        customer="NORDWIND (old name)",
                        vat="de 111 111 111",
                    ),
                    # E-mail domain + normalised name.
                    row(
                        "M-2",
                        "C-2",
                        customer="MAIL MATCH LIMITED",
                        email="ops@mailmatch.example",
                    ),
                    # Normalised name + city.
                    row("M-3", "C-3", customer="Town Match B.V.", city="delft"),
                    # Two candidates: rejected, never guessed.
                    row("M-4", "C-4", customer="Twin Co", city="Leeds"),
                    # Nobody: created once, linked from both rows.
                    row("M-5", "C-5", customer="Fresh Start GmbH", city="Bonn"),
                    row("M-6", "C-6", customer="Fresh Start GmbH", city="Bonn"),
                ]
            )
        )
        self.assertEqual(self.lines(["M-1"]).partner_id, self.customer)
        self.assertEqual(self.lines(["M-2"]).partner_id, by_mail)
        self.assertEqual(self.lines(["M-3"]).partner_id, by_city)
        self.assertFalse(self.lines(["M-4"]))
        [(number, column, reason)] = self.rejected(feed_import)
        self.assertEqual((number, column), (5, "customer"))
        self.assertIn(
            "Ambiguous end customer Twin Co: 2 customers match by name and city", reason
        )
        fresh = self.lines(["M-5", "M-6"]).partner_id
        self.assertEqual(len(fresh), 1)
        self.assertEqual(
            (fresh.name, fresh.city, fresh.is_company),
            ("Fresh Start GmbH", "Bonn", True),
        )
        self.assertEqual(Partner.search_count([]), count + 1)
        self.assertEqual(feed_import.customer_count, 1)

    def test_other_company_records_are_not_matched(self):
        """A feed of company A matches A's products, customers and resellers,
        and the shared ones: another company's are unknown, at the dry run
        and at the import, even for a user working in both companies."""
        company_b = self.env["res.company"].create({"name": "Vendor B"})
        Partner = self.env["res.partner"]
        product_b = self.env["product.product"].create(
            {"name": "B's server", "default_code": "B-ONLY", "company_id": company_b.id}
        )
        # The same code, shared and company B's: the shared one is A's.
        self.env["product.product"].create(
            {"name": "B's twin", "default_code": "R1", "company_id": company_b.id}
        )
        customer_b = Partner.create(
            {
                "name": "Bravo Kunde GmbH",
                "is_company": True,
                "vat": "DE222222222",
                "company_id": company_b.id,
            }
        )
        Partner.create(
            {
                "name": "Bravo Reseller",
                "is_company": True,
                "is_renewal_reseller": True,
                "company_id": company_b.id,
            }
        )
        content = csv_bytes(
            [
                row("X-1"),
                row("X-2", product="B-ONLY"),
                row("X-3", "C-3", customer="Bravo Kunde GmbH", vat="DE222222222"),
                row("X-4", reseller="Bravo Reseller"),
            ]
        )
        both = self.env(
            context=dict(
                self.env.context, allowed_company_ids=[self.company.id, company_b.id]
            )
        )
        source = self.source.with_env(both)
        for dry_run in (True, False):
            with self.subTest(dry_run=dry_run):
                feed_import = self.run_feed(content, source=source, dry_run=dry_run)
                self.assertEqual(feed_import.state, "checked" if dry_run else "done")
                rejected = self.rejected(feed_import)
                self.assertEqual(
                    [(number, column) for number, column, _reason in rejected],
                    [(3, "product"), (5, "reseller")],
                )
                self.assertIn("Unknown product code B-ONLY", rejected[0][2])
                self.assertIn("Unknown reseller Bravo Reseller", rejected[1][2])
                self.assertEqual(feed_import.created_count, 2)
                self.assertEqual(feed_import.customer_count, 1)
        lines = self.lines(["X-1", "X-2", "X-3", "X-4"])
        self.assertEqual(lines.mapped("serial_number"), ["X-1", "X-3"])
        self.assertEqual(lines.product_id, self.product)
        self.assertNotIn(product_b, lines.product_id)
        new_customer = lines.filtered(lambda line: line.serial_number == "X-3")
        self.assertNotEqual(new_customer.partner_id, customer_b)
        self.assertFalse(new_customer.partner_id.company_id)
        # An alias cannot point at another company's product.
        with self.assertRaises(UserError):
            self.env["renewal.feed.product.alias"].create(
                {"source_id": self.source.id, "code": "BEE", "product_id": product_b.id}
            )

    def test_manager_imports_new_customers(self):
        """A Renewals Manager (not an administrator) runs an import that
        creates an end customer; a user who may not create contacts is told
        so, rather than met with an access error."""
        feed_import = self.run_feed(
            csv_bytes([row("MGR-1", "C-M", customer="Brand New Kunde AG")]),
            source=self.source.with_user(self.manager),
        )
        self.assertEqual(feed_import.state, "done")
        self.assertEqual(feed_import.customer_count, 1)
        self.assertEqual(self.lines(["MGR-1"]).partner_id.name, "Brand New Kunde AG")
        self.assertFalse(self.user.has_group("base.group_partner_manager"))
        feed_import = self.run_feed(
            csv_bytes([row("USR-1", "C-U", customer="Another New AG")]),
            source=self.source.with_user(self.user),
        )
        self.assertEqual(feed_import.state, "failed")
        self.assertIn("ask a Renewals Manager", feed_import.message)
        self.assertFalse(self.lines(["USR-1"]))

    def test_killed_run_resumes(self):
        self.source.chunk_size = 2
        content = csv_bytes(
            [
                row("K-1", "K-A"),
                row("K-2", "K-A"),
                row("K-3", "K-B"),
                row("K-4", "K-B"),
                row("K-5", "K-C"),
            ]
        )
        original = type(self.env["renewal.feed.import"])._write_rows
        calls = []

        def crash_on_second_chunk(record, rows):
            calls.append(rows)
            result = original(record, rows)
            if len(calls) == 2:
                raise OSError("worker killed")
            return result

        with (
            patch.object(
                type(self.env["renewal.feed.import"]),
                "_write_rows",
                crash_on_second_chunk,
            ),
            mute_logger("odoo.addons.renewal_channel.models.renewal_feed_import"),
        ):
            feed_import = self.run_feed(content)
        self.assertEqual(feed_import.state, "failed")
        self.assertIn(
            "Chunk 2 failed and was rolled back: worker killed", feed_import.message
        )
        self.assertEqual(
            feed_import.chunk_ids.mapped("state"), ["done", "failed", "pending"]
        )
        # The first chunk is in; nothing of the second (it wrote, then died).
        self.assertEqual(
            self.lines(["K-1", "K-2", "K-3", "K-4"]).mapped("serial_number"),
            ["K-1", "K-2"],
        )
        self.assertFalse(self.env["renewal.contract"].search([("name", "=", "K-B")]))
        feed_import.action_resume()
        self.assertEqual(feed_import.state, "done")
        self.assertEqual(feed_import.created_count, 5)
        self.assertEqual(len(self.lines(["K-1", "K-2", "K-3", "K-4", "K-5"])), 5)

    def test_background_jobs(self):
        self.source.chunk_size = 2
        content = csv_bytes([row("J-1", "J-A"), row("J-2", "J-B"), row("J-3", "J-C")])
        with trap_jobs() as trap:
            feed_import = self.source.import_file(content, "jobs.csv")
            self.assertEqual(feed_import.state, "running")
            self.assertEqual(len(feed_import.chunk_ids), 2)
            trap.assert_jobs_count(3)
            for chunk in feed_import.chunk_ids:
                trap.assert_jobs_count(1, only=chunk._run)
            trap.assert_jobs_count(1, only=feed_import._finish)
            self.assertFalse(self.lines(["J-1", "J-2", "J-3"]))
            trap.perform_enqueued_jobs()
        self.assertEqual(feed_import.state, "done")
        self.assertEqual(feed_import.progress, 100.0)
        self.assertEqual(len(self.lines(["J-1", "J-2", "J-3"])), 3)

    def test_xlsx_and_sheet_checks(self):
        def workbook(sheets=1, merge=False):
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.append(["Export of installed base"])
            sheet.append([])
            sheet.append(HEADER)
            values = row("X-1")
            values[8:11] = [datetime(2026, 1, 1), datetime(2026, 12, 31), 150.5]
            sheet.append(values)
            if merge:
                sheet.merge_cells("A1:D1")
            for index in range(1, sheets):
                book.create_sheet(f"Other {index}")
            buffer = io.BytesIO()
            book.save(buffer)
            return buffer.getvalue()

        self.source.header_row = 3
        good = self.run_feed(workbook(), filename="base.xlsx")
        self.assertEqual((good.state, good.created_count), ("done", 1), good.message)
        line = self.lines(["X-1"])
        self.assertEqual(
            (line.list_price, line.date_end.isoformat()), (150.5, "2026-12-31")
        )
        several = self.run_feed(workbook(sheets=3), filename="base.xlsx")
        self.assertEqual(several.state, "failed")
        self.assertIn("The workbook has 3 sheets", several.message)
        merged = self.run_feed(workbook(merge=True), filename="base.xlsx")
        self.assertEqual(merged.state, "failed")
        self.assertIn("merged cells", merged.message)

    def test_every_encoding(self):
        for encoding in ("utf-8", "utf-8-sig", "cp1252", "latin-1"):
            with self.subTest(encoding=encoding):
                profile = "utf-8" if encoding == "utf-8-sig" else encoding
                self.source.encoding = profile
                serial = f"E-{encoding}"
                feed_import = self.run_feed(
                    csv_bytes(
                        [row(serial, f"C-{encoding}", customer="Hôtel Beau Rivage SA")],
                        encoding=encoding,
                    )
                )
                self.assertEqual(feed_import.state, "done", feed_import.message)
                self.assertEqual(
                    self.lines([serial]).partner_id.name, "Hôtel Beau Rivage SA"
                )

    def test_sample_feeds_from_three_parties(self):
        """The three sample feeds with their demo profiles (skipped without
        demo data)."""
        vendor = self.env.ref("renewal_channel.feed_source_vendor", False)
        if not vendor:
            self.skipTest("installed without demo data")
        self.env.ref("base.EUR").active = True
        results = {}
        for xmlid, filename in [
            ("feed_source_vendor", "vendor_direct.csv"),
            ("feed_source_distributor_nl", "distributor_nl.csv"),
            ("feed_source_reseller_us", "reseller_us.xlsx"),
        ]:
            source = self.env.ref(f"renewal_channel.{xmlid}")
            with file_open(f"renewal_channel/demo/feeds/{filename}", "rb") as handle:
                content = handle.read()
            first = source.import_file(content, filename, delay=False)
            again = source.import_file(content, filename, delay=False)
            results[filename] = (
                first.state,
                first.rejected_count,
                again.unchanged_count,
            )
            self.assertEqual(first.created_count + first.updated_count, first.row_count)
        self.assertEqual(
            results,
            {
                "vendor_direct.csv": ("done", 0, 150),
                "distributor_nl.csv": ("done", 0, 120),
                "reseller_us.xlsx": ("done", 0, 80),
            },
        )
        # One customer record per end customer across the three parties.
        customers = (
            self.env["renewal.contract"]
            .search([("feed_source_id", "!=", False)])
            .partner_id
        )
        self.assertEqual(len(customers), len(set(customers.mapped("name"))))

    def test_upload_wizard(self):
        wizard = self.env["renewal.feed.source.upload"].create(
            {
                "source_id": self.source.id,
                "file": base64.b64encode(
                    csv_bytes([row("W-1"), row("W-2", product="?")])
                ),
                "filename": "upload.csv",
            }
        )
        wizard.action_check()
        self.assertEqual(
            (wizard.state, wizard.created_count, wizard.rejected_count),
            ("checked", 1, 1),
        )
        self.assertFalse(self.lines(["W-1"]))
        with trap_jobs() as trap:
            action = wizard.action_import()
            trap.perform_enqueued_jobs()
        self.assertEqual(action["res_model"], "renewal.feed.import")
        self.assertEqual(wizard.import_id.state, "done")
        self.assertTrue(self.lines(["W-1"]))
