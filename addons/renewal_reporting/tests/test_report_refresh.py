from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ReportCase


@tagged("post_install", "-at_install")
class TestReportRefresh(ReportCase):
    """The analysis reads a materialized view: changes reach it when it is
    refreshed, and the user is told as of when."""

    def outcome(self, serial):
        Report = self.env["renewal.report"]
        Report.invalidate_model()
        return Report.search([("line_id", "=", self.lines[serial].id)]).outcome

    def triggers(self):
        cron = self.env.ref("renewal_reporting.ir_cron_renewal_report_refresh")
        return self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])

    def test_a_loss_reaches_the_view_with_the_scheduled_refresh(self):
        Report = self.env["renewal.report"]
        self.assertEqual(self.outcome("L6"), "open")
        self.assertFalse(Report._view_state()["stale_since"])
        triggers = self.triggers()
        self.lines["L6"]._cancel(self.competitor)
        # Not yet in the figures, but the view is stale and its refresh due.
        self.assertEqual(self.outcome("L6"), "open")
        self.assertTrue(Report._view_state()["stale_since"])
        self.assertEqual(self.triggers(), triggers + 1)
        self.assertTrue(Report.get_report_freshness()["stale"])
        # A second change waits for the same refresh.
        self.lines["L5"]._cancel(self.price)
        self.assertEqual(self.triggers(), triggers + 1)
        Report._cron_refresh_view()
        self.assertEqual(self.outcome("L6"), "lost")
        self.assertEqual(self.outcome("L5"), "lost")
        self.assertFalse(Report._view_state()["stale_since"])
        self.assertFalse(Report.get_report_freshness()["stale"])
        (lost,) = self.rows([], ["value_lost:sum"])[()]
        # L3 50 + L7 80 + L9 60 before, now L5 50 and L6 150 too.
        self.assertEqual(lost, 50 + 80 + 60 + 50 + 150)

    def test_the_daily_status_refresh_refreshes_the_view(self):
        line = self.lines["L6"].copy(
            {"serial_number": "L11", "date_end": "2026-07-31", "list_price": 70}
        )
        Report = self.env["renewal.report"]
        self.assertFalse(Report.search([("line_id", "=", line.id)]))
        self.env.ref(
            "renewal_contracts.ir_cron_renewal_refresh_status"
        ).method_direct_trigger()
        row = Report.search([("line_id", "=", line.id)])
        self.assertEqual(row.value_due, 35)  # 70 XRW at 2 XRW for 1
        self.assertEqual(row.status, line.status)

    def test_the_user_is_told_as_of_when(self):
        freshness = (
            self.env["renewal.report"]
            .with_user(self.seller_north)
            .get_report_freshness()
        )
        self.assertTrue(freshness["refreshed_at"])
        self.assertIn("Figures as of", freshness["text"])
        self.assertFalse(freshness["stale"])
        with self.assertRaises(AccessError):
            self.env["renewal.report"].with_user(
                self.portal_reseller
            ).get_report_freshness()
