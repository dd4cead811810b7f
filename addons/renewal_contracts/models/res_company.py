from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.status import DEFAULT_DUE_DAYS


class ResCompany(models.Model):
    _inherit = "res.company"

    renewal_due_days = fields.Integer(
        string="Renewal Window (days)",
        default=DEFAULT_DUE_DAYS,
        help="A live contract turns amber (due for renewal) this many days "
        "before its coverage ends.",
    )

    renewal_quote_lead_days = fields.Integer(
        string="Quote Lead Time (days)",
        default=100,
        help="Renewal quotations are made for lines ending within this many "
        "days (and for overdue ones).",
    )
    renewal_uplift_percent = fields.Float(
        string="Renewal Uplift (%)",
        help="Added to the pricelist price of lines without a renewal price.",
    )
    renewal_coterm = fields.Boolean(
        string="Co-term Renewal Quotations",
        help="Align every line of a renewal quotation to one common end date, "
        "with prorated prices.",
    )

    renewal_notice_step_ids = fields.One2many(
        "renewal.notice.step",
        "company_id",
        string="Notification Cadence",
        context={"active_test": False},
    )
    renewal_notice_from = fields.Selection(
        [
            ("salesperson", "The salesperson"),
            ("brand", "The vendor or the reseller"),
        ],
        string="Notices Sent From",
        default="salesperson",
        required=True,
        help="Whose name and address renewal notices to customers carry: the "
        "internal or reseller salesperson, or the brand they are published in.",
    )
    renewal_notice_reply_to = fields.Selection(
        [
            ("gateway", "The contract's chatter"),
            ("sender", "The sender's own mailbox"),
        ],
        string="Replies Go To",
        default="gateway",
        required=True,
        help="The contract's chatter: replies come back through the mail "
        "gateway and are posted on every contract of the notice, where the "
        "salesperson follows them. The sender's mailbox: replies go straight "
        "to the salesperson or reseller, outside Odoo.",
    )
    renewal_notice_late_days = fields.Integer(
        string="Late Notices (days)",
        default=14,
        help="A step not sent on its day (the scheduled action did not run, "
        "the contract arrived late) is still sent this many days later; after "
        "that it is left out.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        Step = self.env["renewal.notice.step"].sudo()
        Step.create(
            [
                vals
                for company in companies
                for vals in Step._default_cadence_values(company)
            ]
        )
        return companies

    @api.constrains("renewal_due_days", "renewal_notice_late_days")
    def _check_renewal_days(self):
        for company in self:
            for days, what in (
                (company.renewal_due_days, self.env._("the renewal window")),
                (company.renewal_notice_late_days, self.env._("late notices")),
            ):
                if days < 0:
                    raise ValidationError(
                        self.env._(
                            "Company %(company)s: %(what)s must be zero or more "
                            "days, not %(days)s.",
                            company=company.name,
                            what=what,
                            days=days,
                        )
                    )

    def write(self, vals):
        res = super().write(vals)
        if "renewal_due_days" in vals:
            # The window moves every line of these companies: one set-based
            # refresh rather than a recompute per line.
            self.env["renewal.contract"]._refresh_status(companies=self)
        return res
