from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    renewal_successor_id = fields.Many2one(
        "product.product",
        string="Successor Product",
        help="Proposed on renewal quotations as the refresh of this product.",
    )
