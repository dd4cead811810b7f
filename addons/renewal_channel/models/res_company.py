from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # The company's own cadence, not its resellers'.
    renewal_notice_step_ids = fields.One2many(domain=[("reseller_id", "=", False)])
