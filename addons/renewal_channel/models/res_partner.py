from odoo import fields, models


class ResPartner(models.Model):
    """A reseller's profile: its terms, brand and cadence; and, on a channel
    partner's contact, the renewals manager's portal rights."""

    _inherit = "res.partner"

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
    renewal_reseller_manager = fields.Boolean(
        string="Reseller Renewals Manager",
        help="On a reseller's or distributor's contact with a portal account: "
        "sees every contract the partner sells, not only the ones in their "
        "name, and uploads the partner's feeds.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "renewal_reseller_manager" in vals:
            # The portal rules read the flag; Odoo caches their domains.
            self.env.registry.clear_cache()
        return res

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
