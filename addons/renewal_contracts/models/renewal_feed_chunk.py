import json

from odoo import fields, models


class RenewalFeedChunk(models.Model):
    """A slice of a feed's checked rows, written in one transaction.

    Chunks are what background jobs work on: a killed worker leaves its
    chunk as it was (pending), and resuming the import runs it again.
    """

    _name = "renewal.feed.chunk"
    _description = "Contract Feed Chunk"
    _order = "import_id, sequence"

    import_id = fields.Many2one(
        "renewal.feed.import", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="import_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer()
    state = fields.Selection(
        [("pending", "Pending"), ("done", "Done"), ("failed", "Failed")],
        default="pending",
        required=True,
    )
    row_count = fields.Integer()
    payload = fields.Text(help="The chunk's checked rows, as JSON.")
    created_count = fields.Integer()
    updated_count = fields.Integer()
    unchanged_count = fields.Integer()
    message = fields.Text()

    def _run(self):
        """Write this chunk's rows. Running a done chunk again does nothing."""
        self.ensure_one()
        if self.state == "done":
            return
        feed_import = self.import_id
        counts, conflicts = feed_import._write_rows(json.loads(self.payload))
        feed_import._log_errors([], conflicts=conflicts)
        self.write(dict(counts, state="done", message=False))
