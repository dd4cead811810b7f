from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import YEAR_2026, ReportCase
from .test_renewal_ranking import PERIOD_2026


@tagged("post_install", "-at_install")
class TestReportAccess(ReportCase):
    """Who sees what of the analysis and the rankings."""

    def lines_seen(self, user, companies=None):
        Report = self.env["renewal.report"].with_user(user)
        if companies:
            Report = Report.with_context(allowed_company_ids=companies.ids)
        return set(Report.search(YEAR_2026).line_id.mapped("serial_number"))

    def test_manager_sees_the_companies_they_work_in(self):
        every_a = {f"L{index}" for index in range(1, 10)}
        self.assertEqual(self.lines_seen(self.manager), every_a)
        both = self.company_a | self.company_b
        self.assertEqual(self.lines_seen(self.manager, both), every_a | {"L10"})
        self.assertEqual(self.lines_seen(self.manager, self.company_b), {"L10"})
        # Figures follow: the value due of both companies together.
        rows = self.rows([], ["value_due:sum"], user=self.manager, companies=both)
        self.assertEqual(rows, {(): (1090 + 1000,)})

    def test_user_sees_their_team_and_their_own(self):
        # North: team North's C1 and C3, and C4 which they sell for South.
        self.assertEqual(
            self.lines_seen(self.seller_north),
            {"L1", "L2", "L3", "L7", "L8", "L9"},
        )
        # South: team South's C2 and C4.
        self.assertEqual(self.lines_seen(self.seller_south), {"L4", "L5", "L6", "L9"})
        # No team, no contract: nothing.
        self.assertEqual(self.lines_seen(self.seller_alone), set())
        # Their figures are their rows' only.
        rows = self.rows(
            ["route"],
            ["value_due:sum", "renewal_rate_count:sum"],
            user=self.seller_south,
        )
        self.assertEqual(rows, {"distributor": (400, 50.0), "direct": (60, 0.0)})

    def test_user_ranks_their_own_business_only(self):
        Ranking = (
            self.env["renewal.ranking"]
            .with_user(self.seller_south)
            .with_context(**PERIOD_2026)
        )
        resellers = Ranking.search([("party_kind", "=", "reseller")])
        # Never Resell Two, whom team North sells through.
        self.assertEqual(resellers.mapped("party_name"), ["Resell One"])
        channel = Ranking.search([("party_kind", "=", "channel")])
        self.assertEqual(
            [(row.party_name, row.rank, row.value_renewed) for row in channel],
            [("Resell One", 1, 200.0), ("Direct (own sales force)", 2, 0.0)],
        )

    def test_portal_reseller_is_refused(self):
        for model in ("renewal.report", "renewal.ranking"):
            Model = self.env[model].with_user(self.portal_reseller)
            with self.subTest(model=model), self.assertRaises(AccessError):
                Model.read_group([], ["value_due"], ["partner_id"])
            with self.subTest(model=model), self.assertRaises(AccessError):
                Model.search_read([], ["value_due"])
        with self.assertRaises(AccessError):
            self.env["renewal.ranking.wizard"].with_user(self.portal_reseller).create(
                {"party_kind": "reseller"}
            )
