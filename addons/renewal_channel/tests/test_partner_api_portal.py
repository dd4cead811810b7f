import re

from odoo.tests import HttpCase, tagged

from .common_partner_api import PartnerApiFixture


@tagged("post_install", "-at_install")
class TestPartnerApiPortal(PartnerApiFixture, HttpCase):
    """/my/renewal-api: a reseller's renewals manager issues (shown once)
    and revokes keys, adds and removes webhooks; nobody else gets in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_partner_api()
        for user in (cls.manager_a, cls.manager_b, cls.seller_a):
            user.password = user.login
        cls.env["ir.config_parameter"].set_param(
            "renewal_channel.webhook_allow_private_network", "True"
        )

    def csrf(self, path):
        page = self.url_open(path).text
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def test_issue_show_once_and_revoke_a_key(self):
        self.authenticate("api_manager_a", "api_manager_a")
        home = self.url_open("/my").text
        self.assertIn("/my/renewal-api", home)
        page = self.url_open(
            "/my/renewal-api/keys",
            data={"name": "Portal key", "csrf_token": self.csrf("/my/renewal-api")},
        )
        self.assertEqual(page.status_code, 200)
        key = re.search(r"(rnwk_[A-Za-z0-9_-]{40,})", page.text).group(1)
        record = self.env["auth.api.key"].sudo()._retrieve_api_key(key)
        self.assertEqual(record.user_id, self.manager_a)
        # Shown once: the list afterwards holds only its hint.
        listing = self.url_open("/my/renewal-api").text
        self.assertNotIn(key, listing)
        self.assertIn(record.key_hint, listing)
        self.url_open(
            f"/my/renewal-api/keys/{record.id}/revoke",
            data={"csrf_token": self.csrf("/my/renewal-api")},
        )
        self.assertFalse(record.active)

    def test_webhook_pages(self):
        self.authenticate("api_manager_a", "api_manager_a")
        page = self.url_open(
            "/my/renewal-api/webhooks",
            data={
                "name": "Our ERP",
                "url": "http://127.0.0.1:9/hook",
                "event_renewed": "1",
                "csrf_token": self.csrf("/my/renewal-api"),
            },
        )
        self.assertIn("whsec_", page.text)
        webhook = self.env["renewal.webhook"].search([("name", "=", "Our ERP")])
        self.assertEqual(webhook.partner_id, self.reseller_a)
        self.assertEqual(webhook._events(), ["renewed"])
        self.assertEqual(
            self.url_open(f"/my/renewal-api/webhooks/{webhook.id}").status_code, 200
        )
        # B's manager neither sees nor removes it.
        self.authenticate("api_manager_b", "api_manager_b")
        self.assertNotIn("Our ERP", self.url_open("/my/renewal-api").text)
        log = self.url_open(f"/my/renewal-api/webhooks/{webhook.id}")
        self.assertNotIn("Our ERP", log.text)
        self.url_open(
            f"/my/renewal-api/webhooks/{webhook.id}/revoke",
            data={"csrf_token": self.csrf("/my/renewal-api")},
        )
        self.assertTrue(webhook.active)

    def test_salesperson_has_no_api_page(self):
        self.authenticate("api_seller_a", "api_seller_a")
        self.assertNotIn("/my/renewal-api", self.url_open("/my").text)
        response = self.url_open("/my/renewal-api")
        self.assertTrue(response.url.endswith("/my"))
