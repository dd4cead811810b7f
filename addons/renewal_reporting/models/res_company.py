from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def write(self, vals):
        """A new renewal window re-colours the company's lines: the analysis
        follows within minutes."""
        res = super().write(vals)
        if "renewal_due_days" in vals:
            self.env["renewal.report"]._mark_stale()
        return res
