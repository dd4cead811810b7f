from odoo import fields, models


class RenewalRefreshOriginMixin(models.AbstractModel):
    """What a refresh campaign made (an opportunity, a quotation) points back
    to the campaign and the customer's target it was made for."""

    _name = "renewal.refresh.origin.mixin"
    _description = "Made by a Refresh Campaign"

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
