from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools.image import image_data_uri

from ..tools.brand import style_variables

BRAND_FIELDS = ("brand_partner_id", "brand_contact_id", "channel_partner_id")


class RenewalPortalLink(models.Model):
    """A customer's link as the channel sees it: the brand its pages show,
    the channel partner whose renewals manager sees, re-sends and revokes
    it, and the contracts a manager's link reaches."""

    _name = "renewal.portal.link"
    _inherit = ["renewal.portal.link", "renewal.channel.staff.audit"]

    # A reseller's renewals manager reads the links of their customers
    # (security/); the token's digest, and who of the vendor's staff made or
    # changed a link, stay with the vendor's staff.
    token_hash = fields.Char(groups="base.group_user")
    brand_partner_id = fields.Many2one(
        "res.partner",
        string="Brand",
        readonly=True,
        ondelete="set null",
        help="Whose brand the pages of this link show: the reseller the "
        "contracts are published by, or the vendor.",
    )
    brand_contact_id = fields.Many2one(
        "res.partner",
        readonly=True,
        ondelete="set null",
        help="The person the customer deals with under that brand, shown on the pages.",
    )
    channel_partner_id = fields.Many2one(
        "res.partner",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The reseller or distributor whose renewals manager sees this "
        "link in their portal, and may re-send or revoke it: the one who "
        "issued it there, or whose brand it carries.",
    )
    issued_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        ondelete="set null",
        help="The reseller's renewals manager who issued it from the portal.",
    )

    @api.depends("partner_id")
    def _compute_display_name(self):
        # Named after the customer, which the manager of the channel partner
        # whose link it is may not read as a contact.
        for link in self:
            link.display_name = link.sudo().partner_id.display_name

    @api.model
    def _holder_portal_domain(self, holder):
        """A channel partner's renewals manager also handles every contract
        the partner sells, as reseller or as distributor (the rule in
        security/renewal_channel_security.xml)."""
        domain = super()._holder_portal_domain(holder)
        if not holder.renewal_reseller_manager:
            return domain
        partner = holder.commercial_partner_id
        return expression.OR(
            [
                domain,
                [
                    "|",
                    ("reseller_id", "=", partner.id),
                    ("distributor_id", "=", partner.id),
                ],
            ]
        )

    @api.model
    def _brand_key(self, partner, scope, holder, contract):
        """What identifies a link to be issued, before it is: customer
        (commercial entity), scope, holder and highlighted contract ids."""
        partner = partner.commercial_partner_id
        return (partner.id, scope, (holder or partner).id, contract.id or False)

    @api.model
    def _brand_values(self, brand, contract):
        """The brand fields of a link showing ``brand``, whose highlighted
        contract is ``contract``: its contact is the contract's (the
        reseller's salesperson) when the contract is published in that
        brand; a reseller's brand makes the reseller its channel partner."""
        values = dict.fromkeys(BRAND_FIELDS, False)
        values["brand_partner_id"] = brand.id
        if contract and contract._renewal_brand_partner() == brand:
            values["brand_contact_id"] = contract._renewal_brand_contact().id
        if brand.is_renewal_reseller:
            values["channel_partner_id"] = brand.id
        return values

    @api.model_create_multi
    def create(self, vals_list):
        """A link shows the brand it was issued in: given by the caller
        (context ``renewal_link_brands``, by :meth:`_brand_key`), else the
        brand its highlighted contract is published in."""
        brands = self.env.context.get("renewal_link_brands") or {}
        Partner = self.env["res.partner"]
        Contract = self.env["renewal.contract"]
        for vals in vals_list:
            if any(name in vals for name in BRAND_FIELDS):
                continue
            contract = Contract.browse(vals.get("contract_id") or ()).sudo()
            key = self._brand_key(
                Partner.browse(vals["partner_id"]),
                vals.get("scope", "customer"),
                Partner.browse(vals["holder_id"]),
                contract,
            )
            if key in brands:
                vals.update(brands[key])
            elif contract:
                vals.update(
                    self._brand_values(contract._renewal_brand_partner(), contract)
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # The brand on the pages
    # ------------------------------------------------------------------

    def _renewal_brand(self):
        """The reseller whose brand this link's pages show, as superuser;
        empty for the vendor's own brand."""
        self.ensure_one()
        brand = self.sudo().brand_partner_id
        if brand == self.sudo().company_id.partner_id:
            return brand.browse()
        return brand

    def _renewal_brand_values(self):
        """What the pages show of a reseller's brand (nothing for the
        vendor's): the partner, its contact person, logo (a data URI: the
        visitor may not read partners), colours as CSS variables, address
        and website (only a web address)."""
        self.ensure_one()
        brand = self._renewal_brand()
        if not brand:
            return {}
        link = self.sudo()
        primary, secondary = brand._renewal_brand_colors(link.company_id)
        contact = link.brand_contact_id
        website = (brand.website or "").strip()
        image = brand.image_256
        return {
            "partner": brand,
            "contact": contact if contact != brand else contact.browse(),
            "logo": image_data_uri(image) if image else False,
            "style": style_variables(primary, secondary),
            "primary": primary,
            "address": "\n".join(
                line
                for line in brand._display_address(without_company=True).splitlines()
                if line.strip()
            ),
            "website": website
            if website.lower().startswith(("https://", "http://"))
            else False,
        }

    # ------------------------------------------------------------------
    # Reseller self-service
    # ------------------------------------------------------------------

    def _renewal_send_link_mail(self, url, sender):
        """E-mail ``url`` (this link's, shown nowhere else) to the link's
        holder, in their language, from ``sender`` (else the brand, else the
        vendor, whichever has an e-mail address); the mail is deleted once
        sent."""
        self.ensure_one()
        link = self.sudo()
        for candidate in (sender, link.brand_partner_id, link.company_id.partner_id):
            if candidate.email:
                sender = candidate
                break
        template = self.env.ref(
            "renewal_channel.renewal_portal_link_mail_template"
        ).sudo()
        template.with_context(renewal_link_url=url).send_mail(
            link.id,
            email_values={
                "email_from": sender.email_formatted,
                "reply_to": sender.email_formatted,
            },
        )

    def _renewal_check_reseller_link(self):
        """This link, if the calling reseller manager may act on it (their
        record rule lets them read it): a customer link."""
        self.ensure_one()
        self.env.user._renewal_check_channel_manager()
        self.check_access("read")
        if self.scope != "customer":
            raise AccessError(self.env._("Only customer links are re-sent here."))

    def action_reseller_resend(self):
        """Revoke this link and e-mail its holder a new one; return the new
        link. For the reseller's renewals manager, in their portal."""
        self._renewal_check_reseller_link()
        link_sudo = self.sudo()
        new_link = link_sudo.partner_id.with_env(self.env)._renewal_reseller_send_link(
            recipient=link_sudo.holder_id
        )
        link_sudo.write({"revoked": True})
        return new_link

    def action_reseller_revoke(self):
        """Revoke this link. For the reseller's renewals manager."""
        self._renewal_check_reseller_link()
        self.sudo().write({"revoked": True})
        return True
