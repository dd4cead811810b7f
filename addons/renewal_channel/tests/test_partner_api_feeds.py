import json

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import csv_bytes
from .common_partner_api import CANONICAL, PartnerApiCase


@tagged("post_install", "-at_install")
class TestPartnerApiFeeds(PartnerApiCase):
    """Pushing rows, uploading files, following imports."""

    def no_delay_env(self):
        return self.env(context=dict(self.env.context, queue_job__no_delay=True))

    def lines(self, prefix):
        return self.env["renewal.contract.line"].search(
            [("serial_number", "=like", f"{prefix}-%")]
        )

    def test_push_imports_rows_as_a_file_would(self):
        response = self.push(self.rows(3, "P1"))
        self.assertEqual(response.status_code, 201, response.text)
        data = response.json()
        self.assertEqual(
            (data["state"], data["rows"], data["created"], data["rejected"]),
            ("done", 3, 3, 0),
        )
        lines = self.lines("P1")
        self.assertEqual(len(lines), 3)
        # Sold by the source's reseller, to the matched customer.
        self.assertEqual(lines.contract_id.reseller_id, self.reseller_a)
        self.assertEqual(lines.contract_id.partner_id, self.customer_a)
        feed_import = self.env["renewal.feed.import"].browse(data["id"])
        self.assertEqual(feed_import.user_id, self.manager_a)
        self.assertEqual(feed_import.source_id, self.source_a)
        # The same rows again: nothing changes (the upsert is idempotent).
        again = self.push(self.rows(3, "P1")).json()
        self.assertEqual((again["created"], again["unchanged"]), (0, 3))

    def test_dry_run_writes_nothing(self):
        response = self.push(self.rows(2, "DRY"), dry_run=True)
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()["state"], "checked")
        self.assertEqual(response.json()["created"], 2)
        self.assertFalse(self.lines("DRY"))

    def test_rejected_rows_name_row_column_value_reason(self):
        rows = self.rows(3, "REJ")
        rows[1]["product_code"] = "NO-SUCH"
        data = self.push(rows).json()
        self.assertEqual((data["created"], data["rejected"]), (2, 1))
        detail = self.call("GET", f"/imports/{data['id']}").json()
        self.assertEqual(detail["errors_total"], 1)
        error = detail["errors"][0]
        self.assertEqual(
            (error["row"], error["column"], error["value"], error["conflict"]),
            (2, "product_code", "NO-SUCH", False),
        )
        self.assertIn("Unknown product code NO-SUCH", error["reason"])

    def test_idempotent_replay_changes_nothing(self):
        headers = {"Idempotency-Key": "order-4711"}
        first = self.push(self.rows(2, "IDEM"), headers=headers)
        self.assertEqual(first.status_code, 201)
        imports = self.env["renewal.feed.import"].search_count([])
        lines = self.lines("IDEM")
        lines.write({"list_price": 1.0})  # changed since: a replay must not undo it
        replay = self.push(self.rows(2, "IDEM"), headers=headers)
        self.assertEqual(replay.status_code, 200)
        self.assertEqual(replay.headers["Idempotent-Replayed"], "true")
        self.assertEqual(replay.json()["id"], first.json()["id"])
        self.assertTrue(replay.json()["replayed"])
        self.assertEqual(self.env["renewal.feed.import"].search_count([]), imports)
        self.assertEqual(set(lines.mapped("list_price")), {1.0})
        # The same key with another body is refused.
        other = self.push(self.rows(3, "IDEM"), headers=headers)
        self.assertEqual(other.status_code, 409)
        self.assertIn("Idempotency-Key", other.json()["detail"])
        self.assertEqual(len(self.lines("IDEM")), 2)
        # Another source may use the same key: keys are per source.
        self.assertEqual(
            self.push(
                self.rows(1, "IDEM-B"),
                key=self.key_b,
                source=self.source_b,
                headers=headers,
            ).status_code,
            201,
        )

    def test_wrong_types_unknown_fields_missing_fields(self):
        rows = self.rows(2, "BAD")
        rows[0]["list_price"] = "100"
        rows[0]["quantity"] = True
        rows[1]["date_end"] = "31/12/2027"
        rows[1]["colour"] = "red"
        del rows[1]["customer_name"]
        response = self.push(rows)
        self.assertEqual(response.status_code, 422)
        errors = {
            (tuple(error["loc"]), error["type"]) for error in response.json()["detail"]
        }
        self.assertEqual(
            errors,
            {
                (("body", "rows", 0, "list_price"), "float_type"),
                (("body", "rows", 0, "quantity"), "float_type"),
                (("body", "rows", 1, "date_end"), "value_error"),
                (("body", "rows", 1, "colour"), "extra_forbidden"),
                (("body", "rows", 1, "customer_name"), "missing"),
            },
        )
        messages = {error["msg"] for error in response.json()["detail"]}
        self.assertIn("Value error, a date is written YYYY-MM-DD", messages)
        self.assertFalse(self.lines("BAD"))

    def test_out_of_range_values_are_refused(self):
        rows = self.rows(1, "RANGE", list_price=-5, currency="EURO")
        response = self.push(rows)
        self.assertEqual(response.status_code, 422)
        fields_ = {error["loc"][-1] for error in response.json()["detail"]}
        self.assertEqual(fields_, {"list_price", "currency"})

    def test_bad_json_and_empty_push(self):
        response = self.call(
            "POST",
            f"/sources/{self.source_a.id}/rows",
            content=b'{"rows": [',
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["detail"][0]["type"], "json_invalid")
        self.assertEqual(self.push([]).status_code, 422)

    def test_large_push_is_queued(self):
        self.env["ir.config_parameter"].set_param(
            "renewal_channel.background_rows", "5"
        )
        with trap_jobs() as trap:
            response = self.push(self.rows(6, "BG"))
            self.assertEqual(response.status_code, 202, response.text)
            self.assertEqual(response.json()["state"], "draft")
            trap.assert_jobs_count(1)
            self.assertFalse(self.lines("BG"))
            trap.perform_enqueued_jobs()  # start: reads, checks, queues chunks
            trap.perform_enqueued_jobs()  # the chunks, then the finish
            trap.perform_enqueued_jobs()
        detail = self.call("GET", f"/imports/{response.json()['id']}").json()
        self.assertEqual((detail["state"], detail["created"]), ("done", 6))
        self.assertEqual(detail["progress"], 100.0)
        self.assertEqual(len(self.lines("BG")), 6)

    def test_ten_thousand_rows(self):
        response = self.push(self.rows(10000, "TENK"), env=self.no_delay_env())
        self.assertEqual(response.status_code, 202, response.text)
        detail = self.call("GET", f"/imports/{response.json()['id']}").json()
        self.assertEqual(
            (detail["state"], detail["rows"], detail["created"], detail["rejected"]),
            ("done", 10000, 10000, 0),
        )
        self.assertEqual(len(self.lines("TENK")), 10000)
        self.assertEqual(len(self.lines("TENK").contract_id), 2000)

    def test_upload_a_file_in_the_sources_layout(self):
        self.source_a.column_ids.filtered(
            lambda c: c.target == "serial_number"
        ).column_name = "Serial #"
        header = ["Serial #", *CANONICAL[1:]]
        rows = [[row[target] for target in CANONICAL] for row in self.rows(4, "UP")]
        content = csv_bytes(rows, header=header)
        response = self.call(
            "POST",
            f"/sources/{self.source_a.id}/files",
            env=self.no_delay_env(),
            files={"file": ("partner.csv", content, "text/csv")},
        )
        self.assertEqual(response.status_code, 202, response.text)
        detail = self.call("GET", f"/imports/{response.json()['id']}").json()
        self.assertEqual((detail["state"], detail["created"]), ("done", 4))
        self.assertEqual(detail["filename"], "partner.csv")
        # The same file with the same key: the first import.
        headers = {"Idempotency-Key": "file-1"}
        first = self.call(
            "POST",
            f"/sources/{self.source_a.id}/files",
            env=self.no_delay_env(),
            headers=headers,
            files={"file": ("partner.csv", content, "text/csv")},
        )
        replay = self.call(
            "POST",
            f"/sources/{self.source_a.id}/files",
            env=self.no_delay_env(),
            headers=headers,
            files={"file": ("partner.csv", content, "text/csv")},
        )
        self.assertEqual(replay.status_code, 200)
        self.assertEqual(replay.json()["id"], first.json()["id"])
        # Not a feed file.
        wrong = self.call(
            "POST",
            f"/sources/{self.source_a.id}/files",
            files={"file": ("rows.json", json.dumps([]).encode(), "application/json")},
        )
        self.assertEqual(wrong.status_code, 415)

    def test_sources_and_imports_lists(self):
        sources = self.call("GET", "/sources").json()
        self.assertEqual([source["id"] for source in sources], self.source_a.ids)
        self.assertEqual(sources[0]["columns"]["serial_number"], "serial_number")
        pushed = self.push(self.rows(1, "LIST")).json()
        imports = self.call("GET", "/imports").json()
        self.assertEqual([item["id"] for item in imports], [pushed["id"]])
