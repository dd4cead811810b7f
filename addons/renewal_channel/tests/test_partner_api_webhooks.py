import hashlib
import hmac
import json

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from .common_partner_api import PartnerApiFixture, WebhookReceiver


@tagged("post_install", "-at_install")
class TestPartnerApiWebhooks(PartnerApiFixture, HttpCase):
    """Events reach each partner's webhook, with only its own contracts,
    signed, and are retried with a growing delay against a real receiver on
    loopback. (An HttpCase: a failed attempt is logged in a transaction of
    its own, which needs the test cursor.)"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_partner_api()
        cls.env["ir.config_parameter"].set_param(
            "renewal_channel.webhook_allow_private_network", "True"
        )
        cls.env["ir.config_parameter"].set_param(
            "renewal_channel.webhook_max_attempts", "3"
        )

    def register(self, user, url, events=("renewed", "status_changed")):
        return (
            self.env["renewal.webhook"]
            .with_user(user)
            ._renewal_register("ERP", url, list(events))
        )

    def attempt(self, call):
        """Run a delivery attempt; return its ``RetryableJobError`` or None.
        (Not ``assertRaises``: Odoo's rolls back the failed call, and with it
        the attempt's log, which in production commits on its own.)"""
        try:
            call()
        except RetryableJobError as exc:
            return exc
        return None

    def deliveries(self, webhook):
        return self.env["renewal.webhook.delivery"].search(
            [("webhook_id", "=", webhook.id)]
        )

    def test_signed_delivery_with_only_the_partners_contracts(self):
        with WebhookReceiver() as receiver:
            hook_a, secret_a = self.register(self.manager_a, receiver.url)
            hook_b, _secret_b = self.register(self.manager_b, receiver.url, ["lost"])
            with trap_jobs() as trap:
                (
                    self.contract_a | self.contract_b | self.contract_d
                )._renewal_notify_event("renewed")
                trap.assert_jobs_count(1)  # B does not listen for "renewed"
                trap.perform_enqueued_jobs()
            self.assertEqual(len(receiver.received), 1)
            headers, body = receiver.received[0]
            expected = hmac.new(secret_a.encode(), body, hashlib.sha256).hexdigest()
            self.assertEqual(headers["X-Renewal-Signature"], f"sha256={expected}")
            self.assertEqual(headers["X-Renewal-Event"], "renewed")
            payload = json.loads(body)
            self.assertEqual(payload["event"], "renewed")
            self.assertEqual([c["number"] for c in payload["contracts"]], ["API-A-1"])
            self.assertEqual(headers["X-Renewal-Delivery"], payload["id"])
            delivery = self.deliveries(hook_a)
            self.assertEqual(
                (delivery.state, delivery.attempt_count, delivery.http_status),
                ("done", 1, 200),
            )
            self.assertFalse(self.deliveries(hook_b))
            # A tampered body does not match the signature.
            forged = hmac.new(
                secret_a.encode(), body + b" ", hashlib.sha256
            ).hexdigest()
            self.assertNotEqual(forged, expected)

    def test_core_events_name_the_quotation(self):
        """The core's own call sites reach the webhooks: a renewal quotation
        made for A's line is an event about A's contract and that quotation,
        its confirmation another."""
        hook, _secret = self.register(
            self.manager_a,
            "http://127.0.0.1:9/renewal-events",
            ["quotation_issued", "renewed"],
        )
        with trap_jobs() as trap:
            order = self.env["sale.order"]._renewal_generate(
                self.contract_a.line_ids[:1]
            )
            trap.assert_jobs_count(1)
        payload = json.loads(self.deliveries(hook).payload)
        self.assertEqual(payload["event"], "quotation_issued")
        self.assertEqual(
            (payload["quotation"]["id"], payload["quotation"]["name"]),
            (order.id, order.name),
        )
        self.assertEqual([c["number"] for c in payload["contracts"]], ["API-A-1"])
        with trap_jobs() as trap:
            order.action_confirm()
            trap.assert_jobs_count(1)
        renewed = self.deliveries(hook).filtered(lambda d: d.event == "renewed")
        self.assertEqual(json.loads(renewed.payload)["quotation"]["id"], order.id)

    def test_retry_with_backoff_then_delivered(self):
        with WebhookReceiver(statuses=[500, 503]) as receiver:
            hook, _secret = self.register(self.manager_a, receiver.url)
            with trap_jobs() as trap:
                self.contract_a._renewal_notify_event("status_changed")
                job = trap.enqueued_jobs[0]
            delivery = self.deliveries(hook)
            first = self.attempt(job.perform)
            self.assertEqual(first.seconds, 30)
            self.assertEqual(
                (delivery.state, delivery.attempt_count, delivery.http_status),
                ("retrying", 1, 500),
            )
            self.assertTrue(delivery.next_try)
            self.assertIn("HTTP 500", delivery.error)
            second = self.attempt(delivery._deliver)
            self.assertEqual(second.seconds, 120)
            self.assertIsNone(self.attempt(delivery._deliver))
            self.assertEqual(
                (delivery.state, delivery.attempt_count, delivery.http_status),
                ("done", 3, 200),
            )
            self.assertFalse(delivery.next_try)
            self.assertEqual(len(receiver.received), 3)
            # Every attempt carried the same delivery id and signature.
            self.assertEqual(
                len({h["X-Renewal-Signature"] for h, _b in receiver.received}), 1
            )

    def test_gives_up_after_the_last_attempt(self):
        with WebhookReceiver(statuses=[500, 500, 500, 500]) as receiver:
            hook, _secret = self.register(self.manager_a, receiver.url)
            with trap_jobs():
                self.contract_a._renewal_notify_event("status_changed")
            delivery = self.deliveries(hook)
            for _attempt in range(2):
                self.assertTrue(self.attempt(delivery._deliver))
            self.assertIsNone(self.attempt(delivery._deliver))
            self.assertEqual((delivery.state, delivery.attempt_count), ("failed", 3))
            self.assertEqual(len(receiver.received), 3)

    def test_unreachable_receiver_is_retried(self):
        receiver = WebhookReceiver()
        url = receiver.url
        receiver.server.server_close()  # nothing listens there
        hook, _secret = self.register(self.manager_a, url)
        with trap_jobs():
            self.contract_a._renewal_notify_event("renewed")
        delivery = self.deliveries(hook)
        self.assertTrue(self.attempt(delivery._deliver))
        self.assertEqual(delivery.state, "retrying")
        self.assertFalse(delivery.http_status)
        self.assertTrue(delivery.error)

    def test_private_addresses_are_refused_by_default(self):
        self.env["ir.config_parameter"].set_param(
            "renewal_channel.webhook_allow_private_network", "False"
        )
        for url in (
            "http://erp.example.com/hook",
            "https://127.0.0.1/hook",
            "https://10.0.0.8/hook",
            "https://localhost/hook",
            "ftp://x/y",
        ):
            with self.subTest(url=url), self.assertRaises(UserError):
                self.register(self.manager_a, url)

    def test_webhook_api_and_delivery_log(self):
        with WebhookReceiver() as receiver:
            hook, _secret = self.register(self.manager_a, receiver.url)
            with trap_jobs() as trap:
                self.contract_a._renewal_notify_event("renewed")
                trap.perform_enqueued_jobs()
        # The partner reads its log; the back office too.
        as_a = self.env["renewal.webhook.delivery"].with_user(self.manager_a)
        self.assertEqual(as_a.search([]).webhook_id, hook)
        self.assertFalse(
            self.env["renewal.webhook.delivery"].with_user(self.manager_b).search([])
        )
        hook.with_user(self.manager_a).action_revoke()
        self.assertFalse(hook.active)
        with trap_jobs() as trap:
            self.contract_a._renewal_notify_event("renewed")
            trap.assert_jobs_count(0)
