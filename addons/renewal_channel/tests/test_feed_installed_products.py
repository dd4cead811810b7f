from odoo.tests import tagged

from odoo.addons.renewal_contracts.tests.common import days

from .common import FeedCase, csv_bytes, row


@tagged("post_install", "-at_install")
class TestFeedInstalledProducts(FeedCase):
    """Feeds build the installed base: each imported line with a serial
    number gets its installed product (made by the feed, or the one already
    registered), set-based, and the product's coverage follows the lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.make_source("Installed base feed", priority=20)
        cls.Writer = cls.env["renewal.feed.writer"]
        cls.Installed = cls.env["renewal.installed.product"]

    def rows(self, *specs, **values):
        """Matched rows: ``(serial, contract, end offset)``."""
        return [
            dict(
                {
                    "row": index + 2,
                    "contract_number": contract,
                    "serial_number": serial,
                    "customer": self.customer.id,
                    "product_id": self.product.id,
                    "quantity": 1.0,
                    "service_level_id": self.level.id,
                    "warranty_only": False,
                    "date_start": days(end - 364).isoformat(),
                    "date_end": days(end).isoformat(),
                    "list_price": 100.0,
                    "renewal_price": 0.0,
                    "currency_id": self.company.currency_id.id,
                    "reseller_id": self.reseller.id,
                    "distributor_id": self.distributor.id,
                    "salesperson": False,
                    "customer_po_number": "PO-IB-1",
                    "vendor_order_number": "SO-IB-1",
                },
                **values,
            )
            for index, (serial, contract, end) in enumerate(specs)
        ]

    def installed(self, serials):
        return self.Installed.search([("serial_number", "in", serials)])

    def lines(self, serials):
        return self.env["renewal.contract.line"].search(
            [("serial_number", "in", serials)]
        )

    def test_new_lines_make_and_link_installed_products(self):
        rows = self.rows(("IB-1", "IB-C1", 200), ("IB-2", "IB-C1", -30))
        self.Writer._write_rows(self.source, rows)
        products = self.installed(["IB-1", "IB-2"])
        self.assertEqual(len(products), 2)
        lines = self.lines(["IB-1", "IB-2"])
        self.assertEqual(
            {
                line.serial_number: line.installed_product_id.serial_number
                for line in lines
            },
            {"IB-1": "IB-1", "IB-2": "IB-2"},
        )
        for product in products:
            with self.subTest(serial=product.serial_number):
                self.assertEqual(product.partner_id, self.customer)
                self.assertEqual(product.product_id, self.product)
                self.assertEqual(product.reseller_id, self.reseller)
                self.assertEqual(product.distributor_id, self.distributor)
                self.assertEqual(product.customer_po_number, "PO-IB-1")
                self.assertEqual(product.vendor_order_number, "SO-IB-1")
                self.assertEqual(product.registration_channel, "feed")
                self.assertEqual(product.registered_by_id, self.env.user)
                self.assertTrue(product.registration_date)
        by_serial = {product.serial_number: product for product in products}
        self.assertEqual(by_serial["IB-1"].coverage_state, "covered")
        self.assertEqual(by_serial["IB-1"].coverage_end, days(200))
        self.assertEqual(by_serial["IB-2"].coverage_state, "lapsed")

    def test_again_changes_no_installed_product_and_follows_the_dates(self):
        rows = self.rows(("IB-3", "IB-C3", -30))
        self.Writer._write_rows(self.source, rows)
        product = self.installed(["IB-3"])
        self.assertEqual(product.coverage_state, "lapsed")
        # The same file again: no second installed product.
        self.Writer._write_rows(self.source, rows)
        self.assertEqual(self.installed(["IB-3"]), product)
        # The line renewed by the feed (new end date): covered again.
        renewed = self.rows(("IB-3", "IB-C3", 300))
        counts, _conflicts = self.Writer._write_rows(self.source, renewed)
        self.assertEqual(counts["updated_count"], 1)
        product.invalidate_recordset()
        self.assertEqual(self.installed(["IB-3"]), product)
        self.assertEqual(product.coverage_state, "covered")
        self.assertEqual(product.coverage_end, days(300))
        self.assertEqual(self.lines(["IB-3"]).installed_product_id, product)

    def test_registered_product_is_linked_and_completed_never_overwritten(self):
        other = self.env["res.partner"].create(
            {"name": "Other Customer", "is_company": True}
        )
        mine = self.Installed.create(
            {
                "product_id": self.product.id,
                "serial_number": "IB-4",
                "partner_id": self.customer.id,
                "registration_channel": "customer_page",
            }
        )
        theirs = self.Installed.create(
            {
                "product_id": self.product.id,
                "serial_number": "IB-5",
                "partner_id": other.id,
                "customer_po_number": "THEIR-PO",
                "registration_channel": "back_office",
            }
        )
        self.Writer._write_rows(
            self.source, self.rows(("IB-4", "IB-C4", 100), ("IB-5", "IB-C4", 100))
        )
        self.assertEqual(self.installed(["IB-4", "IB-5"]), mine | theirs)
        self.assertEqual(self.lines(["IB-4"]).installed_product_id, mine)
        self.assertEqual(self.lines(["IB-5"]).installed_product_id, theirs)
        mine.invalidate_recordset()
        theirs.invalidate_recordset()
        # The same customer's: completed where empty, its channel kept.
        self.assertEqual(mine.reseller_id, self.reseller)
        self.assertEqual(mine.customer_po_number, "PO-IB-1")
        self.assertEqual(mine.registration_channel, "customer_page")
        self.assertEqual(mine.coverage_state, "covered")
        # Another customer's: untouched.
        self.assertFalse(theirs.reseller_id)
        self.assertEqual(theirs.customer_po_number, "THEIR-PO")
        self.assertEqual(theirs.partner_id, other)

    def test_set_based_whatever_the_number_of_lines(self):
        """Writing a chunk, its installed products made (then, the file
        again with new dates, found and refreshed), takes the same queries
        for 3 lines as for 30."""
        made, refreshed = [], []
        # (the first writes fill caches: not counted)
        self.Writer._write_rows(self.source, self.rows(("IBS-0", "IBS-C0", 100)))
        self.Writer._write_rows(self.source, self.rows(("IBS-0", "IBS-C0", -10)))
        for size in (3, 30):
            specs = [(f"IBS-{size}-{i}", f"IBS-C{size}", 100) for i in range(size)]
            self.env.flush_all()
            before = self.cr.sql_log_count
            self.Writer._write_rows(self.source, self.rows(*specs))
            self.env.flush_all()
            made.append(self.cr.sql_log_count - before)
            serials = [spec[0] for spec in specs]
            products = self.installed(serials)
            self.assertEqual(len(products), size)
            self.assertEqual(self.lines(serials).installed_product_id, products)
            self.assertEqual(set(products.mapped("coverage_state")), {"covered"})
            later = [(serial, contract, -10) for serial, contract, _end in specs]
            before = self.cr.sql_log_count
            self.Writer._write_rows(self.source, self.rows(*later))
            self.env.flush_all()
            refreshed.append(self.cr.sql_log_count - before)
            products.invalidate_recordset()
            self.assertEqual(self.installed(serials), products)
            self.assertEqual(set(products.mapped("coverage_state")), {"lapsed"})
        self.assertEqual(made[0], made[1])
        self.assertEqual(refreshed[0], refreshed[1])

    def test_line_moved_to_another_product_leaves_its_installed_product(self):
        """A line whose product the feed changes covers another installed
        product; the one it covered no longer counts it."""
        self.Writer._write_rows(self.source, self.rows(("IB-7", "IB-C7", 100)))
        before = self.installed(["IB-7"])
        self.assertEqual(before.coverage_state, "covered")
        other = self.env["product.product"].create({"name": "Other Product"})
        self.Writer._write_rows(
            self.source, self.rows(("IB-7", "IB-C7", 100), product_id=other.id)
        )
        after = self.installed(["IB-7"]) - before
        self.assertEqual(after.product_id, other)
        self.assertEqual(self.lines(["IB-7"]).installed_product_id, after)
        self.assertEqual(after.coverage_state, "covered")
        before.invalidate_recordset()
        # No line left: uncovered, not covered by the line that moved.
        self.assertEqual(before.coverage_state, "uncovered")

    def test_file_import_builds_the_installed_base(self):
        content = csv_bytes(
            [
                row("IBF-1", contract="IBF-C1"),
                row("IBF-2", contract="IBF-C1"),
                row("", contract="IBF-C2"),
            ]
        )
        source = self.make_source("Installed base file", require_serial=False)
        feed_import = source.import_file(content, "base.csv", delay=False)
        self.assertEqual(feed_import.state, "done", feed_import.message)
        self.assertEqual(feed_import.created_count, 3)
        products = self.installed(["IBF-1", "IBF-2"])
        self.assertEqual(len(products), 2)
        self.assertEqual(set(products.mapped("registration_channel")), {"feed"})
        self.assertEqual(self.lines(["IBF-1", "IBF-2"]).installed_product_id, products)
        # A line without a serial number makes no installed product.
        self.assertFalse(
            self.env["renewal.contract.line"]
            .search([("contract_id.name", "=", "IBF-C2")])
            .installed_product_id
        )
