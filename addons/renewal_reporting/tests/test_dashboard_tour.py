import time

from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser


@tagged("post_install", "-at_install")
class TestRenewalDashboardTour(HttpCase):
    """The Renewals dashboard renders in community Odoo (no enterprise
    module): a Renewals Manager opens it on the demo history, sees its
    figures, opens the pivot behind a block; screenshots of the dashboard
    and of the pivot land in the run's ``--screenshots`` folder."""

    browser_size = "1440x1800"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = cls.env.ref(
            "renewal_contracts.user_renewal_manager", raise_if_not_found=False
        )
        cls.history = cls.env.ref(
            "renewal_reporting.demo_history_contract_000", raise_if_not_found=False
        )
        cls.dashboard = cls.env.ref("renewal_reporting.spreadsheet_dashboard_renewals")

    def setUp(self):
        super().setUp()
        if not (self.manager and self.history):
            self.skipTest("The dashboard tour runs on the demo data.")

    def screenshot(self, path, ready, prefix):
        """``path`` as the manager's browser shows it once ``ready`` (a JS
        expression) holds, saved under the ``--screenshots`` folder."""
        browser = ChromeBrowser(self, headless=True)
        try:
            self.authenticate("rmanager", "rmanager", browser=browser)
            browser.navigate_to(self.base_url() + path, wait_stop=True)
            browser._wait_ready(ready, timeout=60)
            # Let the canvas draw the last figures before the picture.
            time.sleep(1)
            browser.take_screenshot(prefix).result(timeout=20)
            browser.navigate_to("about:blank", wait_stop=True)
        finally:
            browser.stop()
            self._wait_remaining_requests()

    def test_dashboard_tour(self):
        self.assertIn(
            self.env.ref("renewal_contracts.renewal_contracts_group_manager"),
            self.dashboard.group_ids,
        )
        self.assertTrue(
            self.manager.has_group("renewal_contracts.renewal_contracts_group_manager")
        )
        # Community only: the dashboard must not need an enterprise module.
        enterprise = self.env["ir.module.module"].search(
            [("name", "in", ("spreadsheet_edition", "web_enterprise"))]
        )
        self.assertFalse(enterprise.filtered(lambda m: m.state == "installed"))
        self.start_tour(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
            "renewal_reporting_dashboard",
            login="rmanager",
        )
        self.screenshot(
            "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action"
            f"?dashboard_id={self.dashboard.id}",
            "document.querySelectorAll('.o_spreadsheet_dashboard_action "
            ".o-dashboard-clickable-cell').length > 40",
            "renewal_dashboard_",
        )
        self.screenshot(
            "/odoo/action-renewal_reporting.renewal_report_action",
            "document.querySelectorAll('.o_pivot td.o_pivot_cell_value').length > 4",
            "renewal_report_pivot_",
        )
