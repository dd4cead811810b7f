from odoo import models


class RenewalContractLine(models.Model):
    _inherit = "renewal.contract.line"

    def _cancel(self, reason, customer_left_out=False):
        """A lost renewal: the analysis is refreshed within minutes."""
        lines = super()._cancel(reason, customer_left_out=customer_left_out)
        self.env["renewal.report"]._mark_stale()
        return lines

    def action_reopen(self):
        res = super().action_reopen()
        self.env["renewal.report"]._mark_stale()
        return res
