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
