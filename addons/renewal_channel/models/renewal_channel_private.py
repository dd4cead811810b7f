from odoo import fields, models


class RenewalChannelStaffAudit(models.AbstractModel):
    """For records that channel partners' renewals managers read in the
    portal: who of the vendor's staff made or changed them is not theirs."""

    _name = "renewal.channel.staff.audit"
    _description = "Renewal Channel: Staff-Only Audit Fields"

    create_uid = fields.Many2one(
        "res.users",
        string="Created by",
        automatic=True,
        readonly=True,
        groups="base.group_user",
    )
    write_uid = fields.Many2one(
        "res.users",
        string="Last Updated by",
        automatic=True,
        readonly=True,
        groups="base.group_user",
    )


class RenewalChannelStaffThread(models.AbstractModel):
    """A ``mail.thread`` whose records channel partners read in the portal:
    the chatter is the vendor's staff's."""

    _name = "renewal.channel.staff.thread"
    _description = "Renewal Channel: Staff-Only Chatter"
    _inherit = ["mail.thread", "renewal.channel.staff.audit"]

    message_ids = fields.One2many(groups="base.group_user")
    website_message_ids = fields.One2many(groups="base.group_user")
    has_message = fields.Boolean(groups="base.group_user")
    message_is_follower = fields.Boolean(groups="base.group_user")
    message_needaction = fields.Boolean(groups="base.group_user")
    message_needaction_counter = fields.Integer(groups="base.group_user")
    message_has_error = fields.Boolean(groups="base.group_user")
    message_has_error_counter = fields.Integer(groups="base.group_user")
    message_has_sms_error = fields.Boolean(groups="base.group_user")
