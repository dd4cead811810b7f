"""Writing a feed's matched rows: the idempotent upsert of contracts and
covered lines, and the dry run's count of what it would do."""

from collections import defaultdict
from datetime import date

from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.renewal_contracts.tools import (
    coverage,
    status as rules,
)

from .renewal_feed_matcher import SalespersonFinder

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


class RenewalFeedWriter(models.AbstractModel):
    """Writes the matched rows of a feed (no table)."""

    _name = "renewal.feed.writer"
    _description = "Contract Feed Writing"

    def _existing_lines(self, source, rows):
        """Existing lines of ``source``'s company keyed by serial (or by
        contract, product and dates for lines without one), with the
        priority of their owning source."""
        company = source.company_id
        serials = [row["serial_number"] for row in rows if row["serial_number"]]
        # Lines without a serial number are found by their contract's number;
        # a feed with serial numbers throughout needs only the serial index.
        numbers = list(
            {row["contract_number"] for row in rows if not row["serial_number"]}
        )
        conditions = []
        if serials:
            conditions.append(SQL("l.serial_number = ANY(%s)", serials))
        if numbers:
            conditions.append(
                SQL("(l.serial_number IS NULL AND c.name = ANY(%s))", numbers)
            )
        if not conditions:
            return {}
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
                 WHERE l.company_id = %(company)s AND (%(found)s)
                """,
                company=company.id,
                found=SQL(" OR ").join(conditions),
            )
        )
        existing = {}
        for record in self.env.cr.fetchall():
            (line_id, serial, number, *values, owner, priority) = record
            key = serial or (number, values[1], values[4], values[5])
            existing[key] = (line_id, tuple(values), owner, priority)
        return existing

    def _existing_contracts(self, source, rows):
        """The contracts of ``rows`` in ``source``'s company, by number."""
        names = list({row["contract_number"] for row in rows})
        contracts = self.env["renewal.contract"].search(
            [("company_id", "=", source.company_id.id), ("name", "in", names)]
        )
        return {contract.name: contract for contract in contracts}

    def _line_key(self, row):
        return row["serial_number"] or (
            row["contract_number"],
            row["product_id"],
            _as_date(row["date_start"]),
            _as_date(row["date_end"]),
        )

    def _decide(self, source, row, contract_id, existing):
        """What ``row`` from ``source`` does to its line: ``(action,
        incoming, found, conflict)`` with action ``create``, ``update`` or
        ``unchanged``.

        A line owned by another source changes only when ``source`` has a
        strictly higher priority; either way the disagreement is a conflict.
        """
        incoming = self._line_values(row, contract_id)
        found = existing.get(self._line_key(row))
        if not found:
            return "create", incoming, None, None
        _line_id, current, owner, owner_priority = found
        if incoming == current:
            return "unchanged", incoming, found, None
        if owner and owner != source.id:
            kept = owner_priority >= source.priority
            conflict = self._conflict(source, row, owner, kept=kept)
            return ("unchanged" if kept else "update"), incoming, found, conflict
        return "update", incoming, found, None

    def _classify(self, source, rows):
        """Counts of what ``rows`` from ``source`` would create, update or
        leave unchanged, and the conflicts they would raise (the dry run:
        writes nothing)."""
        existing = self._existing_lines(source, rows)
        contracts = self._existing_contracts(source, rows)
        counts = {"create": 0, "update": 0, "unchanged": 0}
        conflicts = []
        for row in rows:
            contract = contracts.get(row["contract_number"])
            action, _incoming, _found, conflict = self._decide(
                source, row, contract.id if contract else None, existing
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

    def _conflict(self, source, row, owner, kept):
        owner_source = self.env["renewal.feed.source"].browse(owner)
        params = {
            "serial": row["serial_number"] or row["contract_number"],
            "owner": owner_source.name,
            "op": owner_source.priority,
            "mine": source.priority,
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

    def _write_rows(self, source, rows):
        """Upsert the contracts and covered lines of ``rows`` (one chunk,
        matched by ``renewal.feed.matcher``) from ``source``.

        Contracts go through the ORM (a few thousand per chunk); lines, the
        bulk, are inserted and updated in one SQL statement each, with their
        stored fields computed by the same rules as the ORM's. Returns
        ``(counts, conflicts)``.
        """
        company = source.company_id
        env = self.env
        Contract = env["renewal.contract"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
        contracts = self._existing_contracts(source, rows)
        groups = defaultdict(list)
        for row in rows:
            groups[row["contract_number"]].append(row)
        salespeople = SalespersonFinder(env)
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
                vals = dict(
                    header,
                    name=number,
                    company_id=company.id,
                    feed_source_id=source.id,
                    user_id=source.user_id.id,
                )
                create_vals.append(dict(vals, **Contract._bulk_create_values(vals)))
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
        created = Contract.create(create_vals)
        # Their fields that follow the lines are written from the lines once
        # these are in (``_recompute_from_lines``, below), not computed now
        # from none and written twice.
        for name in Contract.LINE_TOTAL_FIELDS:
            env.remove_to_compute(Contract._fields[name], created)
        for contract in created:
            contracts[contract.name] = contract

        existing = self._existing_lines(source, rows)
        today = fields.Date.context_today(self)
        due_days = company.renewal_due_days
        products = env["product.product"].browse({row["product_id"] for row in rows})
        categories = {product.id: product.categ_id.id for product in products}
        counts = {"created_count": 0, "updated_count": 0, "unchanged_count": 0}
        conflicts, inserts, updates, written = [], [], [], []
        for row in rows:
            contract = contracts[row["contract_number"]]
            action, incoming, found, conflict = self._decide(
                source, row, contract.id, existing
            )
            if conflict:
                conflicts.append(conflict)
            if action == "unchanged":
                counts["unchanged_count"] += 1
                continue
            written.append((row, contract, found and found[0]))
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
                updates.append((row, (found[0], *incoming, *stored)))
            else:
                counts["created_count"] += 1
                inserts.append((row, (*incoming, *stored)))
        # Installed products first, so that each line is written linked.
        installed, refresh = self._installed_products(source, written)
        key = self._installed_key
        inserts = [(*values, installed.get(key(row))) for row, values in inserts]
        updates = [(*values, installed.get(key(row))) for row, values in updates]
        self._sql_insert_lines(inserts)
        touched = {row[0] for row in inserts}
        updated_contracts, linked_before = self._sql_update_lines(updates)
        touched |= updated_contracts
        if updates:
            # An updated line may be cancelled or renewed: its status goes
            # through the ORM's rules rather than the plain date rule above.
            lines = env["renewal.contract.line"].browse([row[0] for row in updates])
            env.add_to_compute(lines._fields["status"], lines)
            lines.flush_recordset()
        touched |= {contract.id for contract in contracts.values()}
        env["renewal.contract"].browse(touched)._recompute_from_lines(created=created)
        # The installed products whose lines were there before (their dates
        # may have moved) or left them: their coverage, from all their lines.
        refresh |= linked_before
        if refresh:
            env["renewal.installed.product"]._refresh_coverage(
                product_ids=sorted(refresh)
            )
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
        "installed_product_id",
    )
    _LINE_TYPES = (
        "int4", "int4", "float8", "int4", "date", "date", "numeric", "numeric",
        "int4", "int4", "int4", "int4", "varchar", "numeric", "bool", "varchar",
        "int4", "int4",
    )  # fmt: skip

    def _unnest_sql(self, rows, types):
        """``unnest(…)`` of ``rows`` sent as one array a column, each cast to
        its type (the types are the constants above, never data): quicker to
        send and to parse than a VALUES list."""
        return SQL(
            "unnest(%s)",
            SQL(", ").join(
                SQL(f"%s::{type_}[]", list(column))
                for type_, column in zip(types, zip(*rows, strict=True), strict=True)
            ),
        )

    def _sql_insert_lines(self, inserts):
        """Insert new lines, in one statement; return their ids."""
        if not inserts:
            return []
        cr = self.env.cr
        columns = SQL(", ").join(SQL.identifier(name) for name in self._LINE_COLUMNS)
        cr.execute(
            SQL(
                """
                INSERT INTO renewal_contract_line (%(columns)s, is_cancelled,
                    is_renewed, create_uid, write_uid, create_date, write_date)
                SELECT v.*, FALSE, FALSE, %(uid)s, %(uid)s,
                       NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
                  FROM %(values)s AS v(%(columns)s)
                RETURNING id
                """,
                columns=columns,
                values=self._unnest_sql(inserts, self._LINE_TYPES),
                uid=self.env.uid,
            )
        )
        line_ids = [row[0] for row in cr.fetchall()]
        self.env["renewal.contract.line"].invalidate_model()
        return line_ids

    def _sql_update_lines(self, updates):
        """Update changed lines. Returns the ids of their old and new
        contracts, and of the installed products they were linked to."""
        if not updates:
            return set(), set()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT contract_id, installed_product_id
                  FROM renewal_contract_line
                 WHERE id = ANY(%s)
                """,
                [row[0] for row in updates],
            )
        )
        before = cr.fetchall()
        touched = {row[0] for row in before}
        linked_before = {row[1] for row in before if row[1]}
        names = ("id", *self._LINE_COLUMNS)
        assignments = SQL(", ").join(
            SQL("%s = v.%s", SQL.identifier(name), SQL.identifier(name))
            for name in self._LINE_COLUMNS
            if name != "installed_product_id"
        )
        cr.execute(
            SQL(
                """
                UPDATE renewal_contract_line AS l
                   SET %(assignments)s, write_uid = %(uid)s,
                       write_date = NOW() AT TIME ZONE 'UTC',
                       -- a serial number's installed product; without one,
                       -- the line keeps its own unless its product changed
                       -- (another product is another one)
                       installed_product_id = COALESCE(
                           v.installed_product_id,
                           CASE WHEN l.product_id = v.product_id
                                THEN l.installed_product_id
                           END)
                  FROM %(values)s AS v(%(names)s)
                 WHERE l.id = v.id
                """,
                assignments=assignments,
                values=self._unnest_sql(updates, ("int4", *self._LINE_TYPES)),
                names=SQL(", ").join(SQL.identifier(name) for name in names),
                uid=self.env.uid,
            )
        )
        self.env["renewal.contract.line"].invalidate_model()
        return touched | {row[1] for row in updates}, linked_before

    @staticmethod
    def _installed_key(row):
        """The installed product a row's line covers: ``(product, serial)``
        in the source's company, or None without a serial number."""
        if not row["serial_number"]:
            return None
        return (row["product_id"], row["serial_number"])

    def _installed_products(self, source, written):
        """The installed products of the lines about to be written
        (``written``: ``(row, contract, line id or None)`` of each line
        inserted or updated), set-based, before the lines, so that each line
        is written linked: the installed product of each (product, serial
        number) in the source's company is found, or made, registered through
        the channel *Feed* by the importing user, with its coverage computed
        from its new lines (``tools.coverage``, the rules of the daily
        refresh). One found for the same end customer gets the contract's
        reseller, distributor, salesperson and order numbers where it has
        none (never another customer's data over its own).

        Returns ``({(product, serial): id}, ids)``: the installed product of
        each key, and those whose coverage must be refreshed from all their
        lines once the lines are written (found ones, and new ones that an
        updated line joins)."""
        company = source.company_id
        keyed = defaultdict(list)
        for entry in written:
            key = self._installed_key(entry[0])
            if key:
                keyed[key].append(entry)
        if not keyed:
            return {}, set()
        env = self.env
        Installed = env["renewal.installed.product"]
        # What the installed products take from their contracts: read once
        # a contract, not once a line.
        heads = {
            contract: {
                "partner_id": contract.partner_id.id,
                "reseller_id": contract.reseller_id.id,
                "distributor_id": contract.distributor_id.id,
                "user_id": contract.user_id.id,
                "customer_po_number": contract.customer_po_number,
                "vendor_order_number": contract.vendor_order_number,
                "is_cancelled": contract.is_cancelled,
            }
            for contract in {entry[1] for entry in written}
        }
        # The latest line of each gives the customer and the channel.
        latest = {
            key: max(entries, key=lambda entry: _as_date(entry[0]["date_end"]))[1]
            for key, entries in keyed.items()
        }
        found = self._find_installed(company, list(keyed))
        self._complete_installed(found, latest, heads)
        ids = {key: values[0] for key, values in found.items()}
        refresh = set(ids.values())
        today = fields.Date.context_today(self)
        new = []
        for key, entries in keyed.items():
            if key in found:
                continue
            head = heads[latest[key]]
            lines = [
                (
                    _as_date(entry[0]["date_start"]),
                    _as_date(entry[0]["date_end"]),
                    heads[entry[1]]["is_cancelled"],
                    entry[0]["warranty_only"],
                )
                for entry in entries
            ]
            new.append(
                {
                    "product_id": key[0],
                    "serial_number": key[1],
                    "partner_id": head["partner_id"],
                    "install_date": min(line[0] for line in lines),
                    "customer_po_number": head["customer_po_number"],
                    "vendor_order_number": head["vendor_order_number"],
                    "reseller_id": head["reseller_id"],
                    "distributor_id": head["distributor_id"],
                    "user_id": head["user_id"],
                    "registration_channel": "feed",
                    "coverage_state": coverage.coverage_state(lines, today),
                    "coverage_end": coverage.coverage_end(lines, today),
                }
            )
        inserted = Installed._sql_insert(company, new)
        ids.update(inserted)
        for key, entries in keyed.items():
            if key in inserted and any(entry[2] for entry in entries):
                # an existing line joins it: the line's own cancellation counts
                refresh.add(inserted[key])
        missing = [key for key in keyed if key not in ids]
        if missing:
            # made meanwhile by another transaction
            late = self._find_installed(company, missing)
            ids.update((key, values[0]) for key, values in late.items())
            refresh.update(values[0] for values in late.values())
        return ids, refresh

    def _find_installed(self, company, keys):
        """The installed products of ``keys`` (``(product, serial)``) in
        ``company``, archived ones included: ``{key: (id, partner,
        reseller, distributor, salesperson, customer PO, vendor order)}``."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT p.id, p.product_id, p.serial_number, p.partner_id,
                       p.reseller_id, p.distributor_id, p.user_id,
                       p.customer_po_number, p.vendor_order_number
                  FROM renewal_installed_product AS p
                  JOIN unnest(%(products)s::int4[], %(serials)s::varchar[])
                       AS k(product_id, serial_number)
                    ON k.product_id = p.product_id
                   AND k.serial_number = p.serial_number
                 WHERE p.company_id = %(company)s
                """,
                products=[key[0] for key in keys],
                serials=[key[1] for key in keys],
                company=company.id,
            )
        )
        return {
            (product, serial): (id_, *values)
            for id_, product, serial, *values in cr.fetchall()
        }

    def _complete_installed(self, found, latest, heads):
        """Complete the installed products ``found`` (see ``_find_installed``)
        of the same end customer as the contract of their latest line
        (``latest``, by key) with that contract's reseller, distributor,
        salesperson and order numbers (``heads``, by contract), where they
        have none: one write per set of values."""
        writes = defaultdict(list)
        for key, (id_, partner, *current) in found.items():
            head = heads[latest[key]]
            if head["partner_id"] != partner:
                continue
            values = {
                name: head[name]
                for name, mine in zip(self._COMPLETED_FIELDS, current, strict=True)
                if not mine and head[name]
            }
            if values:
                writes[tuple(sorted(values.items()))].append(id_)
        Installed = self.env["renewal.installed.product"].with_context(
            tracking_disable=True, mail_notrack=True
        )
        for values, ids in writes.items():
            Installed.browse(ids).write(dict(values))

    _COMPLETED_FIELDS = (
        "reseller_id",
        "distributor_id",
        "user_id",
        "customer_po_number",
        "vendor_order_number",
    )


def _differs(current, value):
    if isinstance(current, models.BaseModel):
        return current.id != (value or False)
    return (current or False) != (value or False)


def _as_date(value):
    if isinstance(value, str):
        return date.fromisoformat(value)
    return value
