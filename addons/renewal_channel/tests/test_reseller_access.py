import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_reseller_portal import ResellerPortalCase, feed_csv


@tagged("post_install", "-at_install")
class TestResellerAccess(ResellerPortalCase):
    """What each portal user reaches, asked of the models as that user (as
    an RPC call would): a reseller's renewals manager reaches their own
    reseller's feeds, imports, rejected rows, due renewals, customers and
    links, and never another reseller's; everyone else in the portal
    reaches none of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.import_beta = cls.source_beta.import_file(
            feed_csv(
                [
                    (
                        "BX-SN1",
                        "BX-1",
                        "Dirk Data",
                        "RS-1",
                        "2026-01-01",
                        "2026-12-31",
                        "10",
                    ),
                    (
                        "BX-SN2",
                        "BX-2",
                        "Dirk Data",
                        "NOPE",
                        "2026-01-01",
                        "2026-12-31",
                        "10",
                    ),
                ]
            ),
            "beta.csv",
            dry_run=True,
        )

    def as_user(self, user, model):
        return self.env[model].with_user(user)

    # ------------------------------------------------------------------
    # Feeds
    # ------------------------------------------------------------------

    def test_feed_sources_and_imports_are_isolated(self):
        self.assertEqual(self.import_beta.rejected_count, 1)
        for user, sources in [
            (self.manager_alpha, {"Alpha feed"}),
            (self.manager_beta, {"Beta feed"}),
            (self.seller_alpha, set()),
            (self.customer_user, set()),
            (self.manager_delta, set()),
        ]:
            with self.subTest(user=user.login):
                found = self.as_user(user, "renewal.feed.source").search([])
                self.assertEqual(self.names(found), sources)
        imports = self.as_user(self.manager_alpha, "renewal.feed.import")
        self.assertFalse(imports.search([]))
        self.assertFalse(
            self.as_user(self.manager_alpha, "renewal.feed.import.error").search([])
        )
        with self.assertRaises(AccessError):
            imports.browse(self.import_beta.id).read(["filename"])
        with self.assertRaises(AccessError):
            self.import_beta.error_ids[:1].with_user(self.manager_alpha).read(
                ["reason"]
            )
        beta_imports = self.as_user(self.manager_beta, "renewal.feed.import").search([])
        self.assertEqual(beta_imports, self.import_beta)
        self.assertEqual(
            beta_imports.error_ids.mapped("value"),
            ["NOPE"],
            "Beta's manager reads the rejected rows of Beta's imports",
        )

    def test_upload_runs_as_the_manager_and_only_on_their_source(self):
        content = feed_csv(
            [("AX-SN1", "AX-1", "Cora Care", "RS-1", "2026-01-01", "2026-12-31", "10")]
        )
        source = self.source_alpha.with_user(self.manager_alpha)
        feed_import = source._reseller_upload(content, "C:\\exports\\alpha.csv")
        self.assertEqual(feed_import.env.uid, self.manager_alpha.id)
        self.assertEqual(feed_import.filename, "alpha.csv")
        self.assertEqual(feed_import.user_id, self.manager_alpha)
        self.assertEqual(feed_import.state, "running")
        self.assertEqual(len(feed_import.sudo().chunk_ids), 1)
        progress = feed_import._reseller_progress()
        self.assertEqual((progress["progress"], progress["running"]), (0, True))
        # What the job runner does, then the page's answer.
        feed_import.sudo().chunk_ids._run()
        feed_import.sudo()._finish()
        progress = feed_import._reseller_progress()
        self.assertEqual((progress["progress"], progress["state"]), (100, "done"))
        contract = self.env["renewal.contract"].search([("name", "=", "AX-1")])
        self.assertEqual(contract.reseller_id, self.alpha)
        for user, source in [
            (self.manager_alpha, self.source_beta),
            (self.manager_beta, self.source_alpha),
            (self.seller_alpha, self.source_alpha),
            (self.customer_user, self.source_alpha),
        ]:
            with self.subTest(user=user.login, source=source.name):
                with self.assertRaises(AccessError):
                    source.with_user(user)._reseller_upload(content, "x.csv", True)
                with self.assertRaises(AccessError):
                    source.with_user(user).import_file(content, "x.csv", dry_run=True)
        # Nothing was written by the refused calls.
        self.assertEqual(
            self.env["renewal.feed.import"].search_count([("filename", "=", "x.csv")]),
            0,
        )

    def test_upload_refuses_bad_files_by_name(self):
        source = self.source_alpha.with_user(self.manager_alpha)
        for filename, content, reason in [
            ("feed.json", b"[]", "feed.json: upload a CSV or XLSX file"),
            ("feed.exe", b"MZ", "feed.exe: upload a CSV or XLSX file"),
            ("empty.csv", b"", "empty.csv is empty"),
            ("big.csv", b"x" * (25 * 1024 * 1024 + 1), "big.csv is larger than 25 MB"),
        ]:
            with self.subTest(filename=filename):
                with self.assertRaisesRegex(UserError, reason):
                    source._reseller_upload(content, filename, dry_run=True)

    def test_rows_of_another_resellers_contract_are_rejected(self):
        """Alpha's feed may not touch Beta's contract, by its number or by
        one of its serial numbers; its own rows go through."""
        content = feed_csv(
            [
                (
                    "NEW-SN1",
                    "AL-NEW",
                    "Cora Care",
                    "RS-1",
                    "2026-01-01",
                    "2026-12-31",
                    "10",
                ),
                (
                    "HIJACK-SN",
                    "BE-1",
                    "Dirk Data",
                    "RS-1",
                    "2026-01-01",
                    "2026-12-31",
                    "1",
                ),
                (
                    "BE-1-SN1",
                    "AL-1",
                    "Cora Care",
                    "RS-1",
                    "2026-01-01",
                    "2026-12-31",
                    "1",
                ),
            ]
        )
        source = self.source_alpha.with_user(self.manager_alpha)
        feed_import = source._reseller_upload(content, "alpha.csv", dry_run=True)
        self.assertEqual(feed_import.state, "checked")
        self.assertEqual(feed_import.created_count, 1)
        self.assertEqual(feed_import.rejected_count, 2)
        header, rows = feed_import._reseller_rejected_table()
        self.assertEqual(header, ["Row", "Column", "Value", "Reason"])
        # renewal.feed.matcher._channel_check names the row's serial number,
        # never the other party or its contract.
        self.assertEqual(
            [(row[0], row[1], row[2]) for row in rows],
            [(3, "Serial", "HIJACK-SN"), (4, "Serial", "BE-1-SN1")],
        )
        for row in rows:
            self.assertIn("sold by another channel partner", row[3])
            self.assertIn("brings only the contracts Alpha Resell BV sells", row[3])
            self.assertNotIn("Beta", row[3])
        # The checked file is imported as a new import, the dry run stays.
        done = feed_import.with_context(
            queue_job__no_delay=True
        ).action_reseller_import()
        self.assertNotEqual(done, feed_import)
        self.assertEqual((done.state, done.created_count), ("done", 1))
        self.assertEqual(
            self.contracts["BE-1"].line_ids.mapped("serial_number"),
            ["BE-1-SN1", "BE-1-SN2"],
        )
        with self.assertRaisesRegex(UserError, "was not checked by a dry run"):
            done.action_reseller_import()
        with self.assertRaises(AccessError):
            feed_import.with_user(self.manager_beta).action_reseller_import()
        with self.assertRaises(AccessError):
            feed_import.with_user(self.manager_beta)._reseller_rejected_table()
        with self.assertRaises(AccessError):
            feed_import.with_user(self.manager_beta)._reseller_progress()

    def test_portal_users_write_nothing_directly(self):
        """The portal rights are read (and create an import on one's own
        source): running, changing or deleting goes through the methods
        above, never straight to the records."""
        feed_import = self.import_beta.with_user(self.manager_beta)
        for method in ("action_dry_run", "action_import", "unlink"):
            with self.subTest(method=method):
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    getattr(feed_import, method)()
        with self.assertRaises(AccessError):
            feed_import.write({"state": "done"})
        with self.assertRaises(AccessError):
            self.as_user(self.manager_alpha, "renewal.feed.import").create(
                {
                    "source_id": self.source_beta.id,
                    "filename": "x.csv",
                    "file": base64.b64encode(b"a"),
                }
            )

    # ------------------------------------------------------------------
    # Due renewals and customers
    # ------------------------------------------------------------------

    def due(self, user, days, overdue=False):
        lines, total = self.as_user(user, "renewal.contract.line")._reseller_due_lines(
            days, overdue
        )
        self.assertEqual(len(lines), total)
        return self.names(lines, "serial_number")

    def test_due_renewals_are_the_managers_own(self):
        self.assertEqual(self.due(self.manager_alpha, 30), {"AL-1-SN1", "AL-1-SN2"})
        self.assertEqual(
            self.due(self.manager_alpha, 90),
            {"AL-1-SN1", "AL-1-SN2", "AL-2-SN1", "AL-2-SN2"},
        )
        self.assertEqual(
            self.due(self.manager_alpha, 30, overdue=True),
            {"AL-1-SN1", "AL-1-SN2", "AL-3-SN1", "AL-3-SN2"},
        )
        self.assertEqual(self.due(self.manager_beta, 90), {"BE-1-SN1", "BE-1-SN2"})
        # The distributor's manager: what Delta distributes (Alpha's).
        self.assertEqual(
            self.due(self.manager_delta, 90),
            {"AL-1-SN1", "AL-1-SN2", "AL-2-SN1", "AL-2-SN2"},
        )
        # A line renewed or cancelled is not due; nor is a cancelled contract.
        reason = self.env["renewal.cancel.reason"].create({"name": "Sold on"})
        self.contracts["AL-1"].line_ids[0].write(
            {"is_cancelled": True, "cancel_reason_id": reason.id}
        )
        self.assertEqual(self.due(self.manager_alpha, 30), {"AL-1-SN2"})

    def test_due_renewals_refused(self):
        Line = self.as_user(self.manager_alpha, "renewal.contract.line")
        for days in (0, 731, "30"):
            with self.subTest(days=days):
                with self.assertRaisesRegex(UserError, "from 1 to 730"):
                    Line._reseller_due_lines(days)
        for user in (self.seller_alpha, self.customer_user, self.staff):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.as_user(user, "renewal.contract.line")._reseller_due_lines(30)

    def test_due_table(self):
        self.contracts["AL-1"].customer_po_number = "=HYPERLINK(1)"
        header, rows = self.as_user(
            self.manager_alpha, "renewal.contract.line"
        )._reseller_due_table(30)
        self.assertEqual(
            header[:4], ["Contract", "End Customer", "Product", "Serial Number"]
        )
        self.assertEqual([row[3] for row in rows], ["AL-1-SN1", "AL-1-SN2"])
        first = dict(zip(header, rows[0], strict=True))
        self.assertEqual(first["End Customer"], "Cora Care")
        self.assertEqual(first["Days Left"], 20)
        self.assertEqual(first["Renewal Price"], 100.0)
        self.assertEqual(first["Your Salesperson"], "Sam Seller")
        # Text leaves as typed: the CSV and XLSX writers neutralise it.
        self.assertEqual(first["Customer PO"], "=HYPERLINK(1)")

    def test_customers_are_the_managers_own(self):
        Contract = self.env["renewal.contract"]
        for user, customers in [
            # The next to renew first: AL-3 ended ten days ago.
            (self.manager_alpha, ["Dirk Data", "Cora Care"]),
            (self.manager_beta, ["Dirk Data"]),
            (self.manager_delta, ["Dirk Data", "Cora Care"]),
        ]:
            with self.subTest(user=user.login):
                found = Contract.with_user(user)._reseller_customers()
                self.assertEqual([customer.name for customer, *_ in found], customers)
        _dirk, (cora, count, next_expiry) = Contract.with_user(
            self.manager_alpha
        )._reseller_customers()
        # AL-1 and AL-2; VD-1 is the vendor's own.
        self.assertEqual((cora, count), (self.customer_cora, 2))
        self.assertEqual(next_expiry, self.contracts["AL-1"].next_expiry_date)
        self.assertEqual(
            [
                c.name
                for c, *_ in Contract.with_user(self.manager_alpha)._reseller_customers(
                    "dirk"
                )
            ],
            ["Dirk Data"],
        )
        for user in (self.seller_alpha, self.customer_user):
            with self.assertRaises(AccessError):
                Contract.with_user(user)._reseller_customers()

    # ------------------------------------------------------------------
    # Customer links
    # ------------------------------------------------------------------

    def send(self, user, customer, recipient=None):
        return customer.with_user(user)._renewal_reseller_send_link(recipient)

    def test_send_link(self):
        Mail = self.env["mail.mail"]
        link = self.send(self.manager_alpha, self.customer_cora, self.cora_contact)
        self.assertEqual(link.env.uid, self.manager_alpha.id)
        link_sudo = link.sudo()
        self.assertEqual(link_sudo.partner_id, self.customer_cora)
        self.assertEqual(link_sudo.holder_id, self.cora_contact)
        self.assertEqual(link_sudo.scope, "customer")
        self.assertEqual(link_sudo.contract_id, self.contracts["AL-1"])
        self.assertEqual(link_sudo.brand_partner_id, self.alpha)
        self.assertEqual(link_sudo.brand_contact_id, self.alpha_seller)
        self.assertEqual(link_sudo.channel_partner_id, self.alpha)
        self.assertEqual(link_sudo.issued_by_id, self.manager_alpha)
        mail = Mail.search([("model", "=", link._name), ("res_id", "=", link.id)])
        self.assertEqual(mail.recipient_ids, self.cora_contact)
        self.assertEqual(mail.subject, "Alpha Resell BV: your renewal page")
        self.assertIn("alpha_boss@example.com", mail.email_from)
        self.assertIn("/renewals/", mail.body_html)
        self.assertIn("AL-1", mail.body_html)
        self.assertTrue(mail.auto_delete)
        # The URL in the mail opens this link.
        token = mail.body_html.split("/renewals/")[1].split('"')[0]
        self.assertEqual(self.env["renewal.portal.link"]._find(token), link_sudo)
        note = self.contracts["AL-1"].message_ids[:1]
        self.assertIn("Anna Alpha (Alpha Resell BV) e-mailed", note.body)
        self.assertNotIn(token, note.body)

    def test_send_link_refused(self):
        # Beta sells Cora nothing; Alpha's salesperson is no manager.
        for user in (self.manager_beta, self.seller_alpha, self.customer_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.send(user, self.customer_cora)
        with self.assertRaisesRegex(UserError, "is not a contact of Cora Care"):
            self.send(self.manager_alpha, self.customer_cora, self.customer_dirk)
        self.cora_contact.email = False
        with self.assertRaisesRegex(UserError, "Carl Cora has no e-mail address"):
            self.send(self.manager_alpha, self.customer_cora, self.cora_contact)
        self.assertFalse(
            self.env["renewal.portal.link"].search(
                [("partner_id", "=", self.customer_cora.id)]
            )
        )

    def test_links_are_isolated_resent_and_revoked(self):
        link_alpha = self.send(self.manager_alpha, self.customer_cora)
        link_beta = self.send(self.manager_beta, self.customer_dirk)
        # A vendor's back-office link to the same customer is nobody's here.
        self.contracts["VD-1"].with_user(self.staff).action_issue_customer_link()
        for user, links in [
            (self.manager_alpha, link_alpha),
            (self.manager_beta, link_beta),
            (self.seller_alpha, link_alpha.browse()),
            (self.customer_user, link_alpha.browse()),
        ]:
            with self.subTest(user=user.login):
                found = self.as_user(user, "renewal.portal.link").search([])
                self.assertEqual(found.ids, links.ids)
        for field in ("token_hash", "create_uid", "write_uid"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                link_alpha.with_user(self.manager_alpha).read([field])
        for method in ("action_reseller_resend", "action_reseller_revoke"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(link_alpha.with_user(self.manager_beta), method)()
        self.assertFalse(link_alpha.sudo().revoked)
        new_link = link_alpha.action_reseller_resend()
        self.assertTrue(link_alpha.sudo().revoked)
        self.assertEqual(new_link.sudo().holder_id, self.customer_cora)
        self.assertTrue(new_link.sudo().active_link)
        new_link.action_reseller_revoke()
        self.assertFalse(new_link.sudo().active_link)

    def test_public_text_is_escaped(self):
        self.customer_cora.name = "<b>Cora</b>"
        self.send(self.manager_alpha, self.customer_cora)
        body = self.contracts["AL-1"].message_ids[:1].body
        self.assertIn("&lt;b&gt;Cora&lt;/b&gt;", body)
        self.assertNotIn("<b>Cora</b>", body)
