import time
from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import ChromeBrowser


class ScreenshotMixin:
    """Screenshots of the pages for an ``HttpCase``."""

    def screenshot(self, path, prefix, action=None, ready=None):
        """The page as the browser shows it (at ``self.browser_size``),
        saved under the run's ``--screenshots`` folder; when ``action`` (a
        script, say filling in and sending a form) is given, the page once
        ``action`` has run and ``ready`` (a script) is true."""
        browser = ChromeBrowser(self, headless=True)
        try:
            self.authenticate(None, None, browser=browser)
            browser.navigate_to(self.base_url() + path, wait_stop=True)
            # Let the page's scripts finish starting before the picture.
            browser._wait_ready("document.readyState === 'complete'")
            if action:
                browser._websocket_request(
                    "Runtime.evaluate", params={"expression": action}
                )
                self.assertTrue(browser._wait_ready(ready, timeout=20))
            time.sleep(2)
            browser.take_screenshot(prefix).result(timeout=20)
            # Leave the page before closing, so nothing is cut off mid-request.
            browser.navigate_to("about:blank", wait_stop=True)
        finally:
            browser.stop()
            self._wait_remaining_requests()


class RenewalPortalCase(HttpCase):
    """Two vendor companies and a customer shared between them, two
    resellers, internal and portal users, and the links of each kind.

    Company A: SH-A1 sold by Reseller One's Sam (seller), SH-A2 by Reseller
    One with no salesperson, SH-A3 by Reseller Two's Tom, SH-A4 direct by the
    vendor's salesperson. Company B:
    SH-B1 sold by Sam too, SH-B2 direct. Every contract covers two lines of
    its own products ("<name> Server", "<name> Storage").
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env = env
        Partner = env["res.partner"]
        cls.company_a = env.company
        cls.company_b = env["res.company"].create({"name": "Vendor B"})
        cls.reason = env["renewal.cancel.reason"].create({"name": "Reach reason"})
        cls.other_reason = env["renewal.cancel.reason"].create(
            {"name": "Reach other reason"}
        )
        cls.reseller_1 = Partner.create(
            {"name": "Reseller One", "is_company": True, "is_renewal_reseller": True}
        )
        cls.reseller_2 = Partner.create(
            {"name": "Reseller Two", "is_company": True, "is_renewal_reseller": True}
        )
        cls.seller_1 = Partner.create(
            {
                "name": "Sam Seller",
                "parent_id": cls.reseller_1.id,
                "email": "sam@reseller-one.example.com",
            }
        )
        cls.seller_2 = Partner.create(
            {"name": "Tom Two", "parent_id": cls.reseller_2.id}
        )
        cls.customer = Partner.create(
            {"name": "Shared Health", "is_company": True, "email": "it@sh.example"}
        )
        cls.customer_contact = Partner.create(
            {
                "name": "Ida Shared",
                "parent_id": cls.customer.id,
                "email": "ida@sh.example",
            }
        )
        cls.sales_user = new_test_user(
            env,
            login="reach_sales_a",
            name="Vic Vendor",
            email="vic@vendor-a.example.com",
            groups="renewal_contracts.renewal_contracts_group_user",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.manager = new_test_user(
            env,
            login="reach_manager_a",
            groups="renewal_contracts.renewal_contracts_group_manager",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.user_b = new_test_user(
            env,
            login="reach_user_b",
            groups="renewal_contracts.renewal_contracts_group_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.today = fields.Date.context_today(env["renewal.contract"])
        cls.contracts = {}
        for name, company, values in [
            ("SH-A1", cls.company_a, cls._sold_by(cls.seller_1)),
            ("SH-A2", cls.company_a, {"reseller_id": cls.reseller_1.id}),
            ("SH-A3", cls.company_a, cls._sold_by(cls.seller_2)),
            ("SH-A4", cls.company_a, {"user_id": cls.sales_user.id}),
            ("SH-B1", cls.company_b, cls._sold_by(cls.seller_1)),
            ("SH-B2", cls.company_b, {"user_id": cls.user_b.id}),
        ]:
            cls.contracts[name] = cls._make_contract(name, company, **values)
        Link = env["renewal.portal.link"]
        contract = cls.contracts
        cls.link_customer, url = Link._issue(
            cls.customer, "customer", contract=contract["SH-A1"]
        )
        cls.path_customer = cls._path(url)
        cls.link_seller, url = Link._issue(
            cls.customer, "sales", holder=cls.seller_1, contract=contract["SH-A1"]
        )
        cls.path_seller = cls._path(url)
        cls.link_vendor, url = Link._issue(
            cls.customer,
            "sales",
            holder=cls.sales_user.partner_id,
            contract=contract["SH-A4"],
        )
        cls.path_vendor = cls._path(url)
        cls.link_customer_b, url = Link._issue(
            cls.customer, "customer", contract=contract["SH-B1"]
        )
        cls.path_customer_b = cls._path(url)
        cls.link_seller_b, url = Link._issue(
            cls.customer, "sales", holder=cls.seller_1, contract=contract["SH-B1"]
        )
        cls.path_seller_b = cls._path(url)

    @classmethod
    def _sold_by(cls, salesperson):
        return {
            "reseller_id": salesperson.parent_id.id,
            "reseller_salesperson_id": salesperson.id,
        }

    @classmethod
    def _make_contract(cls, name, company, end=30, **values):
        products = cls.env["product.product"].create(
            [
                {"name": f"{name} {kind}", "list_price": 1000.0}
                for kind in ("Server", "Storage")
            ]
        )
        return (
            cls.env["renewal.contract"]
            .with_company(company)
            .create(
                dict(
                    {
                        "name": name,
                        "company_id": company.id,
                        "partner_id": cls.customer.id,
                        "date_start": cls.today - timedelta(days=335),
                        "date_end": cls.today + timedelta(days=end),
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": product.id,
                                    "serial_number": f"{name}-SN{index}",
                                    "list_price": 100.0 * index,
                                }
                            )
                            for index, product in enumerate(products, start=1)
                        ],
                    },
                    **values,
                )
            )
        )

    @classmethod
    def _path(cls, url):
        return url.removeprefix(
            cls.env["ir.config_parameter"].get_param("web.base.url")
        )

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def names(self, contracts):
        return set(contracts.mapped("name"))

    def get(self, path):
        return self.url_open(path, allow_redirects=False)

    def post(self, path, contract, **data):
        data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(
            f"{path}/contract/{contract.id}/do", data=data, allow_redirects=False
        )

    @classmethod
    def portal_user(cls, login, partner):
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=partner.id
        )
