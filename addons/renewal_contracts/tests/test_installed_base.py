import importlib.util
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, freeze_time, new_test_user, tagged
from odoo.tools import file_path, mute_logger

from odoo.addons.mail.tests.common import MockEmail

from ..tools import coverage
from .common import TODAY, RenewalCase, days
from .test_registration import RegistrationCase


def load_migration(name="18.0.2.1.0/post-migrate.py"):
    """A migration script (the 18.0.2.1.0 post-migration by default), as
    Odoo's upgrade runs it."""
    path = file_path(f"renewal_contracts/migrations/{name}")
    spec = importlib.util.spec_from_file_location("renewal_post_migrate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestCoverage(RenewalCase):
    """Covered, warranty only, lapsed, uncovered: as lines change, and as
    days pass (the daily refresh)."""

    def installed(self, serial):
        return self.env["renewal.installed.product"].search(
            [("serial_number", "=", serial)]
        )

    def test_rules(self):
        # (start, end, cancelled, warranty_only) around a fixed today.
        paid = (days(-10), days(10), False, False)
        warranty = (days(-10), days(10), False, True)
        ended = (days(-400), days(-1), False, False)
        cancelled = (days(-10), days(10), True, False)
        future = (days(1), days(300), False, False)
        for lines, state in [
            ([], coverage.UNCOVERED),
            ([paid], coverage.COVERED),
            ([warranty, paid], coverage.COVERED),
            ([warranty], coverage.WARRANTY),
            ([ended], coverage.LAPSED),
            ([cancelled], coverage.LAPSED),
            ([future], coverage.LAPSED),
            ([ended, warranty], coverage.WARRANTY),
        ]:
            with self.subTest(lines=lines):
                self.assertEqual(coverage.coverage_state(lines, TODAY), state)
        self.assertEqual(
            coverage.coverage_end([paid, warranty, ended], TODAY), days(10)
        )

    def test_states_follow_the_lines(self):
        contract = self.make_contract(ends=[30, -5])
        live_line, ended_line = contract.line_ids.sorted("date_end").sorted(
            lambda line: line.date_end < TODAY
        )
        live = live_line.installed_product_id
        ended = ended_line.installed_product_id
        self.assertEqual(live.serial_number, live_line.serial_number)
        self.assertEqual(
            (live.coverage_state, live.coverage_end), ("covered", days(30))
        )
        self.assertEqual(ended.coverage_state, "lapsed")
        self.assertFalse(ended.coverage_end)
        live_line.service_level_id = self.level_warranty
        self.assertEqual(live.coverage_state, "warranty")
        live_line._cancel(self.reason)
        self.assertEqual(live.coverage_state, "lapsed")
        self.assertEqual(live.line_count, 1)
        self.assertEqual(live.contract_count, 1)
        uncovered = self.env["renewal.installed.product"].create(
            {
                "product_id": self.product.id,
                "serial_number": "LOOSE-1",
                "partner_id": self.customer.id,
            }
        )
        self.assertEqual(uncovered.coverage_state, "uncovered")
        self.assertEqual(uncovered.site_partner_id, self.customer)

    def test_daily_refresh_moves_dates(self):
        contract = self.make_contract(ends=[10])
        installed = contract.line_ids.installed_product_id
        upcoming = self.make_contract(ends=[400])
        upcoming.line_ids.date_start = days(5)
        later = upcoming.line_ids.installed_product_id
        self.assertEqual(installed.coverage_state, "covered")
        self.assertEqual(later.coverage_state, "lapsed")
        with freeze_time(TODAY + timedelta(days=11)):
            self.env["renewal.contract"]._cron_refresh_status()
            self.assertEqual(installed.coverage_state, "lapsed")
            self.assertFalse(installed.coverage_end)
            self.assertEqual(later.coverage_state, "covered")
            # The SQL refresh and the ORM compute agree on every product.
            products = self.env["renewal.installed.product"].search([])
            stored = {p: (p.coverage_state, p.coverage_end) for p in products}
            products._compute_coverage()
            self.assertEqual(
                {p: (p.coverage_state, p.coverage_end) for p in products}, stored
            )
            # A second run the same day changes nothing.
            self.assertEqual(
                self.env["renewal.installed.product"]._refresh_coverage(), 0
            )

    def test_renewal_keeps_the_installed_product(self):
        self.company.write({"renewal_quote_lead_days": 100, "renewal_coterm": False})
        contract = self.make_contract(ends=[20])
        line = contract.line_ids
        installed = line.installed_product_id
        SaleOrder = self.env["sale.order"]
        order = SaleOrder._renewal_generate(SaleOrder._renewal_due_lines(contract))
        order.action_confirm()
        successor = line.successor_line_id
        self.assertTrue(successor)
        self.assertEqual(successor.installed_product_id, installed)
        self.assertEqual(installed.line_count, 2)
        # The successor starts after today: the coverage ends with its
        # predecessor until then, and goes on in it after.
        self.assertEqual(installed.coverage_end, line.date_end)
        with freeze_time(line.date_end + timedelta(days=1)):
            self.env["renewal.contract"]._cron_refresh_status()
            self.assertEqual(installed.coverage_state, "covered")
            self.assertEqual(installed.coverage_end, successor.date_end)

    def test_link_on_create_and_migration(self):
        contract = self.make_contract(ends=[30, -200])
        # Renewed, the same serial number on a second line of the contract.
        renewed = self.env["renewal.contract.line"].create(
            {
                "contract_id": contract.id,
                "product_id": self.product.id,
                "serial_number": contract.line_ids[1].serial_number,
                "date_start": days(-199),
                "date_end": days(165),
            }
        )
        no_serial = self.env["renewal.contract.line"].create(
            {"contract_id": contract.id, "product_id": self.product.id}
        )
        lines = contract.line_ids
        self.assertEqual(len(lines.installed_product_id), 2)
        self.assertFalse(no_serial.installed_product_id)
        self.assertEqual(renewed.installed_product_id, lines[1].installed_product_id)
        # As before 18.0.2.1.0: no installed product at all.
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE renewal_contract_line SET installed_product_id = NULL"
            " WHERE contract_id = %s",
            [contract.id],
        )
        self.env.cr.execute(
            "DELETE FROM renewal_installed_product WHERE id = ANY(%s)",
            [lines.installed_product_id.ids],
        )
        self.env.invalidate_all()
        load_migration().migrate(self.env.cr, "18.0.2.0.0")
        self.env.invalidate_all()
        products = lines.installed_product_id
        self.assertEqual(len(products), 2)
        self.assertFalse(no_serial.installed_product_id)
        self.assertEqual(
            sorted(products.mapped("serial_number")),
            sorted(set(lines.filtered("serial_number").mapped("serial_number"))),
        )
        for product in products:
            self.assertEqual(product.partner_id, self.customer)
            self.assertEqual(
                product.name, f"[R1] Rack Server R1 / {product.serial_number}"
            )
            self.assertEqual(product.value, 1000.0)
            # Installed, for its age, on the first day its lines cover.
            first = min(
                lines.filtered(
                    lambda line, product=product: (
                        line.serial_number == product.serial_number
                    )
                ).mapped("date_start")
            )
            self.assertEqual(product.install_date, first)
            self.assertEqual(product.install_year, first.year)
            self.assertEqual(product.coverage_state, "covered")
        # Run again: nothing more to link, nothing duplicated.
        self.assertEqual(
            self.env["renewal.contract.line"]._link_installed_products(), 0
        )
        self.assertEqual(
            self.env["renewal.installed.product"].search_count(
                [("serial_number", "in", products.mapped("serial_number"))]
            ),
            2,
        )

    def test_index_migration(self):
        """18.0.2.2.0 drops the indexes no search uses, and the serial
        number's b-tree, for Odoo to make its trigram index in its place."""
        cr = self.env.cr
        cr.execute(
            "CREATE INDEX IF NOT EXISTS renewal_installed_product__name_index"
            " ON renewal_installed_product (name)"
        )
        load_migration("18.0.2.2.0/pre-migrate.py").migrate(cr, "18.0.2.1.0")
        cr.execute(
            "SELECT indexname FROM pg_indexes"
            " WHERE tablename = 'renewal_installed_product'"
        )
        left = {row[0] for row in cr.fetchall()}
        for index in (
            "renewal_installed_product__name_index",
            "renewal_installed_product__company_id_index",
            "renewal_installed_product__registration_channel_index",
            "renewal_installed_product__serial_number_index",
        ):
            self.assertNotIn(index, left)
        self.assertIn("renewal_installed_product_serial_uniq", left)

    def test_bulk_insert_writes_what_create_would(self):
        """``_sql_insert`` (feeds) writes each stored field as the ORM's
        computes would, and skips a serial number registered already."""
        Installed = self.env["renewal.installed.product"]
        self.customer.country_id = self.env.ref("base.be")
        self.product.product_tmpl_id.renewal_end_of_support_date = days(400)
        registered = Installed.create(
            {
                "product_id": self.product.id,
                "serial_number": "BULK-2",
                "partner_id": self.customer.id,
            }
        )
        values = {
            "product_id": self.product.id,
            "partner_id": self.customer.id,
            "install_date": days(-30),
            "customer_po_number": "PO-BULK",
            "vendor_order_number": "",
            "reseller_id": self.reseller.id,
            "distributor_id": False,
            "user_id": self.env.user.id,
            "registration_channel": "feed",
            "coverage_state": "covered",
            "coverage_end": days(300),
        }
        inserted = Installed._sql_insert(
            self.company,
            [
                dict(values, serial_number="BULK-1"),
                dict(values, serial_number="BULK-2"),
            ],
        )
        self.assertEqual(list(inserted), [(self.product.id, "BULK-1")])
        bulk = Installed.browse(inserted[(self.product.id, "BULK-1")])
        by_orm = Installed.create(
            {
                "product_id": self.product.id,
                "serial_number": "BULK-3",
                "partner_id": self.customer.id,
                "install_date": days(-30),
            }
        )
        for name in (
            "company_id",
            "product_tmpl_id",
            "product_categ_id",
            "site_partner_id",
            "country_id",
            "install_year",
            "value",
            "end_of_support_date",
            "active",
        ):
            with self.subTest(field=name):
                self.assertEqual(bulk[name], by_orm[name])
        self.assertEqual(bulk.name, by_orm.name.replace("BULK-3", "BULK-1"))
        self.assertEqual(bulk.country_id, self.env.ref("base.be"))
        self.assertEqual(bulk.customer_po_number, "PO-BULK")
        self.assertFalse(bulk.vendor_order_number)
        self.assertEqual(bulk.reseller_id, self.reseller)
        self.assertEqual(
            (bulk.coverage_state, bulk.coverage_end), ("covered", days(300))
        )
        self.assertEqual(bulk.registered_by_id, self.env.user)
        self.assertEqual(bulk.registration_date, bulk.create_date)
        # The one registered already is left as it was.
        self.assertFalse(registered.reseller_id)
        self.assertEqual(Installed.search_count([("serial_number", "=", "BULK-2")]), 1)


@tagged("post_install", "-at_install")
class TestConfirmationAndReview(RegistrationCase, MockEmail):
    def test_confirmation_mail(self):
        contact = dict(self.contact, name="<script>alert('x')</script> Jane")
        # Without a renewal page (renewal_portal gives one), no link.
        self.patch(type(self.Registration), "_confirmation_link", lambda self: False)
        with self.mock_mail_gateway():
            registration = self.Registration._register_products(
                [self.row(contact=contact, where_bought="<b>Shop</b>")],
                "customer_page",
            )
        mail = self._new_mails.filtered(
            lambda mail: mail.model == "renewal.registration"
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, registration.contact_partner_id)
        self.assertEqual(
            mail.subject,
            f"{self.company.name}: Tower Server T9 T9-0001 is registered",
        )
        body = mail.body_html
        self.assertIn("&lt;script&gt;alert(", body)
        self.assertNotIn("<script>", body)
        self.assertIn("&lt;b&gt;Shop&lt;/b&gt;", body)
        self.assertIn("Its warranty runs until", body)
        self.assertNotIn("renewal page", body)
        # renewal_portal's link, when there is one, is in the e-mail.
        self.patch(
            type(self.Registration),
            "_confirmation_link",
            lambda self: "https://x.example/r/1",
        )
        with self.mock_mail_gateway():
            self.Registration._register_products(
                [self.row(serial_number="T9-0002")], "customer_page"
            )
        self.assertIn('href="https://x.example/r/1"', self._new_mails.body_html)

    def test_confirmation_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer_contact.write({"email": "ina@nordwind.example", "lang": "fr_FR"})
        template = self.env.ref(
            "renewal_contracts.renewal_registration_mail_template_confirmation"
        )
        template.with_context(lang="fr_FR").subject = "Enregistré : {{ object.name }}"
        with self.mock_mail_gateway():
            registration = self.Registration._register_products(
                [self.row(partner_id=self.customer_contact.id, contact=None)],
                "back_office",
            )
        self.assertEqual(
            self._new_mails.filtered(lambda m: m.model == registration._name).subject,
            f"Enregistré : {registration.name}",
        )

    def test_review_counter_in_the_menu(self):
        menu = self.env.ref("renewal_contracts.renewal_registration_review_menu")
        Menu = self.env["ir.ui.menu"].with_user(self.manager)
        self.Registration.search([("state", "=", "review")]).write(
            {"state": "rejected"}
        )
        self.assertEqual(
            Menu.load_menus(False)[menu.id]["name"], "Registrations to Review"
        )
        self.Registration._register_products([self.row()], "customer_page")
        self.Registration._register_products(
            [self.row(contact={"name": "Max Moe", "email": "max@moe.example"})],
            "feed",
        )
        self.assertEqual(
            Menu.load_menus(False)[menu.id]["name"], "Registrations to Review (1)"
        )
        # Salespeople do not see the review menu.
        self.assertNotIn(
            menu.id, self.env["ir.ui.menu"].with_user(self.user).load_menus(False)
        )

    def test_back_office_wizard(self):
        wizard = (
            self.env["renewal.installed.product.register"]
            .with_user(self.user)
            .create(
                {
                    "product_id": self.server.id,
                    "serial_number": "T9-0042",
                    "purchase_date": days(-5),
                    "partner_id": self.customer.id,
                    "reseller_id": self.reseller.id,
                }
            )
        )
        action = wizard.action_register()
        installed = self.Installed.browse(action["res_id"])
        self.assertEqual(action["res_model"], installed._name)
        self.assertEqual(installed.registration_channel, "back_office")
        self.assertEqual(installed.registered_by_id, self.user)
        self.assertEqual(installed.user_id, self.user)
        self.assertEqual(installed.reseller_id, self.reseller)
        self.assertEqual(installed.distributor_id, self.distributor)


@tagged("post_install", "-at_install")
class TestInstalledBaseAccess(HttpCase):
    """Who reaches the installed base over JSON-RPC: salespeople maintain it,
    managers also delete and review, portal users see nothing of it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Access Kunde GmbH", "is_company": True}
        )
        cls.product = cls.env["product.product"].create({"name": "Access Router"})
        cls.user = new_test_user(
            cls.env,
            login="ib_user",
            password="ib_user_pw",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        cls.manager = new_test_user(
            cls.env,
            login="ib_manager",
            password="ib_manager_pw",
            groups="renewal_contracts.renewal_contracts_group_manager",
        )
        cls.portal = new_test_user(
            cls.env,
            login="ib_portal",
            password="ib_portal_pw",
            groups="base.group_portal",
        )
        cls.registration = cls.env["renewal.registration"]._register_products(
            [
                {
                    "product_id": cls.product.id,
                    "serial_number": "AR-1",
                    "partner_id": cls.customer.id,
                }
            ],
            "back_office",
        )
        cls.installed = cls.registration.installed_product_id

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    @mute_logger("odoo.http")
    def test_user(self):
        self.authenticate("ib_user", "ib_user_pw")
        rows = self.call_kw(
            "renewal.installed.product",
            "search_read",
            [[("id", "=", self.installed.id)]],
            {"fields": ["serial_number", "coverage_state"]},
        )
        self.assertEqual(rows[0]["serial_number"], "AR-1")
        self.call_kw(
            "renewal.installed.product",
            "write",
            [self.installed.ids, {"customer_po_number": "PO-U"}],
        )
        self.assertEqual(self.installed.customer_po_number, "PO-U")
        new_id = self.call_kw(
            "renewal.installed.product",
            "create",
            [
                {
                    "product_id": self.product.id,
                    "serial_number": "AR-2",
                    "partner_id": self.customer.id,
                }
            ],
        )
        self.assertTrue(new_id)
        for model, method, args in [
            ("renewal.installed.product", "unlink", [self.installed.ids]),
            ("renewal.registration", "write", [self.registration.ids, {"note": "x"}]),
            ("renewal.registration", "create", [{"serial_number": "AR-9"}]),
            ("renewal.registration", "action_approve", [self.registration.ids]),
        ]:
            with self.subTest(method=method, model=model):
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self.call_kw(model, method, args)
        self.assertTrue(self.installed.exists())

    @mute_logger("odoo.http")
    def test_manager(self):
        self.authenticate("ib_manager", "ib_manager_pw")
        self.call_kw(
            "renewal.registration", "write", [self.registration.ids, {"note": "ok"}]
        )
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call_kw("renewal.registration", "create", [{"serial_number": "X"}])
        self.call_kw("renewal.installed.product", "unlink", [self.installed.ids])
        self.assertFalse(self.installed.exists())

    @mute_logger("odoo.http")
    def test_portal_user_sees_nothing(self):
        """A portal user reaches none of it (renewal_channel opens the
        products of a reseller's own customers to its portal managers, by
        record rules: not these)."""
        self.authenticate("ib_portal", "ib_portal_pw")
        for model, record in (
            ("renewal.installed.product", self.installed),
            ("renewal.registration", self.registration),
        ):
            with self.subTest(model=model):
                try:
                    rows = self.call_kw(
                        model,
                        "search_read",
                        [[("id", "=", record.id)]],
                        {"fields": ["id"]},
                    )
                except JsonRpcException as error:
                    self.assertIn("AccessError", str(error))
                    rows = []
                self.assertEqual(rows, [])
                with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                    self.call_kw(model, "read", [record.ids, ["serial_number"]])
        with self.assertRaises(AccessError):
            self.installed.with_user(self.portal).check_access("read")
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.call_kw(
                "renewal.installed.product",
                "create",
                [
                    {
                        "product_id": self.product.id,
                        "serial_number": "AR-3",
                        "partner_id": self.customer.id,
                    }
                ],
            )

    def test_deleting_an_installed_product_keeps_its_lines(self):
        # A manager's delete of an installed product leaves its lines, unlinked.
        contract = self.env["renewal.contract"].create(
            {
                "name": "ACC-1",
                "partner_id": self.customer.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "line_ids": [
                    Command.create(
                        {"product_id": self.product.id, "serial_number": "AR-7"}
                    )
                ],
            }
        )
        installed = contract.line_ids.installed_product_id
        self.assertTrue(installed)
        installed.with_user(self.manager).unlink()
        self.assertTrue(contract.line_ids.exists())
        self.assertFalse(contract.line_ids.installed_product_id)
