from odoo import fields, models


class RenewalServiceLevel(models.Model):
    _inherit = "renewal.service.level"

    # The renewal pages show a level's name to portal users; its set-up is
    # for the vendor's staff. (``sequence`` and ``active`` stay readable:
    # searches order and filter on them.)
    create_uid = fields.Many2one(groups="base.group_user")
    create_date = fields.Datetime(groups="base.group_user")
    write_uid = fields.Many2one(groups="base.group_user")
    write_date = fields.Datetime(groups="base.group_user")
    code = fields.Char(groups="base.group_user")
    warranty_only = fields.Boolean(groups="base.group_user")
    description = fields.Text(groups="base.group_user")
    product_id = fields.Many2one(groups="base.group_user")
    upsell_level_id = fields.Many2one(groups="base.group_user")
