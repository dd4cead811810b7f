from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import (
    CustomerPortal,
    pager as portal_pager,
)

from ..models.renewal_webhook import EVENTS
from ..partner_api import MODULE


class PartnerApiPortal(CustomerPortal):
    """``/my/renewal-api``: a reseller's or distributor's renewals manager
    issues and revokes their API keys and manages their organisation's
    webhooks. The models decide (record rules and the methods' own checks);
    these routes only call them."""

    def _prepare_portal_layout_values(self):
        # Not a counter: /my/counters answers every key of the home values.
        values = super()._prepare_portal_layout_values()
        values["renewal_api_allowed"] = self._renewal_api_allowed()
        return values

    def _renewal_api_allowed(self):
        user = request.env.user
        return not user._is_internal() and user._renewal_api_allowed()

    def _renewal_api_page(self, **extra):
        env = request.env
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="renewal_api",
            keys=env["auth.api.key"].search([("is_renewal_partner_key", "=", True)]),
            webhooks=env["renewal.webhook"].search([]),
            events=[
                (event, env["renewal.webhook"]._fields[f"on_{event}"].string)
                for event in EVENTS
            ],
            endpoint=env["fastapi.endpoint"]
            .sudo()
            .search([("app", "=", "renewal_partner")], limit=1),
            **extra,
        )
        return request.render(f"{MODULE}.portal_my_renewal_api", values)

    @http.route("/my/renewal-api", type="http", auth="user", website=True)
    def portal_my_renewal_api(self, **kw):
        if not self._renewal_api_allowed():
            return request.redirect("/my")
        return self._renewal_api_page()

    @http.route(
        "/my/renewal-api/keys", type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_renewal_api_issue_key(self, name=None, **kw):
        """Issue a key; the page shows it this once (it is not stored)."""
        if not self._renewal_api_allowed():
            return request.redirect("/my")
        try:
            with request.env.cr.savepoint():
                _key, secret = request.env["auth.api.key"]._renewal_issue(
                    request.env.user, (name or "")[:128]
                )
        except (UserError, ValidationError, AccessError) as error:
            return self._renewal_api_page(error=error.args[0])
        return self._renewal_api_page(new_key=secret)

    @http.route(
        "/my/renewal-api/keys/<int:key_id>/revoke",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_renewal_api_revoke_key(self, key_id, **kw):
        key = request.env["auth.api.key"].browse(key_id).exists()
        if not self._renewal_api_allowed() or not key:
            return request.redirect("/my")
        try:
            key.action_revoke()
        except AccessError:
            return request.redirect("/my/renewal-api")
        return request.redirect("/my/renewal-api?message=key_revoked")

    @http.route(
        "/my/renewal-api/webhooks",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_renewal_api_add_webhook(self, name=None, url=None, **post):
        """Register a webhook; the page shows its secret this once."""
        if not self._renewal_api_allowed():
            return request.redirect("/my")
        events = [event for event in EVENTS if post.get(f"event_{event}")]
        try:
            with request.env.cr.savepoint():
                webhook, secret = request.env["renewal.webhook"]._renewal_register(
                    (name or "")[:128], (url or "")[:2048], events
                )
        except (UserError, ValidationError, AccessError) as error:
            return self._renewal_api_page(error=error.args[0])
        return self._renewal_api_page(new_secret=secret, new_webhook=webhook)

    @http.route(
        "/my/renewal-api/webhooks/<int:webhook_id>/revoke",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_renewal_api_revoke_webhook(self, webhook_id, **kw):
        webhook = request.env["renewal.webhook"].browse(webhook_id).exists()
        if not self._renewal_api_allowed() or not webhook:
            return request.redirect("/my")
        try:
            webhook.action_revoke()
        except AccessError:
            return request.redirect("/my/renewal-api")
        return request.redirect("/my/renewal-api?message=webhook_removed")

    @http.route(
        [
            "/my/renewal-api/webhooks/<int:webhook_id>",
            "/my/renewal-api/webhooks/<int:webhook_id>/page/<int:page>",
        ],
        type="http",
        auth="user",
        website=True,
    )
    def portal_renewal_api_webhook(self, webhook_id, page=1, **kw):
        """A webhook's delivery log."""
        Webhook = request.env["renewal.webhook"].with_context(active_test=False)
        webhook = Webhook.search([("id", "=", webhook_id)])
        if not self._renewal_api_allowed() or not webhook:
            return request.redirect("/my/renewal-api")
        Delivery = request.env["renewal.webhook.delivery"]
        domain = [("webhook_id", "=", webhook.id)]
        pager = portal_pager(
            url=f"/my/renewal-api/webhooks/{webhook.id}",
            total=Delivery.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="renewal_api_webhook",
            webhook=webhook,
            deliveries=Delivery.search(
                domain, limit=self._items_per_page, offset=pager["offset"]
            ),
            pager=pager,
        )
        return request.render(f"{MODULE}.portal_my_renewal_api_webhook", values)
