from odoo import api, models
from odoo.tools import SQL


class RenewalNotice(models.Model):
    _inherit = "renewal.notice"

    @api.model
    def _cadence_sql(self):
        """A contract sold by a reseller with its own cadence follows that
        cadence where the reseller has steps in the contract's company; any
        other contract, the company's."""
        return SQL(
            """CASE WHEN EXISTS (
                        SELECT 1 FROM res_partner r
                         WHERE r.id = c.reseller_id AND r.renewal_own_cadence)
                    AND EXISTS (
                        SELECT 1 FROM renewal_notice_step rs
                         WHERE rs.reseller_id = c.reseller_id
                           AND rs.company_id = c.company_id)
                    THEN s.reseller_id = c.reseller_id
                    ELSE s.reseller_id IS NULL END"""
        )
