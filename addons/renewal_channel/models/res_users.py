from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


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
        user, or an active channel partner's renewals manager (the rule of
        :meth:`_renewal_channel_partner`, as a domain). Checked on every
        request, so that taking the flag away stops the user's keys at once:
        one query (the groups are cached)."""
        self.ensure_one()
        user = self.sudo()
        domain = [("id", "=", user.id)]
        if not user._is_internal():
            if not user._is_portal():
                return False
            domain += [
                ("partner_id.renewal_reseller_manager", "=", True),
                "|",
                ("partner_id.commercial_partner_id.is_renewal_reseller", "=", True),
                ("partner_id.commercial_partner_id.is_renewal_distributor", "=", True),
            ]
        # Archived users are left out by the search itself.
        return bool(user.search_count(domain, limit=1))

    def _renewal_api_sells_domain(self, field="id", company_id=None):
        """The contracts this user's organisation sells, as a domain on
        ``field`` (a contract, or a many2one to one): everything for the
        vendor's staff (their record rules decide), the contracts a reseller
        or distributor sells for a partner's user. A narrowing on top of the
        record rules, never the boundary: it is computed as superuser
        because a partner may not read a contract's distributor.
        ``company_id``, the user's commercial entity when the caller knows it
        already (the partner API's check of the caller reads it)."""
        self.ensure_one()
        if self._is_internal():
            return []
        if company_id:
            company = [company_id]
        else:
            # A subquery: nothing is read for it.
            company = (
                self.env["res.partner"]
                .sudo()
                .with_context(active_test=False)
                ._search([("user_ids", "in", self.ids)])
                .subselect(SQL.identifier("res_partner", "commercial_partner_id"))
            )
        sold = (
            self.env["renewal.contract"]
            .sudo()
            ._search(
                ["|", ("reseller_id", "in", company), ("distributor_id", "in", company)]
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
