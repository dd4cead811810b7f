import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.renewal_contracts.tools.registration import RegistrationError

from ..tools.feed import FeedError
from ..tools.registration import read_upload, registration_row
from .renewal_feed_source import MAX_UPLOAD_BYTES

# What a channel partner's registration never says itself: the channel roles
# are the caller's, and the end customer is found (or made) from the contact.
CHANNEL_OWNED_KEYS = ("reseller_id", "distributor_id", "partner_id", "site_partner_id")
CHANNEL_PARTNER_CHANNELS = ("reseller_portal", "partner_api")
# ``_register_products``'s names of a row's fields -> the columns a partner sends.
REGISTER_FIELD_COLUMNS = {
    "product_id": "product_code",
    "contact": "contact_email",
    "contact.name": "contact_name",
    "contact.email": "contact_email",
    "contact.phone": "contact_phone",
    "contact.company_name": "customer_company",
    "contact.street": "street",
    "contact.zip": "zip",
    "contact.city": "city",
    "contact.country_code": "country_code",
}


def row_errors(error):
    """``(row, field, reason)`` for each problem an exception reports: a
    registration's rows, else its message as a whole."""
    errors = getattr(error, "errors", None)
    if errors:
        return list(errors)
    return [(None, "", error.args[0] if error.args else str(error))]


class RenewalRegistration(models.Model):
    """Registrations by a channel partner's renewals manager (the reseller
    portal, the partner API), who reads their own registrations in the
    portal: the vendor's review note, the conflicting product and the
    chatter stay the vendor's staff's."""

    _name = "renewal.registration"
    _inherit = ["renewal.registration", "renewal.channel.staff.audit"]

    # Read in the portal by channel partners' renewals managers (security/):
    # the chatter stays the vendor's staff's (as renewal.channel.staff.thread,
    # which this model cannot inherit: it is a mail.thread already).
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
    # A manager reads what they registered; the customer it was matched to,
    # the conflict, the vendor's note, who and the warranty are the staff's.
    note = fields.Text(groups="base.group_user")
    conflict_product_id = fields.Many2one(groups="base.group_user")
    conflict_partner_id = fields.Many2one(groups="base.group_user")
    partner_id = fields.Many2one(groups="base.group_user")
    registered_by_id = fields.Many2one(groups="base.group_user")
    warranty_line_id = fields.Many2one(groups="base.group_user")
    contact_partner_id = fields.Many2one(groups="base.group_user")
    # The customer's own renewal link, sent to them alone.
    confirmation_url = fields.Char(groups="base.group_user")
    distributor_id = fields.Many2one(
        "res.partner",
        readonly=True,
        index="btree_not_null",
        help="The distributor the product was sold through, as registered: its "
        "renewals manager reads the registration in the portal.",
    )

    @api.model
    def _register_values(self, values, caller, channel, company):
        result = super()._register_values(values, caller, channel, company)
        result["distributor_id"] = values["distributor"].id or False
        return result

    @api.model
    def _renewal_channel_register(self, rows, channel):
        """Register ``rows`` (``_register_products``'s rows) for the calling user's
        channel partner, through ``channel`` (``reseller_portal`` or
        ``partner_api``): the caller must be a reseller's or distributor's
        renewals manager; the reseller and distributor of every row are
        that partner's (a reseller's own distributor along with it), and a
        row names its end customer by a contact, never by a partner id.
        Every row is checked before anything is written (``_register_products``);
        returns the registrations."""
        if channel not in CHANNEL_PARTNER_CHANNELS:
            raise ValueError(f"Not a channel partner's channel: {channel}")
        partner = self.env.user._renewal_check_channel_manager()
        given = sorted({key for row in rows for key in row} & set(CHANNEL_OWNED_KEYS))
        if given:
            raise AccessError(
                self.env._(
                    "A reseller's registration may not set %(fields)s: the "
                    "reseller is you, and the end customer is found from the "
                    "contact.",
                    fields=", ".join(given),
                )
            )
        roles = self._renewal_channel_roles(partner)
        try:
            # A row's ``row`` key (its number in a file) names it in errors.
            return self._register_products(
                [dict(row, **roles) for row in rows], channel
            )
        except ValidationError as error:
            errors = getattr(error, "errors", None)
            if not errors:
                raise
            # The fields as the sender names them.
            raise self._renewal_rows_error(
                [
                    (row, REGISTER_FIELD_COLUMNS.get(field, field), reason)
                    for row, field, reason in errors
                ]
            ) from None

    @api.model
    def _renewal_channel_roles(self, partner):
        """The reseller and distributor of what ``partner`` (a channel
        partner's commercial entity) registers: a reseller with its own
        distributor, else a distributor alone."""
        partner = partner.sudo()
        if partner.is_renewal_reseller:
            return {
                "reseller_id": partner.id,
                "distributor_id": partner.renewal_distributor_id.id or False,
            }
        return {"reseller_id": False, "distributor_id": partner.id}

    @api.model
    def _renewal_channel_products(self):
        """The products a channel partner may register (the portal's form
        offers their codes): the core's registrable products that have an
        internal reference."""
        return (
            self.env["product.product"]
            .sudo()
            .search_fetch(
                [
                    *self._registrable_product_domain(self.env.company),
                    ("default_code", "!=", False),
                ],
                ["default_code", "display_name"],
                order="default_code",
                limit=1000,
            )
        )

    @api.model
    def _renewal_channel_register_form(self, values):
        """Register one product from the portal's form (``values``: the
        upload file's columns, as typed); a ``RegistrationError`` naming
        each field refused."""
        row, errors = registration_row(values)
        if errors:
            raise self._renewal_rows_error(
                [(None, error.column, error.reason) for error in errors]
            )
        return self._renewal_channel_register([row], "reseller_portal")

    @api.model
    def _renewal_channel_register_file(self, content, filename):
        """Register the products of a CSV or XLSX file a channel partner's
        renewals manager uploaded in the portal (one per row, under a header
        of the columns of ``tools.registration``): every row is checked,
        here and by ``_register_products``, before anything is written. A
        ``RegistrationError`` names each row, column and reason; a
        ``UserError``, a file that cannot be used at all."""
        self.env.user._renewal_check_channel_manager()
        name = re.split(r"[\\/]", filename or "")[-1].strip()[:200]
        if not content:
            raise UserError(self.env._("Choose a CSV or XLSX file to upload."))
        if len(content) > MAX_UPLOAD_BYTES:
            raise UserError(
                self.env._(
                    "%(file)s is larger than %(limit)s MB.",
                    file=name,
                    limit=MAX_UPLOAD_BYTES // (1024 * 1024),
                )
            )
        try:
            rows, errors = read_upload(content, name)
        except FeedError as exc:
            raise UserError(
                self.env._("%(file)s: %(reason)s", file=name, reason=exc)
            ) from None
        if errors:
            raise self._renewal_rows_error(
                [(error.row, error.column, error.reason) for error in errors]
            )
        return self._renewal_channel_register(rows, "reseller_portal")

    def _renewal_rows_error(self, errors):
        lines = [
            self.env._(
                "Row %(row)s, %(field)s: %(reason)s",
                row=row,
                field=field,
                reason=reason,
            )
            if row
            else self.env._("%(field)s: %(reason)s", field=field, reason=reason)
            for row, field, reason in errors
        ]
        return RegistrationError(
            self.env._("Nothing was registered.") + "\n" + "\n".join(lines), errors
        )
