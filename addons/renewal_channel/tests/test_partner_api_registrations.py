from datetime import timedelta

from fastapi.exceptions import RequestValidationError

from odoo.tests import HttpCase, tagged

from ..partner_api import MODULE
from ..partner_api.errors import to_api_error
from .common_partner_api import PartnerApiCase, PartnerApiFixture


@tagged("post_install", "-at_install")
class TestPartnerApiRegistrations(PartnerApiCase):
    """``POST /registrations`` and ``GET /installed-products``: a partner
    registers the products it sold, as itself whatever the body says, every
    row checked before anything is written; and finds only its own
    installed products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.product_tmpl_id.renewal_serial_pattern = r"API-\d{4}"
        cls.Installed = cls.env["renewal.installed.product"]
        cls.Registration = cls.env["renewal.registration"]

    def registration(self, serial, **values):
        return dict(
            {
                "product_code": "API-R1",
                "serial_number": serial,
                "purchase_date": (self.today - timedelta(days=10)).isoformat(),
                "contact_name": "Hanna Hospital",
                "contact_email": "hanna@alpha-hospital.example",
                "customer_company": "Alpha Hospital Group",
            },
            **values,
        )

    def register(self, rows, key=None):
        return self.call("POST", "/registrations", key=key, json=rows)

    def counts(self):
        return (
            self.Installed.search_count([]),
            self.Registration.search_count([]),
        )

    def test_register_as_the_caller(self):
        response = self.register(
            [
                self.registration("API-0001", customer_po_number="=PO-1"),
                self.registration(
                    "API-0002", contact_phone="+31 20 123 4567", country_code="nl"
                ),
            ]
        )
        self.assertEqual(response.status_code, 201, response.text)
        answer = response.json()
        self.assertEqual([item["row"] for item in answer], [1, 2])
        self.assertEqual({item["state"] for item in answer}, {"done"})
        self.assertEqual(
            [item["installed_product"]["serial_number"] for item in answer],
            ["API-0001", "API-0002"],
        )
        products = self.Installed.search(
            [("serial_number", "in", ["API-0001", "API-0002"])]
        )
        self.assertEqual(len(products), 2)
        for product in products:
            with self.subTest(serial=product.serial_number):
                self.assertEqual(product.reseller_id, self.reseller_a)
                self.assertEqual(product.registration_channel, "partner_api")
                self.assertEqual(product.registered_by_id, self.manager_a)
        registrations = self.Registration.search(
            [("id", "in", [a["id"] for a in answer])]
        )
        self.assertEqual(set(registrations.mapped("channel")), {"partner_api"})
        self.assertEqual(set(registrations.mapped("reseller_id")), {self.reseller_a})
        # Text is stored as text, never a spreadsheet formula.
        self.assertEqual(
            products.filtered(
                lambda p: p.serial_number == "API-0001"
            ).customer_po_number,
            "'=PO-1",
        )

    def test_the_body_cannot_choose_the_reseller(self):
        before = self.counts()
        response = self.register(
            [self.registration("API-0003", reseller_id=self.reseller_b.id)]
        )
        self.assertEqual(response.status_code, 422)
        detail = response.json()["detail"]
        self.assertEqual(detail[0]["loc"], ["body", 0, "reseller_id"])
        self.assertEqual(detail[0]["type"], "extra_forbidden")
        self.assertEqual(self.counts(), before)

    def test_bad_rows_name_row_field_and_reason_and_nothing_is_written(self):
        before = self.counts()
        # The schema's checks: a wrong date format, a missing field.
        schema = self.register(
            [
                self.registration("API-0004"),
                self.registration("API-0005", purchase_date="10/01/2026"),
                {"product_code": "API-R1", "serial_number": "API-0006"},
            ]
        )
        self.assertEqual(schema.status_code, 422)
        found = {tuple(d["loc"]) for d in schema.json()["detail"]}
        self.assertIn(("body", 1, "purchase_date"), found)
        self.assertIn(("body", 2, "contact_name"), found)
        self.assertIn(("body", 2, "contact_email"), found)
        # The model's checks: the serial pattern, a future date, an unknown
        # product, a bad e-mail address.
        future = (self.today + timedelta(days=5)).isoformat()
        checked = self.register(
            [
                self.registration("API-0007"),
                self.registration("AB-1"),
                self.registration("API-0008", purchase_date=future),
                self.registration("API-0009", product_code="NOPE"),
                self.registration("API-0010", contact_email="not-an-address"),
            ]
        )
        self.assertEqual(checked.status_code, 422, checked.text)
        detail = checked.json()["detail"]
        rows = {d["row"]: d for d in detail}
        self.assertEqual(set(rows), {2, 3, 4, 5})
        self.assertEqual(rows[2]["field"], "serial_number")
        self.assertIn("AB-1", rows[2]["msg"])
        self.assertIn("pattern", rows[2]["msg"])
        self.assertEqual(rows[3]["field"], "purchase_date")
        self.assertIn("future", rows[3]["msg"])
        self.assertIn("product", rows[4]["field"])
        self.assertIn("email", rows[5]["field"])
        # Row 1 was fine, but nothing was written.
        self.assertEqual(self.counts(), before)
        self.assertFalse(self.Installed.search([("serial_number", "=", "API-0007")]))

    def test_installed_products_are_scoped_to_the_caller(self):
        self.assertEqual(
            self.register([self.registration("API-0011")]).status_code, 201
        )
        response = self.register(
            [
                self.registration(
                    "API-0012", contact_email="bob@bravo.example", contact_name="Bob"
                )
            ],
            key=self.key_b,
        )
        self.assertEqual(response.status_code, 201, response.text)
        mine = self.call(
            "GET", "/installed-products", params={"serial_number": "API-0011"}
        ).json()
        self.assertEqual([p["serial_number"] for p in mine], ["API-0011"])
        self.assertEqual(mine[0]["customer"]["name"], "Alpha Hospital Group")
        self.assertIn(mine[0]["coverage_state"], ("uncovered", "warranty"))
        # B's product is not A's to find, by serial or in the whole list.
        self.assertEqual(
            self.call(
                "GET", "/installed-products", params={"serial_number": "API-0012"}
            ).json(),
            [],
        )
        listed = self.call("GET", "/installed-products").json()
        self.assertNotIn("API-0012", [p["serial_number"] for p in listed])
        theirs = self.call(
            "GET",
            "/installed-products",
            key=self.key_b,
            params={"serial_number": "API-0012"},
        ).json()
        self.assertEqual([p["serial_number"] for p in theirs], ["API-0012"])

    def test_a_serial_of_another_customer_goes_to_review(self):
        self.assertEqual(
            self.register([self.registration("API-0013")], key=self.key_b).status_code,
            201,
        )
        response = self.register(
            [
                self.registration(
                    "API-0013",
                    contact_email="someone@else.example",
                    contact_name="Someone Else",
                    customer_company="Else Ltd",
                )
            ]
        )
        self.assertEqual(response.status_code, 201, response.text)
        answer = response.json()[0]
        self.assertEqual(answer["state"], "review")
        # Nothing of the other customer's product is answered.
        self.assertIsNone(answer["installed_product"])
        product = self.Installed.search([("serial_number", "=", "API-0013")])
        self.assertEqual(product.reseller_id, self.reseller_b)

    def test_a_distributor_registers_as_distributor(self):
        response = self.register([self.registration("API-0014")], key=self.key_d)
        self.assertEqual(response.status_code, 201, response.text)
        product = self.Installed.search([("serial_number", "=", "API-0014")])
        self.assertEqual(product.distributor_id, self.distributor)
        self.assertFalse(product.reseller_id)
        registration = self.Registration.browse(response.json()[0]["id"])
        self.assertEqual(registration.distributor_id, self.distributor)
        found = self.call(
            "GET",
            "/installed-products",
            key=self.key_d,
            params={"serial_number": "API-0014"},
        ).json()
        self.assertEqual(len(found), 1)

    def test_a_former_manager_may_not_register(self):
        _key, seller_key = self.env["auth.api.key"]._renewal_issue(
            self.manager_a, "ERP A2"
        )
        self.manager_a.partner_id.renewal_reseller_manager = False
        before = self.counts()
        response = self.register([self.registration("API-0015")], key=seller_key)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.counts(), before)

    def test_documented_in_openapi(self):
        spec = self.call("GET", "/openapi.json").json()
        self.assertIn("/registrations", spec["paths"])
        self.assertIn("/installed-products", spec["paths"])
        body = spec["paths"]["/registrations"]["post"]["requestBody"]
        schema = body["content"]["application/json"]["schema"]
        self.assertEqual(schema["type"], "array")
        self.assertIn("RegistrationIn", spec["components"]["schemas"])
        self.assertNotIn(
            "reseller_id",
            spec["components"]["schemas"]["RegistrationIn"]["properties"],
        )


@tagged("post_install", "-at_install")
class TestPartnerApiRegistrationsHttp(PartnerApiFixture, HttpCase):
    """Over Odoo's real HTTP stack: every refusal, the schema's as the
    model's, names its row (from 1) and field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_partner_api()
        cls.product.product_tmpl_id.renewal_serial_pattern = r"API-\d{4}"
        cls.env.ref(f"{MODULE}.renewal_partner_api_endpoint")._handle_registry_sync()

    def post(self, rows):
        return self.opener.post(
            self.base_url() + "/renewal/api/v1/registrations",
            headers={"HTTP-API-KEY": self.key_a},
            json=rows,
            timeout=30,
        )

    def test_rows_and_fields_named_over_http(self):
        good = {
            "product_code": "API-R1",
            "serial_number": "API-0100",
            "contact_name": "Ann",
            "contact_email": "ann@http.example",
        }
        response = self.post(
            [good, dict(good, serial_number="API-0101", reseller_id=1)]
        )
        self.assertEqual(response.status_code, 422)
        detail = response.json()["detail"]
        self.assertEqual(
            [(d["row"], d["field"], d["type"]) for d in detail],
            [(2, "reseller_id", "extra_forbidden")],
        )
        response = self.post([good, dict(good, serial_number="BAD")])
        self.assertEqual(response.status_code, 422)
        detail = response.json()["detail"]
        self.assertEqual(
            [(d["row"], d["field"]) for d in detail], [(2, "serial_number")]
        )
        self.assertIn("pattern", detail[0]["msg"])
        self.assertFalse(
            self.env["renewal.installed.product"].search(
                [("serial_number", "=", "API-0100")]
            )
        )
        response = self.post([good])
        self.assertEqual(response.status_code, 201, response.text)
        self.assertEqual(response.json()[0]["state"], "done")

    def test_validation_details_name_the_row(self):
        error = to_api_error(
            RequestValidationError(
                [{"loc": ("body", 4, "serial_number"), "msg": "x", "type": "missing"}]
            )
        )
        self.assertEqual(
            (error.detail[0]["row"], error.detail[0]["field"]), (5, "serial_number")
        )
