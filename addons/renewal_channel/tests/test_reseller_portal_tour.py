from unittest.mock import patch

from odoo.tests import tagged

from .common_reseller_portal import ResellerPortalCase


@tagged("post_install", "-at_install")
class TestResellerPortalTour(ResellerPortalCase):
    """A reseller's renewals manager uploads a feed in a real browser:
    checks it, imports it, and watches the page follow the import."""

    def test_upload_tour(self):
        self.source_alpha.chunk_size = 1
        Import = self.registry["renewal.feed.import"]
        progress = Import._reseller_progress

        def progress_after_a_job(feed_import):
            # queue_job's runner does not run in tests: each time the page
            # asks, one more chunk is run, as the runner would between two
            # polls, and the import finished after its last one.
            feed_import_sudo = feed_import.sudo()
            pending = feed_import_sudo.chunk_ids.filtered(
                lambda chunk: chunk.state == "pending"
            )
            if feed_import_sudo.state == "running" and pending:
                pending[:1]._run()
                if len(pending) == 1:
                    feed_import_sudo._finish()
            return progress(feed_import)

        with patch.object(Import, "_reseller_progress", progress_after_a_job):
            self.start_tour("/my", "renewal_reseller_feed_upload", login="alpha_boss")
        imports = self.env["renewal.feed.import"].search(
            [("filename", "=", "tour_feed.csv")], order="id"
        )
        self.assertEqual(imports.mapped("state"), ["checked", "done"])
        self.assertEqual(imports.user_id, self.manager_alpha)
        self.assertEqual(len(imports[1].chunk_ids), 2)
        contracts = self.env["renewal.contract"].search(
            [("name", "in", ("TOUR-C1", "TOUR-C2", "TOUR-C3"))]
        )
        self.assertEqual(contracts.mapped("name"), ["TOUR-C1", "TOUR-C2"])
        self.assertEqual(contracts.reseller_id, self.alpha)
        self.assertEqual(
            contracts.line_ids.mapped("serial_number"), ["TOUR-SN1", "TOUR-SN2"]
        )
