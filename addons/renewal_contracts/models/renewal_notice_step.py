from odoo import api, fields, models
from odoo.tools import SQL

# The default cadence: days from the end of coverage (negative: before it).
DEFAULT_CADENCE = (-120, -90, -60, -30, -7, 0, 7, 30)


class RenewalNoticeStep(models.Model):
    """One step of a notification cadence: "90 days before the end date".

    A company has its cadence (``renewal_channel`` adds the resellers' own).
    A step is switched off by archiving it.
    """

    _name = "renewal.notice.step"
    _description = "Renewal Notice Step"
    _order = "company_id, offset_days"

    name = fields.Char(compute="_compute_name")
    offset_days = fields.Integer(
        string="Days From End",
        required=True,
        help="When to notify, in days from the end of coverage: negative "
        "before it (-90: 90 days before), zero on the day, positive after it "
        "(overdue).",
    )
    active = fields.Boolean(default=True, help="Switch this step off.")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )

    def init(self):
        # One step per offset in each cadence. renewal_channel widens the key
        # to the resellers' own cadences, under the same name: an index that
        # exists is left as it is.
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS renewal_notice_step_offset_uniq
                   ON renewal_notice_step (company_id, offset_days)"""
            )
        )

    @api.model
    def _company_cadence_domain(self):
        """The steps of the companies' own cadences: all of them here
        (``renewal_channel`` leaves the resellers' out)."""
        return []

    @api.depends("offset_days")
    @api.depends_context("lang")
    def _compute_name(self):
        for step in self:
            step.name = step._label(step.offset_days)

    def _label(self, offset):
        if offset < 0:
            return self.env._("%(days)s days before the end date", days=-offset)
        if offset > 0:
            return self.env._("%(days)s days after the end date", days=offset)
        return self.env._("On the end date")

    @api.model
    def _default_cadence_values(self, company):
        return [
            {"offset_days": offset, "company_id": company.id}
            for offset in DEFAULT_CADENCE
        ]

    @api.model
    def _install_default_cadence(self):
        """Give every company without a cadence the default one."""
        companies = (
            self.env["res.company"]
            .with_context(active_test=False)
            .search([("id", "!=", False)])
        )
        with_steps = set(
            self.with_context(active_test=False)
            .search(self._company_cadence_domain())
            .company_id.ids
        )
        self.create(
            [
                vals
                for company in companies
                if company.id not in with_steps
                for vals in self._default_cadence_values(company)
            ]
        )
