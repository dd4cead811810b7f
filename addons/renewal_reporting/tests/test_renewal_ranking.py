from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ReportCase

PERIOD_2026 = {
    "renewal_ranking_date_from": "2026-01-01",
    "renewal_ranking_date_to": "2026-12-31",
}
Q2_2026 = {
    "renewal_ranking_date_from": "2026-04-01",
    "renewal_ranking_date_to": "2026-06-30",
}


@tagged("post_install", "-at_install")
class TestRenewalRanking(ReportCase):
    """Ranking tables on the fixture of ``ReportCase``, by hand."""

    def ranking(self, kind, period=None, user=None, narrow=False):
        """``[(party name, rank, value renewed), ...]`` in rank order, and the
        rows by name."""
        Ranking = self.env["renewal.ranking"]
        if user:
            Ranking = Ranking.with_user(user)
        context = dict(period or PERIOD_2026)
        if narrow:
            context["renewal_ranking_party_kind"] = kind
        rows = Ranking.with_context(**context).search([("party_kind", "=", kind)])
        return (
            [(row.party_name, row.rank, row.value_renewed) for row in rows],
            {row.party_name: row for row in rows},
        )

    def test_resellers_ties_ranked_the_same(self):
        # R1: L4 renewed (200), L5 overdue, L6 open; R2: L8 renewed (200), L7
        # lost. Equal value renewed: the same rank.
        order, rows = self.ranking("reseller")
        self.assertEqual(
            sorted(order), [("Resell One", 1, 200.0), ("Resell Two", 1, 200.0)]
        )
        one, two = rows["Resell One"], rows["Resell Two"]
        self.assertEqual(one.partner_id, self.r1)
        self.assertEqual(
            (one.value_due, one.value_lost, one.value_upsell), (400, 0, 50)
        )
        self.assertEqual(one.renewal_rate_count, 50.0)  # 1 of L4 L5
        self.assertEqual(one.renewal_rate_value, 80.0)  # 200 of 250
        self.assertEqual(one.ontime_rate, 100.0)
        self.assertEqual((two.value_due, two.value_lost), (280, 80))
        self.assertAlmostEqual(two.renewal_rate_value, 200 / 280 * 100)

    def test_narrowed_query_gives_the_same_rows(self):
        fields = ["party_kind", "party_name", "rank", "value_due", "ontime_rate"]
        Ranking = self.env["renewal.ranking"].with_context(**PERIOD_2026)
        every = Ranking.search_read([], fields)
        self.assertEqual(
            {row["party_kind"] for row in every},
            {"customer", "reseller", "distributor", "salesperson", "team", "channel"},
        )
        for kind in {row["party_kind"] for row in every}:
            with self.subTest(kind=kind):
                narrowed = Ranking.with_context(
                    renewal_ranking_party_kind=kind
                ).search_read([], fields)
                self.assertEqual(
                    narrowed, [row for row in every if row["party_kind"] == kind]
                )

    def test_period(self):
        # In Q2 only: R2 renewed L8 (200), R1 nothing (L5 overdue).
        order, rows = self.ranking("reseller", period=Q2_2026)
        self.assertEqual(order, [("Resell Two", 1, 200.0), ("Resell One", 2, 0.0)])
        self.assertEqual(rows["Resell One"].renewal_rate_count, 0.0)
        self.assertFalse(rows["Resell One"].ontime_rate)

    def test_channel_beside_direct(self):
        order, rows = self.ranking("channel")
        # Direct: L1 L2 renewed (300), L3 L9 lost; each reseller 200.
        self.assertEqual(
            order,
            [
                ("Direct (own sales force)", 1, 300.0),
                ("Resell One", 2, 200.0),
                ("Resell Two", 2, 200.0),
            ],
        )
        direct = rows["Direct (own sales force)"]
        self.assertEqual(direct.channel_role, "direct")
        self.assertFalse(direct.partner_id)
        self.assertEqual(direct.renewal_rate_count, 50.0)  # 2 of 4
        self.assertAlmostEqual(direct.renewal_rate_value, 300 / 410 * 100)
        self.assertEqual(direct.ontime_rate, 50.0)  # L1 on time, L2 late
        self.assertEqual(rows["Resell One"].channel_role, "reseller")

    def test_other_kinds(self):
        self.assertEqual(
            self.ranking("customer")[0],
            [
                ("Report Customer A", 1, 300.0),
                ("Report Customer B", 2, 200.0),
                ("Report Customer C", 2, 200.0),
                ("Report Customer D", 4, 0.0),
            ],
        )
        # North sells C1, C3 and C4 (L1 L2 L8); South C2 (L4).
        self.assertEqual(
            [name for name, *_ in self.ranking("salesperson")[0]],
            [self.seller_north.name, self.seller_south.name],
        )
        # Teams: North has C1 and C3, South C2 and C4 (set by hand).
        order, rows = self.ranking("team")
        self.assertEqual(
            order, [("Report North", 1, 500.0), ("Report South", 2, 200.0)]
        )
        self.assertEqual(rows["Report South"].value_lost, 60)
        self.assertEqual(self.ranking("distributor")[0], [("Distri One", 1, 200.0)])

    def test_rates_over_groups_of_rows(self):
        Ranking = self.env["renewal.ranking"].with_context(**PERIOD_2026)
        [(rate, ontime)] = Ranking._read_group(
            [("party_kind", "=", "channel")],
            aggregates=["renewal_rate_count:sum", "ontime_rate:sum"],
        )
        # The whole business: 4 renewed of 8; 3 on time of 4.
        self.assertEqual((rate, ontime), (50.0, 75.0))

    def test_company_isolation(self):
        order, _rows = self.ranking("customer")
        self.assertNotIn("Report Customer E", [name for name, *_ in order])
        Ranking = self.env["renewal.ranking"].with_context(
            allowed_company_ids=self.company_b.ids, **PERIOD_2026
        )
        rows = Ranking.search([("party_kind", "=", "customer")])
        self.assertEqual(rows.mapped("party_name"), ["Report Customer E"])

    def test_wizard(self):
        form = Form(self.env["renewal.ranking.wizard"])
        form.party_kind = "team"
        form.date_from = "2026-04-01"
        form.date_to = "2026-06-30"
        action = form.save().action_open()
        self.assertEqual(action["res_model"], "renewal.ranking")
        self.assertEqual(action["domain"], [("party_kind", "=", "team")])
        rows = (
            self.env["renewal.ranking"]
            .with_context(**action["context"])
            .search(action["domain"])
        )
        # Q2: North renewed L8 (200); South nothing (L5 overdue, L9 lost).
        self.assertEqual(
            [(row.party_name, row.rank, row.value_renewed) for row in rows],
            [("Report North", 1, 200.0), ("Report South", 2, 0.0)],
        )
        with self.assertRaisesMsg(ValidationError, "ends .* before it starts"):
            self.env["renewal.ranking.wizard"].create(
                {"date_from": "2026-06-30", "date_to": "2026-04-01"}
            )
