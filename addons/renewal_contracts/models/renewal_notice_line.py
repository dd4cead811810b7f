from odoo import fields, models

from ..tools import status as rules


class RenewalNoticeLine(models.Model):
    """The send log: one line per contract and notice."""

    _name = "renewal.notice.line"
    _description = "Renewal Notice Log"
    _order = "id desc"
    _rec_name = "contract_id"

    notice_id = fields.Many2one(
        "renewal.notice", required=True, ondelete="cascade", index=True
    )
    contract_id = fields.Many2one(
        "renewal.contract", required=True, ondelete="cascade", index=True
    )
    role = fields.Selection(
        [("customer", "Customer"), ("sales", "Salesperson")], required=True
    )
    offset_days = fields.Integer(string="Days From End", required=True)
    period_end = fields.Date(
        string="Renewal Period End",
        required=True,
        help="The end of coverage the notice was about: the renewal period.",
    )
    step_label = fields.Char(related="notice_id.step_label", string="Step")
    partner_id = fields.Many2one(
        related="notice_id.partner_id", string="Recipient", store=True
    )
    state = fields.Selection(related="notice_id.state", store=True)
    date = fields.Date(related="notice_id.date", store=True)
    sent_at = fields.Datetime(related="notice_id.sent_at")
    company_id = fields.Many2one(related="notice_id.company_id", store=True)

    _sql_constraints = [
        (
            "notice_key_uniq",
            "unique(contract_id, role, offset_days, period_end)",
            "A contract is notified once per role, step and renewal period.",
        ),
    ]

    def _still_due(self):
        """Whether the contract is still to be told about this period."""
        self.ensure_one()
        contract = self.contract_id
        return not (
            contract.is_cancelled
            or contract.is_renewed
            or contract.do_not_contact
            or contract.consolidated_into_id
            or contract.status == rules.CANCELLED
            or contract.next_expiry_date != self.period_end
            or (
                self.role == "customer"
                and contract.partner_id.commercial_partner_id.renewal_notice_opt_out
            )
        )
