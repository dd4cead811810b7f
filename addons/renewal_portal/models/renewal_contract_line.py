from odoo import fields, models


class RenewalContractLine(models.Model):
    _inherit = "renewal.contract.line"

    # Portal users read the lines of the contracts they may see; what the
    # renewal pages do not show them is for the vendor's staff.
    create_uid = fields.Many2one(groups="base.group_user")
    create_date = fields.Datetime(groups="base.group_user")
    write_uid = fields.Many2one(groups="base.group_user")
    write_date = fields.Datetime(groups="base.group_user")
    partner_id = fields.Many2one(groups="base.group_user")
    reseller_id = fields.Many2one(groups="base.group_user")
    distributor_id = fields.Many2one(groups="base.group_user")
    product_categ_id = fields.Many2one(groups="base.group_user")
    quantity = fields.Float(groups="base.group_user")
    date_start = fields.Date(groups="base.group_user")
    renewal_subtotal = fields.Monetary(groups="base.group_user")
    successor_line_id = fields.Many2one(groups="base.group_user")
    predecessor_line_ids = fields.One2many(groups="base.group_user")
    sale_line_ids = fields.One2many(groups="base.group_user")
