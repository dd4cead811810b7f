from datetime import timedelta

from odoo import Command, fields, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestRenewalPortal(HttpCase):
    """The renewal pages over HTTP: tokens, scopes, IDOR, CSRF, escaping,
    record rules for resellers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env = env
        Partner = env["res.partner"]
        cls.product = env["product.product"].create(
            {"name": "Portal Server", "default_code": "PS-1", "list_price": 900.0}
        )
        cls.reason = env["renewal.cancel.reason"].create({"name": "Portal test reason"})
        cls.reseller_1 = Partner.create(
            {"name": "Reseller One", "is_company": True, "is_renewal_reseller": True}
        )
        cls.reseller_2 = Partner.create(
            {"name": "Reseller Two", "is_company": True, "is_renewal_reseller": True}
        )
        cls.seller_1 = Partner.create(
            {"name": "Sam Seller", "parent_id": cls.reseller_1.id}
        )
        cls.seller_2 = Partner.create(
            {"name": "Tom Two", "parent_id": cls.reseller_2.id}
        )
        cls.customer_a = Partner.create({"name": "Alpha Hospital", "is_company": True})
        cls.customer_b = Partner.create({"name": "Beta School", "is_company": True})
        today = fields.Date.context_today(env["renewal.contract"])
        cls.today = today

        def contract(name, partner, end, **values):
            return env["renewal.contract"].create(
                dict(
                    {
                        "name": name,
                        "partner_id": partner.id,
                        "date_start": today - timedelta(days=400),
                        "date_end": today + timedelta(days=end),
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": cls.product.id,
                                    "serial_number": f"{name}-SN",
                                    "list_price": 100.0,
                                }
                            )
                        ],
                    },
                    **values,
                )
            )

        cls.contract = staticmethod(contract)
        cls.a_overdue = contract("A-RED", cls.customer_a, -10)
        cls.a_due = contract(
            "A-AMBER",
            cls.customer_a,
            30,
            reseller_id=cls.reseller_1.id,
            reseller_salesperson_id=cls.seller_1.id,
        )
        cls.a_live = contract("A-GREEN", cls.customer_a, 300)
        cls.a_cancelled = contract("A-BLACK", cls.customer_a, 100)
        cls.a_cancelled._cancel(cls.reason)
        cls.b_contract = contract(
            "B-ONLY",
            cls.customer_b,
            30,
            reseller_id=cls.reseller_2.id,
            reseller_salesperson_id=cls.seller_2.id,
        )
        cls.a_other_seller = contract(
            "A-BOSS-ONLY", cls.customer_a, 60, reseller_id=cls.reseller_1.id
        )
        Link = env["renewal.portal.link"]
        _link, cls.url_a = Link._issue(cls.customer_a, "customer", contract=cls.a_due)
        cls.link_sales, cls.url_sales = Link._issue(
            cls.customer_a, "sales", holder=cls.seller_1, contract=cls.a_due
        )
        _link, cls.url_b = Link._issue(cls.customer_b, "customer")
        cls.expired, cls.url_expired = Link._issue(cls.customer_a, "customer")
        cls.expired.expires_at = fields.Datetime.now() - timedelta(seconds=1)
        cls.revoked, cls.url_revoked = Link._issue(cls.customer_a, "customer")
        cls.revoked.action_revoke()
        base = cls.env["ir.config_parameter"].get_param("web.base.url")
        cls.path_a = cls.url_a.removeprefix(base)
        cls.path_sales = cls.url_sales.removeprefix(base)
        cls.path_b = cls.url_b.removeprefix(base)

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def get(self, path):
        return self.url_open(path, allow_redirects=False)

    def post(self, path, contract, csrf=True, **data):
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(
            f"{path}/contract/{contract.id}/do", data=data, allow_redirects=False
        )

    # ------------------------------------------------------------------

    def test_customer_page_lists_every_contract_in_colour(self):
        response = self.get(self.path_a)
        self.assertEqual(response.status_code, 200)
        page = response.text
        for name in ("A-RED", "A-AMBER", "A-GREEN", "A-BLACK", "A-BOSS-ONLY"):
            self.assertIn(name, page)
        self.assertNotIn("B-ONLY", page)
        for status, css in [
            ("overdue", "text-bg-danger"),
            ("due", "text-bg-warning"),
            ("live", "text-bg-success"),
            ("cancelled", "text-bg-dark"),
        ]:
            self.assertIn(f"o_renewal_status_{status} {css}", page)
        # The contract of the e-mail is highlighted.
        self.assertRegex(page, r'o_renewal_highlight"\s+data-contract="A-AMBER"')
        # Filter, search and the detail page.
        filtered = self.get(f"{self.path_a}?filterby=overdue").text
        self.assertIn('data-contract="A-RED"', filtered)
        # (Its serial number is among the registered products below.)
        self.assertNotIn('data-contract="A-GREEN"', filtered)
        self.assertIn("A-GREEN", self.get(f"{self.path_a}?search=A-GREEN-SN").text)
        detail = self.get(f"{self.path_a}/contract/{self.a_due.id}")
        self.assertEqual(detail.status_code, 200)
        self.assertIn("A-AMBER-SN", detail.text)
        self.assertIn("Request a call-back", detail.text)
        self.assertNotIn("o_renewal_amend_line", detail.text)

    def test_invalid_links_get_a_polite_page(self):
        """No, a wrong, an expired or a revoked token, on every route."""
        base = self.env["ir.config_parameter"].get_param("web.base.url")
        contract = self.a_due
        for prefix in (
            "/renewals/not-a-token",
            "/renewals/" + "x" * 300,
            self.url_expired.removeprefix(base),
            self.url_revoked.removeprefix(base),
        ):
            for path in (
                prefix,
                f"{prefix}/page/2",
                f"{prefix}/contract/{contract.id}",
                f"{prefix}/contract/{contract.id}/certificate?report_type=html",
            ):
                with self.subTest(path=path[-50:]):
                    response = self.get(path)
                    self.assertEqual(response.status_code, 404)
                    self.assertIn("This link is not valid any more", response.text)
                    self.assertNotIn("Alpha Hospital", response.text)
                    self.assertNotIn("A-AMBER", response.text)
                    self.assertNotIn("Traceback", response.text)
            with self.subTest(path=f"{prefix[-30:]} POST"):
                response = self.post(prefix, contract, action="po", po="HACK")
                self.assertEqual(response.status_code, 404)
        self.assertFalse(contract.customer_po_number)
        self.assertEqual(self.get("/renewals/").status_code, 404)

    def test_other_customers_contract_is_out_of_reach(self):
        """Changing ids in URLs and forms (IDOR) on every route."""
        b = self.b_contract
        for path in (
            f"{self.path_a}/contract/{b.id}",
            f"{self.path_a}/contract/{b.id}/certificate?report_type=html",
            f"{self.path_sales}/contract/{b.id}",
            f"{self.path_a}/contract/999999999",
        ):
            with self.subTest(path=path[-30:]):
                self.assertEqual(self.get(path).status_code, 404)
        for path, action in (
            (self.path_a, "callback"),
            (self.path_a, "po"),
            (self.path_sales, "cancel"),
        ):
            response = self.post(
                path, b, action=action, po="X", reason_id=self.reason.id
            )
            self.assertEqual(response.status_code, 404)
        self.assertFalse(b.is_cancelled)
        self.assertFalse(b.customer_po_number)
        # A line of another customer through the right contract's form.
        response = self.post(
            self.path_sales,
            self.a_due,
            action="amend_line",
            line_id=b.line_ids.id,
            renewal_price="1",
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(b.line_ids.renewal_price, 0.0)

    def test_customer_link_cannot_amend(self):
        line = self.a_due.line_ids
        for action in ("amend_line", "amend_contract", "cancel", "reopen"):
            with self.subTest(action=action):
                response = self.post(
                    self.path_a,
                    self.a_due,
                    action=action,
                    line_id=line.id,
                    renewal_price="1",
                    reason_id=self.reason.id,
                )
                self.assertEqual(response.status_code, 403)
        self.assertEqual(line.renewal_price, 0.0)
        self.assertFalse(self.a_due.is_cancelled)

    def test_sales_view_amends_and_logs(self):
        line = self.a_due.line_ids
        response = self.post(
            self.path_sales,
            self.a_due,
            action="amend_line",
            line_id=line.id,
            renewal_price="812.50",
            renewal_discount="7.5",
            warranty_only="on",
        )
        self.assertEqual(response.status_code, 303)
        line.invalidate_recordset()
        self.assertEqual(
            (line.renewal_price, line.renewal_discount, line.warranty_only),
            (812.5, 7.5, True),
        )
        message = self.a_due.message_ids[0]
        self.assertEqual(message.author_id, self.seller_1)
        self.assertIn("Sam Seller changed A-AMBER-SN", message.body)
        self.assertIn("812.5", message.body)
        # The customer sees it at once.
        self.assertIn(
            "812.50", self.get(f"{self.path_a}/contract/{self.a_due.id}").text
        )
        # Status and flags; the contract it is consolidated into must be
        # one the holder sells too.
        sold_too = self.contract(
            "A-AMBER-2",
            self.customer_a,
            40,
            reseller_id=self.reseller_1.id,
            reseller_salesperson_id=self.seller_1.id,
        )
        response = self.post(
            self.path_sales,
            self.a_due,
            action="amend_contract",
            do_not_contact="on",
            consolidated_into="A-GREEN",
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.a_due.do_not_contact)
        self.post(
            self.path_sales,
            self.a_due,
            action="amend_contract",
            do_not_contact="on",
            consolidated_into="A-AMBER-2",
        )
        self.a_due.invalidate_recordset()
        self.assertTrue(self.a_due.do_not_contact)
        self.assertEqual(self.a_due.consolidated_into_id, sold_too)
        self.post(
            self.path_sales, self.a_due, action="cancel", reason_id=self.reason.id
        )
        self.assertEqual(self.a_due.status, "cancelled")
        self.assertIn(
            "Cancelled by Sam Seller", "".join(self.a_due.message_ids.mapped("body"))
        )
        # Re-opening is a Renewals Manager's: the link refuses it.
        response = self.post(self.path_sales, self.a_due, action="reopen")
        self.assertEqual(response.status_code, 400)
        self.a_due.invalidate_recordset()
        self.assertTrue(self.a_due.is_cancelled)

    def test_customer_actions(self):
        contract = self.a_due
        response = self.post(self.path_a, contract, action="callback", note="After 3pm")
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=callback", response.headers["Location"])
        activity = contract.activity_ids
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        self.assertIn("After 3pm", contract.message_ids[0].body)
        self.assertEqual(contract.message_ids[0].author_id, self.customer_a)
        self.post(self.path_a, contract, action="po", po="PO-4711")
        self.assertEqual(contract.customer_po_number, "PO-4711")
        self.post(
            self.path_a, contract, action="reply", body="Can we talk about 3 years?"
        )
        self.assertIn("3 years", contract.message_ids[0].body)
        self.post(self.path_a, contract, action="reseller")
        self.assertIn(self.seller_1, contract.message_ids[0].partner_ids)
        # Declining needs a reason: the page says so, nothing is written.
        response = self.post(self.path_a, contract, action="decline")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Please choose a reason.", response.text)
        self.assertFalse(contract.is_cancelled)
        self.post(self.path_a, contract, action="decline", reason_id=self.reason.id)
        self.assertTrue(contract.is_cancelled)
        self.assertEqual(contract.cancel_reason_id, self.reason)

    @mute_logger("odoo.http")
    def test_post_needs_csrf(self):
        response = self.post(
            self.path_a, self.a_due, csrf=False, action="po", po="NOCSRF"
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.a_due.customer_po_number)

    def test_feed_text_is_escaped(self):
        payload = '<script>alert("x")</script>'
        self.a_live.line_ids.serial_number = payload
        self.a_live.customer_po_number = "<b>bold</b>"
        for path in (self.path_a, f"{self.path_a}/contract/{self.a_live.id}"):
            page = self.get(path).text
            self.assertNotIn(payload, page)
            self.assertIn("&lt;script&gt;", page)
        self.assertIn(
            "&lt;b&gt;bold&lt;/b&gt;",
            self.get(f"{self.path_a}/contract/{self.a_live.id}").text,
        )

    def test_certificate_and_quotation_links(self):
        html = self.get(
            f"{self.path_a}/contract/{self.a_due.id}/certificate?report_type=html"
        )
        self.assertEqual(html.status_code, 200)
        self.assertIn("Certificate of Entitlement", html.text)
        self.assertIn("A-AMBER-SN", html.text)
        order = self.env["sale.order"]._renewal_generate(self.a_due.line_ids)
        page = self.get(f"{self.path_a}/contract/{self.a_due.id}").text
        self.assertIn(f"quotation {order.name}", page)
        self.assertIn(f"/my/orders/{order.id}?access_token={order.access_token}", page)

    def test_resellers_see_only_their_contracts(self):
        users = {}
        for login, partner in [
            ("seller1", self.seller_1),
            ("seller2", self.seller_2),
            ("alpha", self.customer_a),
        ]:
            users[login] = new_test_user(
                self.env, login=login, groups="base.group_portal", partner_id=partner.id
            )
        Contract = self.env["renewal.contract"]
        seen = {
            login: set(Contract.with_user(user).search([]).mapped("name"))
            for login, user in users.items()
        }
        self.assertEqual(seen["seller1"], {"A-AMBER"})
        self.assertEqual(seen["seller2"], {"B-ONLY"})
        self.assertEqual(
            seen["alpha"], {"A-RED", "A-AMBER", "A-GREEN", "A-BLACK", "A-BOSS-ONLY"}
        )
        with self.assertRaises(AccessError):
            self.b_contract.with_user(users["seller1"]).read(["name"])
        with self.assertRaises(AccessError):
            self.b_contract.line_ids.with_user(users["seller1"]).read(["serial_number"])
        # The same through /my.
        self.authenticate("seller2", "seller2")
        page = self.get("/my/renewals").text
        self.assertIn("B-ONLY", page)
        self.assertNotIn("A-AMBER", page)
        self.assertEqual(self.get(f"/my/renewals/{self.a_due.id}").status_code, 303)
        self.assertEqual(
            self.get(f"/my/renewals/{self.b_contract.id}").status_code, 200
        )

    def test_query_count_does_not_grow_with_contracts(self):
        big = self.env["res.partner"].create(
            {"name": "Gamma Group", "is_company": True}
        )
        _link, url = self.env["renewal.portal.link"]._issue(big, "customer")
        base = self.env["ir.config_parameter"].get_param("web.base.url")
        path = url.removeprefix(base)
        counts = []
        for total in (10, 120):
            existing = self.env["renewal.contract"].search_count(
                [("partner_id", "=", big.id)]
            )
            for index in range(existing, total):
                self.contract(f"G-{index:04d}", big, 20 + index % 200)
            self.env.flush_all()
            self.get(path)  # warm the caches
            before = self.cr.sql_log_count
            response = self.get(path)
            counts.append(self.cr.sql_log_count - before)
            self.assertEqual(response.status_code, 200)
        self.assertEqual(
            counts[0], counts[1], f"queries for 10 and 120 contracts: {counts}"
        )

    def test_links_from_the_back_office(self):
        action = self.a_due.action_issue_customer_link()
        url = action["params"]["message"]
        self.assertIn("/renewals/", url)
        link = self.env["renewal.portal.link"].search([], limit=1)
        token = url.rsplit("/", 1)[1]
        self.assertNotIn(token, link.token_hash)
        self.assertGreaterEqual(len(token), 43)  # 256 bits, base64
        self.assertEqual(self.env["renewal.portal.link"]._find(token), link)
        reissue = link.action_reissue()
        self.assertTrue(link.revoked)
        self.assertFalse(self.env["renewal.portal.link"]._find(token))
        self.assertIn("/renewals/", reissue["params"]["message"])

    def test_portal_home_counter_and_last_use(self):
        user = new_test_user(
            self.env,
            login="alpha2",
            groups="base.group_portal",
            partner_id=self.customer_a.id,
        )
        self.authenticate("alpha2", "alpha2")
        response = self.url_open(
            "/my/counters",
            data='{"params": {"counters": ["renewal_count"]}}',
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.json()["result"]["renewal_count"], 5)
        self.assertIn("/my/renewals", self.get("/my/home").text)
        self.assertTrue(user)
        # The link notes its last use, without a write on every page view.
        link = self.env["renewal.portal.link"]._find(self.path_a.rsplit("/", 1)[1])
        self.assertFalse(link.last_used)
        self.authenticate(None, None)
        self.get(self.path_a)
        link.invalidate_recordset()
        first = link.last_used
        self.assertTrue(first)
        self.get(self.path_a)
        link.invalidate_recordset()
        self.assertEqual(link.last_used, first)
