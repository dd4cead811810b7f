from odoo import api, fields, models


class RenewalContract(models.Model):
    """A contract as the channel sees it: the feed that wrote it, the
    reseller's terms, brand and lead time where the reseller has its own,
    and the contracts a channel partner's renewals manager handles."""

    _inherit = "renewal.contract"

    feed_source_id = fields.Many2one(
        "renewal.feed.source",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
        help="The feed that last wrote this contract; empty when typed in.",
    )
    publish_in_reseller_name = fields.Boolean(
        compute="_compute_publish_in_reseller_name",
        store=True,
        readonly=False,
        tracking=True,
        groups="base.group_user",
        help="Quotations and the certificate carry the reseller's brand.",
    )

    @api.depends("reseller_id")
    def _compute_publish_in_reseller_name(self):
        for contract in self:
            contract.publish_in_reseller_name = contract.reseller_id.renewal_own_brand

    @api.model
    def _bulk_create_values(self, vals):
        reseller = self.env["res.partner"].browse(vals.get("reseller_id"))
        return dict(
            super()._bulk_create_values(vals),
            publish_in_reseller_name=reseller.renewal_own_brand,
        )

    # The reseller's answers (see renewal_contracts' renewal.contract).

    def _renewal_brand_partner(self):
        self.ensure_one()
        if self.reseller_id and self.publish_in_reseller_name:
            return self.reseller_id
        return super()._renewal_brand_partner()

    def _renewal_quote_lead_days(self):
        self.ensure_one()
        return (
            self.reseller_id.renewal_quote_lead_days
            or super()._renewal_quote_lead_days()
        )

    @api.model
    def _renewal_longest_quote_lead_days(self, companies):
        resellers = self.env["res.partner"].search_read(
            [("renewal_quote_lead_days", ">", 0)], ["renewal_quote_lead_days"]
        )
        return max(
            [super()._renewal_longest_quote_lead_days(companies)]
            + [reseller["renewal_quote_lead_days"] for reseller in resellers]
        )

    def _renewal_uplift_percent(self):
        self.ensure_one()
        if self.reseller_id.renewal_own_uplift:
            return self.reseller_id.renewal_uplift_percent
        return super()._renewal_uplift_percent()

    def _renewal_discount_percent(self):
        self.ensure_one()
        if self.reseller_id:
            return self.reseller_id.renewal_discount_percent
        return super()._renewal_discount_percent()

    @api.model
    def _demo_publish_in_reseller_name(self):
        """Demo data: the contracts of resellers that publish in their own
        name take their brand (the demo contracts exist before this addon's
        reseller settings do)."""
        contracts = self.search([("reseller_id.renewal_own_brand", "=", True)])
        contracts.write({"publish_in_reseller_name": True})

    # The partner API's webhooks.

    def _renewal_notify_event(self, event, order=None):
        """Send ``event`` about these contracts (and ``order``, the renewal
        quotation, when there is one) to the webhooks that listen for it:
        each webhook gets the contracts its owner may read. Only queues the
        deliveries (``queue_job``); the HTTP calls run later."""
        res = super()._renewal_notify_event(event, order=order)
        if self:
            self.env["renewal.webhook"].sudo()._renewal_dispatch(
                event, self, order=order
            )
        return res

    # The channel partner's renewals manager in the portal.

    @api.model
    def _reseller_domain(self, channel):
        """The contracts ``channel`` sells, as its reseller or distributor,
        among those the current user may read (their record rules decide):
        a domain to search as superuser."""
        return [
            ("id", "in", self._search([])),
            "|",
            ("reseller_id", "=", channel.id),
            ("distributor_id", "=", channel.id),
        ]

    @api.model
    def _reseller_customers(self, search=None):
        """The end customers of the calling reseller manager's contracts:
        ``(customer, contract count, next expiry)`` for each, the next to
        renew first. Customers and their contacts are read as superuser."""
        channel = self.env.user._renewal_check_channel_manager()
        domain = self._reseller_domain(channel)
        search = (search or "").replace("\x00", "").strip()
        if search:
            domain += [("partner_id.name", "ilike", search)]
        groups = self.sudo()._read_group(
            domain,
            ["partner_id"],
            ["__count", "next_expiry_date:min"],
            order="next_expiry_date:min, partner_id",
        )
        return [
            (customer.sudo(), count, next_expiry)
            for customer, count, next_expiry in groups
        ]
