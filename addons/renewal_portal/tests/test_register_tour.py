from odoo.tests import HttpCase, tagged

from .common import ScreenshotMixin

PHONE = "390x844"
DESKTOP = "1366x768"
# Fill in the public form wrongly (a serial number off the pattern, a date
# in the future, an e-mail address without a domain) and send it.
BAD_INPUT = """
const form = document.querySelector("form.o_renewal_register_form");
form.product_id.value = "%s";
form.serial_number.value = "TR-12<b>";
form.purchase_date.value = "2999-01-01";
form.name.value = "Tina Tour";
form.email.value = "tina@";
form.submit();
"""


@tagged("post_install", "-at_install")
class TestRegisterTour(ScreenshotMixin, HttpCase):
    """Registering a product in a real browser (headless Chromium), from
    the customer's renewal page and on the public page, with screenshots in
    the test run's output folder (``--screenshots``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env = env
        level = env["renewal.service.level"].create(
            {"name": "Tour Warranty", "warranty_only": True, "sequence": 0}
        )
        cls.router = env["product.product"].create(
            {
                "name": "Tour Router",
                "default_code": "TR-1",
                "list_price": 640.0,
                "renewal_serial_pattern": r"TR-\d{4}",
                "renewal_warranty_months": 24,
                "renewal_warranty_level_id": level.id,
            }
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "Tour Register Customer",
                "is_company": True,
                "email": "it@tour-register.example",
            }
        )
        base = env["ir.config_parameter"].get_param("web.base.url")
        cls.customer_path = (
            env["renewal.portal.link"]
            ._issue(cls.customer, "customer")[1]
            .removeprefix(base)
        )

    def test_register_from_the_renewal_page(self):
        self.browser_size = DESKTOP
        self.start_tour(self.customer_path, "renewal_portal_register")
        installed = self.env["renewal.installed.product"].search(
            [("serial_number", "=", "TR-4242")]
        )
        self.assertEqual(installed.partner_id, self.customer)
        self.assertEqual(installed.product_id, self.router)
        self.assertEqual(installed.registration_channel, "customer_page")
        self.assertEqual(installed.coverage_state, "warranty")
        # The refused serial number wrote nothing.
        self.assertFalse(
            self.env["renewal.registration"].search([("serial_number", "=", "TR-12")])
        )
        self.screenshot(self.customer_path, "renewal_registered_products_1366_")
        self.browser_size = PHONE
        self.screenshot(self.customer_path, "renewal_registered_products_phone_390_")

    def test_register_on_the_public_page(self):
        self.browser_size = DESKTOP
        self.screenshot("/renewals/register", "renewal_register_public_1366_")
        self.start_tour("/renewals/register", "renewal_portal_register_public")
        installed = self.env["renewal.installed.product"].search(
            [("serial_number", "=", "TR-5151")]
        )
        self.assertEqual(installed.registration_channel, "customer_page")
        self.assertEqual(installed.partner_id.country_id.code, "BE")
        self.assertIn(
            "tina@tour-register.example",
            self.env["res.partner"]
            .search([("id", "child_of", installed.partner_id.id)])
            .mapped("email"),
        )
        # Bad input: each error next to its field, what was typed kept.
        self.screenshot(
            "/renewals/register",
            "renewal_register_errors_1366_",
            action=BAD_INPUT % self.router.id,
            ready="document.querySelectorAll('.o_renewal_field_error').length >= 3",
        )
        self.browser_size = PHONE
        self.screenshot("/renewals/register", "renewal_register_public_phone_390_")
        self.screenshot(
            self.customer_path + "/register", "renewal_register_from_link_phone_390_"
        )
