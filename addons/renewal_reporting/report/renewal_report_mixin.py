from odoo import models
from odoo.tools import SQL


class RenewalReportMixin(models.AbstractModel):
    """What the renewal reports share: a query built from small pieces,
    rates that stay true at every level of grouping, and amounts in the
    current company's currency.

    A report lists its rates in ``_report_ratios``, each as the pair of
    summed fields it divides (``{"rate": ("numerator", "denominator")}``).
    Grouped, a rate is then the ratio of the sums of the group, in percent,
    never the average of the rows' rates; empty where the denominator sums to
    zero.
    """

    _name = "renewal.report.mixin"
    _description = "Renewal Report Helpers"

    _report_ratios = {}

    # The query, from small pieces as in Odoo's sale.report: a report names
    # its columns in ``_select_columns`` (name: SQL expression) and gives
    # ``_from``, ``_where`` and ``_group_by``; another addon adds a column by
    # overriding one piece.

    @property
    def _table_query(self):
        return SQL(
            "SELECT %s FROM %s WHERE %s %s",
            self._select(),
            self._from(),
            self._where(),
            self._group_by(),
        )

    def _select(self):
        return SQL(", ").join(
            SQL("%s AS %s", expression, SQL.identifier(name))
            for name, expression in self._select_columns().items()
        )

    def _read_group_select(self, aggregate_spec, query):
        fname = aggregate_spec.split(":")[0]
        if fname not in self._report_ratios:
            return super()._read_group_select(aggregate_spec, query)
        numerator, denominator = self._report_ratios[fname]
        return SQL(
            "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
            self._field_to_sql(self._table, numerator, query),
            self._field_to_sql(self._table, denominator, query),
        )

    def _company_currency_factor_sql(self, company_column, day):
        """The factor (an SQL expression) from the currency of a row's
        company (``company_column``) into the current company's, at the
        rates of the row's company on ``day``; None when every company of
        the user keeps its books in the current company's currency."""
        target = self.env.company.currency_id
        whens = []
        for company in self.env.companies:
            own = company.currency_id
            if own == target:
                continue
            rates = (own | target).sudo()._get_rates(company, day)
            whens.append(
                SQL("WHEN %s THEN %s", company.id, rates[target.id] / rates[own.id])
            )
        if not whens:
            return None
        return SQL(
            "CAST(CASE %s %s ELSE 1 END AS numeric)",
            company_column,
            SQL(" ").join(whens),
        )
