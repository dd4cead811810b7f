import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.registration import (
    RegistrationError,
    RowError,
    clean_serial,
    normalize_email,
    parse_date,
    serial_is_formula,
    serial_matches,
)
from ..tools.text import FORMULA_PREFIXES, neutralize_formula

PHONE_RE = re.compile(r"[0-9+()./\- ]{3,40}")

# Free-text fields of a row: kept as text, never as a spreadsheet formula.
TEXT_FIELDS = ("customer_po_number", "vendor_order_number", "where_bought", "note")
CONTACT_TEXT_FIELDS = ("name", "company_name", "street", "zip", "city")


class RenewalRegistrationChecker(models.AbstractModel):
    """The input checks of a product registration, mixed into
    ``renewal.registration``: every row is checked, and every error named,
    before anything is written. Each check returns the cleaned values of its
    fields or raises ``RowError``; ``_register_error`` words one error (a
    hook: renewal_channel collects them)."""

    _name = "renewal.registration.checker"
    _description = "Product Registration Checks"

    def _register_error(self, index, field, reason):
        return self.env._(
            "Row %(row)s, %(field)s: %(reason)s", row=index, field=field, reason=reason
        )

    @api.model
    def _registrable_product_domain(self, company):
        """The products that can be registered in ``company``: active,
        registrable, of this company or shared."""
        return [
            ("active", "=", True),
            ("renewal_registrable", "=", True),
            ("company_id", "in", [False, company.id]),
        ]

    @api.model
    def _register_check(self, rows, company):
        """The cleaned values of every row, or a ``RegistrationError`` (a
        ``ValidationError``) naming every row, field and reason that is wrong,
        one per line, with the same as ``(row, field, reason)`` tuples in its
        ``errors``. A row is numbered by its ``row`` key when it has one (a
        file's own line number), else by its position from 1."""
        if not rows:
            raise ValidationError(self.env._("Nothing to register."))
        errors = []
        checked = []
        seen = {}
        env = self.sudo().env
        for index, row in enumerate(rows, start=1):
            number = row.get("row") or index
            values = {}
            row_errors = []
            for check in (
                self._register_check_product,
                self._register_check_serial,
                self._register_check_dates,
                self._register_check_customer,
                self._register_check_channel_partners,
            ):
                try:
                    values.update(check(env, row, values, company))
                except RowError as error:
                    row_errors.append((number, error.field, error.reason))
            if not row_errors:
                key = (values["product"].id, values["serial_number"])
                if key in seen:
                    row_errors.append(
                        (
                            number,
                            "serial_number",
                            self.env._(
                                "%(serial)r of %(product)s is also on row %(other)s.",
                                serial=values["serial_number"],
                                product=values["product"].display_name,
                                other=seen[key],
                            ),
                        )
                    )
                seen.setdefault(key, number)
            for field in TEXT_FIELDS:
                values[field] = (
                    neutralize_formula(row[field]).strip() if row.get(field) else False
                )
            errors.extend(row_errors)
            checked.append(values)
        if errors:
            raise RegistrationError(
                "\n".join(self._register_error(*error) for error in errors), errors
            )
        return checked

    def _register_check_product(self, env, row, values, company):
        Product = env["product.product"].with_context(active_test=False)
        registrable = self._registrable_product_domain(company)
        if row.get("product_id"):
            field = "product_id"
            shown = row["product_id"]
            try:
                products = Product.browse(int(shown)).exists()
            except (TypeError, ValueError):
                products = Product.browse()
            products = products.filtered_domain(registrable)
        elif row.get("product_code"):
            field = "product_code"
            shown = str(row["product_code"]).strip()
            products = Product.search([("default_code", "=", shown), *registrable])
        else:
            raise RowError("product_id", self.env._("a product is required."))
        if not products:
            raise RowError(
                field,
                self.env._(
                    "%(product)r is not a product that can be registered.",
                    product=shown,
                ),
            )
        if len(products) > 1:
            raise RowError(
                field,
                self.env._(
                    "%(product)r names %(count)s products: give the product id.",
                    product=shown,
                    count=len(products),
                ),
            )
        if products.renewal_warranty_months and not (
            products.renewal_warranty_level_id
            or env["renewal.service.level"].search_count(
                [("warranty_only", "=", True)], limit=1
            )
        ):
            raise RowError(
                field,
                self.env._(
                    "%(product)s has a warranty but no warranty service level "
                    "is configured.",
                    product=products.display_name,
                ),
            )
        return {"product": products}

    def _register_check_serial(self, env, row, values, company):
        serial = clean_serial(row.get("serial_number"))
        if not serial:
            raise RowError("serial_number", self.env._("a serial number is required."))
        if serial_is_formula(serial):
            raise RowError(
                "serial_number",
                self.env._(
                    "%(serial)r cannot start with %(prefixes)s.",
                    serial=serial,
                    prefixes=" ".join(p for p in FORMULA_PREFIXES if p.strip()),
                ),
            )
        product = values.get("product")
        pattern = product.renewal_serial_pattern if product else False
        if pattern and not serial_matches(serial, pattern):
            raise RowError(
                "serial_number",
                self.env._(
                    "%(serial)r does not match the pattern %(pattern)s for "
                    "product %(product)s.",
                    serial=serial,
                    pattern=pattern,
                    product=product.display_name,
                ),
            )
        return {"serial_number": serial}

    def _register_check_dates(self, env, row, values, company):
        today = fields.Date.context_today(self)
        dates = {}
        for field in ("purchase_date", "install_date"):
            try:
                day = parse_date(row.get(field))
            except (TypeError, ValueError) as error:
                raise RowError(
                    field,
                    self.env._(
                        "%(value)r is not a date (YYYY-MM-DD).", value=row.get(field)
                    ),
                ) from error
            if day and day > today:
                raise RowError(
                    field,
                    self.env._(
                        "%(date)s is in the future.", date=fields.Date.to_string(day)
                    ),
                )
            dates[field] = day
        product = values.get("product")
        if (
            product
            and product.renewal_warranty_months
            and not (dates["purchase_date"] or dates["install_date"])
        ):
            raise RowError(
                "purchase_date",
                self.env._(
                    "%(product)s has a %(months)s-month warranty: the purchase "
                    "date is required.",
                    product=product.display_name,
                    months=product.renewal_warranty_months,
                ),
            )
        return dates

    def _register_check_customer(self, env, row, values, company):
        if row.get("partner_id"):
            try:
                partner = env["res.partner"].browse(int(row["partner_id"])).exists()
            except (TypeError, ValueError):
                partner = env["res.partner"]
            if not partner or partner.company_id not in (company, company.browse()):
                raise RowError(
                    "partner_id",
                    self.env._(
                        "%(partner)r is not a customer.", partner=row["partner_id"]
                    ),
                )
            return {
                "partner": partner.commercial_partner_id,
                "contact": partner,
                "contact_values": {},
            }
        contact = row.get("contact") or {}
        name = (contact.get("name") or "").strip()
        email_text = (contact.get("email") or "").strip()
        if not name and not email_text:
            raise RowError(
                "contact",
                self.env._(
                    "a customer is required: a partner, or a contact with a "
                    "name and an e-mail address."
                ),
            )
        if not name:
            raise RowError(
                "contact.name", self.env._("the contact's name is required.")
            )
        if not email_text:
            raise RowError(
                "contact.email", self.env._("the contact's e-mail address is required.")
            )
        email = normalize_email(email_text)
        if not email:
            raise RowError(
                "contact.email",
                self.env._(
                    "%(email)r is not a valid e-mail address.", email=email_text
                ),
            )
        phone = (contact.get("phone") or "").strip()
        if phone and not PHONE_RE.fullmatch(phone):
            raise RowError(
                "contact.phone",
                self.env._("%(phone)r is not a phone number.", phone=phone),
            )
        country = env["res.country"]
        if contact.get("country_code"):
            code = str(contact["country_code"]).strip().upper()
            country = country.search([("code", "=", code)], limit=1)
            if not country:
                raise RowError(
                    "contact.country_code",
                    self.env._("%(code)r is not a country code.", code=code),
                )
        contact_values = {
            field: neutralize_formula(contact[field]).strip()
            for field in CONTACT_TEXT_FIELDS
            if contact.get(field)
        }
        contact_values.update(email=email, phone=phone, country_id=country.id)
        return {"partner": None, "contact": None, "contact_values": contact_values}

    def _register_check_channel_partners(self, env, row, values, company):
        found = {}
        for field, flag, what in (
            ("reseller_id", "is_renewal_reseller", self.env._("a reseller")),
            ("distributor_id", "is_renewal_distributor", self.env._("a distributor")),
            ("site_partner_id", None, self.env._("an address")),
        ):
            partner = env["res.partner"]
            if row.get(field):
                try:
                    partner = partner.browse(int(row[field])).exists()
                except (TypeError, ValueError):
                    partner = env["res.partner"]
                if not partner or (flag and not partner[flag]):
                    raise RowError(
                        field,
                        self.env._(
                            "%(partner)r is not %(what)s.",
                            partner=row[field],
                            what=what,
                        ),
                    )
            found[field.removesuffix("_id")] = partner
        if found["reseller"] and not found["distributor"]:
            found["distributor"] = found["reseller"].renewal_distributor_id
        return found
