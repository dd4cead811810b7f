from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    renewal_link_days = fields.Integer(
        related="company_id.renewal_link_days", readonly=False
    )
