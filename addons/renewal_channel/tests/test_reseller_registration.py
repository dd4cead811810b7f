import csv
import io
import re
from datetime import timedelta

import xlsxwriter

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common_reseller_portal import ResellerPortalCase

COLUMNS = (
    "product_code",
    "serial_number",
    "purchase_date",
    "customer_company",
    "contact_name",
    "contact_email",
)


def registration_csv(rows, header=COLUMNS, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def registration_xlsx(rows, header=COLUMNS):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Registrations")
    for column, title in enumerate(header):
        sheet.write_string(0, column, title)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            sheet.write_string(index, column, value)
    workbook.close()
    return buffer.getvalue()


@tagged("post_install", "-at_install")
class TestResellerRegistration(ResellerPortalCase):
    """The reseller's Register Products page, its installed products and
    registrations over HTTP, and what each manager reads over JSON-RPC:
    reseller Alpha never sees Beta's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.product_tmpl_id.renewal_serial_pattern = r"RS-\d{4}"
        cls.yesterday = (cls.today - timedelta(days=1)).isoformat()
        cls.Installed = cls.env["renewal.installed.product"]
        cls.Registration = cls.env["renewal.registration"]

    def get(self, path):
        return self.url_open(path, allow_redirects=False)

    def post(self, path, data=None, files=None, csrf=True):
        data = dict(data or {})
        if csrf:
            data["csrf_token"] = self.csrf()
        return self.url_open(path, data=data, files=files, allow_redirects=False)

    def form(self, serial, **values):
        return dict(
            {
                "product_code": "RS-1",
                "serial_number": serial,
                "purchase_date": self.yesterday,
                "customer_company": "Cora Care",
                "contact_name": "Carla Care",
                "contact_email": "carla@cora-care.example",
            },
            **values,
        )

    def upload(self, content, filename="products.csv"):
        return self.post(
            "/my/register-products/upload",
            files={"file": (filename, content, "application/octet-stream")},
        )

    def counts(self):
        return (self.Installed.search_count([]), self.Registration.search_count([]))

    def registered(self, serials):
        return self.Installed.search([("serial_number", "in", serials)])

    def test_entries_and_pages_for_managers_only(self):
        self.authenticate("alpha_boss", "alpha_boss")
        home = self.get("/my").text
        for href in ("/my/register-products", "/my/installed-products"):
            self.assertIn(f'href="{href}"', home)
        page = self.get("/my/register-products")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_reseller_register_form", page.text)
        self.assertIn('value="RS-1"', page.text)
        template = self.get("/my/register-products/template.csv")
        self.assertEqual(template.status_code, 200)
        header = template.content.decode("utf-8-sig").splitlines()[0].split(",")
        self.assertEqual(header[:2], ["product_code", "serial_number"])
        paths = [
            "/my/register-products",
            "/my/register-products/template.csv",
            "/my/installed-products",
            "/my/product-registrations",
        ]
        for login in ("alpha_seller", "cora_user", "vendor_staff"):
            self.authenticate(login, login)
            for path in paths:
                with self.subTest(login=login, path=path):
                    self.assertEqual(self.get(path).status_code, 403)
            with self.subTest(login=login, path="POST"):
                response = self.post("/my/register-products/one", self.form("RS-0009"))
                self.assertEqual(response.status_code, 403)
        self.assertFalse(self.registered(["RS-0009"]))

    def test_register_one_product_by_the_form(self):
        self.authenticate("alpha_boss", "alpha_boss")
        response = self.post(
            "/my/register-products/one",
            self.form("RS-0001", customer_po_number="=HYPERLINK(1)"),
        )
        self.assertEqual(response.status_code, 303, response.text[:1000])
        self.assertIn(
            "/my/product-registrations?registered=1&review=0",
            response.headers["Location"],
        )
        product = self.registered(["RS-0001"])
        self.assertEqual(len(product), 1)
        self.assertEqual(product.reseller_id, self.alpha)
        self.assertEqual(product.distributor_id, self.distributor)
        self.assertEqual(product.registration_channel, "reseller_portal")
        self.assertEqual(product.registered_by_id, self.manager_alpha)
        self.assertEqual(product.customer_po_number, "'=HYPERLINK(1)")
        page = self.get("/my/product-registrations?registered=1").text
        self.assertIn("1 product(s) registered.", page)
        self.assertIn('data-serial="RS-0001"', page)
        page = self.get("/my/installed-products").text
        self.assertIn('data-serial="RS-0001"', page)

    def test_form_errors_by_field_nothing_written(self):
        self.authenticate("alpha_boss", "alpha_boss")
        before = self.counts()
        future = (self.today + timedelta(days=3)).isoformat()
        response = self.post(
            "/my/register-products/one",
            self.form(
                "AB-1",
                purchase_date=future,
                contact_name="<script>alert('x')</script>",
            ),
        )
        self.assertEqual(response.status_code, 400)
        page = response.text
        fields_ = set(re.findall(r'o_register_field_error"\s+data-field="(\w+)"', page))
        self.assertEqual(fields_, {"serial_number", "purchase_date"})
        self.assertIn("does not match the pattern", page)
        self.assertIn("is in the future", page)
        # What was typed comes back, escaped.
        self.assertNotIn("<script>alert", page)
        self.assertIn("&lt;script&gt;alert", page)
        self.assertEqual(self.counts(), before)
        # The form's own check: a date not written as a date.
        response = self.post(
            "/my/register-products/one", self.form("RS-0002", purchase_date="tomorrow")
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn('data-field="purchase_date"', response.text)
        self.assertEqual(self.counts(), before)

    @mute_logger("odoo.http")
    def test_missing_csrf_is_refused(self):
        self.authenticate("alpha_boss", "alpha_boss")
        before = self.counts()
        response = self.post(
            "/my/register-products/one", self.form("RS-0003"), csrf=False
        )
        self.assertEqual(response.status_code, 400)
        response = self.post(
            "/my/register-products/upload",
            files={"file": ("x.csv", registration_csv([]), "text/csv")},
            csrf=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.counts(), before)

    def test_upload_many_by_csv_and_xlsx(self):
        self.authenticate("alpha_boss", "alpha_boss")
        rows = [
            ("RS-1", f"RS-010{index}", self.yesterday, "Cora Care", "Carla", email)
            for index, email in enumerate(
                [
                    "carla@cora-care.example",
                    "dave@dirk.example",
                    "carla@cora-care.example",
                ]
            )
        ]
        # A European CSV: semicolons.
        response = self.upload(registration_csv(rows, delimiter=";"))
        self.assertEqual(response.status_code, 303, response.text[:2000])
        self.assertIn("registered=3", response.headers["Location"])
        products = self.registered(["RS-0100", "RS-0101", "RS-0102"])
        self.assertEqual(len(products), 3)
        self.assertEqual(set(products.mapped("reseller_id")), {self.alpha})
        self.assertEqual(
            set(products.mapped("registration_channel")), {"reseller_portal"}
        )
        # The same customer (one e-mail address) for rows 1 and 3.
        by_serial = {p.serial_number: p.partner_id for p in products}
        self.assertEqual(by_serial["RS-0100"], by_serial["RS-0102"])
        # An XLSX file; a formula typed as text stays text.
        xlsx = registration_xlsx(
            [("RS-1", "RS-0200", self.yesterday, "=1+2", "Xena", "xena@x.example")]
        )
        response = self.upload(xlsx, "products.xlsx")
        self.assertEqual(response.status_code, 303, response.text[:2000])
        registration = self.Registration.search([("serial_number", "=", "RS-0200")])
        self.assertEqual(registration.reseller_id, self.alpha)
        self.assertEqual(registration.channel, "reseller_portal")
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "=1+2")]),
            "a formula became a partner's name",
        )

    def test_upload_errors_row_field_reason_nothing_written(self):
        self.authenticate("alpha_boss", "alpha_boss")
        before = self.counts()
        content = registration_csv(
            [
                ("RS-1", "RS-0300", self.yesterday, "Cora", "Carla", "c@cora.example"),
                ("RS-1", "RS-0301", "31/12/2025", "Cora", "Carla", "c@cora.example"),
                ("RS-1", "", self.yesterday, "Cora", "Carla", "c@cora.example"),
            ]
        )
        response = self.upload(content)
        self.assertEqual(response.status_code, 400)
        problems = set(
            re.findall(r'data-row="(\d+)"\s+data-field="(\w+)"', response.text)
        )
        self.assertEqual(problems, {("3", "purchase_date"), ("4", "serial_number")})
        self.assertIn("nothing was registered", response.text)
        self.assertEqual(self.counts(), before)
        # Rows the file reads well, refused by the registration's checks:
        # named by their row in the file (the header is row 1).
        content = registration_csv(
            [
                ("RS-1", "RS-0302", self.yesterday, "Cora", "Carla", "c@cora.example"),
                ("NOPE", "RS-0303", self.yesterday, "Cora", "Carla", "c@cora.example"),
                ("RS-1", "XX-9", self.yesterday, "Cora", "Carla", "c@cora.example"),
                ("RS-1", "RS-0304", self.yesterday, "Cora", "Carla", "not-an-email"),
            ]
        )
        response = self.upload(content)
        self.assertEqual(response.status_code, 400)
        problems = set(
            re.findall(r'data-row="(\d+)"\s+data-field="(\w+)"', response.text)
        )
        self.assertEqual(
            problems,
            {("3", "product_code"), ("4", "serial_number"), ("5", "contact_email")},
        )
        self.assertEqual(self.counts(), before)
        # Not a spreadsheet at all.
        response = self.upload(b"%PDF", "products.pdf")
        self.assertEqual(response.status_code, 400)
        self.assertIn("CSV or XLSX", response.text)
        # Columns nobody knows.
        response = self.upload(b"serial,product\nX,Y\n")
        self.assertEqual(response.status_code, 400)
        self.assertIn("Unknown columns", response.text)
        self.assertEqual(self.counts(), before)

    def test_alpha_never_sees_beta_over_http(self):
        self.authenticate("beta_boss", "beta_boss")
        self.assertEqual(
            self.post(
                "/my/register-products/one",
                self.form("RS-0400", contact_email="bea@beta-customer.example"),
            ).status_code,
            303,
        )
        self.authenticate("alpha_boss", "alpha_boss")
        self.assertEqual(
            self.post("/my/register-products/one", self.form("RS-0401")).status_code,
            303,
        )
        for path in ("/my/installed-products", "/my/product-registrations"):
            with self.subTest(path=path):
                page = self.get(path).text
                self.assertIn('data-serial="RS-0401"', page)
                self.assertNotIn("RS-0400", page)
        page = self.get("/my/installed-products?search=RS-0400").text
        self.assertNotIn('data-serial="RS-0400"', page)
        # Alpha registers Beta's serial number for its own customer: it
        # waits for the vendor's review, and Beta's product stays Beta's.
        response = self.post("/my/register-products/one", self.form("RS-0400"))
        self.assertEqual(response.status_code, 303)
        self.assertIn("registered=0&review=1", response.headers["Location"])
        page = self.get(response.headers["Location"]).text
        self.assertIn("o_reseller_review_message", page)
        self.assertRegex(page, r'data-serial="RS-0400"\s+data-state="review"')
        self.assertNotIn("bea@beta-customer.example", page)
        self.assertNotIn(
            'data-serial="RS-0400"', self.get("/my/installed-products").text
        )
        self.assertEqual(self.registered(["RS-0400"]).reseller_id, self.beta)
        self.authenticate("beta_boss", "beta_boss")
        page = self.get("/my/installed-products").text
        self.assertIn('data-serial="RS-0400"', page)
        self.assertNotIn("RS-0401", page)
        page = self.get("/my/product-registrations").text
        self.assertEqual(page.count('data-serial="RS-0400"'), 1)


@tagged("post_install", "-at_install")
class TestResellerRegistrationRpc(ResellerPortalCase):
    """The record rules over JSON-RPC: a reseller's renewals manager reads
    the installed products and registrations their organisation sold and
    nothing else, creates and changes none; other portal users read none."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Registration = cls.env["renewal.registration"]
        yesterday = cls.today - timedelta(days=1)

        def register(user, serial, email):
            return (
                Registration.with_user(user)
                ._renewal_channel_register(
                    [
                        {
                            "product_code": "RS-1",
                            "serial_number": serial,
                            "purchase_date": yesterday,
                            "contact": {"name": "Someone", "email": email},
                        }
                    ],
                    "reseller_portal",
                )
                .sudo()
            )

        cls.reg_alpha = register(cls.manager_alpha, "RPC-A", "a@customer.example")
        cls.reg_beta = register(cls.manager_beta, "RPC-B", "b@customer.example")
        cls.alpha_product = cls.reg_alpha.installed_product_id
        cls.beta_product = cls.reg_beta.installed_product_id

    def call(self, model, method, args, **kwargs):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )

    def serials(self, model):
        rows = self.call(model, "search_read", [[]], fields=["serial_number"])
        return {row["serial_number"] for row in rows}

    @mute_logger("odoo.http")
    def test_each_manager_reads_their_own(self):
        self.assertEqual(self.alpha_product.reseller_id, self.alpha)
        self.authenticate("alpha_boss", "alpha_boss")
        # Alpha's registration, and the installed products of the lines
        # Alpha sells (made from their serial numbers); none of Beta's or of
        # the vendor's direct contracts.
        self.assertEqual(
            self.serials("renewal.installed.product"),
            {"RPC-A"} | {f"AL-{c}-SN{i}" for c in (1, 2, 3) for i in (1, 2)},
        )
        self.assertEqual(self.serials("renewal.registration"), {"RPC-A"})
        for model, record in [
            ("renewal.installed.product", self.beta_product),
            ("renewal.registration", self.reg_beta),
        ]:
            with (
                self.subTest(model=model),
                self.assertRaisesRegex(JsonRpcException, "AccessError"),
            ):
                self.call(model, "read", [record.ids, ["serial_number"]])
        # Read only: no write, no create, no unlink, even of their own.
        for method, args in [
            ("write", [self.alpha_product.ids, {"serial_number": "X"}]),
            ("unlink", [self.alpha_product.ids]),
            (
                "create",
                [
                    {
                        "product_id": self.product.id,
                        "serial_number": "RPC-X",
                        "partner_id": self.customer_cora.id,
                    }
                ],
            ),
            ("_renewal_channel_register", [[], "reseller_portal"]),
        ]:
            with (
                self.subTest(method=method),
                self.assertRaises(JsonRpcException),
            ):
                self.call("renewal.installed.product", method, args)
        # The vendor's internal fields stay hidden.
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call("renewal.registration", "read", [self.reg_alpha.ids, ["note"]])
        # The distributor Delta sells through Alpha: it reads Alpha's too.
        self.authenticate("delta_boss", "delta_boss")
        self.assertIn("RPC-A", self.serials("renewal.installed.product"))
        self.assertNotIn("RPC-B", self.serials("renewal.installed.product"))
        self.assertEqual(self.serials("renewal.registration"), {"RPC-A"})
        self.authenticate("beta_boss", "beta_boss")
        self.assertEqual(
            self.serials("renewal.installed.product"), {"RPC-B", "BE-1-SN1", "BE-1-SN2"}
        )
        self.assertEqual(self.serials("renewal.registration"), {"RPC-B"})
        # Alpha's salesperson and a customer manage no channel partner.
        for login in ("alpha_seller", "cora_user"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                for model in ("renewal.installed.product", "renewal.registration"):
                    self.assertFalse(
                        {"RPC-A", "RPC-B"} & self.serials(model), f"{login}: {model}"
                    )
