from odoo import fields, models


class RenewalContractLine(models.Model):
    _inherit = "renewal.contract.line"

    feed_source_id = fields.Many2one(
        "renewal.feed.source",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The feed that owns this line's data; empty when typed in.",
    )
