import base64
import re

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from ..partner_api import PARAMS
from ..tools import feed

# The largest file a reseller may upload from the portal.
MAX_UPLOAD_BYTES = 25 * 1024 * 1024
UPLOAD_EXTENSIONS = (".csv", ".xlsx")


class RenewalFeedSource(models.Model):
    """A party that sends contract feeds, with the layout of its files."""

    _name = "renewal.feed.source"
    _description = "Contract Feed Source"
    _inherit = ["renewal.channel.staff.thread"]
    _order = "priority desc, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Sender",
        required=True,
        check_company=True,
        tracking=True,
        help="The vendor itself, a distributor or a reseller.",
    )
    role = fields.Selection(
        [
            ("vendor", "Vendor"),
            ("distributor", "Distributor"),
            ("reseller", "Reseller"),
        ],
        required=True,
        default="vendor",
        tracking=True,
        help="A distributor's feed names the distributor on every contract; a "
        "reseller's feed names the reseller.",
    )
    priority = fields.Integer(
        default=10,
        tracking=True,
        help="When two sources disagree about the same serial number or "
        "contract, the higher priority wins; on a tie the current owner keeps "
        "it. Every disagreement is logged on the import.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Vendor Salesperson",
        groups="base.group_user",
        domain="[('share', '=', False)]",
        help="The vendor's salesperson on the contracts this source creates.",
    )
    column_ids = fields.One2many(
        "renewal.feed.column", "source_id", string="Column Mapping", copy=True
    )
    product_alias_ids = fields.One2many(
        "renewal.feed.product.alias", "source_id", string="Product Aliases", copy=True
    )
    encoding = fields.Selection(
        [
            ("utf-8", "UTF-8 (with or without BOM)"),
            ("cp1252", "Windows-1252"),
            ("latin-1", "Latin-1 (ISO-8859-1)"),
        ],
        default="utf-8",
        required=True,
    )
    delimiter = fields.Char(default=",", required=True, size=1)
    decimal_separator = fields.Selection(
        [(".", "Dot (1234.56)"), (",", "Comma (1234,56)")], default=".", required=True
    )
    date_format = fields.Char(
        default="%Y-%m-%d",
        required=True,
        help="Python strftime format of the dates in CSV files, e.g. %d-%m-%Y. "
        "XLSX date cells need none.",
    )
    header_row = fields.Integer(
        default=1, required=True, help="The row holding the column names (1 = first)."
    )
    require_serial = fields.Boolean(
        string="Serial Number Required",
        default=True,
        help="Reject rows without a serial number.",
    )
    all_or_nothing = fields.Boolean(
        help="Import nothing when any row is rejected. Otherwise the valid rows "
        "are imported and the rejected ones listed."
    )
    default_currency_id = fields.Many2one(
        "res.currency",
        help="For files without a currency column.",
    )
    chunk_size = fields.Integer(
        default=5000,
        required=True,
        help="Rows per background job: each chunk commits on its own.",
    )
    import_ids = fields.One2many("renewal.feed.import", "source_id", string="Imports")
    import_count = fields.Integer(compute="_compute_import_count")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "This source exists."),
    ]

    def _compute_import_count(self):
        counts = dict(
            self.env["renewal.feed.import"]._read_group(
                [("source_id", "in", self.ids)], ["source_id"], ["__count"]
            )
        )
        for source in self:
            source.import_count = counts.get(source, 0)

    @api.constrains("header_row", "chunk_size", "delimiter")
    def _check_layout(self):
        for source in self:
            if source.header_row < 1:
                raise ValidationError(
                    self.env._(
                        "Feed source %(source)s: the header row is counted from 1.",
                        source=source.name,
                    )
                )
            if source.chunk_size < 1:
                raise ValidationError(
                    self.env._(
                        "Feed source %(source)s: a chunk holds at least one row.",
                        source=source.name,
                    )
                )

    def _profile(self):
        self.ensure_one()
        return feed.Profile(
            columns={column.target: column.column_name for column in self.column_ids},
            encoding=self.encoding,
            delimiter=self.delimiter or ",",
            decimal_separator=self.decimal_separator,
            date_format=self.date_format,
            header_row=self.header_row,
            require_serial=self.require_serial,
        )

    @api.returns("renewal.feed.import", lambda value: value.id)
    def import_file(
        self, content, filename, dry_run=False, delay=True, idempotency_key=None
    ):
        """Import ``content`` (bytes: CSV, XLSX, or a JSON list of canonical
        rows; text is taken as UTF-8) sent by this source, on behalf of the
        calling user.

        The Python entry point for the partner API, the reseller's portal
        and other addons. The caller must be allowed to read this source and
        to create its imports (access rights and record rules: a channel
        partner's renewals manager reaches only their own sources); the
        import is then run with elevated rights, the caller recorded as
        ``user_id``. Returns the ``renewal.feed.import`` record (in the
        caller's environment), which holds the counts, the rejected rows and
        the log. With ``dry_run`` nothing but that record is written. With
        ``delay`` (and queue_job's runner) the chunks run as background
        jobs; otherwise they run here, one savepoint each. With an
        ``idempotency_key`` already used on this source, nothing runs: the
        import of that key is returned. Over RPC it returns the import's id.
        """
        self.ensure_one()
        self.check_access("read")
        if isinstance(content, str):
            content = content.encode()
        Import = self.env["renewal.feed.import"]
        if idempotency_key:
            done = Import.sudo().search(
                [("source_id", "=", self.id), ("idempotency_key", "=", idempotency_key)]
            )
            if done:
                done.with_env(self.env).check_access("read")
                return done.with_env(self.env)
        # Created as the caller: their rights and the rules decide.
        feed_import = Import.create(
            {
                "source_id": self.id,
                "filename": filename,
                "file": base64.b64encode(content),
                "idempotency_key": idempotency_key or False,
            }
        )
        run = feed_import.sudo()
        if dry_run:
            run.action_dry_run()
        else:
            run._start(delay=delay)
        return feed_import

    def _renewal_api_push(
        self, content, filename, idempotency_key=None, payload_hash=None, **options
    ):
        """Import ``content`` (a JSON array of canonical rows, or a file in
        this source's layout) for the partner API; return ``(feed_import,
        outcome)``.

        ``outcome`` is ``"new"``; ``"replayed"`` when ``idempotency_key`` was
        used before with the same ``payload_hash`` (nothing is done again and
        the first import is returned); ``"conflict"`` when it was used with
        another payload; ``"busy"`` when a concurrent request holds it.
        Options: ``dry_run``, ``background`` (queue the whole import, reading
        included, as a job). Access as :meth:`import_file`, which runs the
        other cases: the caller must be allowed to read the source and
        create its imports (record rules).
        """
        self.ensure_one()
        self.check_access("read")
        Import = self.env["renewal.feed.import"]
        if idempotency_key:
            previous = Import.sudo().search(
                [
                    ("source_id", "=", self.id),
                    ("idempotency_key", "=", idempotency_key),
                ],
                limit=1,
            )
            if previous:
                previous = previous.with_env(self.env)
                previous.check_access("read")
                outcome = (
                    "replayed"
                    if previous.sudo().api_payload_hash == payload_hash
                    else "conflict"
                )
                return previous, outcome
        try:
            # A concurrent twin holding the key is an expected race, not a
            # server error: no "bad query" in the log.
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                if options.get("background"):
                    feed_import = Import.create(
                        {
                            "source_id": self.id,
                            "filename": filename,
                            "file": base64.b64encode(content),
                            "idempotency_key": idempotency_key or False,
                        }
                    )
                else:
                    feed_import = self.import_file(
                        content,
                        filename,
                        dry_run=bool(options.get("dry_run")),
                        delay=False,
                        idempotency_key=idempotency_key,
                    )
        except UniqueViolation:
            return Import, "busy"
        if payload_hash:
            feed_import.sudo().api_payload_hash = payload_hash
        if options.get("background"):
            feed_import.sudo().with_delay(
                channel="root.renewal_feed",
                description=self.env._("Feed %(file)s: start", file=filename),
            )._renewal_api_start()
        return feed_import, "new"

    def _renewal_api_background_rows(self):
        """Pushes of more rows than this run in the background."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"{PARAMS}.background_rows", "2000")
        )
        try:
            return max(int(value), 0)
        except ValueError:
            return 2000

    def _reseller_upload(self, content, filename, dry_run=False):
        """Check (``dry_run``) or import a file that a reseller's renewals
        manager uploaded in their portal: a CSV or XLSX file in this
        source's layout, up to 25 MB. Returns the import. The caller must
        be allowed to import this source's files (:meth:`import_file`)."""
        self.ensure_one()
        self.env.user._renewal_check_channel_manager()
        # The name as the browser sent it, without any folder.
        name = re.split(r"[\\/]", filename or "")[-1].strip()[:200]
        if not name.lower().endswith(UPLOAD_EXTENSIONS):
            raise UserError(
                self.env._(
                    "%(file)s: upload a CSV or XLSX file (.csv, .xlsx).",
                    file=name or self.env._("The file"),
                )
            )
        if not content:
            raise UserError(self.env._("%(file)s is empty.", file=name))
        if len(content) > MAX_UPLOAD_BYTES:
            raise UserError(
                self.env._(
                    "%(file)s is larger than %(limit)s MB: split it, or ask us "
                    "about the partner API.",
                    file=name,
                    limit=MAX_UPLOAD_BYTES // (1024 * 1024),
                )
            )
        return self.import_file(content, name, dry_run=dry_run, delay=True)

    def action_view_imports(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_channel.renewal_feed_import_action"
        )
        action["domain"] = [("source_id", "=", self.id)]
        action["context"] = {"default_source_id": self.id}
        return action

    def action_open_upload(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import a Feed"),
            "res_model": "renewal.feed.source.upload",
            "view_mode": "form",
            "target": "new",
            "context": {"default_source_id": self.id},
        }
