from odoo import api, fields, models
from odoo.exceptions import UserError


class RenewalFeedSourceUpload(models.TransientModel):
    """Upload a feed file: check it first (dry run), then import it."""

    _name = "renewal.feed.source.upload"
    _description = "Upload a Contract Feed"

    source_id = fields.Many2one("renewal.feed.source", required=True)
    file = fields.Binary(required=True)
    filename = fields.Char()
    import_id = fields.Many2one("renewal.feed.import", readonly=True)
    state = fields.Selection(related="import_id.state")
    row_count = fields.Integer(related="import_id.row_count")
    created_count = fields.Integer(related="import_id.created_count")
    updated_count = fields.Integer(related="import_id.updated_count")
    unchanged_count = fields.Integer(related="import_id.unchanged_count")
    rejected_count = fields.Integer(related="import_id.rejected_count")
    conflict_count = fields.Integer(related="import_id.conflict_count")
    customer_count = fields.Integer(related="import_id.customer_count")
    message = fields.Text(related="import_id.message")
    error_ids = fields.One2many(related="import_id.error_ids")

    @api.onchange("file")
    def _onchange_file(self):
        self.import_id = False

    def _ensure_import(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose a file to import."))
        if not self.import_id:
            self.import_id = self.env["renewal.feed.import"].create(
                {
                    "source_id": self.source_id.id,
                    "filename": self.filename or "feed.csv",
                    "file": self.file,
                }
            )
        return self.import_id

    def action_check(self):
        self._ensure_import().action_dry_run()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Check a Feed"),
        }

    def action_import(self):
        feed_import = self._ensure_import()
        feed_import.action_import()
        return {
            "type": "ir.actions.act_window",
            "res_model": "renewal.feed.import",
            "res_id": feed_import.id,
            "view_mode": "form",
            "target": "current",
        }
