from odoo import fields, models


class RenewalFeedProductAlias(models.Model):
    """A sender's own product code (its SKU) for one of the vendor's products."""

    _name = "renewal.feed.product.alias"
    _description = "Feed Product Alias"
    _order = "source_id, code"

    source_id = fields.Many2one(
        "renewal.feed.source", required=True, ondelete="cascade", index=True
    )
    code = fields.Char(required=True, help="The code as it appears in the feed.")
    product_id = fields.Many2one("product.product", required=True, ondelete="cascade")

    _sql_constraints = [
        ("code_uniq", "unique(source_id, code)", "This code is already an alias."),
    ]
