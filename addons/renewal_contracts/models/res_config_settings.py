from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    renewal_due_days = fields.Integer(
        related="company_id.renewal_due_days",
        readonly=False,
    )
    renewal_quote_lead_days = fields.Integer(
        related="company_id.renewal_quote_lead_days", readonly=False
    )
    renewal_uplift_percent = fields.Float(
        related="company_id.renewal_uplift_percent", readonly=False
    )
    renewal_coterm = fields.Boolean(related="company_id.renewal_coterm", readonly=False)
    renewal_notice_from = fields.Selection(
        related="company_id.renewal_notice_from", readonly=False
    )
    renewal_notice_reply_to = fields.Selection(
        related="company_id.renewal_notice_reply_to", readonly=False
    )
    renewal_notice_late_days = fields.Integer(
        related="company_id.renewal_notice_late_days", readonly=False
    )
