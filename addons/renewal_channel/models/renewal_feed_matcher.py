"""Matching a feed's rows to the database: products, service levels,
currencies, resellers and end customers, and whose contracts a channel
partner's feed may touch. Writes nothing but the customers
``CustomerMatcher.create_missing`` is asked to create."""

from collections import defaultdict

from odoo import models
from odoo.osv import expression
from odoo.tools import SQL

from ..tools import feed

# Roles of the sources that send their own contracts only.
CHANNEL_ROLES = ("reseller", "distributor")


class SalespersonFinder:
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


class CustomerMatcher:
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

    def forget_unused(self, rows):
        """Keep to create only the customers ``rows`` still name: a rejected
        row creates no one."""
        used = {row["customer"] for row in rows if isinstance(row["customer"], tuple)}
        self.pending = {key: self.pending[key] for key in self.pending if key in used}

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


def row_error(row, columns, target, reason):
    """A rejection of ``row`` for the column mapped to ``target``."""
    return feed.RowError(
        row.row, columns.get(target, ""), str(row.values.get(target) or ""), reason
    )


class RenewalFeedMatcher(models.AbstractModel):
    """Matches the checked rows of a feed to records (no table)."""

    _name = "renewal.feed.matcher"
    _description = "Contract Feed Matching"

    def _resolve(self, source, parsed):
        """Turn the parsed rows (``tools.feed.ParsedRow``) of a file from
        ``source`` into record ids: product, service level, currency,
        channel and end customer. Writes nothing: a customer that matches no
        one is a key the matcher creates later. Returns
        ``(rows, errors, matcher)``: rows as dicts, errors as
        ``tools.feed.RowError``, and the ``CustomerMatcher``.
        """
        company = source.company_id
        columns = source._profile().columns
        env = self.env
        products = self._product_lookup(
            source, {r.values["product_code"] for r in parsed}
        )
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
        resellers = self._partner_lookup(company, [("is_renewal_reseller", "=", True)])
        matcher = CustomerMatcher(env, company)
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
                    row_error(row, columns, target, reason)
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

    def _product_lookup(self, source, codes):
        """Product by the vendor's internal reference, or by ``source``'s
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
                company=source.company_id.id,
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
        companies = (False, source.company_id.id)
        for alias in source.product_alias_ids:
            if alias.product_id.sudo().company_id.id in companies:
                products[alias.code.lower()] = alias.product_id
        return products

    def _partner_lookup(self, company, domain):
        """Partners of ``domain`` in ``company`` (or shared), by normalised
        name."""
        partners = {}
        for partner in self.env["res.partner"].search(
            domain + [("company_id", "in", (False, company.id))]
        ):
            partners.setdefault(feed.normalize_name(partner.name), partner)
        return partners

    def _channel_check(self, source, rows, columns):
        """Split ``rows`` into those ``source`` may write and the
        rejections (``tools.feed.RowError``, in the file's ``columns``) of
        the others: see ``_channel_rejections``."""
        reasons = self._channel_rejections(source, rows)
        if not reasons:
            return rows, []
        errors = [
            feed.RowError(
                row["row"],
                columns.get(
                    "serial_number" if row["serial_number"] else "contract_number"
                )
                or "",
                row["serial_number"] or row["contract_number"],
                reasons[row["row"]],
            )
            for row in rows
            if row["row"] in reasons
        ]
        return [row for row in rows if row["row"] not in reasons], errors

    def _channel_rejections(self, source, rows):
        """The rows of ``rows`` (resolved, as ``_resolve`` returns them) that
        a channel partner's ``source`` may not write, as
        ``{row number: reason}``.

        A reseller's or a distributor's feed brings the contracts it sells:
        each row must name it as the contract's reseller or distributor, and
        may not touch a contract (by number) or a covered line (by serial
        number) that another party sells. The vendor's own feeds may touch
        any contract. The reason names the row's serial number, never the
        other party or its contract.
        """
        if source.role not in CHANNEL_ROLES or not rows:
            return {}
        partner = source.partner_id.commercial_partner_id
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT c.name, NULL
                  FROM renewal_contract c
                 WHERE c.company_id = %(company)s
                   AND c.name = ANY(%(numbers)s)
                   AND c.reseller_id IS DISTINCT FROM %(partner)s
                   AND c.distributor_id IS DISTINCT FROM %(partner)s
                 UNION ALL
                SELECT NULL, l.serial_number
                  FROM renewal_contract_line l
                  JOIN renewal_contract c ON c.id = l.contract_id
                 WHERE l.company_id = %(company)s
                   AND l.serial_number = ANY(%(serials)s)
                   AND c.reseller_id IS DISTINCT FROM %(partner)s
                   AND c.distributor_id IS DISTINCT FROM %(partner)s
                """,
                company=source.company_id.id,
                numbers=list({row["contract_number"] for row in rows}),
                serials=[row["serial_number"] for row in rows if row["serial_number"]],
                partner=partner.id,
            )
        )
        numbers, serials = set(), set()
        for number, serial in self.env.cr.fetchall():
            if number:
                numbers.add(number)
            else:
                serials.add(serial)
        rejections = {}
        for row in rows:
            what = row["serial_number"] or row["contract_number"]
            if row["contract_number"] in numbers or row["serial_number"] in serials:
                rejections[row["row"]] = self.env._(
                    "Serial %(serial)s belongs to a contract sold by another "
                    "channel partner: a feed of %(partner)s brings only the "
                    "contracts %(partner)s sells.",
                    serial=what,
                    partner=partner.name,
                )
            elif partner.id not in (row["reseller_id"], row["distributor_id"]):
                rejections[row["row"]] = self.env._(
                    "Serial %(serial)s would belong to a contract sold by another "
                    "channel partner: a feed of %(partner)s brings only the "
                    "contracts %(partner)s sells.",
                    serial=what,
                    partner=partner.name,
                )
        return rejections
