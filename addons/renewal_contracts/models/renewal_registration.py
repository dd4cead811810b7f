from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .renewal_installed_product import REGISTRATION_CHANNELS


class RenewalRegistration(models.Model):
    """One registration of a product that passed the input checks: done,
    to review (the serial number belongs to another customer) or rejected."""

    _name = "renewal.registration"
    _description = "Product Registration"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "renewal.registration.checker",
        "renewal.registration.warranty",
        "renewal.registration.demo",
    ]
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
    contact_partner_id = fields.Many2one(
        "res.partner",
        string="Contact",
        readonly=True,
        help="The person who registered, who receives the confirmation.",
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
    # The business API: every channel registers through _register_products
    # ------------------------------------------------------------------

    @api.model
    def _register_products(self, rows, channel):
        """Register the products of ``rows`` (dicts, see the README) through
        ``channel``. Every row is checked first; on any error a
        ``RegistrationError`` (a ``ValidationError``) names each bad row, field
        and reason, and nothing is written. Then the customers are found (by e-mail
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
        registrations = (
            self.sudo()
            .with_context(mail_create_nosubscribe=True)
            ._register_write(checked, channel, company)
        )
        return registrations.with_env(self.env)

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
                ("email_normalized", "=", email),
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
            "contact_partner_id": contact.id,
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
        """E-mail each contact the confirmation of their registration (in
        their language, from the vendor company), posted in the chatter of
        the registration, with the customer's renewal page when
        ``_confirmation_link`` gives one (asked once per registration).
        Contacts without an e-mail address get none."""
        template = self.env.ref(
            "renewal_contracts.renewal_registration_mail_template_confirmation",
            raise_if_not_found=False,
        )
        if not template:
            return
        for registration in self.filtered(
            lambda reg: reg.state == "done" and reg.contact_partner_id.email
        ):
            sender = registration.company_id.partner_id
            values = {"author_id": sender.id}
            if sender.email:
                # Else Odoo's default sender (the catchall address).
                values["email_from"] = sender.email_formatted
            registration.sudo().with_context(
                renewal_confirmation_url=registration._confirmation_link() or False
            ).message_post_with_source(
                template.sudo(),
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
                **values,
            )
