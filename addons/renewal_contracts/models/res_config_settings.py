from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    renewal_due_days = fields.Integer(
        related="company_id.renewal_due_days",
        readonly=False,
    )
