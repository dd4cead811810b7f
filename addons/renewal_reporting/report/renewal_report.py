import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from odoo.addons.renewal_contracts.models.renewal_contract import STATUS_SELECTION

from ..tools import outcome as rules

_logger = logging.getLogger(__name__)

# The materialized view of the analysis, the rates it converted with, when it
# was refreshed, and the changes made since (see RenewalReport._mark_stale).
VIEW = "renewal_report_mv"
RATES_TABLE = "renewal_report_mv_rate"
STATE_TABLE = "renewal_report_mv_state"
CHANGE_TABLE = "renewal_report_mv_change"
# How long after a first change the view is refreshed: the changes of the
# next minutes join the same refresh.
REFRESH_DELAY = timedelta(minutes=5)

ROUTE_SELECTION = [
    ("direct", "Direct"),
    ("reseller", "Reseller"),
    ("distributor", "Through a Distributor"),
]

# The rates: (numerator, denominator) measures, summed over the rows of a
# group and divided, in percent. A rate is never an average of rates.
RATES = {
    "renewal_rate_count": ("nbr_renewed", "nbr_decided"),
    "renewal_rate_value": ("value_renewed", "value_decided"),
    "ontime_rate": ("nbr_ontime", "nbr_renewed"),
}


class RenewalReport(models.Model):
    """Renewal analysis: one row per covered line, that is per renewal
    period, due on the line's coverage end.

    Built like Odoo's ``sale.report``: the query comes from small pieces
    (``_select_columns``, ``_from``, ``_where``, ``_group_by``) that another
    addon overrides to add a column. It reads a materialized view of the
    lines (``_view_columns``, refreshed by ``_refresh_view``) holding every
    dimension, the settled outcome and the values in the currency of each
    line's company, at the rates of the refresh; the query adds what depends
    on today (open or overdue) and converts into the current company's
    currency. The rates are summed and divided at every level of grouping
    (``_read_group_select``).
    """

    _name = "renewal.report"
    _inherit = "renewal.report.mixin"
    _description = "Renewal Analysis"
    _auto = False
    _rec_name = "line_id"
    _report_ratios = RATES
    _order = "date_end desc, id desc"

    # Dimensions
    line_id = fields.Many2one(
        "renewal.contract.line", string="Covered Line", readonly=True
    )
    contract_id = fields.Many2one("renewal.contract", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="End Customer", readonly=True)
    country_id = fields.Many2one(
        "res.country", string="Customer Country", readonly=True
    )
    state_id = fields.Many2one(
        "res.country.state", string="Customer State", readonly=True
    )
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    default_code = fields.Char(string="SKU", readonly=True)
    service_level_id = fields.Many2one("renewal.service.level", readonly=True)
    reseller_id = fields.Many2one("res.partner", readonly=True)
    distributor_id = fields.Many2one("res.partner", readonly=True)
    route = fields.Selection(
        ROUTE_SELECTION,
        string="Route to Market",
        readonly=True,
        help="Direct: sold by the vendor's own sales force. Reseller: through a "
        "reseller alone. Through a Distributor: through a distributor, with or "
        "without a reseller.",
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    status = fields.Selection(STATUS_SELECTION, string="Colour", readonly=True)
    warranty_only = fields.Boolean(readonly=True)
    date_end = fields.Date(
        string="Due Date",
        readonly=True,
        help="The line's coverage end: the day its renewal is due.",
    )
    outcome = fields.Selection(
        rules.SELECTION,
        readonly=True,
        help="Renewed on time: the renewal was confirmed on or before the due "
        "date (or on an unknown day). Renewed late: after it. Lost: the line "
        "or its contract was cancelled. Overdue: past the due date, neither "
        "renewed nor lost. Open: not yet due.",
    )
    cancel_reason_id = fields.Many2one(
        "renewal.cancel.reason",
        string="Cancellation Reason",
        readonly=True,
        help="Why a lost renewal was lost: the line's reason, else its contract's.",
    )
    cancel_date = fields.Date(string="Cancelled On", readonly=True)
    renewed_date = fields.Date(string="Renewed On", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)

    # Measures (in the currency of the current company)
    nbr_lines = fields.Integer(string="Lines", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    value_due = fields.Monetary(
        string="Available to Renew",
        readonly=True,
        help="The line's renewal value (its renewal price, else its list "
        "price, times its quantity, as on the contract), converted at today's "
        "rate.",
    )
    value_renewed = fields.Monetary(
        readonly=True,
        help="The value available to renew of the lines renewed.",
    )
    value_lost = fields.Monetary(
        readonly=True,
        help="The value available to renew of the lines lost.",
    )
    value_decided = fields.Monetary(
        string="Value Due or Decided",
        readonly=True,
        help="The value available to renew of the lines renewed, lost or "
        "overdue: what the renewal rate by value divides by.",
    )
    value_upsell = fields.Monetary(
        string="Up-sell Value",
        readonly=True,
        help="Renewed above the previous price: the price of the renewal (the "
        "successor line's price times its quantity) less the previous price "
        "(the line's list price times its quantity), when more.",
    )
    nbr_renewed = fields.Integer(string="Lines Renewed", readonly=True)
    nbr_ontime = fields.Integer(string="Lines Renewed on Time", readonly=True)
    nbr_decided = fields.Integer(
        string="Lines Due or Decided",
        readonly=True,
        help="Lines renewed, lost or overdue: what the renewal rate by count "
        "divides by.",
    )
    days_late = fields.Float(
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Days between the due date and the confirmation of the renewal, "
        "on average; negative: renewed early.",
    )
    renewal_rate_count = fields.Float(
        string="Renewal Rate by Count (%)",
        readonly=True,
        digits=(16, 1),
        help="Lines renewed / lines renewed, lost or overdue, in percent, "
        "over the lines of the group (open lines not yet due are left out).",
    )
    renewal_rate_value = fields.Float(
        string="Renewal Rate by Value (%)",
        readonly=True,
        digits=(16, 1),
        help="Value renewed / value available to renew of the lines renewed, "
        "lost or overdue, in percent, over the lines of the group.",
    )
    ontime_rate = fields.Float(
        string="On-time Rate (%)",
        readonly=True,
        digits=(16, 1),
        help="Lines renewed on or before their due date / lines renewed, in "
        "percent, over the lines of the group.",
    )

    # ------------------------------------------------------------------
    # The query: a materialized view of the lines, read at today's date
    # ------------------------------------------------------------------
    # The lines' figures are stored in a materialized view (``VIEW``), one
    # row per line with every dimension, the outcome once settled (renewed
    # or lost) and the values in the currency of the line's company, at the
    # rates of the refresh (``RATES_TABLE``). What depends on today is left
    # to the query: whether an unsettled line is open or overdue, and the
    # conversion into the current company's currency. ``_refresh_view``
    # refreshes it; ``STATE_TABLE`` holds when (and ``CHANGE_TABLE`` the
    # changes made since, see ``_mark_stale``). An addon adding a column
    # overrides ``_view_columns`` (stored) and ``_select_columns`` (read).

    def _outcome_args(self):
        """The inputs of the outcome rules (``tools.outcome``), in SQL, on
        the tables of ``_view_from``."""
        return {
            "date_end": SQL("l.date_end"),
            "today": fields.Date.context_today(self),
            "renewed": SQL("COALESCE(l.is_renewed, FALSE)"),
            "renewed_date": SQL("l.renewed_date"),
            "cancelled": SQL(
                "(COALESCE(l.is_cancelled, FALSE) OR COALESCE(c.is_cancelled, FALSE))"
            ),
        }

    def _outcome_in_sql(self, outcomes):
        """Whether a row of the view has one of ``outcomes`` today."""
        return rules.outcome_in_settled_sql(
            outcomes,
            SQL("r.settled"),
            SQL("r.date_end"),
            fields.Date.context_today(self),
        )

    def _select_columns(self):
        """The columns of the query, by name, read from the view (``r``):
        override to add one (and its field, and its ``_view_columns``)."""
        today = fields.Date.context_today(self)
        factor = self._convert_sql()

        def money(column):
            value = SQL("r.%s", SQL.identifier(column))
            return SQL("%s * %s", value, factor) if factor else value

        decided = self._outcome_in_sql(rules.DECIDED)
        columns = {
            name: SQL("r.%s", SQL.identifier(name))
            for name in (
                "id",
                "contract_id",
                "company_id",
                "partner_id",
                "country_id",
                "state_id",
                "product_id",
                "categ_id",
                "service_level_id",
                "reseller_id",
                "distributor_id",
                "user_id",
                "team_id",
                "status",
                "warranty_only",
                "date_end",
            )
        }
        columns.update(
            {
                # Not stored (a narrower view scans faster): the line is
                # the row; PostgreSQL leaves out the join to the product
                # when the SKU is not asked for.
                "line_id": SQL("r.id"),
                "default_code": SQL("product.default_code"),
                "route": SQL(
                    "CASE WHEN r.distributor_id IS NOT NULL THEN 'distributor' "
                    "WHEN r.reseller_id IS NOT NULL THEN 'reseller' "
                    "ELSE 'direct' END"
                ),
                "outcome": rules.outcome_from_settled_sql(
                    SQL("r.settled"), SQL("r.date_end"), today
                ),
                "cancel_reason_id": SQL("r.cancel_reason_id"),
                "cancel_date": SQL("r.cancel_date"),
                "renewed_date": SQL("r.renewed_date"),
                "currency_id": SQL("%s", self.env.company.currency_id.id),
                "nbr_lines": SQL("1"),
                "quantity": SQL("r.quantity"),
                "value_due": money("value"),
                "value_renewed": money("value_renewed"),
                "value_lost": money("value_lost"),
                "value_decided": SQL(
                    "CASE WHEN %s THEN %s ELSE 0 END", decided, money("value")
                ),
                "value_upsell": money("value_upsell"),
                "nbr_renewed": SQL("r.nbr_renewed"),
                "nbr_ontime": SQL("r.nbr_ontime"),
                "nbr_decided": SQL("CASE WHEN %s THEN 1 ELSE 0 END", decided),
                "days_late": SQL("r.days_late"),
                # A row's own rates; a group's are computed in
                # _read_group_select.
                "renewal_rate_count": SQL(
                    "CASE WHEN %s THEN 100.0 * r.nbr_renewed END", decided
                ),
                "renewal_rate_value": SQL(
                    "CASE WHEN %s AND r.value <> 0 THEN 100.0 * r.nbr_renewed END",
                    decided,
                ),
                "ontime_rate": SQL(
                    "CASE WHEN r.nbr_renewed = 1 THEN 100.0 * r.nbr_ontime END"
                ),
            }
        )
        return columns

    def _from(self):
        return SQL(
            "%s AS r LEFT JOIN product_product AS product ON product.id = r.product_id",
            SQL.identifier(VIEW),
        )

    def _where(self):
        """The companies the user works in now: the rates are theirs."""
        return SQL("r.company_id = ANY(%s)", self.env.companies.ids)

    def _group_by(self):
        """One row per line: no grouping here (an override may add one)."""
        return SQL()

    def _convert_sql(self):
        """The factor from the currency of a row's company into the current
        company's, at the rates of the line's company on the day of the
        view's refresh (the day its values were converted into the
        company's currency)."""
        day = self._view_state()["as_of"] or fields.Date.context_today(self)
        return self._company_currency_factor_sql(SQL("r.company_id"), day)

    # ------------------------------------------------------------------
    # The materialized view
    # ------------------------------------------------------------------

    def init(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE TABLE IF NOT EXISTS %(rates)s (
                    company_id integer NOT NULL,
                    currency_id integer NOT NULL,
                    factor numeric NOT NULL,
                    PRIMARY KEY (company_id, currency_id)
                );
                CREATE TABLE IF NOT EXISTS %(state)s (
                    id integer PRIMARY KEY CHECK (id = 1),
                    refreshed_at timestamp,
                    as_of date
                );
                INSERT INTO %(state)s (id) VALUES (1) ON CONFLICT DO NOTHING;
                CREATE TABLE IF NOT EXISTS %(changes)s (
                    id serial PRIMARY KEY,
                    create_date timestamp NOT NULL
                        DEFAULT (NOW() AT TIME ZONE 'UTC')
                );
                DROP MATERIALIZED VIEW IF EXISTS %(view)s;
                """,
                rates=SQL.identifier(RATES_TABLE),
                state=SQL.identifier(STATE_TABLE),
                changes=SQL.identifier(CHANGE_TABLE),
                view=SQL.identifier(VIEW),
            )
        )
        day = fields.Date.context_today(self)
        self._refresh_view_rates(day)
        cr.execute(
            SQL(
                "CREATE MATERIALIZED VIEW %s AS %s",
                SQL.identifier(VIEW),
                self._view_query(),
            )
        )
        for name, definition in self._view_indexes().items():
            cr.execute(
                SQL(
                    "CREATE %s INDEX %s ON %s %s",
                    SQL("UNIQUE") if name == "id" else SQL(),
                    SQL.identifier(f"{VIEW}_{name}_index"),
                    SQL.identifier(VIEW),
                    definition,
                )
            )
        # The due date's months, quarters and years a pivot groups by: their
        # number, that PostgreSQL cannot guess from the dates' (without it,
        # it expects thousands of groups and sorts a million rows on disk
        # instead of hashing them into a few dozen).
        cr.execute(
            SQL(
                "CREATE STATISTICS %s ON %s FROM %s",
                SQL.identifier(f"{VIEW}_date_end_stat"),
                SQL(", ").join(
                    SQL(
                        "(CAST(date_trunc(%s, CAST(date_end AS timestamp)) AS date))",
                        interval,
                    )
                    for interval in ("month", "quarter", "year")
                ),
                SQL.identifier(VIEW),
            )
        )
        self._stamp_view(day)

    @api.model
    def _drop_view(self):
        self.env.cr.execute(
            SQL(
                "DROP MATERIALIZED VIEW IF EXISTS %s; DROP TABLE IF EXISTS %s, %s, %s",
                SQL.identifier(VIEW),
                SQL.identifier(RATES_TABLE),
                SQL.identifier(STATE_TABLE),
                SQL.identifier(CHANGE_TABLE),
            )
        )

    def _view_indexes(self):
        """The indexes of the view, by name: the unique one on id that a
        concurrent refresh needs, the due date that every period filters
        on, and the channel partners of the portal scorecard."""
        return {
            "id": SQL("(id)"),
            "date_end": SQL("(date_end)"),
            "reseller_id": SQL("(reseller_id) WHERE reseller_id IS NOT NULL"),
            "distributor_id": SQL("(distributor_id) WHERE distributor_id IS NOT NULL"),
        }

    def _view_query(self):
        return SQL(
            "SELECT %s FROM %s",
            SQL(", ").join(
                SQL("%s AS %s", expression, SQL.identifier(name))
                for name, expression in self._view_columns().items()
            ),
            self._view_from(),
        )

    def _view_columns(self):
        """The columns of the materialized view, by name (on the tables of
        ``_view_from``): nothing that depends on the day but the rates of
        ``RATES_TABLE``. Override to store a column (and read it in
        ``_select_columns``)."""
        args = self._outcome_args()
        args.pop("today")
        renewed = rules.outcome_in_sql(rules.RENEWED, today=None, **args)
        ontime = rules.outcome_in_sql([rules.RENEWED_ON_TIME], today=None, **args)
        lost = rules.outcome_in_sql([rules.LOST], today=None, **args)
        value = SQL("l.renewal_subtotal * COALESCE(rate.factor, 1)")
        return {
            "id": SQL("l.id"),
            "contract_id": SQL("l.contract_id"),
            "company_id": SQL("l.company_id"),
            "partner_id": SQL("c.partner_id"),
            "country_id": SQL("customer.country_id"),
            "state_id": SQL("customer.state_id"),
            "product_id": SQL("l.product_id"),
            "categ_id": SQL("l.product_categ_id"),
            "service_level_id": SQL("l.service_level_id"),
            "reseller_id": SQL("c.reseller_id"),
            "distributor_id": SQL("c.distributor_id"),
            "user_id": SQL("c.user_id"),
            "team_id": SQL("c.team_id"),
            "status": SQL("l.status"),
            "warranty_only": SQL("l.warranty_only"),
            "date_end": SQL("l.date_end"),
            "settled": rules.settled_outcome_sql(**args),
            "cancel_reason_id": SQL(
                "CASE WHEN %s THEN COALESCE(l.cancel_reason_id, c.cancel_reason_id) "
                "END",
                lost,
            ),
            "cancel_date": SQL(
                "CASE WHEN %s THEN COALESCE(l.cancel_date, c.cancel_date) END", lost
            ),
            "renewed_date": SQL("l.renewed_date"),
            "quantity": SQL("l.quantity"),
            "value": value,
            "value_renewed": SQL("CASE WHEN %s THEN %s ELSE 0 END", renewed, value),
            "value_lost": SQL("CASE WHEN %s THEN %s ELSE 0 END", lost, value),
            "value_upsell": SQL(
                "CASE WHEN %s THEN GREATEST(successor.list_price * successor.quantity"
                " - l.list_price * l.quantity, 0) * COALESCE(rate.factor, 1) "
                "ELSE 0 END",
                renewed,
            ),
            "nbr_renewed": SQL("CASE WHEN %s THEN 1 ELSE 0 END", renewed),
            "nbr_ontime": SQL("CASE WHEN %s THEN 1 ELSE 0 END", ontime),
            "days_late": SQL(
                "CASE WHEN %s THEN l.renewed_date - l.date_end END", renewed
            ),
        }

    def _view_from(self):
        return SQL(
            """
            renewal_contract_line AS l
            JOIN renewal_contract AS c ON c.id = l.contract_id
            LEFT JOIN res_partner AS customer ON customer.id = c.partner_id
            LEFT JOIN renewal_contract_line AS successor
                   ON successor.id = l.successor_line_id
            LEFT JOIN %s AS rate
                   ON rate.company_id = l.company_id
                  AND rate.currency_id = c.currency_id
            """,
            SQL.identifier(RATES_TABLE),
        )

    @api.model
    def _refresh_view_rates(self, day):
        """Store the factors from each currency into each company's own, at
        the company's rates of ``day`` (Odoo's ``_get_rates``): the view
        converts with them when it is refreshed."""
        companies = self.env["res.company"].sudo().search([("id", "!=", False)])
        currencies = (
            self.env["res.currency"].with_context(active_test=False).sudo().search([])  # pylint: disable=no-search-all
        )
        rows = []
        for company in companies:
            rates = currencies._get_rates(company, day)
            own = rates[company.currency_id.id]
            rows.extend(
                SQL("(%s, %s, %s)", company.id, currency_id, own / rate)
                for currency_id, rate in rates.items()
                if currency_id != company.currency_id.id and rate
            )
        cr = self.env.cr
        cr.execute(SQL("DELETE FROM %s", SQL.identifier(RATES_TABLE)))
        if rows:
            cr.execute(
                SQL(
                    "INSERT INTO %s (company_id, currency_id, factor) VALUES %s",
                    SQL.identifier(RATES_TABLE),
                    SQL(", ").join(rows),
                )
            )

    def _stamp_view(self, day):
        """The view is fresh as of now: the changes seen are in it."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(state)s
                   SET refreshed_at = NOW() AT TIME ZONE 'UTC', as_of = %(day)s
                 WHERE id = 1;
                DELETE FROM %(changes)s;
                ANALYZE %(view)s;
                """,
                view=SQL.identifier(VIEW),
                state=SQL.identifier(STATE_TABLE),
                changes=SQL.identifier(CHANGE_TABLE),
                day=day,
            )
        )
        self.invalidate_model()

    @api.model
    def _refresh_view(self):
        """Refresh the analysis' materialized view: every line as it is now,
        converted at today's rates. Run at the end of the daily status
        refresh (``renewal.contract._refresh_status``) and by the scheduled
        action ``_cron_refresh_view`` once renewals were confirmed, lost or
        imported (``_mark_stale``). Concurrently: the reports stay readable
        meanwhile."""
        self.env.flush_all()
        day = fields.Date.context_today(self)
        self._refresh_view_rates(day)
        self.env.cr.execute(
            SQL("REFRESH MATERIALIZED VIEW CONCURRENTLY %s", SQL.identifier(VIEW))
        )
        self._stamp_view(day)
        _logger.info("Renewal analysis refreshed as of %s", day)

    @api.model
    def _mark_stale(self, delay=REFRESH_DELAY):
        """Renewals changed (confirmed, lost, imported): the view misses
        them until the scheduled action refreshes it, ``delay`` from the
        first change (the changes of the next minutes wait for the same
        refresh). Records the change in ``CHANGE_TABLE`` (an insert: no
        lock that a concurrent change or refresh waits on); the refresh
        deletes the changes it has seen, not those committed during it."""
        cr = self.env.cr
        cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(CHANGE_TABLE)))
        if cr.fetchone():
            return False
        cr.execute(SQL("INSERT INTO %s DEFAULT VALUES", SQL.identifier(CHANGE_TABLE)))
        cron = self.env.ref(
            "renewal_reporting.ir_cron_renewal_report_refresh", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger(at=fields.Datetime.now() + delay)
        return True

    @api.model
    def _cron_refresh_view(self):
        """Scheduled action: refresh the view when renewals changed since
        its last refresh (or it never was)."""
        state = self._view_state()
        if state["stale_since"] or not state["refreshed_at"]:
            self._refresh_view()

    @api.model
    def _view_state(self):
        """When the view was refreshed (UTC), the day of its rates, and
        the first change it misses (or None)."""
        self.env.cr.execute(
            SQL(
                "SELECT refreshed_at, as_of, (SELECT MIN(create_date) FROM %s) "
                "FROM %s WHERE id = 1",
                SQL.identifier(CHANGE_TABLE),
                SQL.identifier(STATE_TABLE),
            )
        )
        refreshed_at, as_of, stale_since = self.env.cr.fetchone() or (None,) * 3
        return {
            "refreshed_at": refreshed_at,
            "as_of": as_of,
            "stale_since": stale_since,
        }

    @api.model
    def get_report_freshness(self):
        """For the views: how fresh the figures are, as a sentence in the
        user's language and time zone. Renewals users only (the caller's
        access to the analysis is checked)."""
        self.check_access("read")
        state = self._view_state()
        if not state["refreshed_at"]:
            text = self.env._("The figures have not been computed yet.")
        else:
            text = self.env._(
                "Figures as of %(when)s.",
                when=format_datetime(
                    self.env, state["refreshed_at"], dt_format="short"
                ),
            )
        if state["stale_since"]:
            text += " " + self.env._(
                "Renewals confirmed, lost or imported since %(when)s are added "
                "within minutes.",
                when=format_datetime(self.env, state["stale_since"], dt_format="short"),
            )
        return {
            "text": text,
            "refreshed_at": fields.Datetime.to_string(state["refreshed_at"]),
            "stale": bool(state["stale_since"]),
        }

    # ------------------------------------------------------------------
    # Rates at every level of grouping
    # ------------------------------------------------------------------

    # ------------------------------------------------------------------
    # Drill-down
    # ------------------------------------------------------------------

    def action_open_line(self):
        """The covered line of this row, in its own form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "renewal.contract.line",
            "res_id": self.line_id.id,
            "views": [[False, "form"]],
        }

    def action_open_lines(self):
        """The covered lines of these rows, in the lines' list."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_contract_line_action"
        )
        action["domain"] = [("id", "in", self.line_id.ids)]
        action["context"] = {"create": False}
        return action
