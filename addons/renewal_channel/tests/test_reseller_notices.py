from odoo.tests import tagged

from odoo.addons.renewal_contracts.tests.test_notices import NoticeCase

from .. import uninstall_hook


@tagged("post_install", "-at_install")
class TestResellerNotices(NoticeCase):
    """A reseller's own cadence and brand on the renewal notices."""

    def test_switched_off_step_and_reseller_cadence(self):
        """A reseller's own cadence, copied from the company's, replaces it
        for the contracts the reseller sells."""
        self.env["renewal.notice.step"].search(
            [("offset_days", "=", -90), ("reseller_id", "=", False)]
        ).active = False
        direct = self.contract([90])
        self.reseller.action_renewal_copy_cadence()
        self.reseller.renewal_notice_step_ids.filtered(
            lambda step: step.offset_days != -30
        ).active = False
        resold_90 = self.contract([90], reseller_id=self.reseller.id)
        resold_30 = self.contract(
            [30],
            reseller_id=self.reseller.id,
            reseller_salesperson_id=self.reseller_salesperson.id,
        )
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertFalse(self.notices(direct | resold_90))
        self.assertEqual(self.notices(resold_30, "customer").offset_days, -30)

    def test_own_cadence_without_steps_falls_back(self):
        self.reseller.renewal_own_cadence = True
        contract = self.contract([90], reseller_id=self.reseller.id)
        with self.mock_mail_gateway():
            self.run_notices()
        self.assertEqual(self.notices(contract, "customer").offset_days, -90)

    def test_copy_cadence(self):
        self.reseller.action_renewal_copy_cadence()
        steps = self.reseller.renewal_notice_step_ids
        self.assertTrue(self.reseller.renewal_own_cadence)
        self.assertEqual(
            sorted(steps.mapped("offset_days")), [-120, -90, -60, -30, -7, 0, 7, 30]
        )
        self.assertEqual(steps.company_id, self.company)
        # Copying again adds nothing; the company's cadence is left alone.
        self.reseller.action_renewal_copy_cadence()
        self.assertEqual(self.reseller.renewal_notice_step_ids, steps)
        self.assertFalse(self.company.renewal_notice_step_ids & steps)
        self.assertEqual(len(self.company.renewal_notice_step_ids), 8)

    def test_uninstall_removes_reseller_cadences(self):
        self.reseller.action_renewal_copy_cadence()
        company_steps = self.company.renewal_notice_step_ids
        uninstall_hook(self.env)
        Step = self.env["renewal.notice.step"].with_context(active_test=False)
        self.assertFalse(Step.search([("reseller_id", "!=", False)]))
        self.assertEqual(company_steps.exists(), company_steps)

    def test_reseller_brand(self):
        self.reseller.renewal_own_brand = True
        contract = self.contract(
            [90],
            reseller_id=self.reseller.id,
            reseller_salesperson_id=self.reseller_salesperson.id,
        )
        with self.mock_mail_gateway():
            self.run_notices()
        notice = self.notices(contract, "customer")
        self.assertEqual(notice.brand_partner_id, self.reseller)
        self.assertEqual(notice.sender_id, self.reseller_salesperson)
        self.assertIn("Resell One", notice.mail_id.subject)
        self.assertNotIn(self.company.name, notice.mail_id.body_html)
        # The reseller's salesperson gets the sales notice.
        self.assertEqual(
            self.notices(contract, "sales").partner_id, self.reseller_salesperson
        )
