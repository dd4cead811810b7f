"""Records as the partner API answers them (and as webhooks send them).

The records come from a search in the key user's environment: record rules
decide which. Their data is then read as superuser, and only the fields
below: a portal user's field restrictions are cut for the customer's renewal
pages, while a reseller reads the quantities, dates and customers it sends
in its own feeds, and the open quotation of a contract it sells. Nothing the
vendor keeps internal (notes, its salesperson, the distributor, its order
number) is answered.
"""

from datetime import date

from odoo.tools import SQL

from odoo.addons.renewal_contracts.tools import status as rules

COLOURS = {
    rules.OVERDUE: "red",
    rules.DUE: "amber",
    rules.LIVE: "green",
    rules.CANCELLED: "black",
}
OPEN_STATES = ("draft", "sent")


LINE_FIELDS = [
    "contract_id",
    "product_id",
    "serial_number",
    "quantity",
    "service_level_id",
    "date_start",
    "date_end",
    "list_price",
    "renewal_price",
    "status",
    "is_cancelled",
    "is_renewed",
    "warranty_only",
]


def prefetch_lines(lines):
    """Read what the answers below show of ``lines``, their products,
    contracts, customers and open quotations, in a few narrow queries: left
    to itself, the ORM reads every column of each record it meets (a product
    template has more than a hundred), one model after the other."""
    lines = lines.sudo()
    lines.fetch(LINE_FIELDS)
    lines.product_id.fetch(["default_code", "product_tmpl_id"])
    lines.product_id.product_tmpl_id.fetch(["name"])
    lines.service_level_id.fetch(["name"])
    lines.contract_id.fetch(["name", "partner_id", "currency_id"])
    lines.contract_id.partner_id.fetch(["complete_name"])
    open_lines = lines.env["sale.order.line"].search_fetch(
        [("renewal_line_id", "in", lines.ids), ("order_id.state", "in", OPEN_STATES)],
        ["renewal_line_id", "order_id"],
    )
    open_lines.order_id.fetch(QUOTATION_FIELDS)
    open_lines.order_id.currency_id.fetch(["name"])
    quotations = {line.id: line.env["sale.order"] for line in lines}
    for sol in open_lines:
        quotations[sol.renewal_line_id.id] |= sol.order_id
    return {line_id: orders.sorted("id")[-1:] for line_id, orders in quotations.items()}


def line_status_rows(lines):
    """What :func:`line_status_data` answers for each of ``lines``, read in
    one query: the answer of the status-by-serial lookup, which integrations
    call for every serial they hold. ``lines`` come from a search in the
    caller's environment (record rules decided which); the test suite checks
    that both ways answer the same."""
    if not lines:
        return []
    env = lines.env
    lang = env.lang or "en_US"

    def translated(column):
        return SQL("COALESCE(%s->>%s, %s->>'en_US')", column, lang, column)

    # One row per line; the one-to-one lookups are scalar subqueries rather
    # than joins, which spares PostgreSQL the search for a join order (the
    # planning cost more than the execution of this query).
    env.cr.execute(
        SQL(
            """
            SELECT l.id, l.serial_number, pp.default_code,
                   (SELECT %(product)s FROM product_template pt
                     WHERE pt.id = pp.product_tmpl_id),
                   l.quantity,
                   (SELECT %(level)s FROM renewal_service_level sl
                     WHERE sl.id = l.service_level_id),
                   l.date_start, l.date_end, l.list_price, l.renewal_price,
                   l.status, l.is_cancelled, l.is_renewed, l.warranty_only,
                   c.id, c.name, c.partner_id,
                   (SELECT cp.complete_name FROM res_partner cp
                     WHERE cp.id = c.partner_id),
                   q.id, q.name, q.state, q.amount_total,
                   (SELECT cur.name FROM res_currency cur
                     WHERE cur.id = q.currency_id),
                   q.validity_date
              FROM renewal_contract_line l
              JOIN renewal_contract c ON c.id = l.contract_id
              JOIN product_product pp ON pp.id = l.product_id
         LEFT JOIN LATERAL (
                   SELECT so.id, so.name, so.state, so.amount_total,
                          so.currency_id, so.validity_date
                     FROM sale_order_line sol
                     JOIN sale_order so ON so.id = sol.order_id
                    WHERE sol.renewal_line_id = l.id AND so.state IN %(open)s
                 ORDER BY so.id DESC
                    LIMIT 1
                   ) q ON TRUE
             WHERE l.id IN %(ids)s
            """,
            product=translated(SQL("pt.name")),
            level=translated(SQL("sl.name")),
            open=OPEN_STATES,
            ids=tuple(lines.ids),
        )
    )
    by_id = {}
    for row in env.cr.fetchall():
        (line_id, serial, code, product, quantity, level, start, end, price,
         renewal_price, status, cancelled, renewed, warranty, contract_id,
         contract_number, customer_id, customer, order_id, order_name,
         order_state, amount, currency, validity) = row  # fmt: skip
        by_id[line_id] = {
            "id": line_id,
            "serial_number": serial or None,
            "product_code": code or None,
            "product": product,
            "quantity": quantity,
            "service_level": level or None,
            "date_start": start,
            "date_end": end,
            "list_price": float(price or 0.0),
            "renewal_price": float(renewal_price or 0.0),
            "status": status,
            "colour": COLOURS.get(status, ""),
            "is_cancelled": bool(cancelled),
            "is_renewed": bool(renewed),
            "warranty_only": bool(warranty),
            "contract_id": contract_id,
            "contract_number": contract_number,
            "customer": {"id": customer_id, "name": customer},
            "open_quotation": order_id
            and {
                "id": order_id,
                "name": order_name,
                "state": order_state,
                "amount_total": float(amount or 0.0),
                "currency": currency,
                "validity_date": validity or None,
            }
            or None,
        }
    return [by_id[line_id] for line_id in lines.ids]


def party(partner):
    partner = partner.sudo()
    return {"id": partner.id, "name": partner.complete_name} if partner else None


QUOTATION_FIELDS = ["name", "state", "amount_total", "currency_id", "validity_date"]


def quotation_summary(order):
    if not order:
        return None
    order = order.sudo()
    return {
        "id": order.id,
        "name": order.name,
        "state": order.state,
        "amount_total": order.amount_total,
        "currency": order.currency_id.name,
        "validity_date": order.validity_date or None,
    }


def line_quotation(line, quotations=None):
    """The open renewal quotation quoting ``line``, if any (from
    ``quotations``, the answer of :func:`prefetch_lines`, when given)."""
    if quotations is not None:
        return quotation_summary(quotations[line.id])
    orders = line.sudo().sale_line_ids.order_id.filtered(
        lambda order: order.state in OPEN_STATES
    )
    return quotation_summary(orders.sorted("id")[-1:])


def line_data(line):
    line = line.sudo()
    product = line.product_id
    return {
        "id": line.id,
        "serial_number": line.serial_number or None,
        "product_code": product.default_code or None,
        "product": product.name,
        "quantity": line.quantity,
        "service_level": line.service_level_id.name or None,
        "date_start": line.date_start,
        "date_end": line.date_end,
        "list_price": line.list_price,
        "renewal_price": line.renewal_price,
        "status": line.status,
        "colour": COLOURS.get(line.status, ""),
        "is_cancelled": line.is_cancelled,
        "is_renewed": line.is_renewed,
        "warranty_only": line.warranty_only,
    }


def line_status_data(line, quotations=None):
    line = line.sudo()
    contract = line.contract_id
    return dict(
        line_data(line),
        contract_id=contract.id,
        contract_number=contract.name,
        customer=party(contract.partner_id),
        open_quotation=line_quotation(line, quotations),
    )


def contract_data(contract):
    contract = contract.sudo()
    return {
        "id": contract.id,
        "number": contract.name,
        "customer": party(contract.partner_id),
        "reseller": party(contract.reseller_id),
        "currency": contract.currency_id.name,
        "status": contract.status,
        "colour": COLOURS.get(contract.status, ""),
        "date_start": _iso(contract.date_start),
        "date_end": _iso(contract.date_end),
        "next_expiry_date": _iso(contract.next_expiry_date),
        "amount_renewal": contract.amount_renewal,
        "customer_po_number": contract.customer_po_number or None,
        "is_cancelled": contract.is_cancelled,
        "is_renewed": contract.is_renewed,
        "warranty_only": contract.warranty_only,
        "lines": [
            dict(
                line_data(line),
                date_start=_iso(line.date_start),
                date_end=_iso(line.date_end),
            )
            for line in contract.line_ids
        ],
        "open_quotation": _json_quotation(contract._renewal_open_quotation()),
    }


def due_data(line, today, quotations=None):
    line = line.sudo()
    contract = line.contract_id
    return {
        "contract_id": contract.id,
        "contract_number": contract.name,
        "customer": party(contract.partner_id),
        "line_id": line.id,
        "serial_number": line.serial_number or None,
        "product_code": line.product_id.default_code or None,
        "product": line.product_id.name,
        "quantity": line.quantity,
        "date_end": line.date_end,
        "days_left": (line.date_end - today).days,
        "status": line.status,
        "colour": COLOURS.get(line.status, ""),
        "renewal_price": line.renewal_price or line.list_price,
        "currency": contract.currency_id.name,
        "open_quotation": line_quotation(line, quotations),
    }


def quotation_data(order):
    order = order.sudo()
    lines = []
    for sol in order.order_line.filtered(lambda sol: not sol.display_type):
        covered = sol.renewal_line_id
        lines.append(
            {
                "description": sol.name,
                "product_code": sol.product_id.default_code or None,
                "serial_number": covered.serial_number or None,
                "contract_number": covered.contract_id.name or None,
                "quantity": sol.product_uom_qty,
                "price_unit": sol.price_unit,
                "discount": sol.discount,
                "subtotal": sol.price_subtotal,
                "renewal_date_start": sol.renewal_date_start or None,
                "renewal_date_end": sol.renewal_date_end or None,
            }
        )
    return dict(
        quotation_summary(order),
        customer=party(order.partner_id.commercial_partner_id),
        date_order=order.date_order,
        customer_po=order.client_order_ref or None,
        amount_untaxed=order.amount_untaxed,
        amount_tax=order.amount_tax,
        contracts=sorted(
            set(order.order_line.renewal_line_id.contract_id.mapped("name"))
        ),
        lines=lines,
    )


def _iso(value):
    return value.isoformat() if isinstance(value, date) else value


def _json_quotation(order):
    summary = quotation_summary(order)
    if summary and summary["validity_date"]:
        summary["validity_date"] = summary["validity_date"].isoformat()
    return summary


INSTALLED_PRODUCT_FIELDS = [
    "serial_number",
    "product_id",
    "partner_id",
    "purchase_date",
    "install_date",
    "customer_po_number",
    "coverage_state",
    "coverage_end",
    "end_of_support_date",
    "registration_channel",
    "registration_date",
]


def installed_product_rows(products):
    """``products`` (found in the caller's environment: record rules decided
    which) as the API answers them, read as superuser in a few queries. Who
    registered a product and the vendor's salesperson are not answered."""
    products = products.sudo()
    products.fetch(INSTALLED_PRODUCT_FIELDS)
    products.product_id.fetch(["default_code", "product_tmpl_id"])
    products.product_id.product_tmpl_id.fetch(["name"])
    products.partner_id.fetch(["complete_name"])
    return [
        {
            "id": product.id,
            "serial_number": product.serial_number,
            "product_code": product.product_id.default_code or None,
            "product": product.product_id.product_tmpl_id.name,
            "customer": {
                "id": product.partner_id.id,
                "name": product.partner_id.complete_name,
            },
            "purchase_date": product.purchase_date or None,
            "install_date": product.install_date or None,
            "customer_po_number": product.customer_po_number or None,
            "coverage_state": product.coverage_state,
            "coverage_end": product.coverage_end or None,
            "end_of_support_date": product.end_of_support_date or None,
            "registration_channel": product.registration_channel or None,
            "registration_date": product.registration_date or None,
        }
        for product in products
    ]
