from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import hmac

DEFAULT_LIMIT = 10
DEFAULT_WINDOW_MINUTES = 60
# Attempts are kept this long (or the window, when longer), then purged.
KEEP_DAYS = 2


class RenewalPortalAttempt(models.Model):
    """One attempt at a public form of the renewal pages (registering a
    product), kept to limit how many one network address may make.

    The address itself is not stored: ``key`` is its HMAC under the
    database secret, enough to count an address's attempts and useless to
    anyone reading the table. Rows are purged after two days, or the
    window when longer (autovacuum).
    """

    _name = "renewal.portal.attempt"
    _description = "Renewal Portal Attempt"
    _order = "id desc"
    _log_access = False

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        help="The company whose page the attempt was made on. The limit "
        "counts an address's attempts on every company's pages together.",
    )
    key = fields.Char(required=True, readonly=True)
    action = fields.Selection(
        [("register", "Product registration")], required=True, readonly=True
    )
    attempt_date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (key, action, attempt_date)",
                SQL.identifier("renewal_portal_attempt_key_action_date_idx"),
                SQL.identifier(self._table),
            )
        )

    @api.model
    def _limits(self):
        """(attempts allowed, window in minutes) per address, from the
        settings (Settings > Renewals > Renewal Portal)."""
        get_param = self.env["ir.config_parameter"].sudo().get_param
        limit = _positive_int(
            get_param("renewal_portal.register_rate_limit"), DEFAULT_LIMIT
        )
        window = _positive_int(
            get_param("renewal_portal.register_rate_window"), DEFAULT_WINDOW_MINUTES
        )
        return limit, window

    @api.model
    def _allow(self, action, address):
        """Whether ``address`` may make one more ``action`` attempt now (on
        the page of the environment's company); if so, the attempt is
        counted. Concurrent requests from one address
        wait for each other (a transaction lock on the key), so a burst
        cannot slip past the limit. The count is written in the request's
        transaction, which the caller lets commit even when the attempt
        fails: a refused registration counts too."""
        key = hmac(self.env(su=True), "renewal_portal.attempt", address or "")
        limit, window = self._limits()
        self.env.cr.execute(
            SQL("SELECT pg_advisory_xact_lock(hashtext(%s))", f"{action}:{key}")
        )
        since = fields.Datetime.now() - timedelta(minutes=window)
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*) FROM renewal_portal_attempt
                 WHERE key = %s AND action = %s AND attempt_date >= %s
                """,
                key,
                action,
                since,
            )
        )
        if self.env.cr.fetchone()[0] >= limit:
            return False
        self.sudo().create({"key": key, "action": action})
        return True

    @api.autovacuum
    def _gc_attempts(self):
        _limit, window = self._limits()
        keep = max(timedelta(days=KEEP_DAYS), timedelta(minutes=window))
        self.env.cr.execute(
            SQL(
                "DELETE FROM renewal_portal_attempt WHERE attempt_date < %s",
                fields.Datetime.now() - keep,
            )
        )


def _positive_int(value, default):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default
