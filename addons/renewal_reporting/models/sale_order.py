from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _action_confirm(self):
        """A renewal confirmed: the analysis is refreshed within minutes
        (losses go through ``renewal.contract.line._cancel``)."""
        res = super()._action_confirm()
        if any(self.mapped("is_renewal")):
            self.env["renewal.report"]._mark_stale()
        return res
