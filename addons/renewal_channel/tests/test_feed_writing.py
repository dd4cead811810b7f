from odoo.tests import tagged

from odoo.addons.renewal_contracts.tests.common import days

from .common import FeedCase


@tagged("post_install", "-at_install")
class TestFeedWriter(FeedCase):
    """``renewal.feed.writer`` alone: matched rows in, contracts and lines
    upserted, without a file, an import or a job."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.make_source("Writer feed", priority=20)
        cls.Writer = cls.env["renewal.feed.writer"]

    def rows(self, *specs):
        """Matched rows: ``(serial, contract, end offset, price)``."""
        return [
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
                "list_price": price,
                "renewal_price": 0.0,
                "currency_id": self.company.currency_id.id,
                "reseller_id": self.reseller.id,
                "distributor_id": self.distributor.id,
                "salesperson": "Piet Partner",
                "customer_po_number": "PO-7",
                "vendor_order_number": False,
            }
            for index, (serial, contract, end, price) in enumerate(specs)
        ]

    def lines(self, serials):
        return self.env["renewal.contract.line"].search(
            [("serial_number", "in", serials)]
        )

    def test_upsert(self):
        rows = self.rows(("W-1", "W-C1", 30, 100.0), ("W-2", "W-C1", 300, 50.0))
        self.assertEqual(
            self.Writer._classify(self.source, rows),
            {
                "created_count": 2,
                "updated_count": 0,
                "unchanged_count": 0,
                "conflicts": [],
            },
        )
        counts, conflicts = self.Writer._write_rows(self.source, rows)
        self.assertEqual(
            counts, {"created_count": 2, "updated_count": 0, "unchanged_count": 0}
        )
        self.assertFalse(conflicts)
        contract = self.lines(["W-1"]).contract_id
        self.assertEqual(
            (contract.name, contract.partner_id, contract.feed_source_id),
            ("W-C1", self.customer, self.source),
        )
        self.assertEqual(contract.reseller_salesperson_id.name, "Piet Partner")
        self.assertEqual(contract.reseller_salesperson_id.parent_id, self.reseller)
        # Stored fields as the ORM computes them.
        self.assertEqual((contract.status, contract.amount_renewal), ("due", 150.0))
        self.assertEqual(self.lines(["W-1", "W-2"]).mapped("status"), ["due", "live"])
        # The same rows again change nothing; a changed row updates its line.
        counts, _conflicts = self.Writer._write_rows(self.source, rows)
        self.assertEqual(counts["unchanged_count"], 2)
        rows[1]["list_price"] = 80.0
        counts, _conflicts = self.Writer._write_rows(self.source, rows)
        self.assertEqual((counts["updated_count"], counts["unchanged_count"]), (1, 1))
        self.assertEqual(self.lines(["W-2"]).list_price, 80.0)
        self.assertEqual(len(contract.line_ids), 2)

    def test_priority_decides_and_conflicts_are_told(self):
        self.Writer._write_rows(self.source, self.rows(("P-1", "P-C1", 30, 100.0)))
        low = self.make_source("Low writer feed", priority=5)
        counts, conflicts = self.Writer._write_rows(
            low, self.rows(("P-1", "P-C1", 30, 999.0))
        )
        self.assertEqual(counts["unchanged_count"], 1)
        self.assertIn("its data was kept", conflicts[0]["reason"])
        self.assertEqual(self.lines(["P-1"]).list_price, 100.0)
        high = self.make_source("High writer feed", priority=50)
        counts, conflicts = self.Writer._write_rows(
            high, self.rows(("P-1", "P-C1", 30, 80.0))
        )
        self.assertEqual(counts["updated_count"], 1)
        self.assertIn("overrode it", conflicts[0]["reason"])
        line = self.lines(["P-1"])
        self.assertEqual((line.list_price, line.feed_source_id), (80.0, high))

    def test_cancelled_line_keeps_its_colour(self):
        rows = self.rows(("X-1", "X-C1", 30, 100.0))
        self.Writer._write_rows(self.source, rows)
        line = self.lines(["X-1"])
        line._cancel(self.reason)
        rows[0]["list_price"] = 90.0
        self.Writer._write_rows(self.source, rows)
        line.invalidate_recordset()
        self.assertEqual((line.list_price, line.status), (90.0, "cancelled"))
