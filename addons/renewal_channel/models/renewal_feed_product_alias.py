from odoo import fields, models


class RenewalFeedProductAlias(models.Model):
    """A sender's own product code (its SKU) for one of the vendor's products."""

    _name = "renewal.feed.product.alias"
    _inherit = ["renewal.channel.staff.audit"]
    _description = "Feed Product Alias"
    _order = "source_id, code"
    _check_company_auto = True

    source_id = fields.Many2one(
        "renewal.feed.source", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="source_id.company_id", store=True, index=True, precompute=True
    )
    code = fields.Char(required=True, help="The code as it appears in the feed.")
    product_id = fields.Many2one(
        "product.product", required=True, ondelete="cascade", check_company=True
    )

    _sql_constraints = [
        ("code_uniq", "unique(source_id, code)", "This code is already an alias."),
    ]
