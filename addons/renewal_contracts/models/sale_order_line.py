from odoo import fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    renewal_line_id = fields.Many2one(
        "renewal.contract.line",
        string="Renewed Line",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    renewal_date_start = fields.Date(string="Coverage From", copy=False)
    renewal_date_end = fields.Date(string="Coverage To", copy=False)
