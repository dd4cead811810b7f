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
