import time
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser


@tagged("post_install", "-at_install")
class TestRenewalPortalTour(HttpCase):
    """Both pages in a real browser (headless Chromium), with a screenshot
    of each in the test run's output folder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        today = fields.Date.context_today(env["renewal.contract"])
        product = env["product.product"].create(
            {"name": "Tour Server", "default_code": "TS-1", "list_price": 1200.0}
        )
        reason = env["renewal.cancel.reason"].create({"name": "Tour reason"})
        cls.customer = env["res.partner"].create(
            {
                "name": "Tour Customer Ltd",
                "is_company": True,
                "email": "it@tour.example",
            }
        )
        contracts = env["renewal.contract"].create(
            [
                {
                    "name": name,
                    "partner_id": cls.customer.id,
                    "date_start": today - timedelta(days=400),
                    "date_end": today + timedelta(days=end),
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "serial_number": f"{name}-SN",
                                "list_price": 100.0,
                            }
                        )
                    ],
                }
                for name, end in [
                    ("T-RED", -5),
                    ("T-AMBER", 40),
                    ("T-GREEN", 400),
                    ("T-BLACK", 200),
                ]
            ]
        )
        contracts[3]._cancel(reason)
        cls.due = contracts[1]
        cls.order = env["sale.order"]._renewal_generate(cls.due.line_ids)
        # Signing confirms it: no online payment in this test.
        cls.order.write({"require_signature": True, "require_payment": False})
        Link = env["renewal.portal.link"]
        base = env["ir.config_parameter"].get_param("web.base.url")
        cls.customer_path = Link._issue(cls.customer, "customer", contract=cls.due)[
            1
        ].removeprefix(base)
        cls.sales_path = Link._issue(
            cls.customer, "sales", holder=env.user.partner_id, contract=cls.due
        )[1].removeprefix(base)

    def screenshot(self, path, prefix):
        """The page as the browser shows it, saved under the run's
        ``--screenshots`` folder."""
        browser = ChromeBrowser(self, headless=True)
        try:
            self.authenticate(None, None, browser=browser)
            browser.navigate_to(self.base_url() + path, wait_stop=True)
            # Let the page's scripts finish starting before the picture.
            browser._wait_ready("document.readyState === 'complete'")
            time.sleep(2)
            browser.take_screenshot(prefix).result(timeout=20)
            # Leave the page before closing, so nothing is cut off mid-request.
            browser.navigate_to("about:blank", wait_stop=True)
        finally:
            browser.stop()
            self._wait_remaining_requests()

    def test_customer_tour(self):
        self.start_tour(self.customer_path, "renewal_portal_customer")
        self.env.invalidate_all()
        self.assertEqual(self.order.state, "sale")
        self.assertTrue(self.order.signature)
        # Confirming renewed the line.
        self.assertTrue(self.due.line_ids.filtered("successor_line_id"))
        self.assertEqual(self.due.activity_ids.activity_type_id.name, "Call")
        self.screenshot(self.customer_path, "renewal_customer_page_")

    def test_sales_tour(self):
        self.start_tour(self.sales_path, "renewal_portal_sales")
        self.env.invalidate_all()
        line = self.due.line_ids
        self.assertEqual(line.renewal_price, 777.0)
        self.screenshot(self.sales_path, "renewal_sales_page_")
