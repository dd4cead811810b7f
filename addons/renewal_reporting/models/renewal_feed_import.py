from datetime import timedelta

from odoo import models


class RenewalFeedImport(models.Model):
    _inherit = "renewal.feed.import"

    def _finish(self, failed=False):
        """An import is over (done, or failed with its first chunks
        written): the analysis is refreshed at once by the scheduled
        action, in its own transaction, with any other import finishing
        meanwhile."""
        res = super()._finish(failed=failed)
        if self.created_count or self.updated_count:
            self.env["renewal.report"]._mark_stale(delay=timedelta(0))
        return res
