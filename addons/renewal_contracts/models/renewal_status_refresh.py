from odoo import fields, models


class RenewalStatusRefresh(models.Model):
    """One run of the daily status refresh, kept for the record."""

    _name = "renewal.status.refresh"
    _description = "Renewal Status Refresh"
    _order = "id desc"
    _rec_name = "reference_date"

    reference_date = fields.Date(required=True, readonly=True)
    line_count = fields.Integer(string="Lines Changed", readonly=True)
    contract_count = fields.Integer(string="Contracts Changed", readonly=True)
    duration = fields.Float(string="Duration (s)", digits=(16, 3), readonly=True)
