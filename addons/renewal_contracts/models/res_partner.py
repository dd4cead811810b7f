from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_renewal_distributor = fields.Boolean(
        string="Distributor",
        help="This partner distributes the vendor's products and contracts.",
    )
    is_renewal_reseller = fields.Boolean(
        string="Reseller",
        help="This partner resells the vendor's products and contracts to end "
        "customers.",
    )
    renewal_distributor_id = fields.Many2one(
        "res.partner",
        string="Buys Through",
        domain=[("is_renewal_distributor", "=", True)],
        help="The distributor this reseller usually buys through.",
    )
    renewal_quote_lead_days = fields.Integer(
        string="Quote Lead Time (days)",
        help="For contracts this reseller sells: quote this many days before "
        "the end. Zero: the company's lead time.",
    )
    renewal_own_uplift = fields.Boolean(
        string="Own Uplift", help="Use this reseller's uplift, not the company's."
    )
    renewal_uplift_percent = fields.Float(string="Renewal Uplift (%)")
    renewal_discount_percent = fields.Float(
        string="Reseller Discount (%)",
        help="Discount on renewal quotation lines sold through this reseller.",
    )
    renewal_own_brand = fields.Boolean(
        string="Publish in Own Name",
        help="Contracts sold by this reseller are published in its name: "
        "quotations and certificates carry its brand.",
    )
    renewal_own_cadence = fields.Boolean(
        string="Own Notification Cadence",
        help="Notify the customers of this reseller's contracts on its own "
        "cadence rather than the company's (in each company where it has "
        "one: until its steps are added, the company's applies).",
    )
    renewal_notice_step_ids = fields.One2many(
        "renewal.notice.step",
        "reseller_id",
        string="Notification Cadence",
        context={"active_test": False},
    )
    renewal_notice_opt_out = fields.Boolean(
        string="No Renewal Notices",
        tracking=True,
        help="The customer unsubscribed from renewal notices (or asked not "
        "to be contacted): the next run sends them none. Their salesperson "
        "is still told.",
    )
    renewal_notice_digest = fields.Boolean(
        string="Daily Notice Digest",
        help="As a salesperson: one e-mail a day listing every customer "
        "notified, rather than one e-mail per customer.",
    )
    renewal_contract_count = fields.Integer(
        string="Renewal Contracts",
        compute="_compute_renewal_contract_count",
    )

    def _renewal_contract_domain(self):
        """Contracts in which these partners take part, in any role."""
        partners = self.commercial_partner_id
        return [
            "|",
            "|",
            ("partner_id", "in", partners.ids),
            ("reseller_id", "in", partners.ids),
            ("distributor_id", "in", partners.ids),
        ]

    @api.depends("commercial_partner_id")
    def _compute_renewal_contract_count(self):
        Contract = self.env["renewal.contract"]
        if not Contract.has_access("read"):
            self.renewal_contract_count = 0
            return
        counts = dict.fromkeys(self.commercial_partner_id.ids, 0)
        for field in ("partner_id", "reseller_id", "distributor_id"):
            for partner, count in Contract._read_group(
                [(field, "in", self.commercial_partner_id.ids)],
                groupby=[field],
                aggregates=["__count"],
            ):
                counts[partner.id] += count
        for partner in self:
            partner.renewal_contract_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    @api.constrains("renewal_distributor_id", "is_renewal_distributor")
    def _check_renewal_distributor(self):
        for partner in self:
            distributor = partner.renewal_distributor_id
            if distributor and not distributor.is_renewal_distributor:
                raise ValidationError(
                    self.env._(
                        "Partner %(partner)s: %(distributor)s is not marked as a "
                        "distributor.",
                        partner=partner.display_name,
                        distributor=distributor.display_name,
                    )
                )
            if distributor == partner:
                raise ValidationError(
                    self.env._(
                        "Partner %(partner)s cannot buy through itself.",
                        partner=partner.display_name,
                    )
                )

    def action_renewal_copy_cadence(self):
        """Start this reseller's own cadence from a copy of the company's, in
        the current company and in every company it sells contracts in."""
        Step = self.env["renewal.notice.step"].with_context(active_test=False)
        for reseller in self:
            companies = self.env.company | (
                self.env["renewal.contract"]
                .search([("reseller_id", "=", reseller.id)])
                .company_id
            )
            existing = {
                (step.company_id, step.offset_days)
                for step in reseller.renewal_notice_step_ids
            }
            steps = Step.search(
                [("company_id", "in", companies.ids), ("reseller_id", "=", False)]
            )
            Step.create(
                [
                    {
                        "offset_days": step.offset_days,
                        "active": step.active,
                        "company_id": step.company_id.id,
                        "reseller_id": reseller.id,
                    }
                    for step in steps
                    if (step.company_id, step.offset_days) not in existing
                ]
            )
            reseller.renewal_own_cadence = True

    def action_view_renewal_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_contract_action"
        )
        action["domain"] = self._renewal_contract_domain()
        commercial = self.commercial_partner_id
        if commercial.is_renewal_reseller:
            action["context"] = {"default_reseller_id": commercial.id}
        elif commercial.is_renewal_distributor:
            action["context"] = {"default_distributor_id": commercial.id}
        else:
            action["context"] = {"default_partner_id": commercial.id}
        return action
