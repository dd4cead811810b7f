from odoo import fields, models

from odoo.addons.renewal_contracts.tools.actions import notification


class AuthApiKeyIssue(models.TransientModel):
    """Issue a partner API key; the key is shown once, in a notification,
    and never stored (not even in this wizard)."""

    _name = "auth.api.key.issue"
    _description = "Issue a Partner API Key"

    user_id = fields.Many2one(
        "res.users",
        required=True,
        domain="['|', ('share', '=', False), "
        "('partner_id.renewal_reseller_manager', '=', True)]",
        help="The key acts as this user: a partner's renewals manager (portal "
        "user) or an internal user.",
    )
    name = fields.Char(
        required=True, help="What the key is for, e.g. the partner's ERP system."
    )

    def action_issue(self):
        self.ensure_one()
        _record, key = self.env["auth.api.key"]._renewal_issue(self.user_id, self.name)
        return notification(
            key,
            kind="warning",
            title=self.env._(
                "Copy the key for %(user)s now: it is not stored and is not shown "
                "again.",
                user=self.user_id.name,
            ),
            sticky=True,
        )
