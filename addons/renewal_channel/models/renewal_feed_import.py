import base64
import csv
import io
import json
import logging
from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools import feed

# An import that creates or updates this many lines refreshes the planner's
# statistics of the tables it wrote (see RenewalFeedImport._analyze_tables).
ANALYZE_AFTER_ROWS = 5000

_logger = logging.getLogger(__name__)

# What a portal user (a channel partner's renewals manager) gives when they
# create an import; the rest is the run's to write.
PORTAL_CREATE_FIELDS = frozenset({"source_id", "filename", "file", "idempotency_key"})


class RenewalFeedImport(models.Model):
    """One file from one source: its log, counts and rejected rows.

    The orchestrator of a feed: reading and checking (``tools.feed``),
    matching (``renewal.feed.matcher``), chunking, writing
    (``renewal.feed.writer``) in background jobs, and the log.
    """

    _name = "renewal.feed.import"
    _description = "Contract Feed Import"
    _inherit = ["renewal.channel.staff.thread"]
    _order = "id desc"
    _rec_name = "filename"

    source_id = fields.Many2one(
        "renewal.feed.source", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        related="source_id.company_id", store=True, index=True, precompute=True
    )
    user_id = fields.Many2one(
        "res.users", string="Imported By", default=lambda self: self.env.user
    )
    filename = fields.Char(required=True)
    file = fields.Binary(attachment=True, required=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("checked", "Checked (dry run)"),
            ("running", "Running"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        default="draft",
        required=True,
        tracking=True,
    )
    message = fields.Text(readonly=True, help="Why the whole file failed.")
    row_count = fields.Integer(string="Rows", readonly=True)
    created_count = fields.Integer(string="Created", readonly=True)
    updated_count = fields.Integer(string="Updated", readonly=True)
    unchanged_count = fields.Integer(string="Unchanged", readonly=True)
    rejected_count = fields.Integer(string="Rejected", readonly=True)
    conflict_count = fields.Integer(string="Conflicts", readonly=True)
    customer_count = fields.Integer(string="New Customers", readonly=True)
    error_ids = fields.One2many(
        "renewal.feed.import.error", "import_id", string="Rejected Rows and Conflicts"
    )
    chunk_ids = fields.One2many("renewal.feed.chunk", "import_id", string="Chunks")
    progress = fields.Float(compute="_compute_progress")
    rejected_file = fields.Binary(
        string="Rejected Rows (CSV)", attachment=True, readonly=True
    )
    rejected_filename = fields.Char(compute="_compute_rejected_filename")
    date_done = fields.Datetime(readonly=True)
    idempotency_key = fields.Char(
        index=True,
        copy=False,
        help="The sender's key of this push: the same key again on the same "
        "source is the same import, not a new one.",
    )
    api_payload_hash = fields.Char(
        string="API Payload Hash",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="SHA-256 of what the partner API received under this import's "
        "idempotency key: a retry must send the same.",
    )

    _sql_constraints = [
        (
            "idempotency_key_uniq",
            "unique(source_id, idempotency_key)",
            "An import with this idempotency key exists for this source.",
        ),
    ]

    @api.depends("chunk_ids.state")
    def _compute_progress(self):
        for record in self:
            chunks = record.chunk_ids
            done = len(chunks.filtered(lambda chunk: chunk.state == "done"))
            record.progress = 100.0 * done / len(chunks) if chunks else 0.0

    @api.depends("filename")
    def _compute_rejected_filename(self):
        for record in self:
            stem = (record.filename or "feed").rsplit(".", 1)[0]
            record.rejected_filename = f"{stem}-rejected.csv"

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.user.share and not self.env.su:
            # A channel partner gives the file; the counts, state and log
            # are the run's.
            extra = {name for vals in vals_list for name in vals} - PORTAL_CREATE_FIELDS
            if extra:
                raise AccessError(
                    self.env._(
                        "A feed import is created with its source, file, file name "
                        "and idempotency key only, not %(fields)s.",
                        fields=", ".join(sorted(extra)),
                    )
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_dry_run(self):
        """Say what the file would create, update and reject; write nothing
        but this log."""
        for record in self:
            record._reset()
            plan = record._prepare()
            if plan is None:
                continue
            rows, errors, repeated, matcher = plan
            new_customers = len(matcher.pending)
            counts = self.env["renewal.feed.writer"]._classify(record.source_id, rows)
            record._log_errors(errors, conflicts=counts.pop("conflicts"))
            record.write(
                dict(
                    counts,
                    state="checked",
                    row_count=len(rows) + len(errors) + repeated,
                    unchanged_count=counts["unchanged_count"] + repeated,
                    rejected_count=len({error.row for error in errors}),
                    customer_count=new_customers,
                )
            )
        return True

    def action_import(self):
        for record in self:
            record._start(delay=True)
        return True

    def action_resume(self):
        """Run the chunks a crash left unfinished, here and now.

        Only for failed imports: while an import runs, its chunks belong to
        their jobs (queue_job requeues the job of a killed worker)."""
        for record in self.filtered(lambda r: r.state == "failed"):
            pending = record.chunk_ids.filtered(lambda chunk: chunk.state != "done")
            if not record.chunk_ids:
                raise UserError(
                    self.env._(
                        "Import %(name)s never got as far as its chunks: start it "
                        "again.",
                        name=record.filename,
                    )
                )
            record.state = "running"
            record._run_chunks(pending, delay=False)
        return True

    def action_download_rejected(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/rejected_file/"
            f"{self.rejected_filename}?download=true",
        }

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------

    def _reset(self):
        self.error_ids.unlink()
        self.chunk_ids.unlink()
        self.write(
            {
                "message": False,
                "created_count": 0,
                "updated_count": 0,
                "unchanged_count": 0,
                "rejected_count": 0,
                "conflict_count": 0,
                "customer_count": 0,
                "rejected_file": False,
            }
        )

    def _fail(self, message):
        self.write({"state": "failed", "message": message})
        self.message_post(body=self.env._("Import failed: %(why)s", why=message))

    def _profile(self):
        """The layout this import's file is read with: the source's, or the
        canonical field names for a JSON push."""
        self.ensure_one()
        profile = self.source_id._profile()
        if feed.is_json(self.filename):
            profile = feed.json_profile(profile)
        return profile

    def _prepare(self):
        """Read, check and match the whole file.

        Returns ``(rows, errors, repeated, matcher)`` with rows resolved to
        record ids (a new customer is a key until ``matcher.create_missing``),
        or None when the file as a whole is unusable (then the import is
        failed with the reason).
        """
        self.ensure_one()
        source = self.source_id
        profile = self._profile()
        content = base64.b64decode(self.file)
        try:
            if feed.is_json(self.filename):
                header, table = feed.read_json(content)
            else:
                header, table = feed.read_table(content, self.filename, profile)
            rows, errors, repeated = feed.parse_rows(header, table, profile)
        except feed.FeedError as exc:
            self._fail(str(exc))
            return None
        Matcher = self.env["renewal.feed.matcher"]
        rows, match_errors, matcher = Matcher._resolve(source, rows)
        rows, channel_errors = Matcher._channel_check(source, rows, profile.columns)
        matcher.forget_unused(rows)
        errors = sorted(
            errors + match_errors + channel_errors, key=lambda error: error.row
        )
        return rows, errors, repeated, matcher

    def _may_create_customers(self):
        """Whether this run may create the end customers its file names: a
        channel partner's feed (run for its portal user) brings its own
        customers; the vendor's staff need Odoo's Contact Creation right
        (Renewals Managers have it). The real user counts, not ``sudo()``."""
        user = self.env.user
        return user.share or self.env["res.partner"].with_user(user).has_access(
            "create"
        )

    def _renewal_api_start(self):
        """Job: run an import the partner API queued (read, check, match,
        then its chunks as jobs of their own)."""
        for record in self.filtered(lambda r: r.state == "draft"):
            record._start(delay=True)
        return True

    def _start(self, delay=True):
        self.ensure_one()
        self._reset()
        source = self.source_id
        plan = self._prepare()
        if plan is None:
            return
        rows, errors, repeated, matcher = plan
        if matcher.pending and not self._may_create_customers():
            self._fail(
                self.env._(
                    "The file names %(count)s end customers that are not in the "
                    "database yet, and you may not create contacts: ask a "
                    "Renewals Manager to run this import.",
                    count=len(matcher.pending),
                )
            )
            return
        self.write(
            {
                "state": "running",
                "row_count": len(rows) + len(errors) + repeated,
                "rejected_count": len({error.row for error in errors}),
                "customer_count": 0
                if errors and source.all_or_nothing
                else len(matcher.pending),
            }
        )
        self._log_errors(errors)
        if errors and source.all_or_nothing:
            self._finish(
                failed=self.env._(
                    "%(count)s rows were rejected and the source imports all or "
                    "nothing: nothing was imported.",
                    count=self.rejected_count,
                )
            )
            return
        matcher.create_missing(rows)
        # A contract's rows stay in one chunk: chunks never race on a contract.
        by_contract = defaultdict(list)
        for row in rows:
            by_contract[row["contract_number"]].append(row)
        size = len(rows) if source.all_or_nothing else source.chunk_size
        chunks, current = [], []
        for contract_rows in by_contract.values():
            if current and len(current) + len(contract_rows) > size:
                chunks.append(current)
                current = []
            current.extend(contract_rows)
        if current:
            chunks.append(current)
        chunk_records = self.env["renewal.feed.chunk"].create(
            [
                {
                    "import_id": self.id,
                    "sequence": index,
                    "row_count": len(chunk),
                    "payload": json.dumps(chunk, default=_json_default),
                }
                for index, chunk in enumerate(chunks)
            ]
        )
        self._run_chunks(chunk_records, delay=delay)

    def _run_chunks(self, chunks, delay):
        """Each chunk in its own transaction: a queue job, or a savepoint."""
        if delay and not self.env.context.get("queue_job__no_delay"):
            from odoo.addons.queue_job.delay import group

            jobs = [
                chunk.delayable(
                    description=self.env._(
                        "Feed %(file)s, chunk %(n)s",
                        file=self.filename,
                        n=chunk.sequence + 1,
                    )
                )._run()
                for chunk in chunks
            ]
            group(*jobs).on_done(
                self.delayable(
                    description=self.env._("Feed %(file)s: finish", file=self.filename)
                )._finish()
            ).delay()
            return
        for chunk in chunks:
            try:
                with self.env.cr.savepoint():
                    chunk._run()
            except Exception as exc:
                _logger.exception("Feed chunk %s failed", chunk.id)
                chunk.write({"state": "failed", "message": str(exc)})
                self._finish(
                    failed=self.env._(
                        "Chunk %(n)s failed and was rolled back: %(why)s. "
                        "Resume the import to finish it.",
                        n=chunk.sequence + 1,
                        why=exc,
                    )
                )
                return
        self._finish()

    def _finish(self, failed=False):
        self.ensure_one()
        chunks = self.chunk_ids
        done = chunks.filtered(lambda chunk: chunk.state == "done")
        values = {
            "created_count": sum(done.mapped("created_count")),
            "updated_count": sum(done.mapped("updated_count")),
            # Rows repeated in the file are unchanged; they reach no chunk.
            # A chunk's own rejections (rows whose contract changed hands
            # after the check) count as rejected.
            "unchanged_count": sum(done.mapped("unchanged_count"))
            + self.row_count
            - self.rejected_count
            - sum(chunks.mapped("row_count")),
            "rejected_count": self.rejected_count + sum(done.mapped("rejected_count")),
            "conflict_count": len(self.error_ids.filtered("is_conflict")),
            "rejected_file": self._rejected_csv(),
        }
        if failed or len(done) < len(chunks):
            values.update(state="failed", message=failed or self.message)
        else:
            values.update(state="done", date_done=fields.Datetime.now(), message=False)
        self.write(values)
        if values["created_count"] + values["updated_count"] >= ANALYZE_AFTER_ROWS:
            self._analyze_tables()
        self.message_post(
            body=self.env._(
                "%(state)s: %(rows)s rows, %(created)s created, %(updated)s updated, "
                "%(unchanged)s unchanged, %(rejected)s rejected, %(conflicts)s "
                "conflicts, %(customers)s new customers.",
                state=dict(self._fields["state"].selection)[self.state],
                rows=self.row_count,
                created=self.created_count,
                updated=self.updated_count,
                unchanged=self.unchanged_count,
                rejected=self.rejected_count,
                conflicts=self.conflict_count,
                customers=self.customer_count,
            )
        )

    def _analyze_tables(self):
        """Refresh PostgreSQL's statistics of the tables a large import
        wrote. Autovacuum does it too, but a minute or more later: until
        then the planner plans with the old make-up of the tables (at worst,
        a lookup by serial number reads a whole company's lines through the
        company index instead of one row through the serial's)."""
        tables = [
            self.env[model]._table
            for model in ("renewal.contract.line", "renewal.contract", "res.partner")
        ]
        self.env.cr.execute(
            SQL("ANALYZE %s", SQL(", ").join(map(SQL.identifier, tables)))
        )

    def _write_rows(self, rows):
        """Write ``rows`` (one chunk's): the contracts and lines the source
        may still write (``renewal.feed.matcher._channel_check`` again: a
        contract may have changed hands since the file was checked) through
        ``renewal.feed.writer``. Returns ``(counts, conflicts, errors)``."""
        self.ensure_one()
        source = self.source_id
        rows, errors = self.env["renewal.feed.matcher"]._channel_check(
            source, rows, self._profile().columns
        )
        counts, conflicts = self.env["renewal.feed.writer"]._write_rows(source, rows)
        return counts, conflicts, errors

    def _log_errors(self, errors, conflicts=()):
        self.env["renewal.feed.import.error"].create(
            [
                {
                    "import_id": self.id,
                    "row": error.row,
                    "column": error.column,
                    "value": (error.value or "")[:500],
                    "reason": error.reason,
                }
                for error in errors
            ]
            + [
                dict(conflict, import_id=self.id, is_conflict=True)
                for conflict in conflicts
            ]
        )

    def _rejected_csv(self):
        errors = self.error_ids.filtered(lambda error: not error.is_conflict)
        if not errors:
            return False
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["row", "column", "value", "reason"])
        for error in errors.sorted(lambda error: (error.row, error.id)):
            writer.writerow(
                [
                    error.row,
                    feed.csv_safe(error.column),
                    feed.csv_safe(error.value),
                    feed.csv_safe(error.reason),
                ]
            )
        return base64.b64encode(buffer.getvalue().encode("utf-8-sig"))

    # ------------------------------------------------------------------
    # The channel partner's renewals manager, in the portal
    # ------------------------------------------------------------------

    def _reseller_check(self):
        """This import, if the calling reseller manager may read it (their
        record rule decides)."""
        self.ensure_one()
        self.env.user._renewal_check_channel_manager()
        self.check_access("read")

    def _reseller_progress(self):
        """What the import's page polls while it runs: its state, and how
        many of its chunks are done (also in per cent)."""
        self._reseller_check()
        record = self.sudo()
        states = dict(self._fields["state"]._description_selection(self.env))
        return {
            "state": record.state,
            "state_label": states[record.state],
            "progress": round(record.progress),
            "chunks": len(record.chunk_ids),
            "chunks_done": len(
                record.chunk_ids.filtered(lambda chunk: chunk.state == "done")
            ),
            "running": record.state == "running",
        }

    def action_reseller_import(self):
        """Import the file this dry run checked, as a new import of the
        same source; return it. For the reseller's renewals manager."""
        self._reseller_check()
        record = self.sudo()
        if record.state != "checked":
            raise UserError(
                self.env._(
                    "%(file)s was not checked by a dry run: upload it again to "
                    "import it.",
                    file=record.filename,
                )
            )
        return self.source_id._reseller_upload(
            base64.b64decode(record.file), record.filename
        )

    def _reseller_rejected_table(self):
        """The rejected rows (not the conflicts), as a table ``(header,
        rows)`` for the CSV download."""
        self._reseller_check()
        errors = self.error_ids.filtered(lambda error: not error.is_conflict)
        header = [
            self.env._("Row"),
            self.env._("Column"),
            self.env._("Value"),
            self.env._("Reason"),
        ]
        rows = [
            [error.row, error.column or "", error.value or "", error.reason]
            for error in errors.sorted(lambda error: (error.row, error.id))
        ]
        return header, rows


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"{type(value)} is not JSON serialisable")
