import re
from datetime import timedelta
from unittest.mock import patch

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..controllers import register as register_controller
from ..tools.form import error_items, register_errors

SCRIPT = "<script>alert('pwned')</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;"


class RegisterCase(HttpCase):
    """A vendor's products (one with a serial-number pattern and a warranty,
    one without, one not registrable), a known customer with a renewal
    link, and the counts of what a registration writes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.env = env
        cls.today = fields.Date.context_today(env.user)
        cls.warranty_level = env["renewal.service.level"].create(
            {"name": "Register Warranty", "warranty_only": True, "sequence": 0}
        )
        Product = env["product.product"]
        cls.router = Product.create(
            {
                "name": "Register Router",
                "default_code": "RR-1",
                "list_price": 800.0,
                "renewal_serial_pattern": r"RR-\d{4}",
                "renewal_warranty_months": 12,
                "renewal_warranty_level_id": cls.warranty_level.id,
            }
        )
        cls.switch = Product.create(
            {"name": "Register Switch", "default_code": "RS-1", "list_price": 300.0}
        )
        cls.hidden = Product.create(
            {
                "name": "Register Not Registrable",
                "default_code": "RN-1",
                "renewal_registrable": False,
            }
        )
        cls.customer = env["res.partner"].create(
            {
                "name": "Register Customer Ltd",
                "is_company": True,
                "email": "it@register-customer.example",
            }
        )
        cls.other_customer = env["res.partner"].create(
            {
                "name": "Somebody Else Inc",
                "is_company": True,
                "email": "it@somebody-else.example",
            }
        )
        # The tests make many attempts; the rate limit has a test of its own.
        env["ir.config_parameter"].set_param(
            "renewal_portal.register_rate_limit", "1000"
        )
        Link = env["renewal.portal.link"]
        base = env["ir.config_parameter"].get_param("web.base.url")
        cls.customer_path = Link._issue(cls.customer, "customer")[1].removeprefix(base)
        holder = env["res.partner"].create(
            {"name": "Register Seller", "email": "seller@register.example"}
        )
        cls.sales_path = Link._issue(cls.customer, "sales", holder=holder)[
            1
        ].removeprefix(base)

    def setUp(self):
        super().setUp()
        self.authenticate(None, None)

    def form(self, **values):
        """A valid public registration, changed by ``values``."""
        data = {
            "product_id": str(self.router.id),
            "serial_number": "RR-0001",
            "purchase_date": (self.today - timedelta(days=30)).isoformat(),
            "where_bought": "Corner Shop",
            "name": "Rita Register",
            "email": "rita@register-new.example",
            "phone": "+32 2 555 01 23",
            "company_name": "Rita's Bakery",
            "street": "1 Main Street",
            "zip": "1000",
            "city": "Brussels",
            "country_code": "BE",
        }
        data.update(values)
        return data

    def post(self, path="/renewals/register", csrf=True, **data):
        if csrf:
            data["csrf_token"] = http.Request.csrf_token(self)
        return self.url_open(path, data=data, allow_redirects=False)

    def written(self):
        """What a registration writes, counted."""
        env = self.env
        env.invalidate_all()
        return {
            "registrations": env["renewal.registration"].search_count([]),
            "installed products": env["renewal.installed.product"]
            .with_context(active_test=False)
            .search_count([]),
            "partners": env["res.partner"]
            .with_context(active_test=False)
            .search_count([]),
            "contracts": env["renewal.contract"].search_count([]),
            "mails": env["mail.mail"].search_count([]),
            "messages": env["mail.message"].search_count([]),
            "links": env["renewal.portal.link"].search_count([]),
        }

    def field_error(self, response, field):
        """The error shown next to form field ``field``, as HTML."""
        match = re.search(
            r"<div[^>]*o_renewal_field_error[^>]*"
            rf'data-field="{re.escape(field)}"[^>]*>(.*?)</div>',
            response.text,
            flags=re.S,
        )
        return match and match.group(1).strip()


@tagged("post_install", "-at_install")
class TestRegisterPage(RegisterCase):
    """The public registration page over HTTP: what it offers, what a
    registration writes, and that bad input writes nothing."""

    def test_form_offers_registrable_products_with_csrf_and_honeypot(self):
        response = self.url_open("/renewals/register")
        self.assertEqual(response.status_code, 200)
        self.assertIn('name="csrf_token"', response.text)
        self.assertIn('name="website_url"', response.text)
        self.assertIn(f'value="{self.router.id}"', response.text)
        self.assertIn("[RS-1] Register Switch", response.text)
        self.assertNotIn("Register Not Registrable", response.text)
        self.assertIn('name="email"', response.text)

    def test_signed_in_user_finds_their_contact_filled_in(self):
        user = new_test_user(
            self.env,
            login="register_portal",
            name="Polly Portal",
            email="polly@register-portal.example",
            groups="base.group_portal",
        )
        self.authenticate(user.login, user.login)
        response = self.url_open("/renewals/register")
        self.assertIn('value="polly@register-portal.example"', response.text)
        self.assertIn('value="Polly Portal"', response.text)

    def test_registers_a_new_customer_and_confirms_with_the_renewal_link(self):
        before = self.written()
        response = self.post(**self.form())
        self.assertEqual(response.status_code, 303)
        self.assertTrue(response.headers["Location"].endswith("?done=done"))
        registration = self.env["renewal.registration"].search(
            [("serial_number", "=", "RR-0001")]
        )
        self.assertEqual(registration.channel, "customer_page")
        self.assertEqual(registration.state, "done")
        self.assertEqual(registration.product_id, self.router)
        installed = registration.installed_product_id
        self.assertEqual(installed.registration_channel, "customer_page")
        customer = installed.partner_id
        self.assertEqual(
            registration.partner_id.commercial_partner_id,
            customer.commercial_partner_id,
        )
        self.assertIn(
            "rita@register-new.example",
            customer.search([("id", "child_of", customer.id)]).mapped("email"),
        )
        # The warranty line, so the customer enters the renewal cycle.
        self.assertEqual(installed.coverage_state, "warranty")
        after = self.written()
        self.assertEqual(after["registrations"], before["registrations"] + 1)
        self.assertEqual(after["installed products"], before["installed products"] + 1)
        self.assertEqual(after["contracts"], before["contracts"] + 1)
        # The link of the confirmation opens the customer's page, which
        # lists the product.
        base = self.env["ir.config_parameter"].get_param("web.base.url")
        path = registration._confirmation_link().removeprefix(base)
        page = self.url_open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-serial="RR-0001"', page.text)
        # The thank-you page never shows a link (anyone may type any e-mail
        # address).
        thanks = self.url_open(response.headers["Location"])
        self.assertIn("o_renewal_registered", thanks.text)
        self.assertNotRegex(thanks.text, r"/renewals/[\w-]{40,}")

    def test_confirmation_mail_links_to_the_customers_page(self):
        before = self.written()
        response = self.post(**self.form(name=SCRIPT, company_name=""))
        self.assertEqual(response.status_code, 303)
        registration = self.env["renewal.registration"].search(
            [("serial_number", "=", "RR-0001")]
        )
        messages = registration.message_ids.filtered(
            lambda message: "/renewals/" in str(message.body)
        )
        self.assertEqual(len(messages), 1, "one confirmation, with the link")
        body = str(messages.body)
        self.assertIn("Dear &lt;script&gt;alert(", body)
        self.assertNotIn("<script", body)
        # One link, however often the e-mail is rendered.
        self.assertEqual(self.written()["links"], before["links"] + 1)
        token = re.search(r"/renewals/([\w-]{40,})", body).group(1)
        link = self.env["renewal.portal.link"]._find(token)
        self.assertEqual(link.partner_id, registration.partner_id)
        self.assertEqual(link.holder_id, registration.contact_partner_id)
        self.assertEqual(link.scope, "customer")
        page = self.url_open(f"/renewals/{token}")
        self.assertIn('data-serial="RR-0001"', page.text)
        self.assertIn(ESCAPED_SCRIPT, page.text)
        self.assertNotIn("<script>alert", page.text)

    @mute_logger("odoo.http")
    def test_missing_csrf_is_refused_and_writes_nothing(self):
        before = self.written()
        for token in (None, "forged"):
            with self.subTest(token=token):
                data = self.form()
                if token:
                    data["csrf_token"] = token
                response = self.post(csrf=False, **data)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(self.written(), before)
        response = self.post(
            self.customer_path + "/register", csrf=False, **self.form()
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.written(), before)

    def test_honeypot_looks_done_and_writes_nothing(self):
        before = self.written()
        response = self.post(**self.form(website_url="https://spam.example"))
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.written(), before)
        self.assertFalse(
            self.env["renewal.installed.product"].search(
                [("serial_number", "=", "RR-0001")]
            )
        )

    def test_rate_limit_per_address(self):
        self.env["ir.config_parameter"].set_param(
            "renewal_portal.register_rate_limit", "3"
        )
        self.env["ir.config_parameter"].set_param(
            "renewal_portal.register_rate_window", "30"
        )
        # Refused attempts count too.
        for _attempt in range(2):
            response = self.post(**self.form(serial_number="bad"))
            self.assertEqual(response.status_code, 400)
        response = self.post(**self.form(serial_number="RR-0002"))
        self.assertEqual(response.status_code, 303)
        before = self.written()
        for path in ("/renewals/register", self.customer_path + "/register"):
            with self.subTest(path=path):
                response = self.post(path, **self.form(serial_number="RR-0003"))
                self.assertEqual(response.status_code, 429)
                self.assertEqual(response.headers["Retry-After"], "1800")
                self.assertIn("Too many registrations", response.text)
                self.assertEqual(self.written(), before)
        # Reading the page is not limited.
        self.assertEqual(self.url_open("/renewals/register").status_code, 200)
        # Once the window has passed, the address may register again.
        self.env.cr.execute(
            "UPDATE renewal_portal_attempt"
            " SET attempt_date = attempt_date - INTERVAL '31 minutes'"
        )
        response = self.post(**self.form(serial_number="RR-0003"))
        self.assertEqual(response.status_code, 303)

    def test_script_payloads_are_shown_escaped(self):
        # Echoed in the form and in the error message.
        response = self.post(
            **self.form(serial_number=SCRIPT, name=SCRIPT, where_bought=SCRIPT)
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotIn(SCRIPT, response.text)
        self.assertNotIn("<script>alert", response.text)
        self.assertIn(ESCAPED_SCRIPT, response.text)
        self.assertIn(ESCAPED_SCRIPT, self.field_error(response, "serial_number"))
        # Registered (no pattern on the switch), then shown on the
        # customer's page, in the chatter and in the confirmation e-mail.
        response = self.post(
            self.customer_path + "/register",
            **self.form(
                product_id=str(self.switch.id),
                serial_number=SCRIPT,
                where_bought=SCRIPT,
            ),
        )
        self.assertEqual(response.status_code, 303)
        installed = self.env["renewal.installed.product"].search(
            [("serial_number", "=", SCRIPT)]
        )
        self.assertEqual(installed.partner_id, self.customer)
        page = self.url_open(self.customer_path)
        self.assertNotIn("<script>alert", page.text)
        self.assertIn(ESCAPED_SCRIPT, page.text)
        # And in the back office's chatter of the installed product.
        bodies = [str(body) for body in installed.message_ids.mapped("body")]
        self.assertTrue(bodies)
        for body in bodies:
            self.assertNotIn("<script", body)
        # A person's name with a script: kept as text, shown escaped (as
        # the customer's name on their renewal page).
        response = self.post(
            **self.form(
                serial_number="RR-0009",
                name=SCRIPT,
                email="script@register.example",
                company_name="",
            )
        )
        self.assertEqual(response.status_code, 303)
        registration = self.env["renewal.registration"].search(
            [("serial_number", "=", "RR-0009")]
        )
        self.assertEqual(registration.contact_name, SCRIPT)
        base = self.env["ir.config_parameter"].get_param("web.base.url")
        page = self.url_open(registration._confirmation_link().removeprefix(base))
        self.assertNotIn("<script>alert", page.text)
        self.assertIn(ESCAPED_SCRIPT, page.text)

    def test_every_bad_input_is_named_next_to_its_field_and_writes_nothing(self):
        future = (self.today + timedelta(days=2)).isoformat()
        cases = [
            # (what, form changes, field, words of the message)
            ("no product", {"product_id": ""}, "product_id", "product"),
            ("unknown product", {"product_id": "999999999"}, "product_id", "product"),
            ("not a number", {"product_id": "abc"}, "product_id", "product"),
            (
                "not registrable",
                {"product_id": str(self.hidden.id)},
                "product_id",
                "product",
            ),
            ("no serial", {"serial_number": ""}, "serial_number", "serial"),
            ("bad serial", {"serial_number": "RR-12"}, "serial_number", "RR-12"),
            ("future date", {"purchase_date": future}, "purchase_date", "future"),
            ("no date", {"purchase_date": "31/12/2020"}, "purchase_date", "date"),
            ("no name", {"name": ""}, "name", ""),
            ("no e-mail", {"email": ""}, "email", "mail"),
            ("bad e-mail", {"email": "rita@"}, "email", "mail"),
        ]
        before = self.written()
        for what, changes, field, words in cases:
            with self.subTest(what):
                response = self.post(**self.form(**changes))
                self.assertEqual(response.status_code, 400)
                self.assertIn("o_renewal_register_errors", response.text)
                message = self.field_error(response, field)
                self.assertTrue(message, f"no error next to {field}")
                self.assertIn(words.lower(), message.lower())
                # What was typed is kept, to correct it.
                self.assertIn(
                    'value="Rita\'s Bakery"'.replace("'", "&#39;"), response.text
                )
                self.assertEqual(self.written(), before)

    def test_serial_of_another_customer_goes_to_review(self):
        other = (
            self.env["renewal.registration"]
            .sudo()
            ._register_products(
                [
                    {
                        "product_id": self.router.id,
                        "serial_number": "RR-0777",
                        "purchase_date": self.today - timedelta(days=400),
                        "partner_id": self.other_customer.id,
                    }
                ],
                "back_office",
            )
        )
        installed = other.installed_product_id
        response = self.post(
            self.customer_path + "/register",
            **self.form(serial_number="RR-0777"),
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("registered=review", response.headers["Location"])
        registration = self.env["renewal.registration"].search(
            [("serial_number", "=", "RR-0777"), ("state", "=", "review")]
        )
        self.assertEqual(registration.conflict_product_id, installed)
        self.assertEqual(installed.partner_id, self.other_customer)
        page = self.url_open(response.headers["Location"])
        self.assertIn("o_renewal_in_review", page.text)
        self.assertIn("o_renewal_review_row", page.text)
        # The other customer is never named.
        self.assertNotIn("Somebody Else", page.text)
        public = self.post(**self.form(serial_number="RR-0777"))
        self.assertIn("done=review", public.headers["Location"])
        self.assertNotIn(
            "Somebody Else", self.url_open(public.headers["Location"]).text
        )


@tagged("post_install", "-at_install")
class TestRegisterFromRenewalPage(RegisterCase):
    """Registering from a customer's renewal page, and the products the
    page lists."""

    def test_form_knows_the_customer(self):
        response = self.url_open(self.customer_path + "/register")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Register Customer Ltd", response.text)
        self.assertNotIn('name="email"', response.text)
        self.assertIn(f'action="{self.customer_path}/register"', response.text)

    def test_registers_for_the_link_customer_and_lists_it(self):
        page = self.url_open(self.customer_path)
        self.assertIn("o_renewal_installed_empty", page.text)
        self.assertIn(f'href="{self.customer_path}/register"', page.text)
        response = self.post(
            self.customer_path + "/register",
            # A contact typed in is ignored: the link says who registers.
            **self.form(serial_number="RR-0042", email="intruder@evil.example"),
        )
        self.assertEqual(response.status_code, 303)
        self.assertTrue(
            response.headers["Location"].endswith(
                f"{self.customer_path}?registered=done#o_renewal_installed"
            )
        )
        installed = self.env["renewal.installed.product"].search(
            [("serial_number", "=", "RR-0042")]
        )
        self.assertEqual(installed.partner_id, self.customer)
        self.assertEqual(installed.registration_channel, "customer_page")
        self.assertFalse(
            self.env["res.partner"].search([("email", "=", "intruder@evil.example")])
        )
        page = self.url_open(response.headers["Location"])
        row = re.search(
            r'<tr[^>]*data-serial="RR-0042".*?</tr>', page.text, flags=re.S
        ).group(0)
        self.assertIn("Register Router", row)
        self.assertIn("o_renewal_coverage_warranty", row)
        self.assertIn("o_renewal_registered", page.text)

    def test_page_lists_only_this_customers_products_in_this_company(self):
        Registration = self.env["renewal.registration"].sudo()
        Registration._register_products(
            [
                {
                    "product_id": self.switch.id,
                    "serial_number": "MINE-1",
                    "partner_id": self.customer.id,
                },
                {
                    "product_id": self.switch.id,
                    "serial_number": "MINE-2",
                    "partner_id": self.customer.id,
                },
                {
                    "product_id": self.switch.id,
                    "serial_number": "THEIRS-1",
                    "partner_id": self.other_customer.id,
                },
            ],
            "back_office",
        )
        company_b = self.env["res.company"].create(
            {"name": "Register Vendor B", "email": "sales@vendor-b.example"}
        )
        Registration.with_company(company_b)._register_products(
            [
                {
                    "product_id": self.switch.id,
                    "serial_number": "OTHER-COMPANY-1",
                    "partner_id": self.customer.id,
                }
            ],
            "back_office",
        )
        page = self.url_open(self.customer_path)
        self.assertIn('data-serial="MINE-1"', page.text)
        self.assertIn('data-serial="MINE-2"', page.text)
        self.assertNotIn("o_renewal_installed_more", page.text)
        with patch.object(register_controller, "INSTALLED_SHOWN", 1):
            page = self.url_open(self.customer_path)
        self.assertIn("o_renewal_installed_more", page.text)
        self.assertIn("o_renewal_coverage_uncovered", page.text)
        self.assertNotIn("THEIRS-1", page.text)
        self.assertNotIn("OTHER-COMPANY-1", page.text)

    def test_sales_and_invalid_links_cannot_register(self):
        response = self.url_open(self.sales_path + "/register")
        self.assertEqual(response.status_code, 403)
        response = self.post(self.sales_path + "/register", **self.form())
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("o_renewal_installed", self.url_open(self.sales_path).text)
        response = self.post("/renewals/not-a-token/register", **self.form())
        self.assertEqual(response.status_code, 404)
        self.assertFalse(
            self.env["renewal.installed.product"].search(
                [("serial_number", "=", "RR-0001")]
            )
        )


@tagged("post_install", "-at_install")
class TestRegisterModels(RegisterCase):
    """The rate limit's counter and the confirmation link, without HTTP."""

    def test_attempts_are_counted_per_address_without_storing_it(self):
        ICP = self.env["ir.config_parameter"]
        ICP.set_param("renewal_portal.register_rate_limit", "2")
        Attempt = self.env["renewal.portal.attempt"]
        self.assertTrue(Attempt._allow("register", "192.0.2.1"))
        self.assertTrue(Attempt._allow("register", "192.0.2.1"))
        self.assertFalse(Attempt._allow("register", "192.0.2.1"))
        self.assertTrue(Attempt._allow("register", "192.0.2.2"))
        self.assertEqual(Attempt.search([]).company_id, self.env.company)
        keys = Attempt.search([]).mapped("key")
        self.assertEqual(len(set(keys)), 2)
        self.assertFalse([key for key in keys if "192.0.2" in key])
        # A nonsense setting falls back to the default.
        ICP.set_param("renewal_portal.register_rate_limit", "-4")
        self.assertEqual(Attempt._limits()[0], 10)
        # Old attempts are purged.
        self.env.cr.execute(
            "UPDATE renewal_portal_attempt"
            " SET attempt_date = attempt_date - INTERVAL '3 days'"
        )
        Attempt._gc_attempts()
        self.assertFalse(Attempt.search([]))

    def test_errors_by_field_whatever_the_shape_of_the_error(self):
        with self.assertRaises(ValidationError) as caught:
            self.env["renewal.registration"]._register_products(
                [{"product_id": self.router.id, "serial_number": "RR-1"}],
                "customer_page",
            )
        shown = register_errors(error_items(caught.exception))
        self.assertIn("RR-1", shown["serial_number"])
        self.assertIn("purchase date", shown["purchase_date"])
        self.assertIn("customer", shown["name"])
        # A plain message, one error a line (translated or not), and one of
        # another shape.
        plain = ValidationError(
            "Ligne 1, contact.email: 'x@' n'est pas valide.\nNothing to register."
        )
        self.assertEqual(
            register_errors(error_items(plain)),
            {"email": "'x@' n'est pas valide.", "": "Nothing to register."},
        )

    def test_a_long_list_is_cut_and_counted(self):
        self.env["renewal.registration"].sudo()._register_products(
            [
                {
                    "product_id": self.switch.id,
                    "serial_number": f"MANY-{index}",
                    "partner_id": self.customer.id,
                }
                for index in range(3)
            ],
            "back_office",
        )
        link = self.env["renewal.portal.link"]._find(self.customer_path.split("/")[-1])
        products, count = link._installed_products(limit=2)
        self.assertEqual(products.mapped("serial_number"), ["MANY-0", "MANY-1"])
        self.assertEqual(count, 3)
        products, count = link._installed_products()
        self.assertEqual((len(products), count), (3, 3))

    def test_confirmation_link_opens_the_customers_page(self):
        contact = self.env["res.partner"].create(
            {"name": "Carl Contact", "parent_id": self.customer.id}
        )
        registration = (
            self.env["renewal.registration"]
            .sudo()
            ._register_products(
                [
                    {
                        "product_id": self.switch.id,
                        "serial_number": "LINK-1",
                        "partner_id": contact.id,
                    }
                ],
                "back_office",
            )
        )
        url = registration._confirmation_link()
        base = self.env["ir.config_parameter"].get_param("web.base.url")
        self.assertTrue(url.startswith(f"{base}/renewals/"))
        link = self.env["renewal.portal.link"]._find(url.rsplit("/", 1)[1])
        self.assertEqual(link.partner_id, self.customer)
        self.assertEqual(link.holder_id, contact)
        self.assertEqual(registration.contact_partner_id, contact)
        self.assertEqual(link.company_id, registration.company_id)
        self.assertEqual(link.scope, "customer")
        page = self.url_open(url.removeprefix(base))
        self.assertIn('data-serial="LINK-1"', page.text)
