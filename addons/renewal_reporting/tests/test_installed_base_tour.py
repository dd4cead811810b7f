from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestInstalledBaseTour(HttpCase):
    """The installed-base analysis in the browser: a Renewals Manager opens
    its pivot, graph and list on the demo data and goes from a row to its
    installed product."""

    browser_size = "1440x1000"

    def setUp(self):
        super().setUp()
        self.manager = self.env.ref(
            "renewal_contracts.user_renewal_manager", raise_if_not_found=False
        )
        if not self.manager:
            self.skipTest("The installed-base tour runs on the demo data.")

    def test_installed_base_tour(self):
        self.assertTrue(
            self.env["renewal.report.installed.base"]
            .with_user(self.manager)
            .search_count([])
        )
        self.start_tour(
            "/odoo/action-renewal_reporting.renewal_report_installed_base_action",
            "renewal_reporting_installed_base",
            login="rmanager",
        )
