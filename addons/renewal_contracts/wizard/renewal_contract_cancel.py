from odoo import api, fields, models
from odoo.exceptions import UserError


class RenewalContractCancel(models.TransientModel):
    _name = "renewal.contract.cancel"
    _description = "Cancel Renewal Contracts or Lines"

    contract_ids = fields.Many2many("renewal.contract", string="Contracts")
    line_ids = fields.Many2many("renewal.contract.line", string="Lines")
    reason_id = fields.Many2one("renewal.cancel.reason", required=True)
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        active_ids = self.env.context.get("active_ids") or []
        if model == "renewal.contract" and "contract_ids" not in values:
            values["contract_ids"] = [fields.Command.set(active_ids)]
        elif model == "renewal.contract.line" and "line_ids" not in values:
            values["line_ids"] = [fields.Command.set(active_ids)]
        return values

    def action_confirm(self):
        self.ensure_one()
        if not (self.contract_ids or self.line_ids):
            raise UserError(self.env._("Select the contracts or lines to cancel."))
        if self.contract_ids:
            self.contract_ids._cancel(self.reason_id, note=self.note)
        if self.line_ids:
            self.line_ids._cancel(self.reason_id)
        return {"type": "ir.actions.act_window_close"}
