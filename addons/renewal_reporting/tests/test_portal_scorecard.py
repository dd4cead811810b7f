from datetime import date, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


def quarter_of(day, shift=0):
    """First day of the quarter of ``day``, ``shift`` quarters on (the
    test's own arithmetic, not the code under test's)."""
    months = day.year * 12 + (day.month - 1) // 3 * 3 + 3 * shift
    return date(months // 12, months % 12 + 1, 1)


class ScorecardCase(HttpCase):
    """A vendor company of its own (so that no demo data enters the
    figures) with three resellers, Alpha, Beta and Gamma, each with a
    renewals manager in the portal; a customer with a portal account; a
    direct contract. Lines end 10 days into a past quarter (or at a given
    day); a renewed line has a successor of the same price a year on.

    Alpha, last four full quarters (Q-1 .. Q-4):
      Q-1: 100 renewed on time, 200 renewed late, 300 lost (price),
           400 overdue;
      Q-2: 500 renewed on time, 50 lost (competitor);
      Q-5 (outside the period): 70 overdue;
      to come: 1,000 due in 20 days (amber), 2,000 in 200 days (green).
    Beta: Q-1 5,000 and Q-2 3,000, both renewed on time.
    Gamma: Q-1 800 renewed late (value renewed 800, as Alpha's: a tie).
    Direct: Q-1 999 lost (price).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env = env
        cls.today = fields.Date.context_today(env["renewal.contract"])
        cls.vendor = env["res.company"].create(
            {"name": "Scorecard Vendor Inc", "currency_id": env.company.currency_id.id}
        )
        cls.vendor.renewal_due_days = 90
        Partner = env["res.partner"]
        cls.alpha, cls.beta, cls.gamma = Partner.create(
            [
                {"name": name, "is_company": True, "is_renewal_reseller": True}
                for name in (
                    "Alpha Scorecard BV",
                    "Beta Scorecard BV",
                    "Gamma Resale Ltd",
                )
            ]
        )
        cls.customer = Partner.create({"name": "Cora Clinics", "is_company": True})
        cls.manager_alpha = cls._portal_user("sc_alpha", cls.alpha, manager=True)
        cls.manager_beta = cls._portal_user("sc_beta", cls.beta, manager=True)
        cls.seller_alpha = cls._portal_user("sc_alpha_seller", cls.alpha, manager=False)
        cls.customer_user = cls._portal_user("sc_cora", cls.customer, manager=False)
        cls.staff = new_test_user(
            env,
            login="sc_staff",
            groups="renewal_contracts.renewal_contracts_group_manager",
            company_id=cls.vendor.id,
            company_ids=[Command.set([cls.vendor.id, env.company.id])],
        )
        cls.product = env["product.product"].create(
            {"name": "Scorecard Server", "default_code": "SC-1"}
        )
        Reason = env["renewal.cancel.reason"]
        cls.reason_price = Reason.create({"name": "Too expensive (scorecard)"})
        cls.reason_competitor = Reason.create({"name": "Went to a rival (scorecard)"})

        q1, q2 = cls.past(1), cls.past(2)
        cls.alpha_contract = cls._contract("SC-AL", cls.alpha)
        cls.lines = {}
        for key, price, end, outcome in [
            ("a1", 100, q1, "on_time"),
            ("a2", 200, q1, "late"),
            ("a3", 300, q1, cls.reason_price),
            ("a4", 400, q1, "overdue"),
            ("a5", 500, q2, "on_time"),
            ("a6", 50, q2, cls.reason_competitor),
            ("a9", 70, cls.past(5), "overdue"),
            ("a7", 1000, cls.today + timedelta(days=20), "open"),
            ("a8", 2000, cls.today + timedelta(days=200), "open"),
        ]:
            cls.lines[key] = cls._line(cls.alpha_contract, key, price, end, outcome)
        beta_contract = cls._contract("SC-BE", cls.beta)
        cls._line(beta_contract, "b1", 5000, q1, "on_time")
        cls._line(beta_contract, "b2", 3000, q2, "on_time")
        gamma_contract = cls._contract("SC-GA", cls.gamma)
        cls._line(gamma_contract, "g1", 800, q1, "late")
        direct = cls._contract("SC-VD", None)
        cls._line(direct, "d1", 999, q1, cls.reason_price)
        # The analysis reads a materialized view: refresh it as the
        # scheduled action would.
        env["renewal.report"]._refresh_view()

    @classmethod
    def past(cls, quarters):
        """The 11th day of the quarter ``quarters`` before today's."""
        return quarter_of(cls.today, -quarters) + timedelta(days=10)

    @classmethod
    def _portal_user(cls, login, company, manager):
        contact = cls.env["res.partner"].create(
            {
                "name": f"{login.title()} Contact",
                "parent_id": company.id,
                "email": f"{login}@example.com",
                "renewal_reseller_manager": manager,
            }
        )
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_portal",
            partner_id=contact.id,
            company_id=cls.vendor.id,
            company_ids=[Command.set([cls.vendor.id])],
        )

    @classmethod
    def _contract(cls, name, reseller):
        return cls.env["renewal.contract"].create(
            {
                "name": name,
                "company_id": cls.vendor.id,
                "partner_id": cls.customer.id,
                "reseller_id": reseller.id if reseller else False,
                "date_start": cls.today - timedelta(days=800),
                "date_end": cls.today + timedelta(days=400),
            }
        )

    @classmethod
    def _line(cls, contract, serial, price, end, outcome):
        Line = cls.env["renewal.contract.line"]
        line = Line.create(
            {
                "contract_id": contract.id,
                "product_id": cls.product.id,
                "serial_number": serial,
                "list_price": price,
                "date_start": end - timedelta(days=364),
                "date_end": end,
            }
        )
        if not isinstance(outcome, str):
            line._cancel(outcome)
        elif outcome in ("on_time", "late"):
            successor = Line.create(
                {
                    "contract_id": contract.id,
                    "product_id": cls.product.id,
                    "serial_number": serial,
                    "list_price": price,
                    "date_start": end + timedelta(days=1),
                    "date_end": end + timedelta(days=365),
                }
            )
            renewed = (
                end - timedelta(days=5)
                if outcome == "on_time"
                else end + timedelta(days=10)
            )
            line.write({"successor_line_id": successor.id, "renewed_date": renewed})
            cls.lines[f"{serial}_next"] = successor
        return line

    def scorecard(self, user):
        cards = (
            self.env["renewal.report.scorecard"]
            .with_user(user)
            .with_company(self.vendor)
            ._portal_scorecards()
        )
        self.assertEqual(len(cards), 1)
        return cards[0]


@tagged("post_install", "-at_install")
class TestPortalScorecard(ScorecardCase):
    """The figures of the scorecard, and who gets one."""

    def test_alpha_rates_and_losses(self):
        card = self.scorecard(self.manager_alpha)
        self.assertEqual(card["company"], self.vendor)
        self.assertEqual(card["partner_name"], "Alpha Scorecard BV")
        self.assertEqual(card["date_from"], quarter_of(self.today, -4))
        self.assertEqual(card["date_to"], quarter_of(self.today) - timedelta(days=1))
        total = card["total"]
        # renewed 100, 200, 500; lost 300, 50; overdue 400.
        # The overdue 70 of Q-5 is outside the period.
        self.assertEqual(total["nbr_lines"], 6)
        self.assertAlmostEqual(total["value_due"], 1550.0)
        self.assertAlmostEqual(total["value_renewed"], 800.0)
        self.assertAlmostEqual(total["value_lost"], 350.0)
        self.assertAlmostEqual(total["renewal_rate_count"], 3 / 6 * 100, places=2)
        self.assertAlmostEqual(total["renewal_rate_value"], 800 / 1550 * 100, places=2)
        self.assertAlmostEqual(total["ontime_rate"], 2 / 3 * 100, places=2)
        self.assertEqual(
            [(row["reason"], row["count"], row["value"]) for row in card["lost"]],
            [
                ("Too expensive (scorecard)", 1, 300.0),
                ("Went to a rival (scorecard)", 1, 50.0),
            ],
        )
        self.assertAlmostEqual(card["lost_total"], 350.0)

    def test_alpha_rates_by_quarter(self):
        quarters = {
            q["start"]: q for q in self.scorecard(self.manager_alpha)["quarters"]
        }
        self.assertEqual(
            sorted(quarters),
            [quarter_of(self.today, -n) for n in (4, 3, 2, 1)],
        )
        q1 = quarters[quarter_of(self.today, -1)]
        # 100 on time, 200 late, 300 lost, 400 overdue.
        self.assertAlmostEqual(q1["renewal_rate_count"], 50.0, places=2)
        self.assertAlmostEqual(q1["renewal_rate_value"], 300 / 1000 * 100, places=2)
        self.assertAlmostEqual(q1["ontime_rate"], 50.0, places=2)
        q2 = quarters[quarter_of(self.today, -2)]
        # 500 on time, 50 lost.
        self.assertAlmostEqual(q2["renewal_rate_count"], 50.0, places=2)
        self.assertAlmostEqual(q2["renewal_rate_value"], 500 / 550 * 100, places=2)
        self.assertAlmostEqual(q2["ontime_rate"], 100.0, places=2)
        # No line fell due in: no rate at all, not 0 %.
        for shift in (-3, -4):
            self.assertFalse(quarters[quarter_of(self.today, shift)].get("value_due"))

    def test_alpha_pipeline_by_quarter_and_colour(self):
        pipeline = self.scorecard(self.manager_alpha)["pipeline"]
        got = {
            (q["start"], status): (q[status]["value"], q[status]["count"])
            for q in pipeline
            for status in ("overdue", "due", "live")
            if q[status]["count"]
        }
        today = self.today
        # Still to renew: the overdue 400 and 70, the amber
        # 1,000 and the green 2,000, and the successors of the renewed
        # lines, a year after their predecessors (green: far out).
        expected = {}
        for end, status, value in [
            (self.past(1), "overdue", 400.0),
            (self.past(5), "overdue", 70.0),
            (today + timedelta(days=20), "due", 1000.0),
            (today + timedelta(days=200), "live", 2000.0),
            (self.past(1) + timedelta(days=365), "live", 100.0),
            (self.past(1) + timedelta(days=365), "live", 200.0),
            (self.past(2) + timedelta(days=365), "live", 500.0),
        ]:
            key = (quarter_of(end), status)
            old_value, old_count = expected.get(key, (0.0, 0))
            expected[key] = (old_value + value, old_count + 1)
        self.assertEqual(got, expected)
        self.assertEqual(
            [q["start"] for q in pipeline], sorted(q["start"] for q in pipeline)
        )
        self.assertAlmostEqual(sum(q["total"] for q in pipeline), 4270.0)

    def test_rank_ties_and_no_names(self):
        # Value renewed over the period: Beta 8,000, Alpha 800, Gamma 800.
        alpha = self.scorecard(self.manager_alpha)
        self.assertEqual((alpha["rank"], alpha["rank_count"]), (2, 3))
        self.assertTrue(alpha["rank_tied"])
        beta = self.scorecard(self.manager_beta)
        self.assertEqual((beta["rank"], beta["rank_count"]), (1, 3))
        self.assertFalse(beta["rank_tied"])
        self.assertAlmostEqual(beta["total"]["renewal_rate_count"], 100.0, places=2)
        self.assertAlmostEqual(beta["total"]["value_renewed"], 8000.0)
        self.assertEqual(beta["lost"], [])
        # Alpha's scorecard holds no other party's name or record.
        text = repr(alpha)
        for name in ("Beta Scorecard", "Gamma Resale", "Cora Clinics"):
            self.assertNotIn(name, text)
        records = [v for v in alpha.values() if hasattr(v, "_name")]
        self.assertEqual({r._name for r in records}, {"res.company", "res.currency"})

    def test_refused_to_everyone_but_a_channel_manager(self):
        Scorecard = self.env["renewal.report.scorecard"]
        for user in (self.customer_user, self.seller_alpha, self.staff):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Scorecard.with_user(user)._portal_scorecards()

    def test_portal_users_read_no_report(self):
        for user in (self.manager_alpha, self.customer_user):
            for model in ("renewal.report", "renewal.ranking"):
                with (
                    self.subTest(user=user.login, model=model),
                    self.assertRaises(AccessError),
                ):
                    self.env[model].with_user(user).search([])


@tagged("post_install", "-at_install")
class TestPortalScorecardHttp(ScorecardCase):
    """/my/renewals over HTTP, as each kind of portal user."""

    def page(self, login):
        self.authenticate(login, login)
        response = self.url_open("/my/renewals", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_manager_sees_own_scorecard_only(self):
        page = self.page("sc_alpha")
        self.assertIn("o_renewal_scorecard", page)
        self.assertIn("Alpha Scorecard BV", page)
        self.assertIn("50.0 %", page)  # renewal rate by count
        self.assertIn("51.6 %", page)  # by value: 800 / 1,550
        self.assertIn("66.7 %", page)  # on time: 2 of 3
        self.assertIn("Too expensive (scorecard)", page)
        self.assertIn("350.00", page)  # value lost
        self.assertRegex(page, r"o_scorecard_rank\">\s*2 of 3")
        # Neither the other resellers' names nor their figures.
        for text in ("Beta Scorecard", "Gamma Resale", "8,000.00", "5,000.00"):
            self.assertNotIn(text, page)

    def test_other_reseller_sees_its_own(self):
        page = self.page("sc_beta")
        self.assertIn("Beta Scorecard BV", page)
        self.assertIn("100.0 %", page)
        self.assertRegex(page, r"o_scorecard_rank\">\s*1 of 3")
        for text in ("Alpha Scorecard", "Gamma Resale", "Too expensive", "1,550.00"):
            self.assertNotIn(text, page)

    def test_no_scorecard_for_customers_and_salespeople(self):
        for login in ("sc_cora", "sc_alpha_seller"):
            with self.subTest(login=login):
                self.assertNotIn("o_renewal_scorecard", self.page(login))

    def test_second_page_has_no_scorecard(self):
        self.authenticate("sc_alpha", "sc_alpha")
        response = self.url_open("/my/renewals/page/2", allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_renewal_scorecard", response.text)
