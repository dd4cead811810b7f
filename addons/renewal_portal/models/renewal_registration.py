from odoo import api, models
from odoo.tools import email_normalize


class RenewalRegistration(models.Model):
    _inherit = "renewal.registration"

    def _confirmation_link(self):
        """The URL of the customer's renewal page, where the registered
        product is listed: a new customer link, in the registration's
        company, held by the contact who registered (their language, their
        name on what they do there), else by the customer. The URL goes into
        the confirmation e-mail to that contact only: it holds the only copy
        of the token. The link is issued as superuser: registrations come
        from the public page, resellers and feeds, none of whom may issue
        links, and ``_register_products`` has already decided who the customer is."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        if not customer:
            return super()._confirmation_link()
        holder = customer
        if self.contact_email:
            holder = (
                self.env["res.partner"]
                .sudo()
                .search(
                    [
                        ("id", "child_of", customer.id),
                        ("email_normalized", "=", email_normalize(self.contact_email)),
                    ],
                    order="id",
                    limit=1,
                )
                or customer
            )
        Link = self.env["renewal.portal.link"].sudo().with_company(self.company_id)
        _link, url = Link._issue(customer, "customer", holder)
        return url

    @api.model
    def _registrable_product_domain(self, company):
        """The products a customer may pick on the registration page of
        ``company``: the ones ``_register_products`` accepts."""
        return [
            ("renewal_registrable", "=", True),
            ("company_id", "in", [False, company.id]),
        ]
