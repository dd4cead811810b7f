from odoo import fields, models


class RenewalServiceLevel(models.Model):
    _name = "renewal.service.level"
    _description = "Service Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Code used by the vendor and in feeds.")
    sequence = fields.Integer(
        default=10,
        help="Lower comes first: order levels from the least to the most "
        "comprehensive.",
    )
    warranty_only = fields.Boolean(
        help="Lines at this level are covered by the manufacturer's warranty "
        "only, without a paid support contract.",
    )
    description = fields.Text(translate=True)
    product_id = fields.Many2one(
        "product.product",
        string="Renewal Product",
        domain=[("sale_ok", "=", True)],
        help="The service sold on renewal quotations for lines at this level. "
        "Empty: the covered product itself.",
    )
    upsell_level_id = fields.Many2one(
        "renewal.service.level",
        string="Up-sell To",
        help="A higher level proposed as an optional line on renewal quotations.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A service level with this name exists."),
    ]
