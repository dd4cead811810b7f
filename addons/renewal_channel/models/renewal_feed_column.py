from odoo import fields, models

from ..tools.feed import TARGETS


class RenewalFeedColumn(models.Model):
    """One entry of a source's column mapping: which header feeds what."""

    _name = "renewal.feed.column"
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

    # Channel partners' renewals managers read these records (portal rules in
    # security/); who of the vendor's staff made or changed them is not theirs.
    create_uid = fields.Many2one(
        "res.users",
        string="Created by",
        automatic=True,
        readonly=True,
        groups="base.group_user",
    )
    write_uid = fields.Many2one(
        "res.users",
        string="Last Updated by",
        automatic=True,
        readonly=True,
        groups="base.group_user",
    )

    _sql_constraints = [
        (
            "target_uniq",
            "unique(source_id, target)",
            "Each field is mapped to one column only.",
        ),
    ]
