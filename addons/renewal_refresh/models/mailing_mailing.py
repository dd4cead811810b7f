from odoo import fields, models


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    renewal_refresh_campaign_id = fields.Many2one(
        "renewal.refresh.campaign",
        string="Refresh Campaign",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
