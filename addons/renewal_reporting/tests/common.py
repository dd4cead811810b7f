from datetime import date

from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.renewal_contracts.tests.common import RenewalCase

# The renewals of 2026 (the successor lines end in 2027).
YEAR_2026 = [("date_end", ">=", "2026-01-01"), ("date_end", "<=", "2026-12-31")]


class ReportCase(RenewalCase):
    """A renewal base whose figures the tests work out by hand.

    Today is 2026-06-15. Company A (the tests' current company), in its
    own currency (rate 1), and a
    second currency XRW at 2 XRW for 1 (so 400 XRW count 200).

    ======  ===========================  ========  ======  ===========  ==========
    line    contract / route / team      category  due     outcome      value
    ======  ===========================  ========  ======  ===========  ==========
    L1      C1 direct, north             Servers   01-31   on time      100
    L2      C1 direct, north             Servers   02-28   late (+10)   200
    L3      C1 direct, north             Software  03-15   lost, price   50
    L4      C2 R1 via D1, south, XRW     Servers   02-10   on time (-9) 400 XRW=200
    L5      C2 R1 via D1, south, XRW     Software  05-31   overdue      100 XRW=50
    L6      C2 R1 via D1, south, XRW     Software  09-30   open         300 XRW=150
    L7      C3 R2 alone, north           Servers   04-30   lost, compet  80
    L8      C3 R2 alone, north           Servers   05-15   on time (0)  200
    L9      C4 direct, team south,       Software  06-01   lost (whole   60
            salesperson north                              contract),
                                                           price
    ======  ===========================  ========  ======  ===========  ==========

    L1 renewed on 01-20 (11 days early) at 120 (up-sell 20); L2 on 03-10 at
    150 (none); L4 on 02-01 at 500 XRW (up-sell 100 XRW = 50); L8 on 05-15
    at 200 (none). Company B has one line L10, overdue, value 1000.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A company of its own, away from any demo data; the tests work in it.
        currency = cls.company.currency_id
        cls.company_a = cls.env["res.company"].create(
            {"name": "Renewals A Ltd", "currency_id": currency.id}
        )
        cls.env = env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company_a.ids)
        )
        # Rates under the test's control: none for the company's currency
        # (1), 2 XRW for 1 of it.
        env["res.currency.rate"].search([("currency_id", "=", currency.id)]).unlink()
        cls.xrw = env["res.currency"].create(
            {"name": "XRW", "symbol": "ℛ", "rounding": 0.01}
        )
        env["res.currency.rate"].create(
            {
                "name": "2026-01-01",
                "rate": 2.0,
                "currency_id": cls.xrw.id,
                "company_id": cls.company_a.id,
            }
        )
        cls.company_b = env["res.company"].create(
            {"name": "Renewals B Ltd", "currency_id": currency.id}
        )

        Team = env["crm.team"]
        in_a = {
            "company_id": cls.company_a.id,
            "company_ids": [Command.set(cls.company_a.ids)],
        }
        user_groups = "renewal_contracts.renewal_contracts_group_user"
        cls.seller_north = new_test_user(
            env, login="report_north", groups=user_groups, **in_a
        )
        cls.seller_south = new_test_user(
            env, login="report_south", groups=user_groups, **in_a
        )
        cls.seller_alone = new_test_user(
            env, login="report_alone", groups=user_groups, **in_a
        )
        cls.team_north = Team.create(
            {
                "name": "Report North",
                "company_id": cls.company_a.id,
                "member_ids": [Command.link(cls.seller_north.id)],
            }
        )
        cls.team_south = Team.create(
            {
                "name": "Report South",
                "company_id": cls.company_a.id,
                "member_ids": [Command.link(cls.seller_south.id)],
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

        Category = env["product.category"]
        cls.servers = Category.create({"name": "Report Servers"})
        cls.software = Category.create({"name": "Report Software"})
        Product = env["product.product"]
        cls.srv = Product.create(
            {"name": "Server S1", "default_code": "SRV-1", "categ_id": cls.servers.id}
        )
        cls.swb = Product.create(
            {"name": "Backup B1", "default_code": "SWB-1", "categ_id": cls.software.id}
        )

        Partner = env["res.partner"]
        cls.belgium = env.ref("base.be")
        cls.customers = Partner.create(
            [
                {"name": f"Report Customer {key}", "is_company": True, **extra}
                for key, extra in (
                    ("A", {"country_id": cls.belgium.id}),
                    ("B", {"country_id": env.ref("base.fr").id}),
                    ("C", {}),
                    ("D", {}),
                    ("E", {}),
                )
            ]
        )
        cls.r1 = cls.reseller  # buys through cls.distributor (D1)
        cls.r2 = Partner.create(
            {"name": "Resell Two", "is_company": True, "is_renewal_reseller": True}
        )
        cls.price = cls.reason
        cls.competitor = env["renewal.cancel.reason"].create(
            {"name": "Competitor (report test)"}
        )

        cls.c1 = cls.contract(
            "RC-1",
            cls.customers[0],
            cls.seller_north,
            [
                ("L1", cls.srv, "2026-01-31", 100),
                ("L2", cls.srv, "2026-02-28", 200),
                ("L3", cls.swb, "2026-03-15", 50),
            ],
        )
        cls.c2 = cls.contract(
            "RC-2",
            cls.customers[1],
            cls.seller_south,
            [
                ("L4", cls.srv, "2026-02-10", 400),
                ("L5", cls.swb, "2026-05-31", 100),
                ("L6", cls.swb, "2026-09-30", 300),
            ],
            reseller_id=cls.r1.id,
            distributor_id=cls.distributor.id,
            currency_id=cls.xrw.id,
        )
        cls.c3 = cls.contract(
            "RC-3",
            cls.customers[2],
            cls.seller_north,
            [
                ("L7", cls.srv, "2026-04-30", 80),
                ("L8", cls.srv, "2026-05-15", 200),
            ],
            reseller_id=cls.r2.id,
        )
        cls.c4 = cls.contract(
            "RC-4",
            cls.customers[3],
            cls.seller_north,
            [("L9", cls.swb, "2026-06-01", 60)],
            team_id=cls.team_south.id,
        )
        cls.c5 = cls.contract(
            "RC-5",
            cls.customers[4],
            cls.manager,
            [("L10", cls.srv, "2026-03-01", 1000)],
            company_id=cls.company_b.id,
        )
        cls.lines = {
            line.serial_number: line
            for line in (cls.c1 | cls.c2 | cls.c3 | cls.c4 | cls.c5).line_ids
        }
        cls.renew("L1", "2026-01-20", 120)
        cls.renew("L2", "2026-03-10", 150)
        cls.renew("L4", "2026-02-01", 500)
        cls.renew("L8", "2026-05-15", 200)
        cls.lines["L3"]._cancel(cls.price)
        cls.lines["L7"]._cancel(cls.competitor)
        cls.c4._cancel(cls.price)

        cls.portal_reseller = new_test_user(
            env,
            login="report_portal_reseller",
            groups="base.group_portal",
            **in_a,
            # Resell One's renewals manager in the portal (renewal_channel).
            partner_id=Partner.create(
                {
                    "name": "Rosa Portal",
                    "parent_id": cls.r1.id,
                    "renewal_reseller_manager": True,
                }
            ).id,
        )
        cls.refresh_report()

    @classmethod
    def refresh_report(cls):
        """The analysis reads a materialized view: bring it up to date with
        the data the test wrote (as the scheduled refresh would)."""
        cls.env["renewal.report"]._refresh_view()

    @classmethod
    def contract(cls, name, customer, salesperson, lines, **values):
        vals = {
            "name": name,
            "partner_id": customer.id,
            "user_id": salesperson.id,
            "date_start": "2025-01-01",
            "date_end": max(line[2] for line in lines),
            "line_ids": [
                Command.create(
                    {
                        "serial_number": serial,
                        "product_id": product.id,
                        "date_start": "2025-01-01",
                        "date_end": end,
                        "list_price": price,
                    }
                )
                for serial, product, end, price in lines
            ],
        }
        vals.update(values)
        return cls.env["renewal.contract"].create(vals)

    @classmethod
    def renew(cls, serial, renewed_on, price):
        """Renew line ``serial`` on ``renewed_on`` for a year, at ``price``."""
        line = cls.lines[serial]
        successor = line.copy(
            {
                "serial_number": f"{serial}-next",
                "date_start": date(2027, 1, 1),
                "date_end": date(2027, 12, 31),
                "list_price": price,
            }
        )
        line.write({"successor_line_id": successor.id, "renewed_date": renewed_on})

    def rows(self, groupby, aggregates, domain=(), user=None, companies=None):
        """The analysis grouped by ``groupby``, as a dict keyed by the group
        values (display names for records), for ``user`` in ``companies``."""
        Report = self.env["renewal.report"]
        if user:
            Report = Report.with_user(user)
        if companies:
            Report = Report.with_context(allowed_company_ids=companies.ids)
        result = {}
        for row in Report._read_group(
            [*YEAR_2026, *domain], groupby=groupby, aggregates=aggregates
        ):
            keys = tuple(
                getattr(value, "display_name", value) for value in row[: len(groupby)]
            )
            result[keys if len(keys) != 1 else keys[0]] = row[len(groupby) :]
        return result
