import ipaddress
import json
import secrets
import socket
import uuid
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.renewal_contracts.tools.actions import notification

from ..partner_api import MODULE, PARAMS

EVENTS = ("quotation_issued", "renewed", "lost", "status_changed")


class RenewalWebhook(models.Model):
    """A partner's URL that receives renewal events, signed with a secret.

    Each delivery is a JSON body signed with HMAC-SHA256 under the webhook's
    secret (header ``X-Renewal-Signature: sha256=<hex>``), sent by a queue
    job that retries with a growing delay; ``renewal.webhook.delivery`` logs
    every one. A webhook only ever sends what its user may read.
    """

    _name = "renewal.webhook"
    _description = "Renewal Webhook"
    _inherit = ["renewal.channel.staff.thread"]
    _order = "id desc"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
        help="The reseller or distributor (or the vendor) that receives it.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="On Behalf Of",
        required=True,
        tracking=True,
        help="The events carry only the contracts this user may read: a "
        "portal user of the partner, or an internal user.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The vendor company whose contracts' events it receives.",
    )
    url = fields.Char(string="URL", required=True, tracking=True)
    on_quotation_issued = fields.Boolean(string="Quotation Issued", default=True)
    on_renewed = fields.Boolean(string="Renewed", default=True)
    on_lost = fields.Boolean(string="Lost", default=True)
    on_status_changed = fields.Boolean(string="Status Changed", default=True)
    secret = fields.Char(copy=False, groups="base.group_system")
    secret_hint = fields.Char(readonly=True, copy=False)
    delivery_ids = fields.One2many(
        "renewal.webhook.delivery", "webhook_id", string="Deliveries"
    )
    delivery_count = fields.Integer(compute="_compute_delivery_count")
    # A partner's renewals manager reads its webhooks on the portal and
    # through the API: what the vendor's staff track is theirs.
    events_display = fields.Char(string="Events", compute="_compute_events_display")

    def _compute_delivery_count(self):
        counts = dict(
            self.env["renewal.webhook.delivery"]._read_group(
                [("webhook_id", "in", self.ids)], ["webhook_id"], ["__count"]
            )
        )
        for webhook in self:
            webhook.delivery_count = counts.get(webhook, 0)

    @api.depends(*(f"on_{event}" for event in EVENTS))
    @api.depends_context("lang")
    def _compute_events_display(self):
        for webhook in self:
            webhook.events_display = ", ".join(
                webhook._fields[f"on_{event}"].get_description(self.env)["string"]
                for event in webhook._events()
            )

    @api.constrains("url")
    def _check_url(self):
        for webhook in self:
            webhook._renewal_check_url(resolve=False)

    @api.constrains("user_id", "partner_id")
    def _check_user(self):
        for webhook in self:
            user = webhook.user_id
            if not user._is_internal() and (
                user.partner_id.commercial_partner_id != webhook.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "Webhook %(name)s: %(user)s is not a user of %(partner)s.",
                        name=webhook.name,
                        user=user.name,
                        partner=webhook.partner_id.name,
                    )
                )

    def _events(self):
        self.ensure_one()
        return [event for event in EVENTS if self[f"on_{event}"]]

    # ------------------------------------------------------------------
    # Register, rotate, revoke
    # ------------------------------------------------------------------

    @api.model
    def _renewal_register(self, name, url, events):
        """Register a webhook of the current user's organisation; return
        ``(webhook, secret)``: the secret is returned here only. For the
        partner API and the portal; the back office creates them in the
        form."""
        user = self.env.user
        if not user._renewal_api_allowed():
            raise AccessError(self.env._("You may not register webhooks."))
        unknown = set(events) - set(EVENTS)
        if unknown or not events:
            raise UserError(
                self.env._("Choose events among %(events)s.", events=", ".join(EVENTS))
            )
        values = {
            "name": (name or "").strip() or url,
            "url": (url or "").strip(),
            "partner_id": user.partner_id.commercial_partner_id.id,
            "user_id": user.id,
            "company_id": self.env.company.id,
        }
        values.update({f"on_{event}": event in events for event in EVENTS})
        webhook = self.sudo().create(values)
        return webhook.with_env(self.env), webhook._renewal_new_secret()

    @api.model_create_multi
    def create(self, vals_list):
        webhooks = super().create(vals_list)
        for webhook in webhooks.sudo().filtered(lambda w: not w.secret):
            webhook._renewal_new_secret()
        return webhooks

    def _renewal_new_secret(self):
        self.ensure_one()
        secret = "whsec_" + secrets.token_urlsafe(32)
        self.sudo().write({"secret": secret, "secret_hint": secret[:10] + "…"})
        return secret

    def action_rotate_secret(self):
        """A new secret, shown once; the old one stops signing at once."""
        self.ensure_one()
        self.check_access("write")
        secret = self._renewal_new_secret()
        self.message_post(body=self.env._("Secret rotated."))
        return notification(
            secret,
            kind="warning",
            title=self.env._("Copy the secret now: it is not shown again."),
            sticky=True,
        )

    def action_revoke(self):
        """Stop these webhooks (they stay, with their delivery log). Their
        organisation's users, and Renewals Managers, may."""
        self.check_access("read")
        user = self.env.user
        for webhook in self:
            own = webhook.partner_id == user.partner_id.commercial_partner_id
            if not (own and user._renewal_api_allowed()) and not user.has_group(
                "renewal_contracts.renewal_contracts_group_manager"
            ):
                raise AccessError(self.env._("This webhook is not yours to remove."))
        self.sudo().write({"active": False})
        return True

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    @api.model
    def _renewal_dispatch(self, event, contracts, order=None):
        """Queue a delivery of ``event`` about ``contracts`` (and ``order``,
        their renewal quotation, when there is one) to every active webhook
        listening for it in their companies, each with only the contracts
        its user may read and its organisation sells."""
        if event not in EVENTS:
            raise ValueError(f"Unknown renewal event {event}")
        from ..partner_api.serializers import _json_quotation, contract_data

        webhooks = self.sudo().search(
            [(f"on_{event}", "=", True), ("company_id", "in", contracts.company_id.ids)]
        )
        Delivery = self.env["renewal.webhook.delivery"].sudo()
        now = fields.Datetime.now()
        for webhook in webhooks:
            user = webhook.user_id
            if not user._renewal_api_allowed():
                continue
            as_user = (
                self.env["renewal.contract"]
                .with_user(user)
                .with_context(allowed_company_ids=webhook.company_id.ids)
            )
            visible = as_user.search(
                [
                    ("id", "in", contracts.ids),
                    ("company_id", "=", webhook.company_id.id),
                    *user._renewal_api_sells_domain(),
                ]
            )
            if not visible:
                continue
            delivery_uuid = str(uuid.uuid4())
            payload = {
                "id": delivery_uuid,
                "event": event,
                "created_at": now.isoformat() + "Z",
                "company": webhook.company_id.name,
                "contracts": [contract_data(contract) for contract in visible],
            }
            if order:
                payload["quotation"] = _json_quotation(order)
            delivery = Delivery.create(
                {
                    "webhook_id": webhook.id,
                    "uuid": delivery_uuid,
                    "event": event,
                    "payload": json.dumps(payload, separators=(",", ":")),
                }
            )
            delivery._enqueue()

    def _renewal_check_url(self, resolve=True):
        """Refuse a URL the server should not call: not http(s), and, unless
        the system parameter ``renewal_channel.webhook_allow_private_network`` is
        set, plain http or a host on a loopback, private or link-local
        network (with ``resolve``, every address of the host name is
        checked)."""
        self.ensure_one()
        parts = urlsplit(self.url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(
                self.env._("A webhook URL starts with https:// and names a host.")
            )
        allow_private = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"{PARAMS}.webhook_allow_private_network")
        ) in ("1", "True", "true")
        if allow_private:
            return
        if parts.scheme != "https":
            raise ValidationError(self.env._("A webhook URL must use https://."))
        host = parts.hostname
        addresses = []
        try:
            addresses = [ipaddress.ip_address(host)]
        except ValueError:
            if host == "localhost" or host.endswith(".localhost"):
                addresses = [ipaddress.ip_address("127.0.0.1")]
            elif resolve:
                try:
                    infos = socket.getaddrinfo(host, parts.port or 443)
                except OSError as exc:
                    raise UserError(
                        self.env._("%(host)s cannot be resolved.", host=host)
                    ) from exc
                addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
        if any(not address.is_global for address in addresses):
            raise ValidationError(
                self.env._(
                    "%(host)s is on a private network: webhooks go to public "
                    "addresses only.",
                    host=host,
                )
            )

    def action_view_deliveries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            f"{MODULE}.renewal_webhook_delivery_action"
        )
        action["domain"] = [("webhook_id", "=", self.id)]
        action["context"] = {}
        return action
