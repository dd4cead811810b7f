import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL, consteq

from odoo.addons.renewal_contracts.tools.actions import notification


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


class RenewalPortalLink(models.Model):
    """A secure link to a customer's renewal page.

    The token itself (256 random bits) is shown once, in the URL e-mailed to
    its holder; only its SHA-256 digest is stored. A link is scoped to one
    customer (its commercial entity) and to a view: the customer's, or the
    salesperson's, who may amend status and pricing flags.
    """

    _name = "renewal.portal.link"
    _description = "Renewal Portal Link"
    _order = "id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    scope = fields.Selection(
        [("customer", "Customer view"), ("sales", "Sales view")],
        required=True,
        default="customer",
    )
    holder_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        help="Who the link was issued to: the customer, or the internal or "
        "reseller salesperson. Their name signs what is done through it.",
    )
    contract_id = fields.Many2one(
        "renewal.contract",
        string="Highlighted Contract",
        ondelete="set null",
        help="The contract the e-mail was about; highlighted on the page.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    token_hash = fields.Char(required=True, index=True, copy=False, readonly=True)
    expires_at = fields.Datetime(required=True)
    revoked = fields.Boolean(readonly=True, copy=False)
    last_used = fields.Datetime(readonly=True, copy=False)
    active_link = fields.Boolean(string="Valid", compute="_compute_active_link")

    _sql_constraints = [
        ("token_hash_uniq", "unique(token_hash)", "A link token is unique."),
    ]

    @api.depends("revoked", "expires_at")
    def _compute_active_link(self):
        now = fields.Datetime.now()
        for link in self:
            link.active_link = not link.revoked and link.expires_at > now

    @api.model_create_multi
    def create(self, vals_list):
        self._check_direct_change()
        return super().create(vals_list)

    def write(self, vals):
        self._check_direct_change()
        return super().write(vals)

    def unlink(self):
        self._check_direct_change()
        return super().unlink()

    def _check_direct_change(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Renewal links are issued and revoked from the contracts "
                    "(Customer Link, Sales Link) and the list of links "
                    "(Revoke, Re-issue) only."
                )
            )

    # ------------------------------------------------------------------
    # What a link reaches
    # ------------------------------------------------------------------

    def _contract_domain(self):
        """The contracts this link reaches, as a domain on
        ``renewal.contract``: its customer's, in its company; for a sales
        link, only those its holder may handle."""
        self.ensure_one()
        domain = [
            ("partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
        ]
        if self.scope == "sales":
            domain = expression.AND([domain, self._holder_contract_domain()])
        return domain

    def _holder_contract_domain(self):
        """The contracts the holder may handle: a holder with a user account
        gets the answer of that user's access rights and record rules in the
        link's company; a reseller's contact without one, the answer the
        portal rules would give them (``_holder_portal_domain``)."""
        holder = self.holder_id.sudo()
        users = holder.user_ids
        user = users.filtered(lambda user: not user.share)[:1] or users[:1]
        if not user:
            return self._holder_portal_domain(holder)
        if self.company_id not in user.company_ids:
            return expression.FALSE_DOMAIN
        Contract = (
            self.env["renewal.contract"]
            .with_user(user)
            .with_context(allowed_company_ids=self.company_id.ids)
        )
        if not Contract.has_access("read"):
            return expression.FALSE_DOMAIN
        return [("id", "in", Contract._search([]))]

    @api.model
    def _holder_portal_domain(self, holder):
        """What the portal rules on contracts give ``holder`` (a contact
        without a user account) were they a portal user: what they sell as
        the reseller's salesperson. Mirrors renewal_portal_security.xml;
        ``renewal_channel`` adds its reseller manager's rule."""
        return [("reseller_salesperson_id", "=", holder.id)]

    def _reader_lang(self):
        """The language of the pages this link opens: its holder's (the
        customer's contact the notice went to, or the salesperson), else its
        customer's."""
        self.ensure_one()
        return self.holder_id.lang or self.partner_id.lang

    def _contracts(self, domain=None):
        """The contracts this link reaches (among ``domain``), as superuser
        in the link's company: what the pages show and act on."""
        self.ensure_one()
        Contract = self.env["renewal.contract"].sudo().with_company(self.company_id)
        return Contract.search(expression.AND([self._contract_domain(), domain or []]))

    def _contract(self, contract_id):
        """Contract ``contract_id`` if this link reaches it (as superuser),
        else an empty recordset."""
        return self._contracts([("id", "=", contract_id)])

    def _installed_products(self, limit=None):
        """The products registered to this link's customer in its company
        (the first ``limit``, by product and serial number) and how many
        there are, as superuser: what the customer's page lists under "Your
        registered products"."""
        self.ensure_one()
        InstalledProduct = (
            self.env["renewal.installed.product"].sudo().with_company(self.company_id)
        )
        domain = [
            ("partner_id", "=", self.partner_id.id),
            ("company_id", "=", self.company_id.id),
        ]
        products = InstalledProduct.search(
            domain, order="product_id, serial_number, id", limit=limit
        )
        count = len(products)
        if limit and count == limit:
            count = InstalledProduct.search_count(domain)
        return products, count

    def _registrations_in_review(self):
        """This customer's registrations the vendor has still to review (a
        serial already registered to someone else), as superuser."""
        self.ensure_one()
        return (
            self.env["renewal.registration"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", self.partner_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "review"),
                ],
                order="id desc",
            )
        )

    # ------------------------------------------------------------------
    # Issue, find, revoke
    # ------------------------------------------------------------------

    @api.model
    def _issue(self, partner, scope="customer", holder=None, contract=None, days=None):
        """Issue a link; return ``(link, url)``. The URL holds the only copy
        of the token."""
        return self._issue_many([(partner, scope, holder, contract, days)])[0]

    @api.model
    def _issue_many(self, specs):
        """Issue one link per ``(partner, scope, holder, contract, days)``
        in one create; return the ``(link, url)`` pairs in order. The caller
        must be allowed to create links and to read the customers, holders
        and contracts they are about; the links are then created as
        superuser (see :meth:`create`)."""
        self.browse().check_access("create")
        partners = self.env["res.partner"].union(
            *(partner | (holder or partner) for partner, _s, holder, _c, _d in specs)
        )
        partners.check_access("read")
        contracts = self.env["renewal.contract"].union(
            *(contract for _p, _s, _h, contract, _d in specs if contract)
        )
        contracts.check_access("read")
        now = fields.Datetime.now()
        tokens, vals_list = [], []
        for partner, scope, holder, contract, days in specs:
            partner = partner.commercial_partner_id
            company = (contract.company_id if contract else None) or self.env.company
            token = secrets.token_urlsafe(32)
            tokens.append(token)
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "scope": scope,
                    "holder_id": (holder or partner).id,
                    "contract_id": contract.id if contract else False,
                    "company_id": company.id,
                    "token_hash": _digest(token),
                    "expires_at": now
                    + timedelta(days=days or company.renewal_link_days),
                }
            )
        links = self.sudo().create(vals_list).with_env(self.env)
        base_url = links[:1].get_base_url() if links else ""
        return [
            (link, f"{base_url}/renewals/{token}")
            for link, token in zip(links, tokens, strict=True)
        ]

    @api.model
    def _find(self, token):
        """The valid link of ``token``, or an empty recordset: unknown,
        expired and revoked tokens all look the same from outside."""
        if not token or len(token) > 128:
            return self.browse()
        digest = _digest(token)
        link = self.sudo().search([("token_hash", "=", digest)], limit=1)
        if not link or not consteq(link.token_hash, digest):
            return self.browse()
        if link.revoked or link.expires_at <= fields.Datetime.now():
            return self.browse()
        return link

    def _touch(self):
        """Note when the link was last used, at most every five minutes: a
        page read by many at once must not queue on one row's lock."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE renewal_portal_link
                   SET last_used = NOW() AT TIME ZONE 'UTC'
                 WHERE id IN %s
                   AND (last_used IS NULL
                        OR last_used < NOW() AT TIME ZONE 'UTC' - INTERVAL '5 minutes')
                """,
                tuple(self.ids),
            )
        )
        self.invalidate_recordset(["last_used"])

    def action_revoke(self):
        self.check_access("write")
        self.sudo().write({"revoked": True})

    def action_reissue(self):
        """Revoke these links and issue new ones for the same holder; the
        new URLs are shown once."""
        self.action_revoke()
        issued = self._issue_many(
            [
                (link.partner_id, link.scope, link.holder_id, link.contract_id, None)
                for link in self
            ]
        )
        return self._show_urls([url for _link, url in issued])

    def _show_urls(self, urls):
        return notification(
            "\n".join(urls),
            kind="warning",
            title=self.env._("Copy the link now: it is not stored."),
            sticky=True,
        )
