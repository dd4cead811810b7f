import ast
from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import freeze_time, tagged

from ..tools.registration import RegistrationError
from .common import TODAY, QuoteCase, days


class RegistrationCase(QuoteCase):
    """A registrable product with a serial-number pattern and a one-year
    warranty, and a plain one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Registration = cls.env["renewal.registration"]
        cls.Installed = cls.env["renewal.installed.product"]
        cls.support = cls.env["product.product"].create(
            {"name": "NBD support, 1 year", "type": "service", "list_price": 120.0}
        )
        cls.level_warranty.product_id = cls.support
        cls.server = cls.env["product.product"].create(
            {
                "name": "Tower Server T9",
                "default_code": "T9",
                "list_price": 2000.0,
                "renewal_serial_pattern": r"T9-[0-9]{4}",
                "renewal_warranty_months": 12,
                "renewal_warranty_level_id": cls.level_warranty.id,
            }
        )
        cls.contact = {
            "name": "Jane Roe",
            "email": "jane@roe.example",
            "phone": "+31 20 123 4567",
            "company_name": "Roe Logistics BV",
            "street": "Kade 1",
            "zip": "1011 AA",
            "city": "Amsterdam",
            "country_code": "nl",
        }

    def row(self, **values):
        row = {
            "product_id": self.server.id,
            "serial_number": "T9-0001",
            "purchase_date": days(-30).isoformat(),
            "contact": dict(self.contact),
        }
        row.update(values)
        return row

    def counts(self):
        return {
            model: self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search_count([])
            for model in (
                "renewal.installed.product",
                "renewal.registration",
                "renewal.contract",
                "renewal.contract.line",
                "res.partner",
                "mail.mail",
            )
        }


@tagged("post_install", "-at_install")
class TestRegistration(RegistrationCase):
    def test_register_new_customer(self):
        registration = self.Registration._register_products(
            [self.row(where_bought="=cmd|' /C calc'!A0", customer_po_number="PO-7")],
            "customer_page",
        )
        self.assertEqual(registration.state, "done")
        self.assertEqual(registration.channel, "customer_page")
        customer = registration.partner_id
        self.assertEqual(customer.name, "Roe Logistics BV")
        self.assertTrue(customer.is_company)
        self.assertEqual(customer.country_id.code, "NL")
        contact = customer.child_ids
        self.assertEqual(
            (contact.name, contact.email, contact.phone),
            ("Jane Roe", "jane@roe.example", "+31 20 123 4567"),
        )
        installed = registration.installed_product_id
        self.assertEqual(installed.name, "[T9] Tower Server T9 / T9-0001")
        self.assertEqual(installed.partner_id, customer)
        self.assertEqual(installed.site_partner_id, customer)
        self.assertEqual(installed.country_id.code, "NL")
        self.assertEqual(installed.purchase_date, days(-30))
        self.assertEqual(installed.install_year, days(-30).year)
        self.assertEqual(installed.customer_po_number, "PO-7")
        self.assertEqual(installed.registration_channel, "customer_page")
        self.assertEqual(installed.registered_by_id, self.env.user)
        self.assertEqual(installed.value, 2000.0)
        # Text from the public is kept as text, never a spreadsheet formula.
        self.assertEqual(registration.where_bought, "'=cmd|' /C calc'!A0")
        self.assertIn("Registered by", installed.message_ids[0].body)

    def test_existing_customer_found_by_email_and_left_alone(self):
        self.customer_contact.email = "ina@nordwind.example"
        contact = {
            "name": "Someone Else",
            "email": "INA@nordwind.example",
            "city": "Rome",
        }
        registration = self.Registration._register_products(
            [self.row(contact=contact)], "back_office"
        )
        self.assertEqual(registration.partner_id, self.customer)
        self.assertEqual(self.customer_contact.name, "Ina Admin")
        self.assertFalse(self.customer_contact.city)
        # By id: the commercial entity of a contact.
        registration = self.Registration._register_products(
            [self.row(serial_number="T9-0002", partner_id=self.customer_contact.id)],
            "back_office",
        )
        self.assertEqual(registration.installed_product_id.partner_id, self.customer)
        # An underscore is a character of the address, not a wildcard.
        registration = self.Registration._register_products(
            [
                self.row(
                    serial_number="T9-0003",
                    contact={"name": "Other", "email": "in_@nordwind.example"},
                )
            ],
            "back_office",
        )
        self.assertNotEqual(registration.partner_id, self.customer)

    def test_same_customer_again_completes_empty_fields(self):
        first = self.Registration._register_products(
            [self.row(customer_po_number="PO-1")], "customer_page"
        )
        installed = first.installed_product_id
        second = self.Registration._register_products(
            [
                self.row(
                    customer_po_number="PO-2",
                    vendor_order_number="SO-9",
                    install_date=days(-20).isoformat(),
                )
            ],
            "reseller_portal",
        )
        self.assertEqual(second.state, "done")
        self.assertEqual(second.installed_product_id, installed)
        self.assertEqual(installed.customer_po_number, "PO-1")
        self.assertEqual(installed.vendor_order_number, "SO-9")
        self.assertEqual(installed.install_date, days(-20))
        self.assertEqual(installed.registration_channel, "customer_page")
        # One warranty, not two.
        self.assertEqual(len(installed.line_ids), 1)
        self.assertFalse(second.warranty_line_id)

    def test_every_bad_input_is_named_and_nothing_written(self):
        retired = self.env["product.product"].create(
            {"name": "Retired", "renewal_registrable": False}
        )
        cases = [
            ({"product_id": 0, "product_code": "NOPE"}, r"product_code: 'NOPE' is not"),
            ({"product_id": retired.id}, rf"product_id: {retired.id} is not a product"),
            ({"product_id": False}, r"product_id: a product is required"),
            (
                {"serial_number": "AB-1"},
                r"serial_number: 'AB-1' does not match the "
                r"pattern T9-\[0-9\]\{4\} for product \[T9\] Tower Server T9",
            ),
            ({"serial_number": "  "}, r"serial_number: a serial number is required"),
            ({"serial_number": "=1+2"}, r"serial_number: '=1\+2' cannot start with"),
            (
                {"purchase_date": days(1).isoformat()},
                rf"purchase_date: {days(1).isoformat()} is in the future",
            ),
            (
                {"install_date": "15/06/2026"},
                r"install_date: '15/06/2026' is not a date",
            ),
            (
                {"purchase_date": False},
                r"purchase_date: .* 12-month warranty: the "
                r"purchase date is required",
            ),
            ({"contact": {}}, r"contact: a customer is required"),
            ({"contact": {"name": "X"}}, r"contact.email: the contact's e-mail"),
            (
                {"contact": {"name": "X", "email": "x@y"}},
                r"contact.email: 'x@y' is not a valid e-mail address",
            ),
            (
                {"contact": {"email": "x@y.example"}},
                r"contact.name: the contact's name",
            ),
            (
                {"contact": dict(self.contact, phone="call me")},
                r"contact.phone: 'call me' is not a phone number",
            ),
            (
                {"contact": dict(self.contact, country_code="XX")},
                r"contact.country_code: 'XX' is not a country code",
            ),
            ({"partner_id": 0, "contact": None}, r"contact: a customer is required"),
            (
                {"reseller_id": self.customer.id},
                rf"reseller_id: {self.customer.id} is not a reseller",
            ),
            (
                {"distributor_id": self.reseller.id},
                rf"distributor_id: {self.reseller.id} is not a distributor",
            ),
            (
                {"serial_number": "T9-0001"},
                r"serial_number: 'T9-0001' of .* is also "
                r"on row 1",
            ),
        ]
        before = self.counts()
        for values, message in cases:
            with self.subTest(values=values):
                rows = [self.row(), self.row(serial_number="T9-0002")]
                rows[1].update(values)
                with self.assertRaisesMsg(ValidationError, r"^Row 2, " + message):
                    self.Registration._register_products(rows, "customer_page")
                self.assertEqual(self.counts(), before)
        # Every error at once, one per line, each naming its row.
        with self.assertRaises(ValidationError) as catcher:
            self.Registration._register_products(
                [self.row(serial_number="bad"), self.row(contact={})], "feed"
            )
        self.assertEqual(
            [line.split(":")[0] for line in str(catcher.exception).splitlines()],
            ["Row 1, serial_number", "Row 2, contact"],
        )
        # The same, structured, for pages that show each error by its field.
        self.assertIsInstance(catcher.exception, RegistrationError)
        self.assertEqual(
            [error[:2] for error in catcher.exception.errors],
            [(1, "serial_number"), (2, "contact")],
        )
        # A file's rows are named by their own line numbers.
        with self.assertRaises(RegistrationError) as catcher:
            self.Registration._register_products(
                [
                    dict(self.row(), row=2),
                    dict(self.row(serial_number="T9-0002"), row=5, purchase_date="x"),
                    dict(self.row(), row=7),
                ],
                "reseller_portal",
            )
        self.assertEqual(
            str(catcher.exception).splitlines(),
            [
                "Row 5, purchase_date: 'x' is not a date (YYYY-MM-DD).",
                "Row 7, serial_number: 'T9-0001' of [T9] Tower Server T9 is also "
                "on row 2.",
            ],
        )
        with self.assertRaisesMsg(ValidationError, "Unknown registration channel"):
            self.Registration._register_products([self.row()], "fax")
        self.assertEqual(self.counts(), before)

    def test_warranty_line_and_its_renewal_quotation(self):
        # Bought 300 days ago: 12 months of warranty end in 65 days.
        purchase = days(-300)
        registration = self.Registration._register_products(
            [self.row(purchase_date=purchase)], "customer_page"
        )
        line = registration.warranty_line_id
        warranty_end = purchase.replace(year=purchase.year + 1) - timedelta(days=1)
        self.assertTrue(line.warranty_only)
        self.assertEqual(line.service_level_id, self.level_warranty)
        self.assertEqual((line.date_start, line.date_end), (purchase, warranty_end))
        self.assertEqual(line.installed_product_id, registration.installed_product_id)
        self.assertEqual(line.renewal_price, 120.0)
        contract = line.contract_id
        self.assertEqual(contract.partner_id, registration.partner_id)
        self.assertTrue(contract.warranty_only)
        self.assertEqual(registration.installed_product_id.coverage_state, "warranty")
        self.assertEqual(registration.installed_product_id.coverage_end, warranty_end)

    def test_warranty_quoted_before_it_ends(self):
        registration = self.Registration._register_products(
            [self.row(purchase_date=days(-100))], "customer_page"
        )
        line = registration.warranty_line_id
        ends_in = (line.date_end - TODAY).days
        self.assertGreater(ends_in, 100)
        for before_end, due in ((101, False), (100, True), (90, True)):
            with self.subTest(before_end=before_end):
                day = line.date_end - timedelta(days=before_end)
                with freeze_time(day):
                    lines = self.SaleOrder._renewal_due_lines(
                        contracts=line.contract_id
                    )
                    self.assertEqual(bool(lines), due)
        with freeze_time(line.date_end - timedelta(days=95)):
            order = self.quote(line.contract_id)
        self.assertEqual(line.sale_line_ids.order_id, order)
        self.assertEqual(len(order), 1)
        self.assertTrue(order.is_renewal)
        self.assertEqual(order.partner_id, registration.partner_id)
        self.assertEqual(order.order_line.product_id, self.support)
        self.assertEqual(order.order_line.price_unit, 120.0)
        # Confirmed, the support continues the warranty: paid coverage.
        order.action_confirm()
        successor = line.successor_line_id
        self.assertEqual(successor.installed_product_id, line.installed_product_id)
        self.assertFalse(successor.warranty_only)
        with freeze_time(line.date_end + timedelta(days=1)):
            self.env["renewal.contract"]._cron_refresh_status()
            self.assertEqual(line.installed_product_id.coverage_state, "covered")

    def test_expired_warranty_makes_no_line(self):
        registration = self.Registration._register_products(
            [self.row(purchase_date=days(-400))], "back_office"
        )
        self.assertFalse(registration.warranty_line_id)
        self.assertEqual(registration.installed_product_id.coverage_state, "uncovered")

    def test_conflict_goes_to_review(self):
        first = self.Registration._register_products([self.row()], "customer_page")
        installed = first.installed_product_id
        owner = installed.partner_id
        before = installed.read(["partner_id", "purchase_date"])
        second = self.Registration._register_products(
            [
                self.row(
                    purchase_date=days(-10),
                    contact={"name": "Max Moe", "email": "max@moe.example"},
                )
            ],
            "partner_api",
        )
        self.assertEqual(second.state, "review")
        self.assertEqual(second.conflict_product_id, installed)
        self.assertEqual(second.conflict_partner_id, owner)
        self.assertFalse(second.installed_product_id)
        self.assertFalse(second.warranty_line_id)
        self.assertEqual(installed.read(["partner_id", "purchase_date"]), before)
        self.assertIn("is to review", installed.message_ids[0].body)
        review = self.env.ref("renewal_contracts.renewal_registration_action_review")
        self.assertIn(second, self.Registration.search(ast.literal_eval(review.domain)))
        # Salespeople may not decide; Renewals Managers do.
        with self.assertRaisesMsg(AccessError, "Only a Renewals Manager"):
            second.with_user(self.user).action_approve()
        second.with_user(self.manager).action_approve()
        self.assertEqual(second.state, "done")
        self.assertEqual(second.installed_product_id, installed)
        self.assertEqual(installed.partner_id, second.partner_id)
        self.assertEqual(installed.purchase_date, days(-10))
        note = f"Transferred from {owner.name} to Max Moe"
        for record in (installed, second):
            self.assertTrue(record.message_ids.filtered(lambda m: note in m.body))
        # The new customer is sent the confirmation.
        self.assertIn("Dear Max Moe", second.message_ids[0].body)
        with self.assertRaisesMsg(UserError, "is not to review"):
            second.with_user(self.manager).action_reject()

    def test_reject_keeps_the_owner(self):
        first = self.Registration._register_products([self.row()], "customer_page")
        second = self.Registration._register_products(
            [self.row(contact={"name": "Max Moe", "email": "max@moe.example"})],
            "feed",
        )
        second.with_user(self.manager).action_reject()
        self.assertEqual(second.state, "rejected")
        self.assertEqual(first.installed_product_id.partner_id, first.partner_id)
        self.assertIn("Rejected by", second.message_ids[0].body)
