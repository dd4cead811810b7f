from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL


class RenewalNoticeStep(models.Model):
    """A reseller's own cadence: steps with a reseller, which replace the
    company's for the contracts the reseller sells."""

    _inherit = "renewal.notice.step"
    _order = "company_id, reseller_id, offset_days"

    reseller_id = fields.Many2one(
        "res.partner",
        domain=[("is_renewal_reseller", "=", True)],
        ondelete="cascade",
        index="btree_not_null",
        help="Empty: a step of the company's cadence. Set: a step of this "
        "reseller's own cadence.",
    )

    def init(self):
        super().init()
        # One step per offset in each cadence, the resellers' included (NULL
        # resellers are equal here): the core's index, widened.
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
                "renewal_notice_step_offset_uniq",
            )
        )
        row = cr.fetchone()
        if row and "reseller_id" in row[0]:
            return
        cr.execute(SQL("DROP INDEX IF EXISTS renewal_notice_step_offset_uniq"))
        cr.execute(
            SQL(
                """CREATE UNIQUE INDEX renewal_notice_step_offset_uniq
                   ON renewal_notice_step
                   (company_id, COALESCE(reseller_id, 0), offset_days)"""
            )
        )

    @api.model
    def _company_cadence_domain(self):
        return expression.AND(
            [super()._company_cadence_domain(), [("reseller_id", "=", False)]]
        )
