from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.actions import notification


class RenewalStatusRefresh(models.Model):
    """One run of the daily status refresh in one company, kept for the
    record."""

    _name = "renewal.status.refresh"
    _description = "Renewal Status Refresh"
    _order = "id desc"
    _rec_name = "reference_date"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    reference_date = fields.Date(required=True, readonly=True)
    line_count = fields.Integer(string="Lines Changed", readonly=True)
    contract_count = fields.Integer(string="Contracts Changed", readonly=True)
    duration = fields.Float(string="Duration (s)", digits=(16, 3), readonly=True)

    @api.model
    def action_refresh_now(self):
        """Back-office button: refresh the statuses of the selected companies
        now, as the daily scheduled action does for every company."""
        if not self.env.user.has_group(
            "renewal_contracts.renewal_contracts_group_manager"
        ):
            raise AccessError(
                self.env._("Only a Renewals Manager can refresh the statuses now.")
            )
        runs = self.env["renewal.contract"]._refresh_status(
            companies=self.env.companies
        )
        self.env["renewal.installed.product"]._refresh_coverage(
            companies=self.env.companies
        )
        return notification(
            self.env._(
                "Statuses refreshed in %(companies)s: %(lines)s lines and "
                "%(contracts)s contracts changed.",
                companies=", ".join(runs.company_id.mapped("name")),
                lines=sum(runs.mapped("line_count")),
                contracts=sum(runs.mapped("contract_count")),
            )
        )
