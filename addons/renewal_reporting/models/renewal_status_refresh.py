from datetime import timedelta

from odoo import api, models


class RenewalStatusRefresh(models.Model):
    _inherit = "renewal.status.refresh"

    @api.model
    def action_refresh_now(self):
        """Statuses refreshed by hand: the analysis follows at once, in the
        scheduled action's own transaction."""
        res = super().action_refresh_now()
        self.env["renewal.report"]._mark_stale(delay=timedelta(0))
        return res
