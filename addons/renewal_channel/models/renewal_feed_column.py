from odoo import fields, models

from ..tools.feed import TARGETS


class RenewalFeedColumn(models.Model):
    """One entry of a source's column mapping: which header feeds what."""

    _name = "renewal.feed.column"
    _inherit = ["renewal.channel.staff.audit"]
    _description = "Feed Column Mapping"
    _order = "source_id, sequence, id"

    source_id = fields.Many2one(
        "renewal.feed.source", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="source_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    target = fields.Selection(list(TARGETS.items()), string="Field", required=True)
    column_name = fields.Char(
        string="Column in the File",
        required=True,
        help="The header text of the column, as the sender writes it "
        "(case does not matter).",
    )

    _sql_constraints = [
        (
            "target_uniq",
            "unique(source_id, target)",
            "Each field is mapped to one column only.",
        ),
    ]
