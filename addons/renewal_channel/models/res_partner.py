from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.brand import normalize_color

# When neither the reseller nor the company has a colour.
DEFAULT_PRIMARY = "#714b67"
DEFAULT_SECONDARY = "#017e84"


class ResPartner(models.Model):
    """A reseller's profile: its terms, brand (with its colours) and
    cadence; on a channel partner's contact, the renewals manager's portal
    rights; and what that manager does for an end customer: send its link."""

    _inherit = "res.partner"

    renewal_quote_lead_days = fields.Integer(
        string="Quote Lead Time (days)",
        help="For contracts this reseller sells: quote this many days before "
        "the end. Zero: the company's lead time.",
    )
    renewal_own_uplift = fields.Boolean(
        string="Own Uplift", help="Use this reseller's uplift, not the company's."
    )
    renewal_uplift_percent = fields.Float(string="Renewal Uplift (%)")
    renewal_discount_percent = fields.Float(
        string="Reseller Discount (%)",
        help="Discount on renewal quotation lines sold through this reseller.",
    )
    renewal_own_brand = fields.Boolean(
        string="Publish in Own Name",
        help="Contracts sold by this reseller are published in its name: "
        "quotations and certificates carry its brand.",
    )
    renewal_brand_primary_color = fields.Char(
        string="Brand Primary Colour",
        help="The main colour of the renewal pages of this reseller's "
        "customers, when it publishes in its own name (#rrggbb). Empty: the "
        "company's primary colour.",
    )
    renewal_brand_secondary_color = fields.Char(
        string="Brand Secondary Colour",
        help="The accent colour of those pages (#rrggbb). Empty: the "
        "company's secondary colour.",
    )
    renewal_own_cadence = fields.Boolean(
        string="Own Notification Cadence",
        help="Notify the customers of this reseller's contracts on its own "
        "cadence rather than the company's (in each company where it has "
        "one: until its steps are added, the company's applies).",
    )
    renewal_notice_step_ids = fields.One2many(
        "renewal.notice.step",
        "reseller_id",
        string="Notification Cadence",
        context={"active_test": False},
    )
    renewal_reseller_manager = fields.Boolean(
        string="Reseller Renewals Manager",
        help="On a reseller's or distributor's contact with a portal account: "
        "sees every contract the partner sells, not only the ones in their "
        "name, and uploads the partner's feeds.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "renewal_reseller_manager" in vals:
            # The portal rules read the flag; Odoo caches their domains.
            self.env.registry.clear_cache()
        return res

    def action_renewal_copy_cadence(self):
        """Start this reseller's own cadence from a copy of the company's, in
        the current company and in every company it sells contracts in."""
        Step = self.env["renewal.notice.step"].with_context(active_test=False)
        for reseller in self:
            companies = self.env.company | (
                self.env["renewal.contract"]
                .search([("reseller_id", "=", reseller.id)])
                .company_id
            )
            existing = {
                (step.company_id, step.offset_days)
                for step in reseller.renewal_notice_step_ids
            }
            steps = Step.search(
                [("company_id", "in", companies.ids), ("reseller_id", "=", False)]
            )
            Step.create(
                [
                    {
                        "offset_days": step.offset_days,
                        "active": step.active,
                        "company_id": step.company_id.id,
                        "reseller_id": reseller.id,
                    }
                    for step in steps
                    if (step.company_id, step.offset_days) not in existing
                ]
            )
            reseller.renewal_own_cadence = True

    @api.constrains("renewal_brand_primary_color", "renewal_brand_secondary_color")
    def _check_renewal_brand_colors(self):
        for partner in self:
            for name in (
                "renewal_brand_primary_color",
                "renewal_brand_secondary_color",
            ):
                value = partner[name]
                if value and not normalize_color(value):
                    raise ValidationError(
                        self.env._(
                            "Partner %(partner)s, %(field)s: %(value)s is not a "
                            "colour; write it as #rrggbb, e.g. #2e8b57.",
                            partner=partner.display_name,
                            field=self._fields[name].get_description(self.env)[
                                "string"
                            ],
                            value=value,
                        )
                    )

    def _renewal_brand_colors(self, company):
        """``(primary, secondary)`` of this brand as ``#rrggbb``: its own,
        else ``company``'s, else Odoo's."""
        self.ensure_one()
        primary = (
            normalize_color(self.renewal_brand_primary_color)
            or normalize_color(company.primary_color)
            or DEFAULT_PRIMARY
        )
        secondary = (
            normalize_color(self.renewal_brand_secondary_color)
            or normalize_color(company.secondary_color)
            or DEFAULT_SECONDARY
        )
        return primary, secondary

    # ------------------------------------------------------------------
    # Reseller self-service: customer links
    # ------------------------------------------------------------------

    def _renewal_reseller_contacts(self):
        """Whom a reseller may send this end customer's link to: the
        customer and its contacts that have an e-mail address (as
        superuser: the caller's right to them is checked by
        :meth:`_renewal_reseller_send_link`)."""
        customer = self.sudo().commercial_partner_id
        return (customer | customer.child_ids).filtered("email")

    def _renewal_reseller_send_link(self, recipient=None):
        """E-mail a new link to this end customer's renewal page, on behalf
        of the calling portal user, the renewals manager of a reseller or
        distributor that sells the customer a contract the user may read.
        Return the link (readable by the caller).

        ``recipient`` is the customer or one of its contacts (default: the
        customer). The link highlights the customer's next contract to
        renew with this reseller and, when the reseller publishes in its
        own name, shows its brand."""
        self.ensure_one()
        channel = self.env.user._renewal_check_channel_manager()
        customer = self.sudo().commercial_partner_id
        Contract = self.env["renewal.contract"]
        contracts = Contract.sudo().search(
            Contract._reseller_domain(channel) + [("partner_id", "=", customer.id)],
            order="next_expiry_date, id",
        )
        if not contracts:
            raise AccessError(
                self.env._(
                    "%(channel)s sells this customer no contract you may see.",
                    channel=channel.sudo().name,
                )
            )
        recipient = (recipient or customer).sudo()
        if recipient.commercial_partner_id != customer:
            raise UserError(
                self.env._(
                    "%(contact)s is not a contact of %(customer)s.",
                    contact=recipient.name,
                    customer=customer.name,
                )
            )
        if not recipient.email:
            raise UserError(
                self.env._(
                    "%(contact)s has no e-mail address: choose another contact "
                    "of %(customer)s, or ask us to add one.",
                    contact=recipient.name,
                    customer=customer.name,
                )
            )
        lead = (
            contracts.filtered(lambda c: not c.is_cancelled and not c.is_renewed)[:1]
            or contracts[:1]
        )
        company = lead.company_id
        brand = (
            channel.sudo()
            if channel.sudo().renewal_own_brand and channel.sudo().is_renewal_reseller
            else company.partner_id
        )
        Link = self.env["renewal.portal.link"].sudo().with_company(company)
        caller = self.env.user.sudo().partner_id
        # The customer's contact under the reseller's brand: the reseller's
        # salesperson on the contract, else the manager sending the link.
        contact = caller
        if brand == channel and lead.reseller_id == channel:
            contact = lead.reseller_salesperson_id or caller
        values = {
            "brand_partner_id": brand.id,
            "brand_contact_id": contact.id,
            "channel_partner_id": channel.id,
            "issued_by_id": self.env.uid,
        }
        key = Link._brand_key(customer, "customer", recipient, lead)
        link, url = Link.with_context(renewal_link_brands={key: values})._issue(
            customer, "customer", holder=recipient, contract=lead
        )
        link._renewal_send_link_mail(url, sender=caller)
        lead.with_context(mail_create_nosubscribe=True).message_post(
            body=self.env._(
                "%(person)s (%(channel)s) e-mailed %(contact)s a link to the "
                "renewal page of %(customer)s.",
                person=caller.name,
                channel=channel.sudo().name,
                contact=recipient.email_formatted,
                customer=customer.name,
            ),
            author_id=caller.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return link.with_env(self.env)
