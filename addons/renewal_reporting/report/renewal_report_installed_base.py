from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.renewal_contracts.models.renewal_installed_product import (
    REGISTRATION_CHANNELS,
)
from odoo.addons.renewal_contracts.tools import coverage

from ..tools import installed_base as bands

# Under a live contract: a support line, or warranty lines only.
UNDER_CONTRACT = (coverage.COVERED, coverage.WARRANTY)

# The rates: (numerator, denominator) measures, summed over the rows of a
# group and divided, in percent. A rate is never an average of rates.
RATES = {
    "attach_rate": ("nbr_under_contract", "nbr_products"),
    "support_attach_rate": ("nbr_support", "nbr_products"),
}


class RenewalReportInstalledBase(models.Model):
    """Installed-base analysis: one row per installed product (active, of
    the companies one works in), with its coverage today.

    Built like Odoo's ``sale.report``: the query comes from small pieces
    (``_select_columns``, ``_from``, ``_where``, ``_group_by``) that another
    addon overrides to add a column. A plain query, read at today's date:
    the age band and the end-of-support window depend on the day
    (``tools.installed_base``), the coverage state is the one the daily
    refresh keeps (``renewal.installed.product._refresh_coverage``). The
    rates are summed and divided at every level of grouping
    (``_read_group_select``).
    """

    _name = "renewal.report.installed.base"
    _inherit = "renewal.report.mixin"
    _description = "Installed Base Analysis"
    _auto = False
    _rec_name = "installed_product_id"
    _report_ratios = RATES
    _order = "install_year desc, id desc"

    # Dimensions
    installed_product_id = fields.Many2one("renewal.installed.product", readonly=True)
    serial_number = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="End Customer", readonly=True)
    country_id = fields.Many2one(
        "res.country",
        readonly=True,
        help="The country of the site address, else of the end customer.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    reseller_id = fields.Many2one("res.partner", readonly=True)
    distributor_id = fields.Many2one("res.partner", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    registration_channel = fields.Selection(REGISTRATION_CHANNELS, readonly=True)
    coverage_state = fields.Selection(
        coverage.COVERAGE_SELECTION,
        readonly=True,
        help="Covered: under a live support line. Warranty only: under live "
        "warranty lines only. Lapsed: its lines have all ended or were "
        "cancelled. Uncovered: never under a line.",
    )
    install_year = fields.Integer(
        readonly=True,
        aggregator=None,
        help="Year of installation, else of purchase (0: neither is known).",
    )
    age_band = fields.Selection(
        bands.AGE_SELECTION,
        readonly=True,
        help="Years since installation (else purchase), today: under 2, 2 to "
        "4, 4 or more.",
    )
    end_of_support_date = fields.Date(string="End of Support", readonly=True)
    support_window = fields.Selection(
        bands.SUPPORT_SELECTION,
        string="End of Support Window",
        readonly=True,
        help="When the vendor's support of the product ends, from today: "
        "ended, within the next 12 months, later, or not announced.",
    )
    currency_id = fields.Many2one("res.currency", readonly=True)

    # Measures
    nbr_products = fields.Integer(string="Installed Products", readonly=True)
    nbr_under_contract = fields.Integer(
        string="Under Contract",
        readonly=True,
        help="Installed products under a live contract today: covered by "
        "support or under warranty only.",
    )
    nbr_support = fields.Integer(
        string="Under Support",
        readonly=True,
        help="Installed products covered by a live support line (warranty "
        "only not counted).",
    )
    nbr_uncovered = fields.Integer(
        string="No Live Contract",
        readonly=True,
        help="Installed products under no live contract: never covered, or lapsed.",
    )
    value = fields.Monetary(
        string="List Value",
        readonly=True,
        help="The product's list price, in the current company's currency at "
        "today's rate.",
    )
    value_uncovered = fields.Monetary(
        string="Uncovered Value",
        readonly=True,
        help="The list value of the installed products under no live "
        "contract: what support could still be sold for.",
    )
    attach_rate = fields.Float(
        string="Attach Rate (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="sum",
        help="Installed products under a live contract (support or warranty) "
        "/ installed products, in percent, over the products of the group.",
    )
    support_attach_rate = fields.Float(
        string="Support Attach Rate (%)",
        readonly=True,
        digits=(16, 1),
        aggregator="sum",
        help="Installed products covered by a live support line / installed "
        "products, in percent, over the products of the group.",
    )

    # ------------------------------------------------------------------
    # The query
    # ------------------------------------------------------------------

    def _select_columns(self):
        """The columns of the query, by name, on the tables of ``_from``:
        override to add one (and its field)."""
        today = fields.Date.context_today(self)
        factor = self._convert_sql()
        value = (
            SQL("COALESCE(ip.value, 0) * %s", factor)
            if factor
            else SQL("COALESCE(ip.value, 0)")
        )
        under_contract = SQL("ip.coverage_state IN %s", UNDER_CONTRACT)
        columns = {
            name: SQL("ip.%s", SQL.identifier(name))
            for name in (
                "id",
                "serial_number",
                "company_id",
                "partner_id",
                "country_id",
                "product_id",
                "reseller_id",
                "distributor_id",
                "user_id",
                "registration_channel",
                "coverage_state",
                "install_year",
                "end_of_support_date",
            )
        }
        columns.update(
            {
                "installed_product_id": SQL("ip.id"),
                "categ_id": SQL("ip.product_categ_id"),
                "age_band": bands.age_band_sql(
                    SQL("COALESCE(ip.install_date, ip.purchase_date)"), today
                ),
                "support_window": bands.support_window_sql(
                    SQL("ip.end_of_support_date"), today
                ),
                "currency_id": SQL("%s", self.env.company.currency_id.id),
                "nbr_products": SQL("1"),
                "nbr_under_contract": SQL(
                    "CASE WHEN %s THEN 1 ELSE 0 END", under_contract
                ),
                "nbr_support": SQL(
                    "CASE WHEN ip.coverage_state = %s THEN 1 ELSE 0 END",
                    coverage.COVERED,
                ),
                "nbr_uncovered": SQL("CASE WHEN %s THEN 0 ELSE 1 END", under_contract),
                "value": value,
                "value_uncovered": SQL(
                    "CASE WHEN %s THEN 0 ELSE %s END", under_contract, value
                ),
                # A row's own rates; a group's are computed in
                # _read_group_select.
                "attach_rate": SQL(
                    "CASE WHEN %s THEN 100.0 ELSE 0.0 END", under_contract
                ),
                "support_attach_rate": SQL(
                    "CASE WHEN ip.coverage_state = %s THEN 100.0 ELSE 0.0 END",
                    coverage.COVERED,
                ),
            }
        )
        return columns

    def _from(self):
        return SQL("renewal_installed_product AS ip")

    def _where(self):
        """The active installed products of the companies one works in now."""
        return SQL("ip.active AND ip.company_id = ANY(%s)", self.env.companies.ids)

    def _group_by(self):
        """One row per installed product: no grouping here (an override may
        add one)."""
        return SQL()

    def _convert_sql(self):
        """The factor from the currency of a row's company (that of its
        list value) into the current company's, at today's rates."""
        return self._company_currency_factor_sql(
            SQL("ip.company_id"), fields.Date.context_today(self)
        )

    # ------------------------------------------------------------------
    # Drill-down
    # ------------------------------------------------------------------

    def action_open_installed_product(self):
        """The installed product of this row, in its own form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "renewal.installed.product",
            "res_id": self.installed_product_id.id,
            "views": [[False, "form"]],
        }

    def action_open_installed_products(self):
        """The installed products of these rows, in their list."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_installed_product_action"
        )
        action["domain"] = [("id", "in", self.installed_product_id.ids)]
        action["context"] = {"create": False}
        return action
