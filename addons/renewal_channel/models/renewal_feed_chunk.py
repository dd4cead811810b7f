import json

from odoo import fields, models


class RenewalFeedChunk(models.Model):
    """A slice of a feed's checked rows, written in one transaction.

    Chunks are what background jobs work on: a killed worker leaves its
    chunk as it was (pending), and resuming the import runs it again.
    """

    _name = "renewal.feed.chunk"
    _inherit = ["renewal.channel.staff.audit"]
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
    payload = fields.Text(
        help="The chunk's checked rows, as JSON.", groups="base.group_user"
    )
    created_count = fields.Integer()
    updated_count = fields.Integer()
    unchanged_count = fields.Integer()
    rejected_count = fields.Integer(
        string="Rejected",
        help="Rows the source could no longer write when the chunk ran: their "
        "contract had passed to another channel partner since the check.",
    )
    message = fields.Text(groups="base.group_user")

    def _run(self):
        """Write this chunk's rows. Running a done chunk again does nothing."""
        self.ensure_one()
        if self.state == "done":
            return
        feed_import = self.import_id
        counts, conflicts, errors = feed_import._write_rows(json.loads(self.payload))
        feed_import._log_errors(errors, conflicts=conflicts)
        self.write(
            dict(
                counts,
                rejected_count=len({error.row for error in errors}),
                state="done",
                message=False,
            )
        )
