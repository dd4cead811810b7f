import hashlib
import hmac
import logging
from datetime import timedelta

import requests

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..partner_api import PARAMS

_logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Renewal-Signature"


def sign(secret, body):
    """The signature header's value: HMAC-SHA256 of the body under the
    webhook's secret, as ``sha256=<hex>``."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class RenewalWebhookDelivery(models.Model):
    """One event sent to one webhook: its payload, attempts and outcome."""

    _name = "renewal.webhook.delivery"
    _description = "Renewal Webhook Delivery"
    _order = "id desc"
    _rec_name = "uuid"

    webhook_id = fields.Many2one(
        "renewal.webhook", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="webhook_id.partner_id", store=True)
    company_id = fields.Many2one(
        related="webhook_id.company_id", store=True, index=True, precompute=True
    )
    uuid = fields.Char(string="Delivery", required=True, readonly=True, index=True)
    event = fields.Selection(
        [
            ("quotation_issued", "Quotation Issued"),
            ("renewed", "Renewed"),
            ("lost", "Lost"),
            ("status_changed", "Status Changed"),
        ],
        required=True,
        readonly=True,
    )
    payload = fields.Text(readonly=True)
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("retrying", "Retrying"),
            ("done", "Delivered"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    http_status = fields.Integer(string="HTTP Status", readonly=True)
    error = fields.Text(readonly=True)
    next_try = fields.Datetime(readonly=True)
    date_done = fields.Datetime(string="Delivered On", readonly=True)

    def _enqueue(self, eta=None):
        for delivery in self:
            delivery.with_delay(
                channel="root.renewal_webhook",
                eta=eta,
                max_retries=delivery._max_attempts() + 1,
                description=self.env._(
                    "Webhook %(name)s: %(event)s",
                    name=delivery.webhook_id.name,
                    event=delivery.event,
                ),
            )._deliver()

    def _param(self, name, default):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"{PARAMS}.{name}", default)
        )
        try:
            return max(int(value), 1)
        except ValueError:
            return int(default)

    def _max_attempts(self):
        return self._param("webhook_max_attempts", "6")

    def _backoff(self, attempt):
        """Seconds before the next try after ``attempt`` failed: the base
        delay, times 4 for every further attempt, at most six hours."""
        base = self._param("webhook_retry_seconds", "30")
        return min(base * 4 ** (attempt - 1), 6 * 3600)

    def _deliver(self):
        """Job: POST the payload, signed. On a failure, log the attempt and
        raise ``RetryableJobError`` so that queue_job tries again after the
        backoff; after the last attempt the delivery is failed."""
        self.ensure_one()
        if self.state in ("done", "failed", "cancelled"):
            return
        webhook = self.webhook_id.sudo()
        if not webhook.active or not webhook.user_id._renewal_api_allowed():
            self.write({"state": "cancelled", "next_try": False})
            return
        attempt = self.attempt_count + 1
        body = (self.payload or "").encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Odoo-Renewals-Webhook/1",
            "X-Renewal-Event": self.event,
            "X-Renewal-Delivery": self.uuid,
            SIGNATURE_HEADER: sign(webhook.secret or "", body),
        }
        status, error = None, False
        try:
            webhook._renewal_check_url()
            response = requests.post(
                webhook.url,
                data=body,
                headers=headers,
                timeout=self._param("webhook_timeout_seconds", "10"),
                allow_redirects=False,
            )
            status = response.status_code
            if not 200 <= status < 300:
                error = f"HTTP {status} {response.reason or ''}".strip()
        except (requests.RequestException, UserError) as exc:
            error = str(exc.args[0] if isinstance(exc, UserError) else exc)[:1000]
        values = {"attempt_count": attempt, "http_status": status, "error": error}
        if not error:
            self.write(
                dict(
                    values,
                    state="done",
                    date_done=fields.Datetime.now(),
                    next_try=False,
                )
            )
            return
        if attempt >= self._max_attempts():
            self.write(dict(values, state="failed", next_try=False))
            return
        delay = self._backoff(attempt)
        values.update(
            state="retrying", next_try=fields.Datetime.now() + timedelta(seconds=delay)
        )
        # The job's transaction rolls back on a retry: log the attempt in a
        # transaction of its own.
        with self.env.registry.cursor() as cr:
            attempt_log = self.with_env(self.env(cr=cr))
            attempt_log.write(values)
            attempt_log.env.flush_all()
        self.invalidate_recordset()
        raise RetryableJobError(error, seconds=delay)

    def action_retry(self):
        """Send failed or cancelled deliveries again, now."""
        self.check_access("read")
        if not self.env.user.has_group(
            "renewal_contracts.renewal_contracts_group_manager"
        ):
            raise AccessError(self.env._("Only a Renewals Manager retries deliveries."))
        retried = self.sudo().filtered(lambda d: d.state in ("failed", "cancelled"))
        retried.write({"state": "pending", "attempt_count": 0, "next_try": False})
        retried._enqueue()
        return True
