from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import ScreenshotMixin

PHONE = "390x844"
DESKTOP = "1366x768"


@tagged("post_install", "-at_install")
class TestRenewalPortalTour(ScreenshotMixin, HttpCase):
    """The pages in a real browser (headless Chromium), on a computer and a
    phone, in English and French, with a screenshot of each in the test
    run's output folder (``--screenshots``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env = env
        today = fields.Date.context_today(env["renewal.contract"])
        product = env["product.product"].create(
            {"name": "Tour Server", "default_code": "TS-1", "list_price": 1200.0}
        )
        cls.reason = env["renewal.cancel.reason"].create({"name": "Tour reason"})
        cls.customer = env["res.partner"].create(
            {
                "name": "Tour Customer Ltd",
                "is_company": True,
                "email": "it@tour.example",
            }
        )
        cls.salesperson = new_test_user(
            env,
            login="tour_sales",
            name="Tess Tour",
            groups="renewal_contracts.renewal_contracts_group_user",
        )

        def line(serial, price):
            return Command.create(
                {"product_id": product.id, "serial_number": serial, "list_price": price}
            )

        contracts = env["renewal.contract"].create(
            [
                {
                    "name": name,
                    "partner_id": cls.customer.id,
                    "user_id": cls.salesperson.id,
                    "date_start": today - timedelta(days=400),
                    "date_end": today + timedelta(days=end),
                    "line_ids": lines,
                }
                for name, end, lines in [
                    ("T-RED", -5, [line("T-RED-SN", 100.0)]),
                    (
                        "T-AMBER",
                        40,
                        [line("T-AMBER-SN", 100.0), line("T-AMBER-SN2", 150.0)],
                    ),
                    ("T-GREEN", 400, [line("T-GREEN-SN", 100.0)]),
                    ("T-BLACK", 200, [line("T-BLACK-SN", 100.0)]),
                ]
            ]
        )
        contracts[3]._cancel(cls.reason)
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
            cls.customer, "sales", holder=cls.salesperson.partner_id, contract=cls.due
        )[1].removeprefix(base)
        cls.contract_path = f"{cls.customer_path}/contract/{cls.due.id}"

    def test_customer_tour(self):
        self.start_tour(self.customer_path, "renewal_portal_customer")
        self.env.invalidate_all()
        self.assertEqual(self.order.state, "sale")
        self.assertTrue(self.order.signature)
        # Confirming renewed the lines.
        self.assertTrue(self.due.line_ids.filtered("successor_line_id"))
        self.assertEqual(self.due.activity_ids.activity_type_id.name, "Call")
        self.screenshot(self.customer_path, "renewal_customer_page_")

    def test_sales_tour(self):
        self.start_tour(self.sales_path, "renewal_portal_sales")
        self.env.invalidate_all()
        line = self.due.line_ids.filtered(
            lambda line: line.serial_number == "T-AMBER-SN"
        )
        self.assertEqual(line.renewal_price, 777.0)
        self.screenshot(self.sales_path, "renewal_sales_page_")

    def test_phone_and_desktop(self):
        """Below the tablet breakpoint the list is compact cards, nothing
        scrolls sideways; on a computer it is a table."""
        for size, tour, prefix in [
            (PHONE, "renewal_portal_phone", "renewal_list_phone_390_"),
            (DESKTOP, "renewal_portal_desktop", "renewal_list_desktop_1366_"),
        ]:
            with self.subTest(size=size):
                self.browser_size = size
                self.start_tour(self.customer_path, tour)
                self.screenshot(self.customer_path, prefix)
        self.browser_size = PHONE
        self.screenshot(self.contract_path, "renewal_contract_phone_390_")

    def test_partial_renewal_tour(self):
        self.start_tour(self.customer_path, "renewal_portal_partial")
        self.env.invalidate_all()
        kept, left_out = self.due.line_ids.sorted("serial_number")
        self.assertEqual(
            (left_out.serial_number, left_out.customer_left_out), ("T-AMBER-SN2", True)
        )
        self.assertEqual(left_out.cancel_reason_id, self.reason)
        self.assertEqual(self.order.order_line.renewal_line_id, kept)
        self.screenshot(self.contract_path, "renewal_partial_renewal_")

    def test_french_customer_tour(self):
        """A French customer's link opens the page in French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        # Odoo's and the suite's own shipped translations (i18n/fr.po).
        self.env["ir.module.module"]._load_module_terms(
            ["web", "portal", "renewal_contracts", "renewal_portal"], ["fr_FR"]
        )
        self.customer.lang = "fr_FR"
        self.browser_size = PHONE
        self.start_tour(self.customer_path, "renewal_portal_french")
        self.screenshot(self.customer_path, "renewal_list_french_390_")
        self.browser_size = DESKTOP
        self.screenshot(self.contract_path, "renewal_contract_french_1366_")
