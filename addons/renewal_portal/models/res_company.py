from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    renewal_link_days = fields.Integer(
        string="Renewal Link Validity (days)",
        default=60,
        help="How long a renewal portal link e-mailed to a customer or a "
        "salesperson stays valid.",
    )
