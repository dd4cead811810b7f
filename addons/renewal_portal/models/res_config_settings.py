from odoo import fields, models

from .renewal_portal_attempt import DEFAULT_LIMIT, DEFAULT_WINDOW_MINUTES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    renewal_link_days = fields.Integer(
        related="company_id.renewal_link_days", readonly=False
    )
    renewal_register_rate_limit = fields.Integer(
        string="Registrations per Address",
        config_parameter="renewal_portal.register_rate_limit",
        default=DEFAULT_LIMIT,
        help="How many product registrations the public registration page "
        "accepts from one network address within the window below; every "
        "attempt counts, refused ones too.",
    )
    renewal_register_rate_window = fields.Integer(
        string="Registration Window (minutes)",
        config_parameter="renewal_portal.register_rate_window",
        default=DEFAULT_WINDOW_MINUTES,
    )
