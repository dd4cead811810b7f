from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.renewal_contracts.tests.common import RenewalCase

from .. import post_init_hook


@tagged("post_install", "-at_install")
class TestLotLink(RenewalCase):
    """Installed products and Inventory's serial numbers, both ways."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.tracked = Product.create(
            {
                "name": "Tracked Server T1",
                "is_storable": True,
                "tracking": "serial",
                "list_price": 900.0,
            }
        )
        cls.untracked = Product.create({"name": "Untracked Switch U1"})
        cls.company_b = cls.env["res.company"].create({"name": "Stock B Ltd"})
        cls.Lot = cls.env["stock.lot"]
        cls.Installed = cls.env["renewal.installed.product"]

    def install(self, serial, product=None, **values):
        return self.Installed.create(
            {
                "product_id": (product or self.tracked).id,
                "serial_number": serial,
                "partner_id": self.customer.id,
                **values,
            }
        )

    def lots(self, serial, product=None):
        return self.Lot.search(
            [
                ("name", "=", serial),
                ("product_id", "=", (product or self.tracked).id),
                ("company_id", "in", [False, *self.env.user.company_ids.ids]),
            ]
        )

    def test_tracked_product_gets_a_new_lot(self):
        installed = self.install("TS-0001")
        lot = self.lots("TS-0001")
        self.assertEqual(len(lot), 1)
        self.assertEqual(installed.lot_id, lot)
        # Shared, as Inventory creates the lot of a shared product.
        self.assertFalse(lot.company_id)
        self.assertEqual(lot.renewal_installed_product_ids, installed)
        self.assertEqual(lot.renewal_installed_product_count, 1)

    def test_existing_lot_is_found_not_duplicated(self):
        lot = self.Lot.create({"name": "TS-0002", "product_id": self.tracked.id})
        installed = self.install("TS-0002")
        self.assertEqual(installed.lot_id, lot)
        self.assertEqual(self.lots("TS-0002"), lot)

    def test_untracked_product_gets_no_lot(self):
        installed = self.install("US-0001", product=self.untracked)
        self.assertFalse(installed.lot_id)
        self.assertFalse(self.lots("US-0001", product=self.untracked))

    def test_lot_in_company_of_a_company_product(self):
        self.tracked.company_id = self.company
        installed = self.install("TS-0003")
        self.assertEqual(installed.lot_id.company_id, self.company)

    def test_serial_of_another_company(self):
        # Company B has lot TS-0004 of its own: company A gets its own one
        # (a shared one would clash with B's), never B's.
        lot_b = self.Lot.create(
            {
                "name": "TS-0004",
                "product_id": self.tracked.id,
                "company_id": self.company_b.id,
            }
        )
        installed = self.install("TS-0004")
        self.assertNotEqual(installed.lot_id, lot_b)
        self.assertEqual(installed.lot_id.company_id, self.company)
        self.assertEqual(installed.lot_id.name, "TS-0004")

    def test_shared_lot_serves_both_companies(self):
        lot = self.Lot.create({"name": "TS-0005", "product_id": self.tracked.id})
        partner_b = self.env["res.partner"].create(
            {"name": "Kunde B", "is_company": True, "company_id": self.company_b.id}
        )
        in_a = self.install("TS-0005")
        in_b = self.install(
            "TS-0005", partner_id=partner_b.id, company_id=self.company_b.id
        )
        self.assertEqual(in_a.lot_id, lot)
        self.assertEqual(in_b.lot_id, lot)
        self.assertEqual(lot.renewal_installed_product_count, 2)
        # Both, in a list.
        action = lot.action_view_renewal_installed_products()
        self.assertEqual(action["domain"], [("lot_id", "=", lot.id)])
        self.assertEqual(self.Installed.search(action["domain"]), in_a | in_b)

    def test_new_serial_links_another_lot(self):
        installed = self.install("TS-0006")
        old = installed.lot_id
        installed.serial_number = "TS-0007"
        self.assertEqual(installed.lot_id, self.lots("TS-0007"))
        self.assertNotEqual(installed.lot_id, old)
        self.assertFalse(old.renewal_installed_product_ids)
        # Another product: the lot of that product's serial, none untracked.
        installed.product_id = self.untracked
        self.assertFalse(installed.lot_id)

    def test_link_written_by_hand_is_put_right(self):
        installed = self.install("TS-0014")
        lot = installed.lot_id
        other = self.Lot.create({"name": "TS-0015", "product_id": self.tracked.id})
        installed.write({"lot_id": other.id})
        self.assertEqual(installed.lot_id, lot)

    def test_lot_created_renamed_in_inventory(self):
        installed = self.install("US-0002", product=self.untracked)
        self.assertFalse(installed.lot_id)
        # Inventory creates the serial number: the installed product has it.
        lot = self.Lot.create({"name": "US-0002", "product_id": self.untracked.id})
        self.assertEqual(installed.lot_id, lot)
        # Renamed: it no longer is that product's serial.
        lot.name = "US-0002-X"
        self.assertFalse(installed.lot_id)
        lot.name = "US-0002"
        self.assertEqual(installed.lot_id, lot)
        lot.unlink()
        self.assertFalse(installed.lot_id)

    def test_installed_product_made_from_a_contract_line(self):
        # A covered line with a serial makes its installed product in SQL
        # (the core's set-based linker): it gets its lot too.
        contract = self.env["renewal.contract"].create(
            {
                "name": "STOCK-LINE",
                "partner_id": self.customer.id,
                "date_start": "2026-01-01",
                "date_end": "2026-12-31",
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.tracked.id,
                            "serial_number": "TS-LINE-1",
                            "date_start": "2026-01-01",
                            "date_end": "2026-12-31",
                            "list_price": 100.0,
                        }
                    )
                ],
            }
        )
        installed = contract.line_ids.installed_product_id
        self.assertEqual(installed.serial_number, "TS-LINE-1")
        self.assertEqual(installed.lot_id, self.lots("TS-LINE-1"))
        self.assertTrue(installed.lot_id)

    def test_installed_product_inserted_by_a_feed(self):
        # Feeds insert installed products in SQL, past create: lot too.
        inserted = self.Installed._sql_insert(
            self.env.company,
            [
                {
                    "product_id": self.tracked.id,
                    "serial_number": "TS-FEED-1",
                    "partner_id": self.customer.id,
                    "install_date": False,
                    "customer_po_number": False,
                    "vendor_order_number": False,
                    "reseller_id": False,
                    "distributor_id": False,
                    "user_id": False,
                    "registration_channel": "feed",
                    "coverage_state": "uncovered",
                    "coverage_end": False,
                }
            ],
        )
        installed = self.Installed.browse(inserted[(self.tracked.id, "TS-FEED-1")])
        self.assertTrue(installed.lot_id)
        self.assertEqual(installed.lot_id, self.lots("TS-FEED-1"))

    def test_registration_gets_the_lot(self):
        # Registered through the core's entry point, as every channel does
        # (here as a Renewals user who cannot read lots).
        registration = (
            self.env["renewal.registration"]
            .with_user(self.user)
            ._register_products(
                [
                    {
                        "product_id": self.tracked.id,
                        "serial_number": "TS-REG-1",
                        "partner_id": self.customer.id,
                        "purchase_date": "2026-01-10",
                    }
                ],
                "back_office",
            )
        )
        installed = registration.sudo().installed_product_id
        self.assertEqual(installed.serial_number, "TS-REG-1")
        self.assertEqual(installed.lot_id, self.lots("TS-REG-1"))
        self.assertTrue(installed.lot_id)

    def test_product_becomes_tracked(self):
        products = self.install("UT-1", product=self.untracked) | self.install(
            "UT-2", product=self.untracked
        )
        self.assertFalse(products.lot_id)
        self.untracked.write({"is_storable": True, "tracking": "serial"})
        self.assertEqual(sorted(products.mapped("lot_id.name")), ["UT-1", "UT-2"])
        self.assertEqual(products.lot_id.product_id, self.untracked)

    def test_smart_buttons_both_ways(self):
        installed = self.install("TS-0008")
        action = installed.action_view_lot()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("stock.lot", installed.lot_id.id)
        )
        action = installed.lot_id.action_view_renewal_installed_products()
        self.assertEqual(
            (action["res_model"], action["res_id"]),
            ("renewal.installed.product", installed.id),
        )
        # The buttons are in the forms.
        arch = self.env["stock.lot"].get_view(view_type="form")["arch"]
        self.assertIn('name="action_view_renewal_installed_products"', arch)
        arch = self.Installed.get_view(view_type="form")["arch"]
        self.assertIn('name="action_view_lot"', arch)

    def test_registered_by_a_user_without_inventory(self):
        # A Renewals user who cannot read lots registers a tracked product:
        # the lot is created all the same, and the field stays out of
        # their reach.
        self.assertFalse(self.user.has_group("stock.group_stock_user"))
        installed = (
            self.Installed.with_user(self.user)
            .create(
                {
                    "product_id": self.tracked.id,
                    "serial_number": "TS-0009",
                    "partner_id": self.customer.id,
                }
            )
            .sudo()
        )
        self.assertEqual(installed.lot_id, self.lots("TS-0009"))
        self.assertNotIn(
            "lot_id", self.Installed.with_user(self.user).fields_get(["lot_id"])
        )
        with self.assertRaises(AccessError):
            self.Lot.with_user(self.user).browse(installed.lot_id.id).read(["name"])

    def test_inventory_user_without_renewals(self):
        stock_user = new_test_user(
            self.env, login="stock_only", groups="stock.group_stock_user"
        )
        self.install("TS-0010")
        lot = self.lots("TS-0010").with_user(stock_user)
        self.assertNotIn(
            "renewal_installed_product_count",
            lot.fields_get(["renewal_installed_product_count"]),
        )
        # Their lot form opens, without the button.
        self.assertEqual(lot.read(["name"])[0]["name"], "TS-0010")
        arch = lot.get_view(view_type="form")["arch"]
        self.assertNotIn("action_view_renewal_installed_products", arch)

    def test_install_hook_links_the_existing_base(self):
        """The installed products registered before the addon: linked by the
        hook, set-based (no more queries for 41 than for 10)."""

        def forget(products):
            # As before the addon: no link, and no lot for tracked products.
            lots = products.lot_id.filtered(lambda lot: lot.name.startswith("HK-S"))
            lots |= products.lot_id.filtered(lambda lot: lot.name.startswith("HK-B"))
            self.env.cr.execute(
                SQL(
                    "UPDATE renewal_installed_product SET lot_id = NULL "
                    "WHERE id = ANY(%s); DELETE FROM stock_lot WHERE id = ANY(%s)",
                    products.ids,
                    lots.ids,
                )
            )
            self.env.invalidate_all()

        def hook_queries():
            before = self.cr.sql_log_count
            post_init_hook(self.env)
            return self.cr.sql_log_count - before

        def installs(prefix, count):
            return self.Installed.create(
                [
                    {
                        "product_id": self.tracked.id,
                        "serial_number": f"{prefix}{index}",
                        "partner_id": self.customer.id,
                    }
                    for index in range(count)
                ]
            )

        small = installs("HK-S", 10)
        forget(small)
        self.assertFalse(small.lot_id)
        queries_small = hook_queries()
        self.assertEqual(len(small.lot_id), 10)

        # 40 tracked, and one untracked whose lot Inventory has already.
        existing = self.Lot.create({"name": "HK-E", "product_id": self.untracked.id})
        big = installs("HK-B", 40) | self.install("HK-E", product=self.untracked)
        forget(big)
        self.assertFalse(big.lot_id)
        queries_big = hook_queries()
        self.assertEqual(len(big.lot_id), 41)
        self.assertIn(existing, big.lot_id)
        for product in big:
            self.assertEqual(
                (product.lot_id.name, product.lot_id.product_id),
                (product.serial_number, product.product_id),
            )
        self.assertLessEqual(queries_big, queries_small)
        # Nothing left to do: the hook again changes nothing.
        self.assertEqual(self.Installed._sync_lots_sql(), 0)

    def test_archived_products_keep_their_lot(self):
        installed = self.install("TS-0011")
        installed.action_archive()
        self.assertTrue(installed.lot_id)
        # Copying an installed product (another serial) never shares the lot.
        self.assertNotIn("lot_id", installed.copy_data({"serial_number": "TS-12"})[0])

    def test_demo_products_are_linked(self):
        demo = self.env.ref(
            "renewal_contracts.product_pwr_r660", raise_if_not_found=False
        )
        if not demo:
            self.skipTest("no demo data")
        installed = self.Installed.search([("product_id", "=", demo.id)])
        self.assertTrue(installed)
        self.assertTrue(all(installed.mapped("lot_id")))
        for product in installed:
            self.assertEqual(product.lot_id.name, product.serial_number)

    def test_partner_company_rule_on_count(self):
        # Lot shared by two companies; a user of company A only counts A's.
        lot = self.Lot.create({"name": "TS-0013", "product_id": self.tracked.id})
        partner_b = self.env["res.partner"].create(
            {"name": "Kunde B2", "is_company": True, "company_id": self.company_b.id}
        )
        self.install("TS-0013")
        self.install("TS-0013", partner_id=partner_b.id, company_id=self.company_b.id)
        user_a = new_test_user(
            self.env,
            login="renewal_stock_a",
            groups="renewal_contracts.renewal_contracts_group_user,"
            "stock.group_stock_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.assertEqual(lot.with_user(user_a).renewal_installed_product_count, 1)
