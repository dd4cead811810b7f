from odoo import models
from odoo.tools import SQL


class RenewalReportRatioMixin(models.AbstractModel):
    """Rates that stay true at every level of grouping.

    A report lists its rates in ``_report_ratios``, each as the pair of
    summed fields it divides (``{"rate": ("numerator", "denominator")}``).
    Grouped, a rate is then the ratio of the sums of the group, in percent,
    never the average of the rows' rates; empty where the denominator sums to
    zero.
    """

    _name = "renewal.report.ratio.mixin"
    _description = "Renewal Report Ratios"

    _report_ratios = {}

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
