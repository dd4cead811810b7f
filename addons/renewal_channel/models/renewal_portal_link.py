from odoo import api, models
from odoo.osv import expression


class RenewalPortalLink(models.Model):
    _inherit = "renewal.portal.link"

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
