import hashlib
import secrets

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, consteq

# What a partner API key starts with: easy to recognise in a config file or a
# secret scanner, and never part of what is checked.
KEY_PREFIX = "rnwk_"


def key_digest(key):
    """The SHA-256 of a key, as stored. The key is 256 random bits: a plain
    hash is enough (no dictionary to attack), and checking it costs
    microseconds rather than the milliseconds of a password hash."""
    return hashlib.sha256((key or "").encode()).hexdigest()


class AuthApiKey(models.Model):
    """OCA's API key, stored as a SHA-256 digest rather than in plain text.

    The key itself is shown once, when it is issued (wizard, portal page or
    API), and never stored. Archiving or deleting a key revokes it at once on
    every worker (the lookup cache is cleared through the registry).
    """

    _name = "auth.api.key"
    _inherit = ["auth.api.key", "mail.thread"]

    key = fields.Char(
        index=True,
        copy=False,
        groups="base.group_system",
        help="The SHA-256 digest of the key; the key itself is not stored.",
    )
    active = fields.Boolean(tracking=True)
    # A key acts as its user: it goes with them.
    user_id = fields.Many2one(ondelete="cascade")
    key_hint = fields.Char(
        readonly=True,
        copy=False,
        help="The start of the key, to tell keys apart; not enough to use it.",
    )
    is_renewal_partner_key = fields.Boolean(
        string="Partner API Key",
        readonly=True,
        copy=False,
        help="Issued for the renewals partner API.",
    )
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Partner",
        related="user_id.partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    last_used = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("name_uniq", "unique(name, user_id)", "This user has a key of this name."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("key"):
                vals["key"] = key_digest(vals["key"])
        return super().create(vals_list)

    def write(self, vals):
        if ("key" in vals or "user_id" in vals) and not (
            self.env.su or self.env.user.has_group("base.group_system")
        ):
            raise AccessError(
                self.env._("A key's owner and secret cannot change: issue a new key.")
            )
        if vals.get("key"):
            vals = dict(vals, key=key_digest(vals["key"]))
        res = super().write(vals)
        if "active" in vals:
            self._clear_key_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self._clear_key_cache()
        return res

    @api.model
    def _retrieve_api_key_id(self, key):
        """The id of the active key ``key`` of an active user; compared as
        digests, and cached on the digest (never on the key itself)."""
        return self._retrieve_api_key_id_by_digest(key_digest(key))

    @api.model
    @tools.ormcache("digest")
    def _retrieve_api_key_id_by_digest(self, digest):
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(self.env._("User is not allowed"))
        found = self.search(
            [("key", "=", digest), ("user_id.active", "=", True)], limit=1
        )
        if not found or not consteq(found.key, digest):
            # Never echo the key: it may be a real one that was revoked.
            raise ValidationError(self.env._("This API key is not valid."))
        return found.id

    # ------------------------------------------------------------------
    # Issue, use, revoke
    # ------------------------------------------------------------------

    @api.model
    def _renewal_issue(self, user, name):
        """Issue a partner API key named ``name`` for ``user``; return
        ``(key_record, key)``. The key is returned here only.

        A Renewals Manager issues keys for the partners' portal users; a
        partner's manager issues their own; a key of an internal user is
        issued by that user or an administrator (a key acts as its user).
        """
        user = user.sudo()
        name = (name or "").strip()
        if not name:
            raise UserError(self.env._("Please name the key."))
        caller = self.env.user
        if not user._renewal_api_allowed():
            raise UserError(
                self.env._(
                    "%(user)s may not use the partner API: it is for internal "
                    "users and for the renewals managers of a reseller or "
                    "distributor.",
                    user=user.name,
                )
            )
        if not self.env.su:
            if user._is_internal():
                allowed = caller == user or caller.has_group("base.group_system")
            else:
                allowed = caller == user or caller.has_group(
                    "renewal_contracts.renewal_contracts_group_manager"
                )
            if not allowed:
                raise AccessError(
                    self.env._(
                        "You may not issue an API key for %(user)s.", user=user.name
                    )
                )
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        endpoint_group = self.env["fastapi.endpoint"]._renewal_partner_key_group()
        record = self.sudo().create(
            {
                "name": name,
                "user_id": user.id,
                "key": key,
                "key_hint": key[: len(KEY_PREFIX) + 4] + "…",
                "is_renewal_partner_key": True,
                "auth_api_key_group_ids": [fields.Command.link(endpoint_group.id)],
            }
        )
        record.message_post(
            body=self.env._(
                "Key issued by %(who)s for %(user)s.", who=caller.name, user=user.name
            )
        )
        return record.with_env(self.env), key

    def action_revoke(self):
        """Revoke these keys now: the owner, or a Renewals Manager (keys of
        the partner API), may; the next request with them gets a 401."""
        self.check_access("read")
        for record in self:
            if record.user_id != self.env.user and not self.env.user.has_group(
                "renewal_contracts.renewal_contracts_group_manager"
            ):
                raise AccessError(self.env._("This key is not yours to revoke."))
        active = self.filtered("active")
        active.sudo().write({"active": False})
        for record in active.sudo():
            record.message_post(
                body=self.env._("Key revoked by %(who)s.", who=self.env.user.name)
            )
        return True

    @api.model
    def _renewal_partner_caller(self, key_id):
        """Who calls the partner API with key ``key_id``, in one query (every
        request asks): ``(user_id, allowed, stale, company_id)``, or None
        when the key is not in the partner API's key group (the group its
        endpoint admits) or its user is archived; ``company_id``, the user's
        commercial entity.
        ``allowed`` is :meth:`res.users._renewal_api_allowed`
        (an internal user, or a channel partner's renewals manager), whose
        rule the test suite checks this query against; ``stale``, whether the
        key's last use is to be noted (:meth:`_renewal_touch`)."""
        group_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "renewal_channel.renewal_partner_api_key_group"
        )
        self.flush_model(["user_id", "active", "last_used"])
        self.env["res.users"].flush_model(["active", "partner_id"])
        self.env["res.partner"].flush_model(
            [
                "renewal_reseller_manager",
                "commercial_partner_id",
                "is_renewal_reseller",
                "is_renewal_distributor",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT k.user_id, p.commercial_partner_id,
                       COALESCE(p.renewal_reseller_manager, FALSE)
                       AND EXISTS (
                           SELECT 1 FROM res_partner cp
                            WHERE cp.id = p.commercial_partner_id
                              AND (cp.is_renewal_reseller
                                   OR cp.is_renewal_distributor)),
                       k.last_used IS NULL OR k.last_used
                           < NOW() AT TIME ZONE 'UTC' - INTERVAL '5 minutes'
                  FROM auth_api_key k
                  JOIN res_users u ON u.id = k.user_id AND u.active
                  JOIN res_partner p ON p.id = u.partner_id
                 WHERE k.id = %(key)s AND k.active
                   AND EXISTS (
                       SELECT 1 FROM auth_api_key_group_rel r
                        WHERE r.key_id = k.id AND r.group_id = %(group)s)
                """,
                group=group_id,
                key=key_id,
            )
        )
        row = self.env.cr.fetchone()
        if not row:
            return None
        user_id, company_id, manager, stale = row
        user = self.env["res.users"].browse(user_id).sudo()
        # The groups are cached: no query.
        allowed = user._is_internal() or (user._is_portal() and manager)
        return user_id, allowed, stale, company_id

    def _renewal_touch(self):
        """Note when the key was last used, at most every five minutes, so that
        a busy integration does not queue on one row's lock."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE auth_api_key
                   SET last_used = NOW() AT TIME ZONE 'UTC'
                 WHERE id IN %s
                   AND (last_used IS NULL
                        OR last_used < NOW() AT TIME ZONE 'UTC' - INTERVAL '5 minutes')
                """,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["last_used"])
