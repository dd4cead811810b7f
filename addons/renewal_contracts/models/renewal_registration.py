import re

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools import quoting
from ..tools.registration import (
    RowError,
    clean_serial,
    normalize_email,
    parse_date,
    serial_is_formula,
    serial_matches,
)
from ..tools.text import FORMULA_PREFIXES, neutralize_formula
from .renewal_installed_product import REGISTRATION_CHANNELS
from .sale_order import _Pricing

PHONE_RE = re.compile(r"[0-9+()./\- ]{3,40}")

# Free-text fields of a row: kept as text, never as a spreadsheet formula.
TEXT_FIELDS = ("customer_po_number", "vendor_order_number", "where_bought", "note")
CONTACT_TEXT_FIELDS = ("name", "company_name", "street", "zip", "city")


class RenewalRegistration(models.Model):
    """One registration of a product that passed the input checks: done,
    to review (the serial number belongs to another customer) or rejected."""

    _name = "renewal.registration"
    _description = "Product Registration"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company",
        string="Vendor Company",
        required=True,
        index=True,
        readonly=True,
        default=lambda self: self.env.company,
    )
    installed_product_id = fields.Many2one(
        "renewal.installed.product",
        index="btree_not_null",
        readonly=True,
        check_company=True,
        ondelete="set null",
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    serial_number = fields.Char(required=True, readonly=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="End Customer",
        required=True,
        readonly=True,
        index=True,
    )
    contact_name = fields.Char(readonly=True)
    contact_email = fields.Char(readonly=True)
    contact_phone = fields.Char(readonly=True)
    purchase_date = fields.Date(readonly=True)
    where_bought = fields.Char(readonly=True)
    reseller_id = fields.Many2one("res.partner", readonly=True, index=True)
    channel = fields.Selection(
        REGISTRATION_CHANNELS, required=True, readonly=True, index=True
    )
    state = fields.Selection(
        [("done", "Registered"), ("review", "To review"), ("rejected", "Rejected")],
        required=True,
        default="done",
        readonly=True,
        index=True,
        tracking=True,
    )
    conflict_product_id = fields.Many2one(
        "renewal.installed.product",
        string="Registered To Another Customer",
        readonly=True,
        check_company=True,
        ondelete="set null",
        help="The installed product with this serial number, registered to "
        "another customer: approving transfers it to this registration's "
        "customer.",
    )
    conflict_partner_id = fields.Many2one(
        related="conflict_product_id.partner_id", string="Registered Customer"
    )
    registered_by_id = fields.Many2one("res.users", readonly=True)
    note = fields.Text(readonly=True)
    warranty_line_id = fields.Many2one(
        "renewal.contract.line",
        readonly=True,
        ondelete="set null",
        help="The warranty-only covered line this registration created.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("renewal.registration") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Review queue
    # ------------------------------------------------------------------

    def _check_reviewer(self):
        if not self.env.user.has_group(
            "renewal_contracts.renewal_contracts_group_manager"
        ):
            raise AccessError(
                self.env._("Only a Renewals Manager reviews product registrations.")
            )
        not_review = self.filtered(lambda reg: reg.state != "review")
        if not_review:
            raise UserError(
                self.env._(
                    "Registration %(names)s is not to review.",
                    names=", ".join(not_review.mapped("name")),
                )
            )

    def action_approve(self):
        """Transfer the installed product of each registration to review to
        the customer who registered it; the chatter of both says so."""
        self._check_reviewer()
        for registration in self:
            installed = registration.conflict_product_id
            previous = installed.partner_id
            values = {
                "partner_id": registration.partner_id.id,
                "site_partner_id": registration.partner_id.id,
                "reseller_id": registration.reseller_id.id,
                "registration_channel": registration.channel,
                "registered_by_id": registration.registered_by_id.id,
                "registration_date": registration.create_date,
            }
            if registration.purchase_date:
                values["purchase_date"] = registration.purchase_date
            installed.write(values)
            body = self.env._(
                "Transferred from %(previous)s to %(customer)s: registration "
                "%(registration)s approved by %(user)s.",
                previous=previous.display_name,
                customer=registration.partner_id.display_name,
                registration=registration.name,
                user=self.env.user.name,
            )
            installed.message_post(body=body)
            registration.write({"state": "done", "installed_product_id": installed.id})
            registration.message_post(body=body)
            registration._send_confirmation()
        return True

    def action_reject(self):
        """Refuse each registration to review: the installed product stays
        with its customer."""
        self._check_reviewer()
        self.write({"state": "rejected"})
        for registration in self:
            body = self.env._(
                "Rejected by %(user)s: serial number %(serial)s stays registered "
                "to %(customer)s.",
                user=self.env.user.name,
                serial=registration.serial_number,
                customer=registration.conflict_partner_id.display_name,
            )
            registration.message_post(body=body)
        return True

    # ------------------------------------------------------------------
    # The business API: every channel registers through ``_register``
    # ------------------------------------------------------------------

    @api.model
    def _register_products(self, rows, channel):
        """Register the products of ``rows`` (dicts, see the README) through
        ``channel``. Every row is checked first; on any error a
        ``ValidationError`` names each bad row (1-based), field and reason,
        and nothing is written. Then the customers are found (by e-mail
        address, never changed) or created, the installed products created
        or completed (a serial number of another customer goes to review,
        untouched), the warranty lines created, the customers sent their
        confirmation. Writes as the superuser on behalf of the caller, who
        is recorded as ``registered_by_id``. Returns the registrations."""
        if channel not in dict(REGISTRATION_CHANNELS):
            raise ValidationError(
                self.env._("Unknown registration channel %(channel)s.", channel=channel)
            )
        company = self.env.company
        checked = self._register_check(rows, company)
        registrations = self.sudo()._register_write(checked, channel, company)
        return registrations.with_env(self.env)

    def _register_error(self, index, field, reason):
        return self.env._(
            "Row %(row)s, %(field)s: %(reason)s", row=index, field=field, reason=reason
        )

    @api.model
    def _register_check(self, rows, company):
        """The cleaned values of every row, or a ValidationError listing
        every row, field and reason that is wrong."""
        if not rows:
            raise ValidationError(self.env._("Nothing to register."))
        errors = []
        checked = []
        seen = {}
        env = self.sudo().env
        for index, row in enumerate(rows, start=1):
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
                    row_errors.append(
                        self._register_error(index, error.field, error.reason)
                    )
            if not row_errors:
                key = (values["product"].id, values["serial_number"])
                if key in seen:
                    row_errors.append(
                        self._register_error(
                            index,
                            "serial_number",
                            self.env._(
                                "%(serial)r of %(product)s is also on row %(other)s.",
                                serial=values["serial_number"],
                                product=values["product"].display_name,
                                other=seen[key],
                            ),
                        )
                    )
                seen.setdefault(key, index)
            for field in TEXT_FIELDS:
                values[field] = (
                    neutralize_formula(row[field]).strip() if row.get(field) else False
                )
            errors.extend(row_errors)
            checked.append(values)
        if errors:
            raise ValidationError("\n".join(errors))
        return checked

    def _register_check_product(self, env, row, values, company):
        Product = env["product.product"].with_context(active_test=False)
        products = Product.browse()
        if row.get("product_id"):
            field = "product_id"
            try:
                products = Product.browse(int(row["product_id"])).exists()
            except (TypeError, ValueError):
                products = Product.browse()
            shown = row["product_id"]
        elif row.get("product_code"):
            field = "product_code"
            shown = str(row["product_code"]).strip()
            products = Product.search(
                [("default_code", "=", shown), ("active", "=", True)]
            )
        else:
            raise RowError("product_id", self.env._("a product is required."))
        products = products.filtered(
            lambda product: (
                product.active
                and product.renewal_registrable
                and product.company_id in (company, company.browse())
            )
        )
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

    # -- writing -------------------------------------------------------

    @api.model
    def _register_customer(self, values, company, cache):
        """The end customer of a row given by its contact: the commercial
        entity of the partner with this e-mail address, else a new one (a
        company with the contact in it when a company name is given). An
        existing partner is never changed."""
        contact_values = values["contact_values"]
        email = contact_values["email"]
        if email in cache:
            return cache[email]
        Partner = self.env["res.partner"]
        existing = Partner.search(
            [
                ("email", "=ilike", email),
                ("company_id", "in", (False, company.id)),
            ],
            order="id",
            limit=1,
        )
        if existing:
            cache[email] = existing.commercial_partner_id, existing
            return cache[email]
        address = {
            key: contact_values[key]
            for key in ("street", "zip", "city", "country_id")
            if contact_values.get(key)
        }
        person = {
            "name": contact_values["name"],
            "email": email,
            "phone": contact_values.get("phone") or False,
            **address,
        }
        if contact_values.get("company_name"):
            customer = Partner.create(
                {"name": contact_values["company_name"], "is_company": True, **address}
            )
            contact = Partner.create(
                dict(person, parent_id=customer.id, type="contact")
            )
        else:
            customer = contact = Partner.create(person)
        cache[email] = customer, contact
        return cache[email]

    @api.model
    def _register_write(self, checked, channel, company):
        Installed = self.env["renewal.installed.product"].with_context(
            active_test=False
        )
        caller = self.env.user
        now = fields.Datetime.now()
        cache = {}
        for values in checked:
            if values["partner"] is None:
                values["partner"], values["contact"] = self._register_customer(
                    values, company, cache
                )
        existing = Installed.search(
            [
                ("company_id", "=", company.id),
                ("product_id", "in", [values["product"].id for values in checked]),
                (
                    "serial_number",
                    "in",
                    [values["serial_number"] for values in checked],
                ),
            ]
        )
        by_key = {(ip.product_id.id, ip.serial_number): ip for ip in existing}
        new_vals, updates = [], []
        for values in checked:
            found = by_key.get((values["product"].id, values["serial_number"]))
            values["conflict"] = (
                found if found and found.partner_id != values["partner"] else Installed
            )
            fresh = self._register_installed_values(
                values, caller, channel, now, company
            )
            if not found:
                new_vals.append(fresh)
                values["installed"] = None
            elif not values["conflict"]:
                # The same customer again: fill in what was missing only.
                updates.append(
                    (
                        found,
                        {
                            key: value
                            for key, value in fresh.items()
                            if value and not found[key]
                        },
                    )
                )
                values["installed"] = found
            else:
                # Another customer's: untouched, the registration is reviewed.
                values["installed"] = Installed
        created = Installed.create(new_vals)
        created_by_key = {(ip.product_id.id, ip.serial_number): ip for ip in created}
        for values in checked:
            if values["installed"] is None:
                values["installed"] = created_by_key[
                    (values["product"].id, values["serial_number"])
                ]
        for installed, update in updates:
            if update:
                installed.write(update)
        registrations = self.create(
            [
                self._register_values(values, caller, channel, company)
                for values in checked
            ]
        )
        done = registrations.filtered(lambda reg: reg.state == "done")
        self._register_warranty(done, checked, company)
        for registration, values in zip(registrations, checked, strict=True):
            registration._register_post(values, created)
        done._send_confirmation()
        return registrations

    @api.model
    def _register_installed_values(self, values, caller, channel, now, company):
        partner = values["partner"]
        salesperson = caller if not caller.share else partner.user_id
        if salesperson.share:
            salesperson = salesperson.browse()
        return {
            "company_id": company.id,
            "product_id": values["product"].id,
            "serial_number": values["serial_number"],
            "partner_id": partner.id,
            "site_partner_id": (values["site_partner"] or partner).id,
            "purchase_date": values["purchase_date"] or False,
            "install_date": values["install_date"] or False,
            "customer_po_number": values["customer_po_number"],
            "vendor_order_number": values["vendor_order_number"],
            "reseller_id": values["reseller"].id or False,
            "distributor_id": values["distributor"].id or False,
            "user_id": salesperson.id or False,
            "registered_by_id": caller.id,
            "registration_date": now,
            "registration_channel": channel,
        }

    @api.model
    def _register_values(self, values, caller, channel, company):
        contact = values["contact"] or values["partner"]
        conflict = values["conflict"]
        return {
            "company_id": company.id,
            "installed_product_id": values["installed"].id if not conflict else False,
            "conflict_product_id": conflict.id or False,
            "state": "review" if conflict else "done",
            "product_id": values["product"].id,
            "serial_number": values["serial_number"],
            "partner_id": values["partner"].id,
            "contact_name": contact.name,
            "contact_email": contact.email or False,
            "contact_phone": contact.phone or False,
            "purchase_date": values["purchase_date"] or False,
            "where_bought": values["where_bought"],
            "reseller_id": values["reseller"].id or False,
            "channel": channel,
            "registered_by_id": caller.id,
            "note": values["note"],
        }

    @api.model
    def _warranty_period(self, product, start):
        """``(start, end)`` of the warranty of ``product`` bought on
        ``start``; None when it has no warranty."""
        months = product.renewal_warranty_months
        if not months or not start:
            return None
        return start, start + relativedelta(months=months) - relativedelta(days=1)

    @api.model
    def _register_warranty(self, registrations, checked, company):
        """A warranty-only contract with one covered line for each of these
        registrations whose product's warranty still runs and whose installed
        product has no warranty line yet: the renewal quotation run then
        offers paid support before the warranty ends."""
        today = fields.Date.context_today(self)
        by_installed = {
            values["installed"]: values for values in checked if values["installed"]
        }
        default_level = self.env["renewal.service.level"].search(
            [("warranty_only", "=", True)], limit=1
        )
        pricing = _Pricing(self.env)
        contract_vals, targets = [], []
        for registration in registrations:
            installed = registration.installed_product_id
            values = by_installed[installed]
            product = installed.product_id
            period = self._warranty_period(
                product, installed.purchase_date or installed.install_date
            )
            if not period or period[1] < today:
                continue
            if installed.line_ids.filtered("warranty_only"):
                continue
            level = product.renewal_warranty_level_id or default_level
            contract_vals.append(
                self._warranty_contract_values(
                    installed, values, level, period, company, pricing
                )
            )
            targets.append(registration)
        if not contract_vals:
            return
        contracts = self.env["renewal.contract"].create(contract_vals)
        for registration, contract in zip(targets, contracts, strict=True):
            registration.warranty_line_id = contract.line_ids[:1]

    @api.model
    def _warranty_contract_values(
        self, installed, values, level, period, company, pricing
    ):
        start, end = period
        partner = installed.partner_id
        support = level.product_id
        price = 0.0
        if support:
            pricelist = pricing.pricelist(partner, company, company.currency_id)
            price = quoting.renewal_price(
                0.0,
                pricing.price(pricelist or False, support, company),
                company.renewal_uplift_percent,
            )
        return {
            "name": self.env["ir.sequence"].next_by_code("renewal.contract.warranty"),
            "company_id": company.id,
            "partner_id": partner.id,
            "reseller_id": installed.reseller_id.id or False,
            "distributor_id": installed.distributor_id.id or False,
            "user_id": installed.user_id.id or False,
            "currency_id": company.currency_id.id,
            "customer_po_number": installed.customer_po_number or False,
            "vendor_order_number": installed.vendor_order_number or False,
            "service_level_id": level.id,
            "date_start": start,
            "date_end": end,
            "line_ids": [
                Command.create(
                    {
                        "product_id": installed.product_id.id,
                        "serial_number": installed.serial_number,
                        "installed_product_id": installed.id,
                        "service_level_id": level.id,
                        "quantity": 1.0,
                        "date_start": start,
                        "date_end": end,
                        "list_price": 0.0,
                        "renewal_price": price,
                    }
                )
            ],
        }

    def _register_post(self, values, created):
        """The chatter of the registration and of its installed product."""
        self.ensure_one()
        channel = dict(self._fields["channel"]._description_selection(self.env))[
            self.channel
        ]
        if self.state == "review":
            body = self.env._(
                "Serial number %(serial)s of %(product)s is registered to "
                "%(customer)s already: this registration by %(user)s "
                "(%(channel)s) is to review.",
                serial=self.serial_number,
                product=self.product_id.display_name,
                customer=self.conflict_partner_id.display_name,
                user=self.registered_by_id.name,
                channel=channel,
            )
            self.message_post(body=body)
            self.conflict_product_id.message_post(body=body)
            return
        installed = self.installed_product_id
        body = self.env._(
            "%(how)s by %(user)s (%(channel)s) for %(customer)s: registration "
            "%(registration)s.",
            how=self.env._("Registered")
            if installed in created
            else self.env._("Registered again"),
            user=self.registered_by_id.name,
            channel=channel,
            customer=self.partner_id.display_name,
            registration=self.name,
        )
        if self.warranty_line_id:
            body = Markup("%s<br/>%s") % (
                body,
                self.env._(
                    "Warranty until %(end)s: contract %(contract)s.",
                    end=fields.Date.to_string(self.warranty_line_id.date_end),
                    contract=self.warranty_line_id.contract_id.name,
                ),
            )
        installed.message_post(body=body)
        self.message_post(body=body)

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------

    def _confirmation_link(self):
        """The customer's renewal page, shown in the confirmation e-mail:
        none here; renewal_portal returns the customer's renewal link."""
        self.ensure_one()
        return False

    def _send_confirmation(self):
        """E-mail each customer the confirmation of their registration."""
        return True
