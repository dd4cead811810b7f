from collections import Counter
from datetime import date, timedelta

from odoo.tests import TransactionCase, tagged

from ..tools import demo_history as history

OUTCOMES = {"renewed_on_time", "renewed_late", "lost", "open", "overdue"}


@tagged("post_install", "-at_install")
class TestDemoHistoryPlan(TransactionCase):
    """The plan of the demo history, whatever day the demo is installed."""

    def plan(self, today):
        return history.history_plan(
            today,
            customers=["a", "b", "c"] * 5,
            channels=5,
            salespeople={"a": 3, "b": 2, "c": 2},
            products=[2100.0, 1400.0, 1600.0, 450.0, 1200.0],
            reasons=6,
        )

    def test_every_outcome_every_day(self):
        day = date(2025, 1, 1)
        for offset in range(0, 3 * 366, 3):
            today = day + timedelta(days=offset)
            plans = self.plan(today)
            missing, reasons = history.missing_outcomes(plans, 6)
            self.assertFalse(missing, f"no {missing} on {today}")
            self.assertFalse(reasons, f"no reason {reasons} on {today}")
            # The dashboard's default period shows cancellations.
            lost_now = [
                period
                for plan in plans
                for line in plan.lines
                for period in line.periods
                if period.outcome == history.LOST
                and history.quarter_start(period.date_end)
                == history.quarter_start(today)
            ]
            self.assertTrue(lost_now, today)

    def test_eight_past_quarters_and_four_to_come(self):
        today = date(2026, 11, 27)
        quarters = Counter()
        for plan in self.plan(today):
            for line in plan.lines:
                for period in line.periods:
                    quarters[history.quarter_start(period.date_end)] += 1
                    if period.decided_on:
                        self.assertLessEqual(period.decided_on, today)
                    late = period.outcome == history.LATE
                    if period.outcome in (history.ON_TIME, history.LATE):
                        self.assertEqual(period.decided_on > period.date_end, late)
                for before, after in zip(line.periods, line.periods[1:], strict=False):
                    self.assertEqual(
                        after.date_start, before.date_end + timedelta(days=1)
                    )
        # Eight past quarters, 2024-Q4 to 2026-Q3, then this one (2026-Q4)
        # and the next three (and the renewals made early, a year on).
        past = [date(2024, 10, 1), date(2025, 1, 1), date(2025, 4, 1)]
        past += [date(2025, 7, 1), date(2025, 10, 1), date(2026, 1, 1)]
        past += [date(2026, 4, 1), date(2026, 7, 1)]
        ahead = [
            date(2026, 10, 1),
            date(2027, 1, 1),
            date(2027, 4, 1),
            date(2027, 7, 1),
        ]
        self.assertEqual(sorted(quarters)[:12], past + ahead)
        self.assertTrue(all(quarters[quarter] >= 10 for quarter in past + ahead))

    def test_same_day_same_history(self):
        today = date(2026, 3, 31)
        self.assertEqual(self.plan(today), self.plan(today))


@tagged("post_install", "-at_install")
class TestDemoHistory(TransactionCase):
    """The demo history, as installed, gives figures to every report."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.first = cls.env.ref(
            "renewal_reporting.demo_history_contract_000", raise_if_not_found=False
        )

    def setUp(self):
        super().setUp()
        if not self.first:
            self.skipTest("Installed without demo data.")
        self.contracts = self.env["renewal.contract"].search(
            [("name", "=like", "RH-%")]
        )
        self.domain = [("contract_id", "in", self.contracts.ids)]
        self.Report = self.env["renewal.report"]

    def test_again_does_nothing(self):
        self.assertFalse(self.env["renewal.contract"]._demo_renewal_history())
        self.assertEqual(
            self.env["renewal.contract"].search_count([("name", "=like", "RH-%")]),
            len(self.contracts),
        )

    def test_every_outcome_has_figures(self):
        groups = {
            outcome: (count, due)
            for outcome, count, due in self.Report._read_group(
                self.domain, ["outcome"], ["nbr_lines:sum", "value_due:sum"]
            )
        }
        self.assertEqual(set(groups), OUTCOMES)
        for outcome, (count, due) in groups.items():
            self.assertGreater(count, 0, outcome)
            self.assertGreater(due, 0, outcome)

    def test_every_reason_has_lost_value(self):
        Line = self.env["renewal.contract.line"]
        reasons = self.env["renewal.cancel.reason"].search([])
        lost = {
            reason: (count, value)
            for reason, count, value in self.Report._read_group(
                self.domain + [("outcome", "=", "lost")],
                ["cancel_reason_id"],
                ["nbr_lines:sum", "value_lost:sum"],
            )
        }
        self.assertEqual(set(lost), set(reasons))
        for reason in reasons:
            # As many lost lines as lines cancelled for the reason.
            lines = Line.search(self.domain + [("cancel_reason_id", "=", reason.id)])
            self.assertEqual(lost[reason][0], len(lines), reason.name)
            self.assertGreater(lost[reason][1], 0, reason.name)
            self.assertTrue(all(lines.mapped("cancel_date")), reason.name)

    def test_eight_past_quarters_of_renewals(self):
        today = date.today()
        this_quarter = history.quarter_start(today)
        renewed = self.Report._read_group(
            self.domain
            + [
                ("outcome", "in", ["renewed_on_time", "renewed_late"]),
                ("date_end", "<", this_quarter),
            ],
            ["date_end:quarter"],
            ["value_renewed:sum"],
        )
        self.assertGreaterEqual(len([q for q, value in renewed if value > 0]), 8)
        # And the quarter now and the next three have renewals to come.
        ahead = self.Report._read_group(
            self.domain + [("date_end", ">=", this_quarter)],
            ["date_end:quarter"],
            ["value_due:sum"],
        )
        self.assertGreaterEqual(len([q for q, value in ahead if value > 0]), 4)

    def test_dimensions(self):
        report = self.Report.search(self.domain)
        self.assertGreaterEqual(len(report.team_id), 3)
        self.assertTrue(all(team.member_ids for team in report.team_id))
        self.assertGreaterEqual(len(report.country_id), 5)
        self.assertGreaterEqual(len(report.categ_id), 3)
        self.assertEqual(
            set(report.mapped("route")), {"direct", "reseller", "distributor"}
        )
        self.assertEqual(
            report.reseller_id,
            self.env["res.partner"]
            .search([("is_renewal_reseller", "=", True)])
            .filtered(
                lambda partner: partner.get_external_id()[partner.id].startswith(
                    "renewal_contracts."
                )
            ),
        )
        self.assertEqual(set(self.contracts.currency_id.mapped("name")), {"USD", "EUR"})
        euro = self.env.ref("base.EUR")
        self.assertTrue(
            self.env["res.currency.rate"].search_count(
                [
                    ("currency_id", "=", euro.id),
                    ("company_id", "=", self.first.company_id.id),
                ]
            )
        )
