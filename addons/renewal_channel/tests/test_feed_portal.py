import psycopg2

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import FeedCase, csv_bytes, row


class ChannelFeedCase(FeedCase):
    """Two resellers and a distributor, each with its own feed source and a
    renewals manager with a portal account, and the vendor's own source.

    Resell One (buying through Distri One) sells C-MINE (serial MINE-1);
    Resell Two sells C-OTHER (serial OTHER-1)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.USD").active = True
        Partner = cls.env["res.partner"]
        cls.reseller_two = Partner.create(
            {"name": "Resell Two", "is_company": True, "is_renewal_reseller": True}
        )
        cls.mine = cls.make_contract(
            ends=[200],
            name="C-MINE",
            reseller_id=cls.reseller.id,
            distributor_id=cls.distributor.id,
        )
        cls.mine.line_ids.serial_number = "MINE-1"
        cls.other = cls.make_contract(
            ends=[200], name="C-OTHER", reseller_id=cls.reseller_two.id
        )
        cls.other.line_ids.serial_number = "OTHER-1"
        cls.vendor_source = cls.make_source("Vendor feed", priority=30)
        cls.source = cls.make_source(
            "Resell One feed", role="reseller", partner=cls.reseller
        )
        cls.source_two = cls.make_source(
            "Resell Two feed", role="reseller", partner=cls.reseller_two
        )
        cls.distributor_source = cls.make_source(
            "Distri One feed", role="distributor", partner=cls.distributor
        )
        cls.manager_one = cls.portal_manager("feed_mia", "Mia One", cls.reseller)
        cls.manager_two = cls.portal_manager("feed_max", "Max Two", cls.reseller_two)
        cls.manager_distri = cls.portal_manager(
            "feed_dora", "Dora Distri", cls.distributor
        )
        cls.seller_one = new_test_user(
            cls.env,
            login="feed_rosa",
            groups="base.group_portal",
            partner_id=cls.reseller_salesperson.id,
        )

    @classmethod
    def portal_manager(cls, login, name, partner):
        contact = cls.env["res.partner"].create(
            {"name": name, "parent_id": partner.id, "renewal_reseller_manager": True}
        )
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=contact.id
        )

    def lines(self, serials):
        return self.env["renewal.contract.line"].search(
            [("serial_number", "in", serials)]
        )

    def rejected(self, feed_import):
        return {
            error.row: (error.column, error.value, error.reason)
            for error in feed_import.error_ids
            if not error.is_conflict
        }


@tagged("post_install", "-at_install")
class TestFeedPortalAccess(ChannelFeedCase):
    """A channel partner's renewals manager reads and feeds the partner's own
    sources, as a portal user; nobody else's, and nothing more."""

    def test_each_manager_reads_own_sources(self):
        Source = self.env["renewal.feed.source"]
        expected = {
            self.manager_one: self.source,
            self.manager_two: self.source_two,
            self.manager_distri: self.distributor_source,
            self.seller_one: Source,
        }
        for user, sources in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(Source.with_user(user).search([]), sources)
                for other in (Source.search([]) - sources) & (
                    self.vendor_source | self.source | self.source_two
                ):
                    with self.assertRaises(AccessError):
                        other.with_user(user).read(["name"])

    def test_manager_imports_own_feed(self):
        feed_import = self.source.with_user(self.manager_one).import_file(
            csv_bytes([row("NEW-1", "C-NEW"), row("NEW-2", "C-NEW")]),
            "mine.csv",
            delay=False,
        )
        self.assertEqual(feed_import.env.user, self.manager_one)
        self.assertEqual((feed_import.state, feed_import.created_count), ("done", 2))
        self.assertEqual(feed_import.user_id, self.manager_one)
        contract = self.lines(["NEW-1"]).contract_id
        self.assertEqual(contract.reseller_id, self.reseller)
        self.assertEqual(contract.distributor_id, self.distributor)
        self.assertEqual(contract.feed_source_id, self.source)
        # The manager reads the log, its chunks and rejected rows; the other
        # reseller's manager reads none of it.
        Import = self.env["renewal.feed.import"]
        self.assertEqual(Import.with_user(self.manager_one).search([]), feed_import)
        feed_import.chunk_ids.with_user(self.manager_one).read(["state", "row_count"])
        for model, records in [
            ("renewal.feed.import", feed_import),
            ("renewal.feed.chunk", feed_import.chunk_ids),
        ]:
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.manager_two).search([]))
                with self.assertRaises(AccessError):
                    records.with_user(self.manager_two).read(["id"])

    def test_nobody_imports_into_another_partners_source(self):
        imports = self.env["renewal.feed.import"].search_count([])
        content = csv_bytes([row("EVIL-1", "C-EVIL")])
        for user, source in [
            (self.manager_two, self.source),
            (self.seller_one, self.source),
            (self.manager_one, self.vendor_source),
            (self.manager_distri, self.source),
        ]:
            with self.subTest(user=user.login, source=source.name):
                with self.assertRaises(AccessError):
                    source.with_user(user).import_file(content, "evil.csv", delay=False)
        self.assertEqual(self.env["renewal.feed.import"].search_count([]), imports)
        self.assertFalse(self.lines(["EVIL-1"]))

    def test_portal_cannot_forge_or_change_an_import(self):
        Import = self.env["renewal.feed.import"].with_user(self.manager_one)
        vals = {
            "source_id": self.source.id,
            "filename": "forged.csv",
            "file": "U04=",
        }
        for extra in ({"state": "done"}, {"created_count": 9}, {"user_id": 1}):
            with self.subTest(extra=extra), self.assertRaises(AccessError):
                Import.create(dict(vals, **extra))
        with self.assertRaises(AccessError):
            Import.create(dict(vals, source_id=self.source_two.id))
        own = Import.create(vals)
        self.assertEqual((own.state, own.user_id), ("draft", self.manager_one))
        for action in (
            lambda: own.write({"state": "done"}),
            lambda: own.unlink(),
            lambda: own.action_dry_run(),
            lambda: own.action_import(),
        ):
            with self.assertRaises(AccessError):
                action()
        own.invalidate_recordset()
        self.assertEqual(own.sudo().state, "draft")

    def test_idempotent_push(self):
        content = csv_bytes([row("IDEM-1", "C-IDEM")])
        Source = self.source.with_user(self.manager_one)
        first = Source.import_file(content, "a.csv", delay=False, idempotency_key="k-1")
        self.lines(["IDEM-1"]).list_price = 55.0
        again = Source.import_file(content, "a.csv", delay=False, idempotency_key="k-1")
        self.assertEqual(again, first)
        self.assertEqual(self.lines(["IDEM-1"]).list_price, 55.0, "nothing ran again")
        self.assertEqual(
            self.env["renewal.feed.import"].search_count(
                [("idempotency_key", "=", "k-1")]
            ),
            1,
        )
        # The key is the source's: another source may use it.
        other = self.source_two.with_user(self.manager_two).import_file(
            csv_bytes([row("IDEM-2", "C-IDEM-2")]),
            "b.csv",
            delay=False,
            idempotency_key="k-1",
        )
        self.assertNotEqual(other, first)
        # Two imports of one key on one source cannot exist.
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
        ):
            self.env["renewal.feed.import"].create(
                {
                    "source_id": self.source.id,
                    "filename": "c.csv",
                    "file": "U04=",
                    "idempotency_key": "k-1",
                }
            )


@tagged("post_install", "-at_install")
class TestFeedChannelPartnerRows(ChannelFeedCase):
    """A reseller's or distributor's feed writes only the contracts that
    partner sells; the vendor's feed writes any."""

    def test_reseller_rows_touching_other_contracts_are_rejected(self):
        feed_import = self.source.with_user(self.manager_one).import_file(
            csv_bytes(
                [
                    row("MINE-1", "C-MINE", price="120"),  # 2: its own: updated
                    row("OTHER-1", "C-MINE"),  # 3: another's serial
                    row("SNEAK-1", "C-OTHER"),  # 4: another's contract
                    row("NEW-1", "C-NEW"),  # 5: a new contract of its own
                    row("THIRD-1", "C-3", reseller="Resell Two"),  # 6: sold by two
                ]
            ),
            "mixed.csv",
            delay=False,
        )
        self.assertEqual(feed_import.state, "done", feed_import.message)
        self.assertEqual(
            (
                feed_import.created_count,
                feed_import.updated_count,
                feed_import.rejected_count,
            ),
            (1, 1, 3),
        )
        rejected = self.rejected(feed_import)
        self.assertEqual(set(rejected), {3, 4, 6})
        for number, serial in ((3, "OTHER-1"), (4, "SNEAK-1"), (6, "THIRD-1")):
            column, value, reason = rejected[number]
            self.assertEqual((column, value), ("serial", serial))
            self.assertIn(f"Serial {serial}", reason)
            self.assertIn("contract sold by another channel partner", reason)
            self.assertNotIn("Resell Two", reason if number != 6 else "")
            self.assertNotIn("C-OTHER", reason)
        # Nothing of the rejected rows was written.
        other_line = self.lines(["OTHER-1"])
        self.assertEqual(other_line.contract_id, self.other)
        self.assertEqual(other_line.list_price, 100.0)
        self.assertEqual(self.other.line_ids, other_line)
        self.assertFalse(self.lines(["SNEAK-1", "THIRD-1"]))
        self.assertFalse(self.env["renewal.contract"].search([("name", "=", "C-3")]))
        self.assertEqual(self.lines(["MINE-1"]).list_price, 120.0)
        self.assertEqual(self.lines(["NEW-1"]).contract_id.reseller_id, self.reseller)

    def test_dry_run_shows_the_same_rejections(self):
        dry = self.source.import_file(
            csv_bytes([row("OTHER-1", "C-MINE"), row("NEW-9", "C-NEW-9")]),
            "dry.csv",
            dry_run=True,
        )
        self.assertEqual(
            (dry.state, dry.rejected_count, dry.created_count), ("checked", 1, 1)
        )
        self.assertIn("sold by another channel partner", dry.error_ids.reason)

    def test_distributor_writes_what_it_distributes(self):
        feed_import = self.distributor_source.import_file(
            csv_bytes(
                [
                    row("MINE-1", "C-MINE", price="90", reseller="Resell One"),
                    row("OTHER-1", "C-OTHER", price="90"),
                    row("DIS-1", "C-DIS", reseller="Resell Two"),
                ]
            ),
            "distri.csv",
            delay=False,
        )
        self.assertEqual(set(self.rejected(feed_import)), {3})
        self.assertEqual(self.lines(["MINE-1"]).list_price, 90.0)
        self.assertEqual(self.lines(["OTHER-1"]).list_price, 100.0)
        new = self.lines(["DIS-1"]).contract_id
        self.assertEqual(
            (new.distributor_id, new.reseller_id), (self.distributor, self.reseller_two)
        )

    def test_vendor_feed_writes_any_contract(self):
        feed_import = self.vendor_source.import_file(
            csv_bytes([row("OTHER-1", "C-OTHER", price="70"), row("MINE-1", "C-MINE")]),
            "vendor.csv",
            delay=False,
        )
        self.assertEqual(feed_import.rejected_count, 0)
        self.assertEqual(self.lines(["OTHER-1"]).list_price, 70.0)

    def test_contract_changing_hands_before_its_chunk_runs(self):
        """The check is made again when a chunk is written: a contract sold
        by another partner since then is not touched."""
        with trap_jobs() as trap:
            feed_import = self.source.with_user(self.manager_one).import_file(
                csv_bytes([row("MINE-1", "C-MINE", price="130"), row("LATE-1", "C-L")]),
                "late.csv",
            )
            self.assertEqual(feed_import.rejected_count, 0)
            self.mine.reseller_id = self.reseller_two
            self.mine.distributor_id = False
            trap.perform_enqueued_jobs()
        self.assertEqual(feed_import.state, "done")
        self.assertEqual(
            (
                feed_import.created_count,
                feed_import.updated_count,
                feed_import.unchanged_count,
                feed_import.rejected_count,
            ),
            (1, 0, 0, 1),
        )
        self.assertEqual(set(self.rejected(feed_import)), {2})
        self.assertEqual(self.lines(["MINE-1"]).list_price, 100.0)


@tagged("post_install", "-at_install")
class TestFeedOverRpc(HttpCase):
    """The same rules over JSON-RPC, as a channel partner's script calls:
    its own imports in, nobody else's out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.env.ref("base.USD").active = True
        cls.env["product.product"].create(
            {"name": "Rpc Server", "default_code": "RPC-1", "list_price": 10.0}
        )
        resellers = Partner.create(
            [
                {"name": name, "is_company": True, "is_renewal_reseller": True}
                for name in ("Rpc Reseller One", "Rpc Reseller Two")
            ]
        )
        cls.sources = cls.env["renewal.feed.source"].create(
            [
                {
                    "name": f"Rpc feed {reseller.name}",
                    "partner_id": reseller.id,
                    "role": "reseller",
                    "column_ids": [
                        Command.create({"target": target, "column_name": target})
                        for target in (
                            "serial_number",
                            "contract_number",
                            "customer_name",
                            "product_code",
                            "date_start",
                            "date_end",
                        )
                    ],
                }
                for reseller in resellers
            ]
        )
        cls.users = [
            new_test_user(
                cls.env,
                login=f"rpc_manager_{index}",
                groups="base.group_portal",
                partner_id=Partner.create(
                    {
                        "name": f"Rpc Manager {index}",
                        "parent_id": reseller.id,
                        "renewal_reseller_manager": True,
                    }
                ).id,
            )
            for index, reseller in enumerate(resellers)
        ]

    def call(self, model, method, args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    @mute_logger("odoo.http")
    def test_import_and_read_over_json_rpc(self):
        one, two = self.sources
        self.authenticate("rpc_manager_0", "rpc_manager_0")
        text = (
            "serial_number,contract_number,customer_name,product_code,"
            "date_start,date_end\nRPC-SN-1,RPC-C1,Rpc Customer,RPC-1,"
            "2026-01-01,2026-12-31\n"
        )
        import_id = self.call(
            "renewal.feed.source",
            "import_file",
            [one.ids, text, "rpc.csv"],
            delay=False,
        )
        rows = self.call(
            "renewal.feed.import",
            "search_read",
            [[]],
            fields=["state", "created_count", "user_id"],
        )
        self.assertEqual([row["id"] for row in rows], [import_id])
        self.assertEqual((rows[0]["state"], rows[0]["created_count"]), ("done", 1))
        self.assertEqual(
            self.call("renewal.feed.source", "search_read", [[]], fields=["name"]),
            [{"id": one.id, "name": one.name}],
        )
        for method, args in [
            ("import_file", [two.ids, text, "x.csv"]),
            ("read", [two.ids, ["name"]]),
            ("write", [one.ids, {"priority": 99}]),
        ]:
            with (
                self.subTest(method=method),
                self.assertRaisesRegex(JsonRpcException, "AccessError"),
            ):
                self.call("renewal.feed.source", method, args)
        self.authenticate("rpc_manager_1", "rpc_manager_1")
        self.assertFalse(
            self.call("renewal.feed.import", "search_read", [[]], fields=["state"])
        )
