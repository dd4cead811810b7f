from odoo import fields, models


class RenewalQuoteLost(models.TransientModel):
    """Mark renewal quotations as lost, for a reason: they are cancelled and
    the lines they quoted turn black, unless quoted again elsewhere."""

    _name = "renewal.quote.lost"
    _description = "Mark Renewal Quotations as Lost"

    order_ids = fields.Many2many("sale.order", required=True)
    reason_id = fields.Many2one("renewal.cancel.reason", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.order_ids.write({"renewal_lost_reason_id": self.reason_id.id})
        self.order_ids.with_context(disable_cancel_warning=True).action_cancel()
        return {"type": "ir.actions.act_window_close"}
