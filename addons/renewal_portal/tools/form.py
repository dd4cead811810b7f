"""What a renewal page's forms send, made safe to store: no ORM here."""

import math
import re

from markupsafe import Markup

from odoo.addons.renewal_contracts.tools.text import neutralize_formula


def public_text(value, size=None):
    """Text typed on a renewal page, as stored: trimmed, cut to ``size``,
    never a spreadsheet formula."""
    text = (value or "").strip()
    if size:
        text = text[:size].strip()
    return neutralize_formula(text) if text else ""


def text_to_html(text):
    """``text`` as HTML that shows it as typed: escaped, its line breaks
    kept, and no link made of it (unlike ``plaintext2html``)."""
    return Markup("<p>%s</p>") % Markup("<br/>").join(text.splitlines())


def parse_number(value):
    """The number typed in a form field (empty is zero), or ``None`` when it
    is not a finite number ("abc", "nan", "inf", "1e999")."""
    try:
        number = float(value or 0)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def in_range(value, maximum):
    """Whether ``value`` is a finite number from 0 to ``maximum``."""
    return isinstance(value, float) and math.isfinite(value) and 0 <= value <= maximum


# The registration form: its fields, the size each keeps, and which form
# field shows an error ``_register_products`` reports on a row key.
REGISTER_TEXT_FIELDS = {
    "serial_number": 64,
    "purchase_date": 10,
    "where_bought": 128,
    "name": 128,
    "email": 128,
    "phone": 32,
    "company_name": 128,
    "street": 128,
    "zip": 16,
    "city": 64,
    "country_code": 2,
}
CONTACT_FIELDS = ("name", "email", "phone", "company_name", "street", "zip", "city")
ERROR_FIELDS = {
    "product_id": "product_id",
    "product_code": "product_id",
    "product": "product_id",
    "serial_number": "serial_number",
    "purchase_date": "purchase_date",
    "where_bought": "where_bought",
    "partner_id": "name",
    "contact": "name",
    "name": "name",
    "email": "email",
    "phone": "phone",
    "company_name": "company_name",
    "country_code": "country_code",
}


def form_value(post, name, size):
    """Field ``name`` of a public form, as text: no NUL character (which
    PostgreSQL refuses), trimmed, cut to ``size``."""
    value = post.get(name)
    text = value if isinstance(value, str) else ""
    return text.replace("\x00", "").strip()[:size].strip()


def register_values(post):
    """The registration form's fields as typed (trimmed, cut to size), to
    fill the form again when it is shown with errors."""
    values = {
        name: form_value(post, name, size)
        for name, size in REGISTER_TEXT_FIELDS.items()
    }
    values["product_id"] = form_value(post, "product_id", 12)
    return values


def register_row(values, partner_id=None):
    """The row ``renewal.registration._register_products`` takes, from the form's
    ``values`` (see :func:`register_values`): the product as an id (0 when
    none or not a number, which ``_register_products`` reports), and the customer:
    ``partner_id`` when the page knows them (a customer's link), else the
    contact typed in. Checking the row, and making its text safe to store,
    is ``_register_products``'s business."""
    product = values.get("product_id") or ""
    row = {
        "product_id": int(product) if product.isdigit() else 0,
        "serial_number": values.get("serial_number") or "",
        "purchase_date": values.get("purchase_date") or False,
        "where_bought": values.get("where_bought") or False,
    }
    if partner_id:
        row["partner_id"] = partner_id
        return row
    contact = {name: values.get(name) or "" for name in CONTACT_FIELDS}
    contact["country_code"] = values.get("country_code") or ""
    row["contact"] = contact
    return row


# A line of the message of ``_register_products``' ValidationError:
# "Row 3, serial_number: 'AB-1' does not match ..." (the word "Row" may be
# translated; the row number and the field name are not).
ERROR_LINE = re.compile(r"^\D*?(\d+)\s*,\s*([a-z_]+(?:\.[a-z_]+)?)\s*:\s*(.+)$")


def error_items(error):
    """The ``(row, field, reason)`` of each error a registration reports:
    the exception's ``errors`` when it carries them, else read from its
    message, one error a line; a line of another shape is ``(None, "",
    line)``."""
    errors = getattr(error, "errors", None)
    if errors:
        return list(errors)
    message = error.args[0] if error.args else ""
    items = []
    for line in str(message).splitlines():
        line = line.strip()
        if not line:
            continue
        match = ERROR_LINE.match(line)
        if match:
            items.append((int(match[1]), match[2], match[3]))
        else:
            items.append((None, "", line))
    return items


def register_errors(errors):
    """``{form field: message}`` from the ``(row, field, message)`` errors
    ``_register_products`` reports for the form's single row; errors on a key the
    form has no field for are under ``""`` (shown above the form)."""
    shown = {}
    for _row, field, message in errors:
        name = ERROR_FIELDS.get((field or "").split(".")[-1], "")
        shown[name] = f"{shown[name]} {message}" if name in shown else message
    return shown
