from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    renewal_refresh_campaign_id = fields.Many2one(
        "renewal.refresh.campaign",
        string="Refresh Campaign",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    renewal_refresh_target_id = fields.Many2one(
        "renewal.refresh.target",
        string="Refresh Target",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
