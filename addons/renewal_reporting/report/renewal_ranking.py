from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .renewal_report import RATES

PARTY_KINDS = [
    ("customer", "Customers"),
    ("reseller", "Resellers"),
    ("distributor", "Distributors"),
    ("salesperson", "Salespeople"),
    ("team", "Sales Teams"),
    ("channel", "Channel vs Direct"),
]

# Each kind of party: the column of the analysis that names the party (the
# grouping set of the ranking query).
PARTY_COLUMNS = {
    "customer": "partner_id",
    "reseller": "reseller_id",
    "distributor": "distributor_id",
    "salesperson": "user_id",
    "team": "team_id",
    "channel": "channel_partner_id",
}

CHANNEL_ROLES = [
    ("direct", "Direct"),
    ("reseller", "Reseller"),
    ("distributor", "Distributor"),
]

# The sums of the analysis that a ranking row adds up.
SUMS = (
    "nbr_lines",
    "value_due",
    "value_renewed",
    "value_lost",
    "value_upsell",
    "value_decided",
    "nbr_renewed",
    "nbr_ontime",
    "nbr_decided",
)

# Keeps the ids of the ranking rows apart between kinds of party.
ID_STRIDE = 10**10


class RenewalRanking(models.Model):
    """Ranking tables: one row per party of each kind (customers, resellers,
    distributors, salespeople, sales teams, and every channel party beside
    the vendor's direct business), over the renewals due in a period.

    The period comes from the context (``renewal_ranking_date_from``,
    ``renewal_ranking_date_to``, ISO dates; the last twelve months to today
    by default); ``renewal_ranking_party_kind`` narrows the query to one kind.
    The rows are read from the renewal analysis (``renewal.report``) through
    the ORM, with the caller's record rules: a Renewals User ranks their own
    team's business only. Ranked by value renewed, ties ranked the same.
    """

    _name = "renewal.ranking"
    _inherit = "renewal.report.mixin"
    _description = "Renewal Ranking"
    _auto = False
    _rec_name = "party_name"
    _report_ratios = RATES
    _order = "party_kind, rank, party_name, id"

    party_kind = fields.Selection(PARTY_KINDS, readonly=True)
    party_name = fields.Char(string="Party", readonly=True)
    partner_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="The customer, reseller or distributor ranked.",
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    channel_role = fields.Selection(
        CHANNEL_ROLES,
        string="Sold By",
        readonly=True,
        help="In the channel table: who sold the renewals, the vendor's own "
        "sales force (direct), a reseller, or a distributor with no reseller.",
    )
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    rank = fields.Integer(
        readonly=True,
        aggregator=False,
        help="By value renewed, highest first; equal values share a rank.",
    )
    nbr_lines = fields.Integer(string="Lines", readonly=True)
    value_due = fields.Monetary(string="Available to Renew", readonly=True)
    value_renewed = fields.Monetary(readonly=True)
    value_lost = fields.Monetary(readonly=True)
    value_upsell = fields.Monetary(string="Up-sell Value", readonly=True)
    value_decided = fields.Monetary(string="Value Due or Decided", readonly=True)
    nbr_renewed = fields.Integer(string="Lines Renewed", readonly=True)
    nbr_ontime = fields.Integer(string="Lines Renewed on Time", readonly=True)
    nbr_decided = fields.Integer(string="Lines Due or Decided", readonly=True)
    renewal_rate_count = fields.Float(
        string="Renewal Rate by Count (%)",
        readonly=True,
        digits=(16, 1),
        help="Lines renewed / lines renewed, lost or overdue, in percent.",
    )
    renewal_rate_value = fields.Float(
        string="Renewal Rate by Value (%)",
        readonly=True,
        digits=(16, 1),
        help="Value renewed / value available to renew of the lines renewed, "
        "lost or overdue, in percent.",
    )
    ontime_rate = fields.Float(
        string="On-time Rate (%)",
        readonly=True,
        digits=(16, 1),
        help="Lines renewed on or before their due date / lines renewed, in percent.",
    )

    @api.model
    def _ranking_period(self):
        """``(date_from, date_to)`` of the ranking, from the context."""
        context = self.env.context
        today = fields.Date.context_today(self)
        date_to = fields.Date.to_date(context.get("renewal_ranking_date_to")) or today
        date_from = fields.Date.to_date(
            context.get("renewal_ranking_date_from")
        ) or date_to - relativedelta(years=1, days=-1)
        return date_from, date_to

    @api.model
    def _ranking_kinds(self):
        kind = self.env.context.get("renewal_ranking_party_kind")
        return [kind] if kind in PARTY_COLUMNS else list(PARTY_COLUMNS)

    @property
    def _table_query(self):
        date_from, date_to = self._ranking_period()
        kinds = self._ranking_kinds()
        return SQL(
            """
            WITH base AS (%(base)s),
            grouped AS (
                SELECT %(kind)s AS party_kind, %(columns)s, %(sums)s
                  FROM base
                 GROUP BY GROUPING SETS (%(sets)s)
            ),
            ranked AS (
                SELECT *, RANK() OVER (
                           PARTITION BY party_kind ORDER BY value_renewed DESC
                       ) AS rank
                  FROM grouped
                 WHERE party_kind = 'channel' OR COALESCE(%(keys)s) IS NOT NULL
            )
            SELECT %(id)s AS id,
                   r.party_kind,
                   %(name)s AS party_name,
                   COALESCE(r.partner_id, r.reseller_id, r.distributor_id,
                            r.channel_partner_id) AS partner_id,
                   r.user_id,
                   r.team_id,
                   CASE WHEN r.party_kind = 'channel' THEN r.channel_role END
                       AS channel_role,
                   CAST(%(date_from)s AS date) AS date_from,
                   CAST(%(date_to)s AS date) AS date_to,
                   %(currency)s AS currency_id,
                   r.rank,
                   %(measures)s,
                   100.0 * r.nbr_renewed / NULLIF(r.nbr_decided, 0)
                       AS renewal_rate_count,
                   100.0 * r.value_renewed / NULLIF(r.value_decided, 0)
                       AS renewal_rate_value,
                   100.0 * r.nbr_ontime / NULLIF(r.nbr_renewed, 0) AS ontime_rate
              FROM ranked AS r
              LEFT JOIN res_partner AS party ON party.id = COALESCE(
                  r.partner_id, r.reseller_id, r.distributor_id, r.channel_partner_id)
              LEFT JOIN res_users AS salesperson ON salesperson.id = r.user_id
              LEFT JOIN res_partner AS salesperson_partner
                     ON salesperson_partner.id = salesperson.partner_id
              LEFT JOIN crm_team AS team ON team.id = r.team_id
            """,
            base=self._ranking_base(date_from, date_to),
            kind=SQL(
                "CASE %s END",
                SQL(" ").join(
                    SQL(
                        "WHEN GROUPING(%s) = 0 THEN %s",
                        SQL.identifier(PARTY_COLUMNS[kind]),
                        kind,
                    )
                    for kind in kinds
                ),
            ),
            columns=self._ranking_columns(kinds),
            sums=SQL(", ").join(
                SQL("SUM(%s) AS %s", SQL.identifier(name), SQL.identifier(name))
                for name in SUMS
            ),
            sets=SQL(", ").join(
                SQL("(%s)", SQL.identifier(PARTY_COLUMNS[kind]))
                if kind != "channel"
                else SQL("(channel_partner_id, channel_role)")
                for kind in kinds
            ),
            keys=SQL(", ").join(
                SQL.identifier(PARTY_COLUMNS[kind])
                for kind in kinds
                if kind != "channel"
            )
            if kinds != ["channel"]
            else SQL("NULL::int"),
            id=SQL(
                "CASE r.party_kind %s END + COALESCE(r.partner_id, r.reseller_id, "
                "r.distributor_id, r.user_id, r.team_id, r.channel_partner_id, 0)",
                SQL(" ").join(
                    SQL("WHEN %s THEN %s::bigint", kind, index * ID_STRIDE)
                    for index, kind in enumerate(PARTY_COLUMNS, start=1)
                ),
            ),
            name=SQL(
                """CASE
                     WHEN r.party_kind = 'salesperson' THEN salesperson_partner.name
                     WHEN r.party_kind = 'team'
                         THEN COALESCE(team.name->>%s, team.name->>'en_US')
                     WHEN r.party_kind = 'channel' AND r.channel_partner_id IS NULL
                         THEN %s
                     ELSE party.name
                   END""",
                self.env.lang or "en_US",
                self.env._("Direct (own sales force)"),
            ),
            date_from=date_from,
            date_to=date_to,
            currency=self.env.company.currency_id.id,
            measures=SQL(", ").join(SQL("r.%s", SQL.identifier(name)) for name in SUMS),
        )

    @api.model
    def _ranking_columns(self, kinds):
        """The party columns of the grouped rows: those of ``kinds``, the
        others empty (a column in no grouping set cannot be selected)."""
        grouped = {PARTY_COLUMNS[kind] for kind in kinds}
        if "channel" in kinds:
            grouped.add("channel_role")
        return SQL(", ").join(
            SQL.identifier(column)
            if column in grouped
            else SQL(
                "CAST(NULL AS %s) AS %s",
                SQL("varchar" if column == "channel_role" else "integer"),
                SQL.identifier(column),
            )
            for column in (*PARTY_COLUMNS.values(), "channel_role")
        )

    @api.model
    def _ranking_base(self, date_from, date_to):
        """The analysis rows due in the period that the user may read (their
        record rules applied), with the columns the ranking needs."""
        Report = self.env["renewal.report"]
        query = Report._search(
            [("date_end", ">=", date_from), ("date_end", "<=", date_to)]
        )

        def column(name):
            return Report._field_to_sql(query.table, name, query)

        reseller, distributor = column("reseller_id"), column("distributor_id")
        return query.select(
            *(
                SQL("%s AS %s", column(name), SQL.identifier(name))
                for name in ("partner_id", "reseller_id", "distributor_id")
            ),
            SQL("%s AS user_id", column("user_id")),
            SQL("%s AS team_id", column("team_id")),
            # Who sold it: the reseller, else the distributor, else direct.
            SQL("COALESCE(%s, %s) AS channel_partner_id", reseller, distributor),
            SQL(
                "CASE WHEN %s IS NOT NULL THEN 'reseller' "
                "WHEN %s IS NOT NULL THEN 'distributor' "
                "ELSE 'direct' END AS channel_role",
                reseller,
                distributor,
            ),
            *(SQL("%s AS %s", column(name), SQL.identifier(name)) for name in SUMS),
        )
