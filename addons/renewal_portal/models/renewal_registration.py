from odoo import models

# Per database cursor: the URL issued for each registration, so that a
# confirmation rendered twice (several languages, a preview) issues one link.
ISSUED = "renewal_portal.confirmation_links"


class RenewalRegistration(models.Model):
    _inherit = "renewal.registration"

    def _confirmation_link(self):
        """The URL of the customer's renewal page, where the registered
        product is listed: a customer link in the registration's company,
        held by the contact who registered (their language, their name on
        what they do there), else by the customer. The URL goes into the
        confirmation e-mail to that contact only: it holds the only copy of
        the token, so a link is issued once per registration and
        transaction. It is issued as superuser: registrations come from the
        public page, resellers and feeds, none of whom may issue links, and
        ``_register_products`` has already decided who the customer is."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        if not customer or self.state != "done":
            return super()._confirmation_link()
        issued = self.env.cr.cache.setdefault(ISSUED, {})
        if self.id not in issued:
            Link = self.env["renewal.portal.link"].sudo().with_company(self.company_id)
            holder = self.contact_partner_id or customer
            issued[self.id] = Link._issue(customer, "customer", holder)[1]
        return issued[self.id]
