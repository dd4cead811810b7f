from odoo import fields, models


class RenewalInstalledProduct(models.Model):
    """The installed products a channel partner's renewals manager reads in
    the portal (those the partner sold, as reseller or distributor): who of
    the vendor's staff made or changed them, and their chatter, stay the
    staff's."""

    _name = "renewal.installed.product"
    _inherit = ["renewal.installed.product", "renewal.channel.staff.audit"]

    # Read in the portal by channel partners' renewals managers (security/):
    # the chatter stays the vendor's staff's (as renewal.channel.staff.thread,
    # which this model cannot inherit: it is a mail.thread already).
    # What a manager reads is what the portal's pages and the partner API
    # show; the vendor's own data stays its staff's.
    site_partner_id = fields.Many2one(groups="base.group_user")
    country_id = fields.Many2one(groups="base.group_user")
    vendor_order_number = fields.Char(groups="base.group_user")
    user_id = fields.Many2one(groups="base.group_user")
    registered_by_id = fields.Many2one(groups="base.group_user")
    line_ids = fields.One2many(groups="base.group_user")
    line_count = fields.Integer(groups="base.group_user")
    contract_count = fields.Integer(groups="base.group_user")
    registration_ids = fields.One2many(groups="base.group_user")
    product_categ_id = fields.Many2one(groups="base.group_user")
    currency_id = fields.Many2one(groups="base.group_user")
    value = fields.Monetary(groups="base.group_user")
    message_ids = fields.One2many(groups="base.group_user")
    website_message_ids = fields.One2many(groups="base.group_user")
    has_message = fields.Boolean(groups="base.group_user")
    message_is_follower = fields.Boolean(groups="base.group_user")
    message_needaction = fields.Boolean(groups="base.group_user")
    message_needaction_counter = fields.Integer(groups="base.group_user")
    message_has_error = fields.Boolean(groups="base.group_user")
    message_has_error_counter = fields.Integer(groups="base.group_user")
    message_has_sms_error = fields.Boolean(groups="base.group_user")
    activity_type_icon = fields.Char(groups="base.group_user")
    activity_exception_decoration = fields.Selection(groups="base.group_user")
    activity_exception_icon = fields.Char(groups="base.group_user")
