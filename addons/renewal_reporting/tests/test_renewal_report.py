from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import YEAR_2026, ReportCase

RATES = ["renewal_rate_count:sum", "renewal_rate_value:sum", "ontime_rate:sum"]


@tagged("post_install", "-at_install")
class TestRenewalReport(ReportCase):
    """The renewal analysis on the fixture of ``ReportCase``: every figure
    below is worked out by hand from its table."""

    def assertRates(self, got, expected, msg=None):
        """``got`` and ``expected``: (count rate, value rate, on-time rate),
        None where there is nothing to divide by."""
        for name, value, want in zip(
            ("by count", "by value", "on time"), got, expected, strict=True
        ):
            if want is None:
                self.assertIn(value, (None, False), f"{msg}: {name}")
            else:
                self.assertAlmostEqual(value, want, places=2, msg=f"{msg}: {name}")

    def test_one_row_per_line_with_its_outcome(self):
        report = self.env["renewal.report"].search(YEAR_2026)
        self.assertEqual(len(report), 9)
        outcome = {row.line_id.serial_number: row.outcome for row in report}
        self.assertEqual(
            outcome,
            {
                "L1": "renewed_on_time",
                "L2": "renewed_late",
                "L3": "lost",
                "L4": "renewed_on_time",
                "L5": "overdue",
                "L6": "open",
                "L7": "lost",
                "L8": "renewed_on_time",  # renewed on its due date
                "L9": "lost",  # its contract was cancelled
            },
        )
        by_line = {row.line_id.serial_number: row for row in report}
        l4 = by_line["L4"]
        self.assertEqual(
            (l4.route, l4.reseller_id, l4.distributor_id, l4.team_id),
            ("distributor", self.r1, self.distributor, self.team_south),
        )
        self.assertEqual(by_line["L7"].route, "reseller")
        self.assertEqual(by_line["L1"].route, "direct")
        self.assertEqual(by_line["L1"].country_id, self.belgium)
        self.assertEqual(
            (by_line["L1"].categ_id, by_line["L1"].default_code),
            (self.servers, "SRV-1"),
        )
        # Lost: the line's reason, or the contract's.
        self.assertEqual(by_line["L3"].cancel_reason_id, self.price)
        self.assertEqual(by_line["L7"].cancel_reason_id, self.competitor)
        self.assertEqual(by_line["L9"].cancel_reason_id, self.price)
        self.assertFalse(by_line["L1"].cancel_reason_id)
        self.assertEqual(by_line["L2"].days_late, 10)
        self.assertEqual(by_line["L1"].days_late, -11)

    def test_currency_conversion(self):
        # C2 is in XRW, at 2 XRW for 1: 400 XRW are 200, 100 are 50.
        by_line = {
            row.line_id.serial_number: row
            for row in self.env["renewal.report"].search(YEAR_2026)
        }
        self.assertEqual(by_line["L4"].value_due, 200)
        self.assertEqual(by_line["L4"].value_renewed, 200)
        self.assertEqual(by_line["L4"].value_upsell, 50)  # (500 - 400) / 2
        self.assertEqual(by_line["L5"].value_due, 50)
        self.assertEqual(by_line["L1"].value_due, 100)
        self.assertEqual(by_line["L4"].currency_id, self.company_a.currency_id)
        # At another rate, other figures: 4 XRW for 1.
        self.env["res.currency.rate"].create(
            {
                "name": "2026-06-01",
                "rate": 4.0,
                "currency_id": self.xrw.id,
                "company_id": self.company_a.id,
            }
        )
        # The view converted at the rates of its refresh: the next refresh
        # takes the new rate.
        (total,) = self.rows(["contract_id"], ["value_due:sum"])["RC-2"]
        self.assertEqual(total, (400 + 100 + 300) / 2)
        self.refresh_report()
        (total,) = self.rows(["contract_id"], ["value_due:sum"])["RC-2"]
        self.assertEqual(total, (400 + 100 + 300) / 4)

    def test_totals(self):
        [(count, due, renewed, lost, upsell, decided, days_late, *rates)] = self.env[
            "renewal.report"
        ]._read_group(
            YEAR_2026,
            aggregates=[
                "__count",
                "value_due:sum",
                "value_renewed:sum",
                "value_lost:sum",
                "value_upsell:sum",
                "value_decided:sum",
                "days_late:avg",
                *RATES,
            ],
        )
        self.assertEqual(count, 9)
        self.assertEqual(due, 100 + 200 + 50 + 200 + 50 + 150 + 80 + 200 + 60)
        self.assertEqual(renewed, 100 + 200 + 200 + 200)
        self.assertEqual(lost, 50 + 80 + 60)
        self.assertEqual(upsell, 20 + 50)
        self.assertEqual(decided, 1090 - 150)  # all but the open L6
        self.assertEqual(days_late, (-11 + 10 - 9 + 0) / 4)
        # 4 renewed of 8 decided or due; 700 of 940; 3 on time of 4.
        self.assertRates(rates, (50.0, 700 / 940 * 100, 75.0), "all")

    def test_rates_by_category(self):
        rows = self.rows(["categ_id"], RATES)
        # Servers: L1 L2 L4 L8 renewed, L7 lost; 700 of 780; 3 on time of 4.
        self.assertRates(
            rows["Report Servers"], (80.0, 700 / 780 * 100, 75.0), "servers"
        )
        # Software: L3 L9 lost, L5 overdue (L6 open is left out): none
        # renewed, and nothing renewed to be on time.
        self.assertRates(rows["Report Software"], (0.0, 0.0, None), "software")
        # Not the average of the two (40 %): 4 of 8 lines.
        (total,) = self.env["renewal.report"]._read_group(
            YEAR_2026, aggregates=["renewal_rate_count:sum"]
        )[0]
        self.assertEqual(total, 50.0)

    def test_rates_by_category_and_quarter(self):
        rows = self.rows(["categ_id", "date_end:quarter"], RATES)
        q1, q2, q3 = date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)
        # Q1 servers: L1 L2 L4, all renewed, L2 late.
        self.assertRates(
            rows["Report Servers", q1], (100.0, 100.0, 200 / 3), "servers Q1"
        )
        # Q2 servers: L7 lost (80), L8 renewed (200) on time.
        self.assertRates(
            rows["Report Servers", q2], (50.0, 200 / 280 * 100, 100.0), "servers Q2"
        )
        self.assertRates(rows["Report Software", q1], (0.0, 0.0, None), "sw Q1")
        self.assertRates(rows["Report Software", q2], (0.0, 0.0, None), "sw Q2")
        # Q3 software: L6 only, open: no rate at all.
        self.assertRates(rows["Report Software", q3], (None, None, None), "sw Q3")
        self.assertEqual(len(rows), 5)

    def test_rates_at_three_levels(self):
        rows = self.rows(["categ_id", "date_end:quarter", "route"], RATES)
        q1 = date(2026, 1, 1)
        # Q1 servers sold direct: L1 on time, L2 late.
        self.assertRates(
            rows["Report Servers", q1, "direct"], (100.0, 100.0, 50.0), "direct"
        )
        # Through the distributor: L4 on time.
        self.assertRates(
            rows["Report Servers", q1, "distributor"],
            (100.0, 100.0, 100.0),
            "distributor",
        )
        # The same through the public read_group the pivot calls.
        groups = self.env["renewal.report"].read_group(
            YEAR_2026,
            ["renewal_rate_count", "renewal_rate_value", "ontime_rate", "value_due"],
            ["categ_id", "date_end:quarter", "route"],
            lazy=False,
        )
        servers_q2 = [
            group
            for group in groups
            if group["categ_id"][0] == self.servers.id
            and group["date_end:quarter"] == "Q2 2026"
        ]
        self.assertEqual(len(servers_q2), 1)
        self.assertEqual(servers_q2[0]["route"], "reseller")
        self.assertAlmostEqual(servers_q2[0]["renewal_rate_value"], 200 / 280 * 100)
        self.assertEqual(servers_q2[0]["renewal_rate_count"], 50.0)
        self.assertEqual(servers_q2[0]["value_due"], 280)

    def test_on_time_and_late(self):
        rows = self.rows(["outcome"], ["__count", "value_due:sum", "days_late:avg"])
        self.assertEqual(
            rows["renewed_on_time"], (3, 100 + 200 + 200, (-11 - 9 + 0) / 3)
        )
        self.assertEqual(rows["renewed_late"], (1, 200, 10))
        # No renewal, no days late (read_group's None is False).
        self.assertEqual(rows["overdue"], (1, 50, False))
        self.assertEqual(rows["open"], (1, 150, False))
        self.assertEqual(rows["lost"][:2], (3, 190))

    def test_lost_by_reason(self):
        rows = self.rows(
            ["cancel_reason_id"],
            ["__count", "value_lost:sum"],
            domain=[("outcome", "=", "lost")],
        )
        self.assertEqual(
            rows,
            {
                self.price.display_name: (2, 50 + 60),
                self.competitor.display_name: (1, 80),
            },
        )
        by_quarter = self.rows(
            ["cancel_reason_id", "date_end:quarter"],
            ["value_lost:sum"],
            domain=[("outcome", "=", "lost")],
        )
        self.assertEqual(
            by_quarter,
            {
                (self.price.display_name, date(2026, 1, 1)): (50,),
                (self.price.display_name, date(2026, 4, 1)): (60,),
                (self.competitor.display_name, date(2026, 4, 1)): (80,),
            },
        )

    def test_today_from_the_context(self):
        # L6 is open today; on 2026-10-01 it is overdue.
        Report = self.env["renewal.report"]
        line = [("line_id", "=", self.lines["L6"].id)]
        self.assertEqual(Report.search(line).outcome, "open")
        later = Report.with_context(tz="UTC")
        with freeze_time("2026-10-01"):
            later.invalidate_model()
            self.assertEqual(later.search(line).outcome, "overdue")

    def test_drill_down_to_the_lines(self):
        report = self.env["renewal.report"].search(
            [*YEAR_2026, ("outcome", "=", "lost")]
        )
        action = report.action_open_lines()
        self.assertEqual(action["res_model"], "renewal.contract.line")
        lines = self.env["renewal.contract.line"].search(action["domain"])
        self.assertEqual(lines, self.lines["L3"] | self.lines["L7"] | self.lines["L9"])
        one = report.filtered(lambda row: row.line_id == self.lines["L7"])
        action = one.action_open_line()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("renewal.contract.line", self.lines["L7"].id),
        )
