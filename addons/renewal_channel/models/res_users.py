from odoo import fields, models
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    """Who, in the portal, manages a channel partner's renewals, and who may
    use the partner API with which keys."""

    _inherit = "res.users"

    renewal_api_key_ids = fields.One2many(
        "auth.api.key",
        "user_id",
        string="Partner API Keys",
        domain=[("is_renewal_partner_key", "=", True)],
        context={"active_test": False},
    )

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

    def _renewal_api_allowed(self):
        """Whether this user may use the partner API: an active internal
        user, or an active channel partner's renewals manager
        (:meth:`_renewal_channel_partner`). Checked on every request, so that
        taking the flag away stops the user's keys at once."""
        self.ensure_one()
        user = self.sudo()
        # Asked on every API request: read only the few fields it needs
        # (the ORM would otherwise read each record's every column).
        user.fetch(["active", "partner_id"])
        user.partner_id.fetch(["renewal_reseller_manager", "commercial_partner_id"])
        user.partner_id.commercial_partner_id.fetch(
            ["is_renewal_reseller", "is_renewal_distributor"]
        )
        if not user.active:
            return False
        return user._is_internal() or bool(user._renewal_channel_partner())

    def _renewal_api_sells_domain(self, field="id"):
        """The contracts this user's organisation sells, as a domain on
        ``field`` (a contract, or a many2one to one): everything for the
        vendor's staff (their record rules decide), the contracts a reseller
        or distributor sells for a partner's user. A narrowing on top of the
        record rules, never the boundary: it is computed as superuser
        because a partner may not read a contract's distributor."""
        self.ensure_one()
        if self._is_internal():
            return []
        company = self.partner_id.commercial_partner_id.id
        sold = (
            self.env["renewal.contract"]
            .sudo()
            ._search(
                ["|", ("reseller_id", "=", company), ("distributor_id", "=", company)]
            )
        )
        return [(field, "in", sold)]

    def action_renewal_issue_api_key(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Issue a Partner API Key"),
            "res_model": "auth.api.key.issue",
            "view_mode": "form",
            "target": "new",
            "context": {"default_user_id": self.id},
        }
