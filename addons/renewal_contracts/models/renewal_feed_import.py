import base64
import csv
import io
import json
import logging
from collections import defaultdict
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import (
    feed,
    status as rules,
)

_logger = logging.getLogger(__name__)

# Line columns the feed owns, compared to tell an update from no change, in
# the order of ``_line_values``.
LINE_FIELDS = (
    "contract_id",
    "product_id",
    "quantity",
    "service_level_id",
    "date_start",
    "date_end",
    "list_price",
    "renewal_price",
)


class RenewalFeedImport(models.Model):
    """One file from one source: its log, counts and rejected rows."""

    _name = "renewal.feed.import"
    _description = "Contract Feed Import"
    _inherit = ["mail.thread"]
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
            counts = record._classify(rows)
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

    def _prepare(self):
        """Read, check and match the whole file.

        Returns ``(rows, errors, repeated, matcher)`` with rows resolved to
        record ids (a new customer is a key until ``matcher.create_missing``),
        or None when the file as a whole is unusable (then the import is
        failed with the reason).
        """
        self.ensure_one()
        profile = self.source_id._profile()
        content = base64.b64decode(self.file)
        try:
            if feed.is_json(self.filename):
                profile = feed.json_profile(profile)
                header, table = feed.read_json(content)
            else:
                header, table = feed.read_table(content, self.filename, profile)
            rows, errors, repeated = feed.parse_rows(header, table, profile)
        except feed.FeedError as exc:
            self._fail(str(exc))
            return None
        rows, match_errors, matcher = self._resolve(rows)
        errors = sorted(errors + match_errors, key=lambda error: error.row)
        return rows, errors, repeated, matcher

    def _start(self, delay=True):
        self.ensure_one()
        self._reset()
        source = self.source_id
        plan = self._prepare()
        if plan is None:
            return
        rows, errors, repeated, matcher = plan
        if matcher.pending and not self.env["res.partner"].has_access("create"):
            # Renewals Managers may (Contact Creation comes with the group).
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
            "unchanged_count": sum(done.mapped("unchanged_count"))
            + self.row_count
            - self.rejected_count
            - sum(chunks.mapped("row_count")),
            "conflict_count": len(self.error_ids.filtered("is_conflict")),
            "rejected_file": self._rejected_csv(),
        }
        if failed or len(done) < len(chunks):
            values.update(state="failed", message=failed or self.message)
        else:
            values.update(state="done", date_done=fields.Datetime.now(), message=False)
        self.write(values)
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
    # Matching rows to records
    # ------------------------------------------------------------------

    def _resolve(self, parsed):
        """Turn parsed rows into record ids: product, service level,
        currency, channel and end customer. Writes nothing: a customer that
        matches no one is a key the matcher creates later. Returns
        ``(rows, errors, matcher)``.
        """
        source = self.source_id
        company = source.company_id
        columns = source._profile().columns
        env = self.env
        products = self._product_lookup({r.values["product_code"] for r in parsed})
        level_names = {
            r.values["service_level"] for r in parsed if r.values.get("service_level")
        }
        levels = {}
        if level_names:
            domain = expression.OR(
                [
                    ["|", ("name", "=ilike", name), ("code", "=ilike", name)]
                    for name in level_names
                ]
            )
            for level in (
                env["renewal.service.level"]
                .with_context(active_test=False)
                .search(domain)
            ):
                levels[level.name.strip().lower()] = level
                if level.code:
                    levels[level.code.strip().lower()] = level
        currencies = {
            currency.name: currency
            for currency in env["res.currency"]
            .with_context(active_test=False)
            .search(
                [
                    (
                        "name",
                        "in",
                        list(
                            {
                                r.values.get("currency")
                                for r in parsed
                                if r.values.get("currency")
                            }
                        ),
                    )
                ]
            )
        }
        resellers = self._partner_lookup([("is_renewal_reseller", "=", True)])
        matcher = _CustomerMatcher(env, company)
        matcher.load(parsed)
        rows, errors = [], []
        default_currency = source.default_currency_id or company.currency_id
        for row in parsed:
            values = row.values
            # (target, reason) of each problem with this row
            problems = []
            product = products.get(values["product_code"].lower())
            if not product:
                problems.append(
                    (
                        "product_code",
                        self.env._(
                            "Unknown product code %(code)s: no product of "
                            "%(company)s, nor a shared one, has it.",
                            code=values["product_code"],
                            company=company.name,
                        ),
                    )
                )
            level = env["renewal.service.level"]
            if values.get("service_level"):
                level = levels.get(values["service_level"].lower())
                if not level:
                    problems.append(
                        (
                            "service_level",
                            self.env._(
                                "Unknown service level %(level)s.",
                                level=values["service_level"],
                            ),
                        )
                    )
            currency = default_currency
            if values.get("currency"):
                currency = currencies.get(values["currency"])
                if not currency:
                    problems.append(
                        (
                            "currency",
                            self.env._(
                                "Unknown currency %(code)s.", code=values["currency"]
                            ),
                        )
                    )
                elif not currency.active:
                    problems.append(
                        (
                            "currency",
                            self.env._(
                                "Currency %(code)s is not active.",
                                code=values["currency"],
                            ),
                        )
                    )
            reseller = env["res.partner"]
            if values.get("reseller"):
                reseller = resellers.get(feed.normalize_name(values["reseller"]))
                if not reseller:
                    problems.append(
                        (
                            "reseller",
                            self.env._(
                                "Unknown reseller %(reseller)s.",
                                reseller=values["reseller"],
                            ),
                        )
                    )
            elif source.role == "reseller":
                reseller = source.partner_id.commercial_partner_id
            distributor = env["res.partner"]
            if source.role == "distributor":
                distributor = source.partner_id.commercial_partner_id
            elif reseller:
                distributor = reseller.renewal_distributor_id
            customer, reason = matcher.match(values)
            if reason:
                problems.append(("customer_name", reason))
            if problems:
                errors.extend(
                    _row_error(row, columns, target, reason)
                    for target, reason in problems
                )
                continue
            rows.append(
                {
                    "row": row.row,
                    "contract_number": values["contract_number"],
                    "serial_number": values.get("serial_number") or False,
                    "customer": customer
                    if isinstance(customer, tuple)
                    else customer.id,
                    "product_id": product.id,
                    "quantity": values.get("quantity") or 1.0,
                    "service_level_id": level.id or False,
                    "warranty_only": bool(level.warranty_only),
                    "date_start": values["date_start"],
                    "date_end": values["date_end"],
                    "list_price": values.get("list_price") or 0.0,
                    "renewal_price": values.get("renewal_price") or 0.0,
                    "currency_id": currency.id,
                    "reseller_id": reseller.id or False,
                    "distributor_id": distributor.id or False,
                    "salesperson": values.get("salesperson") or False,
                    "customer_po_number": values.get("customer_po") or False,
                    "vendor_order_number": values.get("vendor_order") or False,
                }
            )
        return rows, errors, matcher

    def _product_lookup(self, codes):
        """Product by the vendor's internal reference, or by this source's
        alias; keys lower-cased. Only the products of the source's company
        and the shared ones (no company) count: another company's product is
        an unknown code here. A code both shared and the company's own is the
        company's own."""
        lowered = list({code.lower() for code in codes})
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT lower(p.default_code), p.id
                  FROM product_product p
                  JOIN product_template t ON t.id = p.product_tmpl_id
                 WHERE lower(p.default_code) = ANY(%(codes)s)
                   AND (t.company_id IS NULL OR t.company_id = %(company)s)
                 ORDER BY t.company_id NULLS FIRST, p.id
                """,
                codes=lowered,
                company=self.company_id.id,
            )
        )
        found = dict(self.env.cr.fetchall())
        products = dict(
            zip(
                found,
                self.env["product.product"].browse(list(found.values())),
                strict=True,
            )
        )
        companies = (False, self.company_id.id)
        for alias in self.source_id.product_alias_ids:
            if alias.product_id.sudo().company_id.id in companies:
                products[alias.code.lower()] = alias.product_id
        return products

    def _partner_lookup(self, domain):
        partners = {}
        for partner in self.env["res.partner"].search(
            domain + [("company_id", "in", (False, self.company_id.id))]
        ):
            partners.setdefault(feed.normalize_name(partner.name), partner)
        return partners

    # ------------------------------------------------------------------
    # Classifying and writing
    # ------------------------------------------------------------------

    def _existing_lines(self, rows):
        """Existing lines keyed by serial (or by contract, product and dates
        for lines without one), with the priority of their owning source."""
        company = self.company_id
        serials = [row["serial_number"] for row in rows if row["serial_number"]]
        numbers = list({row["contract_number"] for row in rows})
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id, l.serial_number, c.name, l.contract_id, l.product_id,
                       l.quantity, l.service_level_id, l.date_start, l.date_end,
                       l.list_price, l.renewal_price, l.feed_source_id,
                       COALESCE(s.priority, 0)
                  FROM renewal_contract_line l
                  JOIN renewal_contract c ON c.id = l.contract_id
             LEFT JOIN renewal_feed_source s ON s.id = l.feed_source_id
                 WHERE l.company_id = %(company)s
                   AND (l.serial_number = ANY(%(serials)s)
                        OR (l.serial_number IS NULL AND c.name = ANY(%(numbers)s)))
                """,
                company=company.id,
                serials=serials,
                numbers=numbers,
            )
        )
        existing = {}
        for record in self.env.cr.fetchall():
            (line_id, serial, number, *values, owner, priority) = record
            key = serial or (number, values[1], values[4], values[5])
            existing[key] = (line_id, tuple(values), owner, priority)
        return existing

    def _existing_contracts(self, rows):
        names = list({row["contract_number"] for row in rows})
        contracts = self.env["renewal.contract"].search(
            [("company_id", "=", self.company_id.id), ("name", "in", names)]
        )
        return {contract.name: contract for contract in contracts}

    def _line_key(self, row):
        return row["serial_number"] or (
            row["contract_number"],
            row["product_id"],
            _as_date(row["date_start"]),
            _as_date(row["date_end"]),
        )

    def _decide(self, row, contract_id, existing):
        """What ``row`` does to its line: ``(action, incoming, found,
        conflict)`` with action ``create``, ``update`` or ``unchanged``.

        A line owned by another source changes only when this source has a
        strictly higher priority; either way the disagreement is a conflict.
        """
        incoming = self._line_values(row, contract_id)
        found = existing.get(self._line_key(row))
        if not found:
            return "create", incoming, None, None
        _line_id, current, owner, owner_priority = found
        if incoming == current:
            return "unchanged", incoming, found, None
        if owner and owner != self.source_id.id:
            kept = owner_priority >= self.source_id.priority
            conflict = self._conflict(row, owner, kept=kept)
            return ("unchanged" if kept else "update"), incoming, found, conflict
        return "update", incoming, found, None

    def _classify(self, rows):
        """Counts of what ``rows`` would create, update or leave unchanged,
        and the conflicts they would raise (dry run)."""
        existing = self._existing_lines(rows)
        contracts = self._existing_contracts(rows)
        counts = {"create": 0, "update": 0, "unchanged": 0}
        conflicts = []
        for row in rows:
            contract = contracts.get(row["contract_number"])
            action, _incoming, _found, conflict = self._decide(
                row, contract.id if contract else None, existing
            )
            counts[action] += 1
            if conflict:
                conflicts.append(conflict)
        return {
            "created_count": counts["create"],
            "updated_count": counts["update"],
            "unchanged_count": counts["unchanged"],
            "conflicts": conflicts,
        }

    def _conflict(self, row, owner, kept):
        owner_source = self.env["renewal.feed.source"].browse(owner)
        params = {
            "serial": row["serial_number"] or row["contract_number"],
            "owner": owner_source.name,
            "op": owner_source.priority,
            "mine": self.source_id.priority,
        }
        if kept:
            reason = self.env._(
                "Serial %(serial)s belongs to %(owner)s (priority %(op)s, not lower "
                "than %(mine)s): its data was kept.",
                **params,
            )
        else:
            reason = self.env._(
                "Serial %(serial)s belonged to %(owner)s (priority %(op)s): this "
                "source (priority %(mine)s) overrode it.",
                **params,
            )
        return {
            "row": row["row"],
            "column": "",
            "value": row["serial_number"] or "",
            "reason": reason,
        }

    @staticmethod
    def _line_values(row, contract_id):
        return (
            contract_id,
            row["product_id"],
            float(row["quantity"]),
            row["service_level_id"] or None,
            _as_date(row["date_start"]),
            _as_date(row["date_end"]),
            float(row["list_price"]),
            float(row["renewal_price"]),
        )

    def _write_rows(self, rows):
        """Upsert the contracts and covered lines of ``rows`` (one chunk).

        Contracts go through the ORM (a few thousand per chunk); lines, the
        bulk, are inserted and updated in one SQL statement each, with their
        stored fields computed by the same rules as the ORM's. Returns
        ``(counts, conflicts)``.
        """
        source = self.source_id
        company = self.company_id
        env = self.env
        Contract = env["renewal.contract"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        contracts = self._existing_contracts(rows)
        groups = defaultdict(list)
        for row in rows:
            groups[row["contract_number"]].append(row)
        salespeople = _SalespersonFinder(env)
        create_vals = []
        for number, group in groups.items():
            first = group[0]
            header = {
                "partner_id": first["customer"],
                "reseller_id": first["reseller_id"],
                "distributor_id": first["distributor_id"],
                "currency_id": first["currency_id"],
                "customer_po_number": first["customer_po_number"],
                "vendor_order_number": first["vendor_order_number"],
                "reseller_salesperson_id": salespeople.find(
                    first["reseller_id"], first["salesperson"]
                ),
                "date_start": min(_as_date(row["date_start"]) for row in group),
                "date_end": max(_as_date(row["date_end"]) for row in group),
            }
            contract = contracts.get(number)
            if contract is None:
                create_vals.append(
                    dict(
                        header,
                        name=number,
                        company_id=company.id,
                        feed_source_id=source.id,
                        user_id=source.user_id.id,
                    )
                )
                continue
            owner = contract.feed_source_id
            if owner and owner != source and owner.priority >= source.priority:
                continue  # the lines' conflicts say so
            header["date_start"] = min(header["date_start"], contract.date_start)
            header["date_end"] = max(header["date_end"], contract.date_end)
            changed = {
                key: value
                for key, value in header.items()
                if _differs(contract[key], value)
            }
            if changed or owner != source:
                contract.with_context(tracking_disable=True).write(
                    dict(changed, feed_source_id=source.id)
                )
        for contract in Contract.create(create_vals):
            contracts[contract.name] = contract

        existing = self._existing_lines(rows)
        today = fields.Date.context_today(self)
        due_days = company.renewal_due_days
        products = env["product.product"].browse({row["product_id"] for row in rows})
        categories = {product.id: product.categ_id.id for product in products}
        counts = {"created_count": 0, "updated_count": 0, "unchanged_count": 0}
        conflicts, inserts, updates = [], [], []
        for row in rows:
            contract = contracts[row["contract_number"]]
            action, incoming, found, conflict = self._decide(row, contract.id, existing)
            if conflict:
                conflicts.append(conflict)
            if action == "unchanged":
                counts["unchanged_count"] += 1
                continue
            stored = (
                contract.company_id.id,
                contract.partner_id.id,
                contract.reseller_id.id or None,
                categories[row["product_id"]],
                row["serial_number"] or None,
                (row["renewal_price"] or row["list_price"]) * row["quantity"],
                row["warranty_only"],
                rules.line_status(incoming[5], today, due_days),
                source.id,
            )
            if found:
                counts["updated_count"] += 1
                updates.append((found[0], *incoming, *stored))
            else:
                counts["created_count"] += 1
                inserts.append((*incoming, *stored))
        touched = set(self._sql_insert_lines(inserts))
        touched |= set(self._sql_update_lines(updates))
        if updates:
            # An updated line may be cancelled or renewed: its status goes
            # through the ORM's rules rather than the plain date rule above.
            lines = env["renewal.contract.line"].browse([row[0] for row in updates])
            env.add_to_compute(lines._fields["status"], lines)
            lines.flush_recordset()
        touched |= {contract.id for contract in contracts.values()}
        self._recompute_contracts(env["renewal.contract"].browse(touched))
        return counts, conflicts

    # What the SQL writes: the fields the feed owns, then the stored ones.
    _LINE_COLUMNS = (
        *LINE_FIELDS,
        "company_id",
        "partner_id",
        "reseller_id",
        "product_categ_id",
        "serial_number",
        "renewal_subtotal",
        "warranty_only",
        "status",
        "feed_source_id",
    )
    _LINE_TYPES = (
        "int4", "int4", "float8", "int4", "date", "date", "numeric", "numeric",
        "int4", "int4", "int4", "int4", "varchar", "numeric", "bool", "varchar",
        "int4",
    )  # fmt: skip

    def _values_sql(self, rows, types):
        """``(…), (…)`` rows of a VALUES list, each value cast to its type
        (the types are the constants above, never data)."""
        code = "(" + ", ".join(f"%s::{type_}" for type_ in types) + ")"
        return SQL(", ").join(SQL(code, *row) for row in rows)

    def _sql_insert_lines(self, inserts):
        """Insert new lines; return the ids of their contracts."""
        if not inserts:
            return []
        cr = self.env.cr
        columns = SQL(", ").join(SQL.identifier(name) for name in self._LINE_COLUMNS)
        for start in range(0, len(inserts), 2000):
            batch = inserts[start : start + 2000]
            cr.execute(
                SQL(
                    """
                    INSERT INTO renewal_contract_line (%(columns)s, is_cancelled,
                        is_renewed, create_uid, write_uid, create_date, write_date)
                    SELECT v.*, FALSE, FALSE, %(uid)s, %(uid)s,
                           NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                      FROM (VALUES %(values)s) AS v
                    """,
                    columns=columns,
                    values=self._values_sql(batch, self._LINE_TYPES),
                    uid=self.env.uid,
                )
            )
        self.env["renewal.contract.line"].invalidate_model()
        return {row[0] for row in inserts}

    def _sql_update_lines(self, updates):
        """Update changed lines; return the ids of their old and new
        contracts."""
        if not updates:
            return []
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT contract_id FROM renewal_contract_line WHERE id = ANY(%s)",
                [row[0] for row in updates],
            )
        )
        touched = {row[0] for row in cr.fetchall()}
        names = ("id", *self._LINE_COLUMNS)
        assignments = SQL(", ").join(
            SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name))
            for name in self._LINE_COLUMNS
        )
        for start in range(0, len(updates), 2000):
            batch = updates[start : start + 2000]
            cr.execute(
                SQL(
                    """
                    UPDATE renewal_contract_line AS l
                       SET %(assignments)s, write_uid = %(uid)s,
                           write_date = NOW() AT TIME ZONE 'UTC'
                      FROM (VALUES %(values)s) AS v(%(names)s)
                     WHERE l.id = v.id
                    """,
                    assignments=assignments,
                    values=self._values_sql(batch, ("int4", *self._LINE_TYPES)),
                    names=SQL(", ").join(SQL.identifier(name) for name in names),
                    uid=self.env.uid,
                )
            )
        self.env["renewal.contract.line"].invalidate_model()
        return touched | {row[1] for row in updates}

    def _recompute_contracts(self, contracts):
        """The contracts' stored fields that follow their lines."""
        Contract = self.env["renewal.contract"]
        contracts.invalidate_recordset()
        for name in ("next_expiry_date", "amount_renewal", "warranty_only", "status"):
            self.env.add_to_compute(Contract._fields[name], contracts)
        contracts.with_context(tracking_disable=True).flush_recordset()


class _SalespersonFinder:
    """The reseller's salesperson named in a feed: a contact of the reseller,
    created the first time it is named."""

    def __init__(self, env):
        self.env = env
        self.cache = {}

    def find(self, reseller_id, name):
        if not (reseller_id and name):
            return False
        key = (reseller_id, feed.normalize_name(name))
        if key not in self.cache:
            contact = self.env["res.partner"].search(
                [("parent_id", "=", reseller_id), ("name", "=ilike", name)], limit=1
            ) or self.env["res.partner"].create(
                {"name": name, "parent_id": reseller_id, "type": "contact"}
            )
            self.cache[key] = contact.id
        return self.cache[key]


def _differs(current, value):
    if isinstance(current, models.BaseModel):
        return current.id != (value or False)
    return (current or False) != (value or False)


class _CustomerMatcher:
    """Finds the end customer of a row: by VAT, then e-mail domain and
    normalised name, then normalised name and city. Several candidates at the
    first rule that finds any: the row is rejected as ambiguous."""

    def __init__(self, env, company):
        self.env = env
        self.company = company
        self.by_vat = defaultdict(set)
        self.by_domain_name = defaultdict(set)
        self.by_name_city = defaultdict(set)
        self.partners = {}
        self.pending = {}  # key -> row values of a customer to create

    def load(self, parsed):
        vats = {feed.normalize_vat(r.values.get("customer_vat")) for r in parsed} - {""}
        names = {feed.normalize_name(r.values.get("customer_name")) for r in parsed}
        domains = {
            feed.email_domain(r.values.get("customer_email")) for r in parsed
        } - {""}
        if not (vats or names):
            return
        # Candidates, found in SQL: partners whose normalised VAT, e-mail
        # domain or first name word could match; the exact test is in Python.
        words = {name.split()[0] for name in names if name}
        words |= {
            (r.values.get("customer_name") or "").split(" ")[0].lower() for r in parsed
        } - {""}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE parent_id IS NULL AND active
                   AND (company_id IS NULL OR company_id = %(company)s)
                   AND NOT COALESCE(is_renewal_reseller, FALSE)
                   AND NOT COALESCE(is_renewal_distributor, FALSE)
                   AND (regexp_replace(upper(COALESCE(vat, '')), '[^A-Z0-9]', '', 'g')
                            = ANY(%(vats)s)
                        OR lower(split_part(email, '@', 2)) = ANY(%(domains)s)
                        OR lower(split_part(name, ' ', 1)) = ANY(%(words)s))
                """,
                company=self.company.id,
                vats=list(vats),
                domains=list(domains),
                words=list(words),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        for partner in self.env["res.partner"].browse(ids):
            self._index(partner)

    def _index(self, partner):
        self.partners[partner.id] = partner
        name = feed.normalize_name(partner.name)
        if partner.vat:
            self.by_vat[feed.normalize_vat(partner.vat)].add(partner.id)
        if partner.email:
            self.by_domain_name[(feed.email_domain(partner.email), name)].add(
                partner.id
            )
        self.by_name_city[(name, (partner.city or "").strip().lower())].add(partner.id)

    def match(self, values):
        """``(partner, None)``, ``(key, None)`` for a customer to create, or
        ``(None, reason)``."""
        name = feed.normalize_name(values.get("customer_name"))
        vat = feed.normalize_vat(values.get("customer_vat"))
        domain = feed.email_domain(values.get("customer_email"))
        city = (values.get("customer_city") or "").strip().lower()
        rules_ = []
        if vat:
            rules_.append((self.env._("VAT"), self.by_vat.get(vat)))
        if domain:
            rules_.append(
                (
                    self.env._("e-mail domain and name"),
                    self.by_domain_name.get((domain, name)),
                )
            )
        rules_.append(
            (self.env._("name and city"), self.by_name_city.get((name, city)))
        )
        for label, ids in rules_:
            if not ids:
                continue
            if len(ids) > 1:
                found = ", ".join(
                    sorted(self.partners[pid].display_name for pid in ids)
                )
                return None, self.env._(
                    "Ambiguous end customer %(customer)s: %(count)s customers "
                    "match by %(rule)s (%(found)s).",
                    customer=values.get("customer_name"),
                    count=len(ids),
                    rule=label,
                    found=found,
                )
            return self.partners[next(iter(ids))], None
        key = (vat, domain, name, city)
        self.pending.setdefault(key, values)
        return key, None

    def create_missing(self, rows):
        """Create the customers no partner matched, once each, and put their
        ids on ``rows``."""
        if not self.pending:
            return
        countries = {
            country.code: country.id for country in self.env["res.country"].search([])
        }
        keys = list(self.pending)
        vals_list = []
        for key in keys:
            values = self.pending[key]
            vals_list.append(
                {
                    "name": values["customer_name"],
                    "is_company": True,
                    "vat": values.get("customer_vat") or False,
                    "email": values.get("customer_email") or False,
                    "city": values.get("customer_city") or False,
                    "street": values.get("customer_street") or False,
                    "zip": values.get("customer_zip") or False,
                    "country_id": countries.get(values.get("customer_country") or ""),
                    "company_id": False,
                }
            )
        partners = self.env["res.partner"].create(vals_list)
        created = dict(zip(keys, partners.ids, strict=True))
        for row in rows:
            if isinstance(row["customer"], tuple):
                row["customer"] = created[row["customer"]]


def _row_error(row, columns, target, reason):
    """A rejection of ``row`` for the column mapped to ``target``."""
    return feed.RowError(
        row.row, columns.get(target, ""), str(row.values.get(target) or ""), reason
    )


def _as_date(value):
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"{type(value)} is not JSON serialisable")
