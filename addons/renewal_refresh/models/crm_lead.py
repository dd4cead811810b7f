from odoo import fields, models


class CrmLead(models.Model):
    _name = "crm.lead"
    _inherit = ["crm.lead", "renewal.refresh.origin.mixin"]

    renewal_reseller_id = fields.Many2one(
        "res.partner",
        string="Reseller",
        domain=[("is_renewal_reseller", "=", True)],
        help="The reseller that owns this customer: the opportunity is "
        "followed up through them.",
    )
    renewal_reseller_contact_id = fields.Many2one(
        "res.partner",
        string="Reseller's Salesperson",
        domain="[('parent_id', '=', renewal_reseller_id)]",
    )
    renewal_installed_product_ids = fields.Many2many(
        related="renewal_refresh_target_id.installed_product_ids",
        string="Installed Products",
        groups="renewal_contracts.renewal_contracts_group_user",
        help="The customer's installed products that the refresh campaign selected.",
    )
