from odoo import fields, models


class RenewalCancelReason(models.Model):
    _inherit = "renewal.cancel.reason"

    # The renewal pages show a reason's name to portal users. (``sequence``
    # and ``active`` stay readable: searches order and filter on them.)
    create_uid = fields.Many2one(groups="base.group_user")
    create_date = fields.Datetime(groups="base.group_user")
    write_uid = fields.Many2one(groups="base.group_user")
    write_date = fields.Datetime(groups="base.group_user")
