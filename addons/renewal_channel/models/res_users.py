from odoo import models
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    """Who, in the portal, manages a channel partner's renewals."""

    _inherit = "res.users"

    def _renewal_channel_partner(self):
        """The reseller or distributor whose renewals this user manages in
        the portal: its commercial entity, when the user is a portal user
        whose contact is marked Reseller Renewals Manager. Empty otherwise
        (internal users manage feeds and links in the back office)."""
        self.ensure_one()
        partner = self.sudo().partner_id
        commercial = partner.commercial_partner_id
        if not (self._is_portal() and partner.renewal_reseller_manager):
            return self.env["res.partner"]
        if not (commercial.is_renewal_reseller or commercial.is_renewal_distributor):
            return self.env["res.partner"]
        return self.env["res.partner"].browse(commercial.id)

    def _renewal_check_channel_manager(self):
        """The channel partner of :meth:`_renewal_channel_partner`, or an
        AccessError: what every reseller self-service method asks first."""
        channel = self._renewal_channel_partner()
        if not channel:
            raise AccessError(
                self.env._(
                    "Only the renewals manager of a reseller or distributor, "
                    "logged in to the portal, may do this."
                )
            )
        return channel
