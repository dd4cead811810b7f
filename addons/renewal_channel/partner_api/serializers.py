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

from odoo.addons.renewal_contracts.tools import status as rules

COLOURS = {
    rules.OVERDUE: "red",
    rules.DUE: "amber",
    rules.LIVE: "green",
    rules.CANCELLED: "black",
}
OPEN_STATES = ("draft", "sent")


def party(partner):
    partner = partner.sudo()
    return {"id": partner.id, "name": partner.display_name} if partner else None


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


def line_quotation(line):
    """The open renewal quotation quoting ``line``, if any."""
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


def line_status_data(line):
    line = line.sudo()
    contract = line.contract_id
    return dict(
        line_data(line),
        contract_id=contract.id,
        contract_number=contract.name,
        customer=party(contract.partner_id),
        open_quotation=line_quotation(line),
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


def due_data(line, today):
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
        "open_quotation": line_quotation(line),
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
