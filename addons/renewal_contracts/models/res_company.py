from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.status import DEFAULT_DUE_DAYS


class ResCompany(models.Model):
    _inherit = "res.company"

    renewal_due_days = fields.Integer(
        string="Renewal Window (days)",
        default=DEFAULT_DUE_DAYS,
        help="A live contract turns amber (due for renewal) this many days "
        "before its coverage ends.",
    )

    renewal_quote_lead_days = fields.Integer(
        string="Quote Lead Time (days)",
        default=100,
        help="Renewal quotations are made for lines ending within this many "
        "days (and for overdue ones).",
    )
    renewal_uplift_percent = fields.Float(
        string="Renewal Uplift (%)",
        help="Added to the pricelist price of lines without a renewal price.",
    )
    renewal_coterm = fields.Boolean(
        string="Co-term Renewal Quotations",
        help="Align every line of a renewal quotation to one common end date, "
        "with prorated prices.",
    )

    @api.constrains("renewal_due_days")
    def _check_renewal_due_days(self):
        for company in self:
            if company.renewal_due_days < 0:
                raise ValidationError(
                    self.env._(
                        "Company %(company)s: the renewal window must be zero or "
                        "more days, not %(days)s.",
                        company=company.name,
                        days=company.renewal_due_days,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "renewal_due_days" in vals:
            # The window moves every line of these companies: one set-based
            # refresh rather than a recompute per line.
            self.env["renewal.contract"]._refresh_status()
        return res
