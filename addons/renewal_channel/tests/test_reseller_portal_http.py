import csv
import io
import re

from openpyxl import load_workbook

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException

from .common_reseller_portal import ResellerPortalCase, feed_csv

IMPORT_URL_RE = re.compile(r"/my/feeds/import/(\d+)$")


@tagged("post_install", "-at_install")
class TestResellerPortalHttp(ResellerPortalCase):
    """The reseller's pages over HTTP, logged in as each kind of user."""

    def get(self, path):
        return self.url_open(path, allow_redirects=False)

    def post(self, path, data=None, files=None):
        return self.url_open(
            path,
            data=dict(data or {}, csrf_token=self.csrf()),
            files=files,
            allow_redirects=False,
        )

    def upload(self, source, content, filename="feed.csv", mode="check"):
        response = self.post(
            f"/my/feeds/{source.id}/upload",
            data={"mode": mode},
            files={"file": (filename, content, "text/csv")},
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        import_id = int(IMPORT_URL_RE.search(response.headers["Location"]).group(1))
        return self.env["renewal.feed.import"].browse(import_id)

    def test_home_shows_the_reseller_entries_to_managers_only(self):
        self.authenticate("alpha_boss", "alpha_boss")
        page = self.get("/my").text
        self.assertIn('id="portal_reseller_category"', page)
        self.assertIn("Renewals of Alpha Resell BV", page)
        for href in ("/my/feeds", "/my/due-renewals", "/my/renewal-customers"):
            self.assertIn(f'href="{href}"', page)
        for login in ("alpha_seller", "cora_user"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                self.assertNotIn('id="portal_reseller_category"', self.get("/my").text)

    def test_pages_refused_to_everyone_else(self):
        paths = [
            "/my/feeds",
            "/my/due-renewals",
            "/my/due-renewals/export/csv",
            "/my/renewal-customers",
            "/my/renewal-links",
        ]
        for login in ("alpha_seller", "cora_user", "vendor_staff"):
            self.authenticate(login, login)
            for path in paths:
                with self.subTest(login=login, path=path):
                    self.assertEqual(self.get(path).status_code, 403)
        self.authenticate(None, None)
        for path in paths:
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 303)
                self.assertIn("/web/login", response.headers["Location"])

    def test_feeds_page_lists_own_sources_and_imports(self):
        self.authenticate("alpha_boss", "alpha_boss")
        page = self.get("/my/feeds").text
        self.assertIn('data-source="Alpha feed"', page)
        self.assertNotIn("Beta feed", page)
        # Its layout: the column names to use.
        self.assertIn("<code>Serial</code>", page)

    def test_upload_dry_run_progress_and_rejected_rows(self):
        self.authenticate("alpha_boss", "alpha_boss")
        content = feed_csv(
            [
                (
                    "AX-SN1",
                    "AX-1",
                    "Cora Care",
                    "RS-1",
                    "2026-01-01",
                    "2026-12-31",
                    "10",
                ),
                (
                    "AX-SN2",
                    "AX-2",
                    "Cora Care",
                    "=cmd|' /C calc'!A0",
                    "2026-01-01",
                    "2026-12-31",
                    "10",
                ),
            ]
        )
        checked = self.upload(self.source_alpha, content, "alpha.csv")
        self.assertEqual(checked.state, "checked")
        self.assertEqual(checked.user_id, self.manager_alpha)
        page = self.get(f"/my/feeds/import/{checked.id}").text
        self.assertIn("o_reseller_import_state_checked", page)
        self.assertIn("A dry run: nothing was written.", page)
        self.assertIn("o_reseller_rejected_row", page)
        self.assertIn("Unknown product code", page)
        self.assertIn("o_reseller_import_run", page)
        # The rejected rows as CSV: formulas neutralised.
        response = self.get(f"/my/feeds/import/{checked.id}/rejected.csv")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("text/csv"))
        self.assertIn("alpha-rejected.csv", response.headers["Content-Disposition"])
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0], ["Row", "Column", "Value", "Reason"])
        self.assertEqual(rows[1][:3], ["3", "Product", "'=cmd|' /C calc'!A0"])
        # Import what was checked: it runs in the background.
        response = self.post(f"/my/feeds/import/{checked.id}/run")
        self.assertEqual(response.status_code, 303)
        running = self.env["renewal.feed.import"].browse(
            int(IMPORT_URL_RE.search(response.headers["Location"]).group(1))
        )
        self.assertEqual(running.state, "running")
        page = self.get(f"/my/feeds/import/{running.id}").text
        self.assertIn("o_reseller_feed_progress", page)
        self.assertIn(
            f'data-progress-url="/my/feeds/import/{running.id}/progress"', page
        )
        progress = self.make_jsonrpc_request(
            f"/my/feeds/import/{running.id}/progress", {}
        )
        self.assertEqual((progress["running"], progress["progress"]), (True, 0))
        # The job runner's work, then the next poll.
        running.chunk_ids._run()
        running._finish()
        progress = self.make_jsonrpc_request(
            f"/my/feeds/import/{running.id}/progress", {}
        )
        self.assertEqual(
            (progress["running"], progress["progress"], progress["state"]),
            (False, 100, "done"),
        )
        page = self.get(f"/my/feeds/import/{running.id}").text
        self.assertIn("o_reseller_import_state_done", page)
        self.assertNotIn("data-progress-url", page)

    def test_upload_errors_are_shown(self):
        self.authenticate("alpha_boss", "alpha_boss")
        response = self.post(
            f"/my/feeds/{self.source_alpha.id}/upload",
            data={"mode": "check"},
            files={"file": ("feed.pdf", b"%PDF", "application/pdf")},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("feed.pdf: upload a CSV or XLSX file", response.text)

    def test_other_resellers_feeds_are_not_found(self):
        feed_import = self.source_beta.import_file(
            feed_csv(
                [("B-SN", "B-1", "Dirk Data", "RS-1", "2026-01-01", "2026-12-31", "1")]
            ),
            "beta.csv",
            dry_run=True,
        )
        self.authenticate("alpha_boss", "alpha_boss")
        for path in [
            f"/my/feeds/import/{feed_import.id}",
            f"/my/feeds/import/{feed_import.id}/rejected.csv",
            "/my/feeds/import/999999",
        ]:
            with self.subTest(path=path):
                self.assertEqual(self.get(path).status_code, 404)
        self.assertEqual(
            self.post(f"/my/feeds/import/{feed_import.id}/run").status_code, 404
        )
        response = self.post(
            f"/my/feeds/{self.source_beta.id}/upload",
            data={"mode": "import"},
            files={"file": ("x.csv", b"a,b", "text/csv")},
        )
        self.assertEqual(response.status_code, 404)
        with self.assertRaises(JsonRpcException) as caught:
            self.make_jsonrpc_request(f"/my/feeds/import/{feed_import.id}/progress", {})
        self.assertEqual(caught.exception.code, 404)
        self.assertEqual(feed_import.source_id.import_count, 1)

    def test_due_page_and_downloads(self):
        self.contracts["AL-1"].customer_po_number = "=1+1"
        self.authenticate("alpha_boss", "alpha_boss")
        page = self.get("/my/due-renewals?days=30").text
        self.assertEqual(
            set(re.findall(r'data-serial="([^"]+)"', page)), {"AL-1-SN1", "AL-1-SN2"}
        )
        page = self.get("/my/due-renewals?days=90&overdue=1").text
        self.assertEqual(
            set(re.findall(r'data-serial="([^"]+)"', page)),
            {f"AL-{n}-SN{i}" for n in (1, 2, 3) for i in (1, 2)},
        )
        self.assertEqual(self.get("/my/due-renewals?days=999").status_code, 400)
        response = self.get("/my/due-renewals/export/csv?days=30")
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "renewals-due-30-days.csv", response.headers["Content-Disposition"]
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertEqual(rows[0][3], "Serial Number")
        self.assertEqual([row[3] for row in rows[1:]], ["AL-1-SN1", "AL-1-SN2"])
        self.assertEqual(rows[1][11], "'=1+1")
        response = self.get("/my/due-renewals/export/xlsx?days=30")
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(values[0][3], "Serial Number")
        self.assertEqual([row[3] for row in values[1:]], ["AL-1-SN1", "AL-1-SN2"])
        self.assertEqual(values[1][11], "'=1+1")
        self.assertEqual(sheet.cell(row=2, column=12).data_type, "s")
        self.assertEqual(values[1][6], 20)
        self.assertEqual(self.get("/my/due-renewals/export/pdf").status_code, 404)
        # Beta's manager downloads Beta's.
        self.authenticate("beta_boss", "beta_boss")
        rows = list(
            csv.reader(
                io.StringIO(
                    self.get("/my/due-renewals/export/csv?days=30").content.decode(
                        "utf-8-sig"
                    )
                )
            )
        )
        self.assertEqual([row[3] for row in rows[1:]], ["BE-1-SN1", "BE-1-SN2"])

    def test_customers_and_links(self):
        self.authenticate("alpha_boss", "alpha_boss")
        page = self.get("/my/renewal-customers").text
        self.assertEqual(
            re.findall(r'o_reseller_customer_row"\s+data-customer="([^"]+)"', page),
            ["Dirk Data", "Cora Care"],
        )
        self.assertIn("carl@cora.example", page)
        response = self.post(
            f"/my/renewal-customers/{self.customer_cora.id}/send-link",
            {"recipient_id": self.cora_contact.id},
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=sent", response.headers["Location"])
        link = self.env["renewal.portal.link"].search(
            [("issued_by_id", "=", self.manager_alpha.id)]
        )
        self.assertEqual(link.holder_id, self.cora_contact)
        page = self.get("/my/renewal-links").text
        self.assertIn('data-customer="Cora Care"', page)
        # Beta's manager: Cora is not Beta's customer, the link not Beta's.
        self.authenticate("beta_boss", "beta_boss")
        self.assertNotIn("Cora Care", self.get("/my/renewal-customers").text)
        self.assertNotIn("Cora Care", self.get("/my/renewal-links").text)
        response = self.post(f"/my/renewal-customers/{self.customer_cora.id}/send-link")
        self.assertEqual(response.status_code, 404)
        for action in ("resend", "revoke"):
            with self.subTest(action=action):
                response = self.post(f"/my/renewal-links/{link.id}/{action}")
                self.assertEqual(response.status_code, 404)
        self.assertTrue(link.active_link)
        # Alpha's manager re-sends it: a new link, the old one revoked.
        self.authenticate("alpha_boss", "alpha_boss")
        response = self.post(f"/my/renewal-links/{link.id}/resend")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(link.revoked)
        links = self.env["renewal.portal.link"].search(
            [("issued_by_id", "=", self.manager_alpha.id)]
        )
        self.assertEqual(len(links), 2)
        response = self.post(f"/my/renewal-links/{(links - link).id}/revoke")
        self.assertEqual(response.status_code, 303)
        self.assertTrue((links - link).revoked)
        self.assertEqual(
            self.post(f"/my/renewal-links/{link.id}/delete").status_code, 404
        )
