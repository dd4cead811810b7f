from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    renewal_reseller_manager = fields.Boolean(
        string="Reseller Renewals Manager",
        help="On a reseller's contact with a portal account: sees every "
        "contract the reseller sells, not only the ones in their name.",
    )
