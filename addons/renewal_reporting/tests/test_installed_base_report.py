from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from odoo.addons.renewal_contracts.tests.common import RenewalCase

RATES = ["attach_rate:sum", "support_attach_rate:sum"]


class InstalledBaseCase(RenewalCase):
    """An installed base whose figures the tests work out by hand.

    Today is 2026-06-15. Company A (the tests' current company) keeps its
    books in the suite's currency; company B in XRW, 2 XRW for 1 (so B's
    list value of 1000 XRW counts 500).

    ====  =======  =======  ====================  ======  ===========  =====  ====
    ip    product  country  installed (bought)    age     coverage     value  sold
    ====  =======  =======  ====================  ======  ===========  =====  ====
    A1    S1       BE       2025-09-01            0-2     covered      1000   R1
    A2    S1       BE       2023-01-10            2-4     warranty     1000   R1
    A3    S1       FR       2021-05-01            4+      lapsed       1000   -
    A4    S1       FR       2024-06-15            2-4 *   uncovered    1000   R1
    A5    X1       BE       2022-06-15            4+ *    covered       500   -
    A6    W1       BE       2026-02-01            0-2     covered       200   R2
    A7    W1       BE       (2022-06-16)          2-4     uncovered     200   R2
    A8    W1       -        -                     none    lapsed **     200   -
    A9    W1       BE       2026-01-01, archived  -       uncovered     200   -
    B1    S1       BE       2020-01-01 (in B)     4+      uncovered    1000X  -
    ====  =======  =======  ====================  ======  ===========  =====  ====

    S1 and X1 are servers, W1 a switch. * exactly 2 and 4 years ago: the
    older band. ** its only line was cancelled. Support of S1 ends
    2027-03-31 (within 12 months), of W1 ended 2026-01-31, of X1 is not
    announced. A1 to A5 are sold by the north salesperson, A6 to A8 by the
    south one.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        currency = cls.company.currency_id
        cls.company_a = env["res.company"].create(
            {"name": "Installed A Ltd", "currency_id": currency.id}
        )
        cls.xrw = env["res.currency"].create(
            {"name": "XRB", "symbol": "ℛ", "rounding": 0.01}
        )
        cls.company_b = env["res.company"].create(
            {"name": "Installed B Ltd", "currency_id": cls.xrw.id}
        )
        cls.env = env = env(
            context=dict(env.context, allowed_company_ids=cls.company_a.ids)
        )
        # B's rates: 1 XRW is 0.5 of A's currency.
        env["res.currency.rate"].search([("currency_id", "=", currency.id)]).unlink()
        env["res.currency.rate"].create(
            {
                "name": "2026-01-01",
                "rate": 0.5,
                "currency_id": currency.id,
                "company_id": cls.company_b.id,
            }
        )
        in_a = {
            "company_id": cls.company_a.id,
            "company_ids": [Command.set(cls.company_a.ids)],
        }
        user_groups = "renewal_contracts.renewal_contracts_group_user"
        cls.seller_north = new_test_user(
            env, login="base_north", groups=user_groups, **in_a
        )
        cls.seller_south = new_test_user(
            env, login="base_south", groups=user_groups, **in_a
        )
        cls.seller_alone = new_test_user(
            env, login="base_alone", groups=user_groups, **in_a
        )
        # North's team: north and a colleague, who sees north's products.
        cls.colleague = new_test_user(
            env, login="base_colleague", groups=user_groups, **in_a
        )
        env["crm.team"].create(
            {
                "name": "Installed North",
                "company_id": cls.company_a.id,
                "member_ids": [
                    Command.link(cls.seller_north.id),
                    Command.link(cls.colleague.id),
                ],
            }
        )
        cls.manager.write(
            {
                "company_id": cls.company_a.id,
                "company_ids": [
                    Command.link(cls.company_a.id),
                    Command.link(cls.company_b.id),
                ],
            }
        )
        cls.portal_user = new_test_user(
            env, login="base_portal", groups="base.group_portal", **in_a
        )

        Category = env["product.category"]
        cls.servers = Category.create({"name": "Installed Servers"})
        cls.network = Category.create({"name": "Installed Network"})
        Product = env["product.product"]
        cls.s1 = Product.create(
            {
                "name": "Server S1",
                "categ_id": cls.servers.id,
                "list_price": 1000.0,
                "renewal_end_of_support_date": "2027-03-31",
            }
        )
        cls.x1 = Product.create(
            {"name": "Storage X1", "categ_id": cls.servers.id, "list_price": 500.0}
        )
        cls.w1 = Product.create(
            {
                "name": "Switch W1",
                "categ_id": cls.network.id,
                "list_price": 200.0,
                "renewal_end_of_support_date": "2026-01-31",
            }
        )
        Partner = env["res.partner"]
        cls.belgium, cls.france = env.ref("base.be"), env.ref("base.fr")
        cls.cust_be = Partner.create(
            {"name": "Base Kunde BE", "is_company": True, "country_id": cls.belgium.id}
        )
        cls.cust_fr = Partner.create(
            {"name": "Base Client FR", "is_company": True, "country_id": cls.france.id}
        )
        cls.cust_none = Partner.create({"name": "Base Nowhere", "is_company": True})
        cls.r1 = cls.reseller
        cls.r2 = Partner.create(
            {"name": "Base Resell Two", "is_company": True, "is_renewal_reseller": True}
        )

        north, south = cls.seller_north, cls.seller_south
        rows = {
            "A1": (cls.s1, cls.cust_be, "2025-09-01", None, cls.r1, north),
            "A2": (cls.s1, cls.cust_be, "2023-01-10", None, cls.r1, north),
            "A3": (cls.s1, cls.cust_fr, "2021-05-01", None, None, north),
            "A4": (cls.s1, cls.cust_fr, "2024-06-15", None, cls.r1, north),
            "A5": (cls.x1, cls.cust_be, "2022-06-15", None, None, north),
            "A6": (cls.w1, cls.cust_be, "2026-02-01", None, cls.r2, south),
            "A7": (cls.w1, cls.cust_be, None, "2022-06-16", cls.r2, south),
            "A8": (cls.w1, cls.cust_none, None, None, None, south),
            "A9": (cls.w1, cls.cust_be, "2026-01-01", None, None, south),
        }
        Installed = env["renewal.installed.product"]
        cls.ip = {
            serial: Installed.create(
                {
                    "company_id": cls.company_a.id,
                    "product_id": product.id,
                    "serial_number": serial,
                    "partner_id": customer.id,
                    "install_date": installed,
                    "purchase_date": bought,
                    "reseller_id": reseller.id if reseller else False,
                    "user_id": seller.id,
                    "registration_channel": (
                        "reseller_portal" if reseller else "back_office"
                    ),
                }
            )
            for serial, (product, customer, installed, bought, reseller, seller) in (
                rows.items()
            )
        }
        cls.ip["A9"].action_archive()
        cls.ip["B1"] = Installed.create(
            {
                "company_id": cls.company_b.id,
                "product_id": cls.s1.id,
                "serial_number": "B1",
                "partner_id": cls.cust_be.id,
                "install_date": "2020-01-01",
                "user_id": cls.manager.id,
            }
        )

        def line(serial, start, end, level):
            return Command.create(
                {
                    "product_id": cls.ip[serial].product_id.id,
                    "serial_number": serial,
                    "installed_product_id": cls.ip[serial].id,
                    "date_start": start,
                    "date_end": end,
                    "list_price": 100.0,
                    "service_level_id": level.id,
                }
            )

        contract = env["renewal.contract"].create(
            {
                "name": "IB-1",
                "company_id": cls.company_a.id,
                "partner_id": cls.cust_be.id,
                "date_start": "2025-01-01",
                "date_end": "2026-12-31",
                "line_ids": [
                    line("A1", "2026-01-01", "2026-12-31", cls.level),
                    line("A2", "2025-01-01", "2026-12-31", cls.level_warranty),
                    line("A3", "2025-04-01", "2026-03-31", cls.level),
                    line("A5", "2026-01-01", "2026-12-31", cls.level),
                    line("A6", "2026-02-01", "2027-01-31", cls.level),
                    line("A8", "2026-01-01", "2026-12-31", cls.level),
                ],
            }
        )
        contract.line_ids.filtered(lambda line: line.serial_number == "A8")._cancel(
            cls.reason
        )

    def rows(self, groupby, aggregates, domain=(), user=None, companies=None):
        """The analysis grouped by ``groupby``, as a dict keyed by the group
        values (display names for records), for ``user`` in ``companies``."""
        Report = self.env["renewal.report.installed.base"]
        if user:
            Report = Report.with_user(user)
        if companies:
            Report = Report.with_context(allowed_company_ids=companies.ids)
        result = {}
        for row in Report._read_group(
            list(domain), groupby=groupby, aggregates=aggregates
        ):
            keys = tuple(
                getattr(value, "display_name", value) for value in row[: len(groupby)]
            )
            result[keys if len(keys) != 1 else keys[0]] = row[len(groupby) :]
        return result


@tagged("post_install", "-at_install")
class TestInstalledBaseReport(InstalledBaseCase):
    """The installed-base analysis on the fixture of ``InstalledBaseCase``:
    every figure below is worked out by hand from its table."""

    def assertRates(self, got, expected, msg=None):
        """(attach rate, support attach rate)."""
        for name, value, want in zip(("attach", "support"), got, expected, strict=True):
            self.assertAlmostEqual(value, want, places=2, msg=f"{msg}: {name}")

    def test_one_row_per_active_installed_product(self):
        report = self.env["renewal.report.installed.base"].search([])
        by_serial = {row.serial_number: row for row in report}
        self.assertEqual(set(by_serial), {f"A{index}" for index in range(1, 9)})
        self.assertEqual(
            {serial: row.coverage_state for serial, row in by_serial.items()},
            {
                "A1": "covered",
                "A2": "warranty",
                "A3": "lapsed",
                "A4": "uncovered",
                "A5": "covered",
                "A6": "covered",
                "A7": "uncovered",
                "A8": "lapsed",
            },
        )
        self.assertEqual(
            {serial: row.age_band for serial, row in by_serial.items()},
            {
                "A1": "0_2",
                "A2": "2_4",
                "A3": "4_plus",
                "A4": "2_4",  # exactly two years ago
                "A5": "4_plus",  # exactly four years ago
                "A6": "0_2",
                "A7": "2_4",  # bought a day less than four years ago
                "A8": "unknown",
            },
        )
        self.assertEqual(
            {serial: row.install_year for serial, row in by_serial.items()},
            {
                "A1": 2025,
                "A2": 2023,
                "A3": 2021,
                "A4": 2024,
                "A5": 2022,
                "A6": 2026,
                "A7": 2022,
                "A8": 0,
            },
        )
        self.assertEqual(
            {serial: row.support_window for serial, row in by_serial.items()},
            {
                **dict.fromkeys(("A1", "A2", "A3", "A4"), "within_12"),
                "A5": "none",
                **dict.fromkeys(("A6", "A7", "A8"), "ended"),
            },
        )
        a1 = by_serial["A1"]
        self.assertEqual(
            (a1.installed_product_id, a1.product_id, a1.categ_id, a1.country_id),
            (self.ip["A1"], self.s1, self.servers, self.belgium),
        )
        self.assertEqual((a1.reseller_id, a1.user_id), (self.r1, self.seller_north))
        self.assertFalse(by_serial["A8"].country_id)
        self.assertEqual(by_serial["A3"].value_uncovered, 1000)
        self.assertEqual(by_serial["A1"].value_uncovered, 0)
        self.assertEqual(by_serial["A1"].currency_id, self.company_a.currency_id)

    def test_totals(self):
        [(count, under, support, uncovered, value, value_uncovered, *rates)] = self.env[
            "renewal.report.installed.base"
        ]._read_group(
            [],
            aggregates=[
                "__count",
                "nbr_under_contract:sum",
                "nbr_support:sum",
                "nbr_uncovered:sum",
                "value:sum",
                "value_uncovered:sum",
                *RATES,
            ],
        )
        self.assertEqual((count, under, support, uncovered), (8, 4, 3, 4))
        self.assertEqual(value, 4 * 1000 + 500 + 3 * 200)
        # A3, A4, A7, A8: under no live contract.
        self.assertEqual(value_uncovered, 1000 + 1000 + 200 + 200)
        # 4 of 8 under contract (A1 A2 A5 A6), 3 of 8 under support.
        self.assertRates(rates, (50.0, 37.5), "all")

    def test_rates_by_category(self):
        rows = self.rows(
            ["categ_id"],
            ["__count", "nbr_under_contract:sum", *RATES, "value_uncovered:sum"],
        )
        # Servers: A1-A5; A1 A2 A5 under contract, A1 A5 under support;
        # A3 A4 uncovered.
        count, under, *rates, value = rows["Installed Servers"]
        self.assertEqual((count, under, value), (5, 3, 2000))
        self.assertRates(rates, (60.0, 40.0), "servers")
        # Network: A6-A8 (A9 archived); A6 alone covered.
        count, under, *rates, value = rows["Installed Network"]
        self.assertEqual((count, under, value), (3, 1, 400))
        self.assertRates(rates, (100 / 3, 100 / 3), "network")
        # Not the average of the two (46.7 %): 4 of 8.
        self.assertRates(self.rows([], RATES)[()], (50.0, 37.5), "total")

    def test_rates_by_category_and_age(self):
        rows = self.rows(["categ_id", "age_band"], [*RATES, "value_uncovered:sum"])
        servers, network = "Installed Servers", "Installed Network"
        expected = {
            (servers, "0_2"): (100.0, 100.0, 0),  # A1
            (servers, "2_4"): (50.0, 0.0, 1000),  # A2 warranty, A4
            (servers, "4_plus"): (50.0, 50.0, 1000),  # A3 lapsed, A5
            (network, "0_2"): (100.0, 100.0, 0),  # A6
            (network, "2_4"): (0.0, 0.0, 200),  # A7
            (network, "unknown"): (0.0, 0.0, 200),  # A8
        }
        self.assertEqual(set(rows), set(expected))
        for key, (attach, support, value) in expected.items():
            self.assertRates(rows[key][:2], (attach, support), key)
            self.assertEqual(rows[key][2], value, key)
        # The same through the public read_group the pivot calls.
        groups = self.env["renewal.report.installed.base"].read_group(
            [],
            ["attach_rate", "support_attach_rate", "nbr_products"],
            ["categ_id", "age_band"],
            lazy=False,
        )
        servers_2_4 = [
            group
            for group in groups
            if group["categ_id"][0] == self.servers.id and group["age_band"] == "2_4"
        ]
        self.assertEqual(len(servers_2_4), 1)
        self.assertEqual(servers_2_4[0]["attach_rate"], 50.0)
        self.assertEqual(servers_2_4[0]["support_attach_rate"], 0.0)
        self.assertEqual(servers_2_4[0]["nbr_products"], 2)

    def test_by_region_reseller_and_support(self):
        rows = self.rows(["country_id"], ["__count", *RATES, "value_uncovered:sum"])
        # BE: A1 A2 A5 A6 A7; four under contract.
        self.assertEqual(rows["Belgium"][0], 5)
        self.assertRates(rows["Belgium"][1:3], (80.0, 60.0), "BE")
        self.assertEqual(rows["France"][0], 2)
        self.assertRates(rows["France"][1:3], (0.0, 0.0), "FR")
        self.assertEqual(rows["France"][3], 2000)
        self.assertEqual(rows[False][0], 1)  # A8, no country
        rows = self.rows(["reseller_id"], ["__count", *RATES])
        self.assertEqual(rows["Resell One"][0], 3)  # A1 A2 A4
        self.assertRates(rows["Resell One"][1:], (200 / 3, 100 / 3), "R1")
        rows = self.rows(["support_window"], ["__count", "value_uncovered:sum"])
        self.assertEqual(
            rows,
            {"within_12": (4, 2000), "none": (1, 0), "ended": (3, 400)},
        )
        rows = self.rows(["registration_channel"], ["__count", *RATES])
        self.assertEqual(rows["reseller_portal"][0], 5)  # A1 A2 A4 A6 A7
        self.assertRates(rows["reseller_portal"][1:], (60.0, 40.0), "portal")
        self.assertEqual(rows["back_office"][0], 3)  # A3 A5 A8
        self.assertRates(rows["back_office"][1:], (100 / 3, 100 / 3), "office")
        rows = self.rows(["install_year"], ["__count"])
        self.assertEqual(rows[2022], (2,))  # A5 installed, A7 bought
        self.assertEqual(rows[0], (1,))

    def test_company_currency(self):
        # Working in A and B, A current: B's 1000 XRW count 500.
        both = self.company_a | self.company_b
        rows = self.rows(
            [],
            ["__count", "value_uncovered:sum", *RATES],
            user=self.manager,
            companies=both,
        )
        count, value, *rates = rows[()]
        self.assertEqual((count, value), (9, 2400 + 500))
        self.assertRates(rates, (400 / 9, 300 / 9), "A and B")
        # In B alone: its own currency.
        rows = self.rows(
            [], ["value_uncovered:sum"], user=self.manager, companies=self.company_b
        )
        self.assertEqual(rows[()], (1000,))

    def test_drill_down(self):
        report = self.env["renewal.report.installed.base"].search(
            [("coverage_state", "in", ("uncovered", "lapsed"))]
        )
        action = report.action_open_installed_products()
        self.assertEqual(
            self.env["renewal.installed.product"].search(action["domain"]),
            self.ip["A3"] | self.ip["A4"] | self.ip["A7"] | self.ip["A8"],
        )
        row = report.filtered(lambda row: row.serial_number == "A3")
        action = row.action_open_installed_product()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("renewal.installed.product", self.ip["A3"].id),
        )


@tagged("post_install", "-at_install")
class TestInstalledBaseAccess(InstalledBaseCase):
    """Who sees what of the installed-base analysis."""

    def seen(self, user, companies=None):
        Report = self.env["renewal.report.installed.base"].with_user(user)
        if companies:
            Report = Report.with_context(allowed_company_ids=companies.ids)
        return set(Report.search([]).mapped("serial_number"))

    def test_manager_sees_the_companies_they_work_in(self):
        every_a = {f"A{index}" for index in range(1, 9)}
        self.assertEqual(self.seen(self.manager), every_a)
        both = self.company_a | self.company_b
        self.assertEqual(self.seen(self.manager, both), every_a | {"B1"})
        self.assertEqual(self.seen(self.manager, self.company_b), {"B1"})

    def test_user_sees_their_own_and_their_teams(self):
        north = {"A1", "A2", "A3", "A4", "A5"}
        self.assertEqual(self.seen(self.seller_north), north)
        # A colleague in north's team sees north's products.
        self.assertEqual(self.seen(self.colleague), north)
        self.assertEqual(self.seen(self.seller_south), {"A6", "A7", "A8"})
        self.assertEqual(self.seen(self.seller_alone), set())
        # Their figures are their rows' only.
        rows = self.rows([], ["__count", *RATES], user=self.seller_south)
        count, attach, support = rows[()]
        self.assertEqual(count, 3)
        self.assertAlmostEqual(attach, 100 / 3, places=2)  # A6 of A6-A8
        self.assertAlmostEqual(support, 100 / 3, places=2)

    def test_portal_user_is_refused(self):
        Report = self.env["renewal.report.installed.base"].with_user(self.portal_user)
        with self.assertRaises(AccessError):
            Report.read_group([], ["nbr_products"], ["categ_id"])
        with self.assertRaises(AccessError):
            Report.search_read([], ["serial_number"])


@tagged("post_install", "-at_install")
class TestInstalledBaseRpc(HttpCase):
    """Over JSON-RPC, as the web client asks: a Renewals user reads the
    pivot's groups, a portal user is refused."""

    def call(self, login, method, *args, **kwargs):
        self.authenticate(login, login)
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {
                "model": "renewal.report.installed.base",
                "method": method,
                "args": list(args),
                "kwargs": kwargs,
            },
        )

    def test_rpc_access(self):
        new_test_user(
            self.env,
            login="base_rpc_manager",
            groups="renewal_contracts.renewal_contracts_group_manager",
        )
        new_test_user(self.env, login="base_rpc_portal", groups="base.group_portal")
        self.env["renewal.installed.product"].create(
            {
                "product_id": self.env["product.product"]
                .create({"name": "RPC Server"})
                .id,
                "serial_number": "RPC-1",
                "partner_id": self.env["res.partner"]
                .create({"name": "RPC Customer", "is_company": True})
                .id,
            }
        )
        groups = self.call(
            "base_rpc_manager",
            "web_read_group",
            [],
            ["nbr_products:sum", "attach_rate:sum"],
            ["coverage_state"],
            lazy=False,
        )
        self.assertIn("groups", groups)
        total = self.env["renewal.report.installed.base"].search_count([])
        self.assertEqual(
            sum(group["nbr_products"] for group in groups["groups"]), total
        )
        self.assertGreaterEqual(total, 1)
        with self.assertRaises(JsonRpcException) as catcher:
            self.call("base_rpc_portal", "web_read_group", [], ["nbr_products:sum"], [])
        self.assertEqual(str(catcher.exception), "odoo.exceptions.AccessError")
