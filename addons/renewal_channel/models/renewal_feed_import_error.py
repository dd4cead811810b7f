from odoo import fields, models


class RenewalFeedImportError(models.Model):
    """A rejected row of a feed (row, column, reason), or a conflict between
    two sources about the same serial number."""

    _name = "renewal.feed.import.error"
    _inherit = ["renewal.channel.staff.audit"]
    _description = "Feed Import Error"
    _order = "import_id, row, id"

    import_id = fields.Many2one(
        "renewal.feed.import", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="import_id.company_id", store=True, index=True, precompute=True
    )
    row = fields.Integer(help="Row number in the file, as a spreadsheet counts.")
    column = fields.Char()
    value = fields.Char()
    reason = fields.Char(required=True)
    is_conflict = fields.Boolean(
        string="Conflict", help="Not a rejection: two sources disagreed."
    )
