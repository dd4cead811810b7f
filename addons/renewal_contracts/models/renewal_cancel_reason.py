from odoo import fields, models


class RenewalCancelReason(models.Model):
    _name = "renewal.cancel.reason"
    _description = "Renewal Cancellation Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A cancellation reason with this name exists."),
    ]
