"""Webhooks: register a URL to receive `quotation_issued`, `renewed`, `lost`
and `status_changed` events about your contracts. Each delivery is a JSON
POST signed with HMAC-SHA256 of the body under the webhook's secret (header
`X-Renewal-Signature: sha256=<hex>`; also `X-Renewal-Event` and
`X-Renewal-Delivery`), retried with a growing delay until your server answers
2xx; the secret is shown once, when the webhook is registered.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from ..dependencies import PartnerEnv
from ..errors import not_found
from ..schemas import DeliveryOut, WebhookCreated, WebhookIn, WebhookOut

router = APIRouter(tags=["webhooks"])


def webhook_out(webhook):
    return {
        "id": webhook.id,
        "name": webhook.name,
        "url": webhook.url,
        "events": webhook._events(),
        "active": webhook.active,
    }


def _webhook(env, webhook_id):
    webhook = env["renewal.webhook"].browse(webhook_id)
    if not webhook.exists() or not webhook.has_access("read"):
        raise not_found("Webhook")
    return webhook


@router.get("/webhooks", response_model=list[WebhookOut])
def list_webhooks(env: PartnerEnv):
    """Your organisation's active webhooks."""
    return [webhook_out(webhook) for webhook in env["renewal.webhook"].search([])]


@router.post("/webhooks", response_model=WebhookCreated, status_code=201)
def register_webhook(body: WebhookIn, env: PartnerEnv):
    """Register a webhook; the answer holds its secret, this once."""
    webhook, secret = env["renewal.webhook"]._renewal_register(
        body.name, body.url, body.events
    )
    return dict(webhook_out(webhook), secret=secret)


@router.delete("/webhooks/{webhook_id}", status_code=204)
def delete_webhook(webhook_id: int, env: PartnerEnv):
    """Stop a webhook (its delivery log stays)."""
    _webhook(env, webhook_id).action_revoke()
    return Response(status_code=204)


@router.get("/webhooks/{webhook_id}/deliveries", response_model=list[DeliveryOut])
def list_deliveries(
    webhook_id: int,
    env: PartnerEnv,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    """A webhook's deliveries, newest first: event, state, attempts, HTTP
    status of the last attempt, error and next try."""
    webhook = _webhook(env, webhook_id)
    deliveries = env["renewal.webhook.delivery"].search(
        [("webhook_id", "=", webhook.id)], limit=limit, offset=offset
    )
    return [
        {
            "id": delivery.id,
            "uuid": delivery.uuid,
            "event": delivery.event,
            "state": delivery.state,
            "attempts": delivery.attempt_count,
            "http_status": delivery.http_status or None,
            "error": delivery.error or None,
            "next_try": delivery.next_try or None,
            "date_done": delivery.date_done or None,
            "create_date": delivery.create_date,
        }
        for delivery in deliveries
    ]
