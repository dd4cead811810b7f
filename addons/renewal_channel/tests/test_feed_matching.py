from odoo.tests import tagged

from ..models.renewal_feed_matcher import CustomerMatcher
from ..tools import feed
from .common import FeedCase


def parsed(number, **values):
    """A checked row, as ``tools.feed.parse_rows`` returns it."""
    values.setdefault("contract_number", "M-C")
    values.setdefault("product_code", "R1")
    return feed.ParsedRow(row=number, values=values)


@tagged("post_install", "-at_install")
class TestCustomerMatcher(FeedCase):
    """Matching end customers alone, without a file or an import."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.by_vat = Partner.create(
            {"name": "Vat Holder GmbH", "is_company": True, "vat": "DE 123 456 789"}
        )
        cls.by_mail = Partner.create(
            {"name": "Mail Match Ltd", "is_company": True, "email": "a@mm.example"}
        )
        cls.twins = Partner.create(
            [
                {"name": "Twin Co", "is_company": True, "city": "Leeds"},
                {"name": "Twin Co.", "is_company": True, "city": "Leeds"},
            ]
        )
        # A reseller is never anybody's end customer.
        Partner.create(
            {"name": "Twin Co Ltd", "is_company": True, "is_renewal_reseller": True}
        )

    def matcher(self, rows):
        matcher = CustomerMatcher(self.env, self.company)
        matcher.load(rows)
        return matcher

    def test_rules_in_order(self):
        rows = [
            parsed(2, customer_name="Another Name", customer_vat="de123456789"),
            parsed(
                3, customer_name="MAIL MATCH LIMITED", customer_email="x@MM.example"
            ),
            parsed(4, customer_name="Twin Co", customer_city="leeds"),
            parsed(5, customer_name="Nobody Yet BV", customer_city="Delft"),
        ]
        matcher = self.matcher(rows)
        self.assertEqual(matcher.match(rows[0].values), (self.by_vat, None))
        self.assertEqual(matcher.match(rows[1].values), (self.by_mail, None))
        found, reason = matcher.match(rows[2].values)
        self.assertIsNone(found)
        self.assertIn("2 customers match by name and city", reason)
        key, reason = matcher.match(rows[3].values)
        self.assertIsNone(reason)
        self.assertEqual(key, ("", "", "nobody yet", "delft"))
        self.assertEqual(list(matcher.pending), [key])

    def test_customers_created_once_and_only_when_used(self):
        rows = [
            parsed(2, customer_name="Fresh GmbH", customer_city="Bonn"),
            parsed(3, customer_name="FRESH gmbh", customer_city="bonn"),
            parsed(4, customer_name="Dropped AG", customer_city="Ulm"),
        ]
        matcher = self.matcher(rows)
        resolved = [
            {"row": row.row, "customer": matcher.match(row.values)[0]} for row in rows
        ]
        self.assertEqual(len(matcher.pending), 2)
        # The row of Dropped AG is rejected later: its customer is not made.
        kept = resolved[:2]
        matcher.forget_unused(kept)
        count = self.env["res.partner"].search_count([])
        matcher.create_missing(kept)
        self.assertEqual(self.env["res.partner"].search_count([]), count + 1)
        self.assertEqual(kept[0]["customer"], kept[1]["customer"])
        fresh = self.env["res.partner"].browse(kept[0]["customer"])
        self.assertEqual((fresh.name, fresh.city), ("Fresh GmbH", "Bonn"))
        self.assertFalse(fresh.company_id)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Dropped AG")]))

    def test_other_company_customers_are_strangers(self):
        company_b = self.env["res.company"].create({"name": "Vendor B"})
        self.env["res.partner"].create(
            {
                "name": "Bravo Kunde GmbH",
                "is_company": True,
                "vat": "DE999",
                "company_id": company_b.id,
            }
        )
        row = parsed(2, customer_name="Bravo Kunde GmbH", customer_vat="DE999")
        key, reason = self.matcher([row]).match(row.values)
        self.assertIsNone(reason)
        self.assertIsInstance(key, tuple, "not matched: a customer to create")


@tagged("post_install", "-at_install")
class TestFeedMatcher(FeedCase):
    """``renewal.feed.matcher`` alone: rows to record ids, and the rows a
    channel partner may not write."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.USD").active = True
        cls.source = cls.make_source(
            "Matcher feed",
            role="reseller",
            partner=cls.reseller,
            product_alias_ids=[
                (0, 0, {"code": "THEIR-SKU", "product_id": cls.product.id})
            ],
        )
        cls.Matcher = cls.env["renewal.feed.matcher"]

    def test_resolve(self):
        values = {
            "serial_number": "RES-1",
            "customer_name": "Nordwind Kliniken GmbH",
            "service_level": "gold 4h",
            "currency": "USD",
            "date_start": "2026-01-01",
            "date_end": "2026-12-31",
        }
        rows, errors, matcher = self.Matcher._resolve(
            self.source,
            [
                parsed(2, product_code="THEIR-SKU", **values),
                parsed(3, product_code="NOPE", **dict(values, serial_number="RES-2")),
            ],
        )
        self.assertEqual([(e.row, e.column) for e in errors], [(3, "product")])
        [resolved] = rows
        self.assertEqual(resolved["product_id"], self.product.id)
        self.assertEqual(resolved["service_level_id"], self.level.id)
        self.assertEqual(resolved["customer"], self.customer.id)
        # A reseller's feed: the reseller, and the distributor it buys through.
        self.assertEqual(
            (resolved["reseller_id"], resolved["distributor_id"]),
            (self.reseller.id, self.distributor.id),
        )
        self.assertFalse(matcher.pending)

    def test_channel_rejections(self):
        other = self.env["res.partner"].create(
            {"name": "Other Reseller", "is_company": True, "is_renewal_reseller": True}
        )
        theirs = self.make_contract(ends=[100], name="THEIRS", reseller_id=other.id)
        theirs.line_ids.serial_number = "THEIR-SN"
        ours = self.make_contract(ends=[100], name="OURS", reseller_id=self.reseller.id)

        def resolved(number, serial, contract, reseller=self.reseller):
            return {
                "row": number,
                "serial_number": serial,
                "contract_number": contract,
                "reseller_id": reseller.id,
                "distributor_id": self.distributor.id
                if reseller == self.reseller
                else False,
            }

        rows = [
            resolved(2, "NEW-SN", ours.name),
            resolved(3, "THEIR-SN", ours.name),
            resolved(4, "OTHER-SN", theirs.name),
            resolved(5, "", "NEW-C", reseller=other),
        ]
        reasons = self.Matcher._channel_rejections(self.source, rows)
        self.assertEqual(set(reasons), {3, 4, 5})
        self.assertIn("Serial NEW-C would belong", reasons[5])
        kept, errors = self.Matcher._channel_check(
            self.source,
            rows,
            {"serial_number": "serial", "contract_number": "contract"},
        )
        self.assertEqual(kept, rows[:1])
        self.assertEqual(
            [(e.row, e.column, e.value) for e in errors],
            [
                (3, "serial", "THEIR-SN"),
                (4, "serial", "OTHER-SN"),
                (5, "contract", "NEW-C"),
            ],
        )
        # The vendor's own feed is not held to a partner's contracts.
        vendor = self.make_source("Vendor matcher feed")
        self.assertEqual(self.Matcher._channel_rejections(vendor, rows), {})
