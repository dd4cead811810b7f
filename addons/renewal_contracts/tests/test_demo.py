from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo base a person looks at: big enough, and every colour in it."""

    def setUp(self):
        super().setUp()
        if not self.env.ref("renewal_contracts.user_renewal_manager", False):
            self.skipTest("installed without demo data")

    def test_demo_base(self):
        Partner = self.env["res.partner"]
        self.assertGreaterEqual(
            Partner.search_count([("is_renewal_distributor", "=", True)]), 2
        )
        self.assertGreaterEqual(
            Partner.search_count([("is_renewal_reseller", "=", True)]), 4
        )
        contracts = self.env["renewal.contract"].search([("name", "=like", "RC-%")])
        self.assertGreaterEqual(len(contracts.partner_id), 40)
        lines = contracts.line_ids
        self.assertGreaterEqual(len(lines), 300)
        self.assertTrue(all(lines.mapped("serial_number")))
        self.assertTrue(all(lines.mapped("service_level_id")))
        self.assertEqual(
            set(contracts.mapped("status")), {"overdue", "due", "live", "cancelled"}
        )
        self.assertEqual(
            set(lines.mapped("status")), {"overdue", "due", "live", "cancelled"}
        )
        self.assertTrue(contracts.filtered("warranty_only"))
        self.assertTrue(contracts.filtered("is_consolidated"))
        self.assertTrue(contracts.reseller_salesperson_id)

    def test_demo_users(self):
        manager = self.env.ref("renewal_contracts.user_renewal_manager")
        user = self.env.ref("renewal_contracts.user_renewal_user")
        self.assertTrue(
            manager.has_group("renewal_contracts.renewal_contracts_group_manager")
        )
        self.assertTrue(
            user.has_group("renewal_contracts.renewal_contracts_group_user")
        )
        self.assertFalse(
            user.has_group("renewal_contracts.renewal_contracts_group_manager")
        )

    def test_demo_notices(self):
        """The demo's notices follow Northwind's own cadence for its
        contracts, and Ulrich's go into his digest."""
        northwind = self.env.ref("renewal_contracts.partner_reseller_northwind")
        self.assertEqual(
            sorted(northwind.renewal_notice_step_ids.mapped("offset_days")),
            [-60, -14, 0, 14],
        )
        Notice = self.env["renewal.notice"]
        before = Notice.search([], order="id desc", limit=1).id or 0
        Notice._run()
        notices = Notice.search([("id", ">", before)])
        self.assertTrue(notices)
        of_northwind = notices.line_ids.filtered(
            lambda line: line.contract_id.reseller_id == northwind
        )
        self.assertLessEqual(set(of_northwind.mapped("offset_days")), {-60, -14, 0})
        ulrich = self.env.ref("renewal_contracts.user_renewal_user").partner_id
        to_ulrich = notices.filtered(lambda n: n.partner_id == ulrich)
        if to_ulrich:
            self.assertEqual(set(to_ulrich.mapped("role")), {"sales", "digest"})
