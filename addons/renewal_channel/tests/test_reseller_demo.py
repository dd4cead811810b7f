import time

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser


@tagged("post_install", "-at_install")
class TestResellerPortalDemo(HttpCase):
    """The demo a person tries: ServerHuis's renewals manager in the
    portal, with its feed, its first upload and its customers, and a
    customer's page in ServerHuis's brand; Bits & Bytes's manager sees none
    of ServerHuis's."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("renewal_channel.user_reseller_serverhuis", False):
            self.skipTest("installed without demo data")
        self.serverhuis = self.env.ref("renewal_contracts.partner_reseller_serverhuis")
        self.user = self.env.ref("renewal_channel.user_reseller_serverhuis")
        self.other = self.env.ref("renewal_channel.user_reseller_bitsbytes")

    def test_demo_reseller_portal(self):
        self.assertEqual(self.user.sudo()._renewal_channel_partner(), self.serverhuis)
        source = self.env.ref("renewal_channel.feed_source_serverhuis")
        feed_import = source.import_ids[-1:]
        self.assertEqual(feed_import.user_id, self.user)
        # Checked by a dry run: what it would create, its rejected rows.
        self.assertEqual(feed_import.state, "checked")
        self.assertEqual(feed_import.created_count, 5)
        self.assertEqual(feed_import.rejected_count, 2)
        self.assertEqual(
            feed_import.with_user(self.user).error_ids.mapped("value"),
            ["PWR-X999", "31-02-2027"],
        )
        # Eva's "Import this file" on that page.
        done = (
            feed_import.with_user(self.user)
            .with_context(queue_job__no_delay=True)
            .action_reseller_import()
        )
        self.assertEqual((done.state, done.created_count), ("done", 5))
        self.assertEqual(
            set(done.sudo().error_ids.mapped("value")), {"PWR-X999", "31-02-2027"}
        )
        Source = self.env["renewal.feed.source"]
        self.assertEqual(Source.with_user(self.user).search([]), source)
        self.assertFalse(Source.with_user(self.other).search([]))
        Contract = self.env["renewal.contract"]
        for user in (self.user, self.other):
            reseller = user.sudo()._renewal_channel_partner()
            customers = [c for c, *_ in Contract.with_user(user)._reseller_customers()]
            sold = Contract.search(
                [
                    "|",
                    ("reseller_id", "=", reseller.id),
                    ("distributor_id", "=", reseller.id),
                ]
            ).partner_id
            with self.subTest(reseller=reseller.name):
                self.assertTrue(customers)
                self.assertEqual(set(customers), set(sold))

    def test_demo_branded_page(self):
        """A ServerHuis customer's page, in ServerHuis's brand, saved as a
        picture (``--screenshots``)."""
        Contract = self.env["renewal.contract"]
        contract = Contract.search(
            [("reseller_id", "=", self.serverhuis.id), ("is_cancelled", "=", False)],
            order="next_expiry_date",
            limit=1,
        )
        link = contract.partner_id.with_user(self.user)._renewal_reseller_send_link()
        mail = self.env["mail.mail"].search(
            [("model", "=", link._name), ("res_id", "=", link.id)]
        )
        path = "/renewals/" + mail.body_html.split("/renewals/")[1].split('"')[0]
        page = self.url_open(path).text
        self.assertIn("o_renewal_brand_header", page)
        self.assertIn("ServerHuis BV", page)
        self.assertIn("Herengracht 182", page)
        self.assertIn("--renewal-brand-primary: #2e8b57;", page)
        browser = ChromeBrowser(self, headless=True)
        try:
            self.authenticate(None, None, browser=browser)
            browser.navigate_to(self.base_url() + path, wait_stop=True)
            browser._wait_ready("document.readyState === 'complete'")
            # Let the page's scripts and fonts settle before the picture.
            time.sleep(2)
            browser.take_screenshot("renewal_reseller_branded_page_").result(timeout=20)
            browser.navigate_to("about:blank", wait_stop=True)
        finally:
            browser.stop()
            self._wait_remaining_requests()
