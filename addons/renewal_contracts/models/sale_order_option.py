from odoo import fields, models


class SaleOrderOption(models.Model):
    _inherit = "sale.order.option"

    renewal_line_id = fields.Many2one(
        "renewal.contract.line",
        string="For Covered Line",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The covered line this optional line is proposed for (an upgrade "
        "of its service level, or the refresh of its product).",
    )
