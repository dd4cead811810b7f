from collections import defaultdict

from odoo import Command, api, fields, models


class RenewalRefreshTarget(models.Model):
    """A customer targeted by a refresh campaign, with the installed
    products that brought them in and the owner who follows them up. Made
    set-based by the campaign (one per campaign and customer); the
    campaign's mailing is sent to these records, so that each mail knows its
    customer and a reply lands in the target's chatter."""

    _name = "renewal.refresh.target"
    _description = "Refresh Campaign Target"
    _inherit = ["mail.thread.blacklist"]
    _primary_email = "email"
    _mailing_enabled = True
    _order = "campaign_id desc, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "renewal.refresh.campaign",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", string="Vendor Company", required=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        readonly=True,
        index=True,
        help="The customer's commercial entity.",
    )
    email = fields.Char(
        readonly=True, help="The customer's e-mail when they were targeted."
    )
    installed_product_ids = fields.Many2many(
        "renewal.installed.product",
        "renewal_refresh_target_installed_product_rel",
        "target_id",
        "installed_product_id",
        string="Installed Products",
        readonly=True,
    )
    product_count = fields.Integer(string="Products", readonly=True)
    value = fields.Monetary(
        string="List Value",
        readonly=True,
        help="List value of the targeted installed products.",
    )
    expected_revenue = fields.Monetary(
        readonly=True,
        help="List price of the successors of the targeted products (of the "
        "product itself where it has no successor): the opportunity's "
        "expected revenue.",
    )
    owner_kind = fields.Selection(
        [
            ("reseller", "Reseller"),
            ("salesperson", "Salesperson"),
            ("team", "Sales team"),
        ],
        string="Owned By",
        readonly=True,
    )
    reseller_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="The reseller that sold most of the customer's targeted products.",
    )
    reseller_contact_id = fields.Many2one(
        "res.partner",
        string="Reseller's Salesperson",
        readonly=True,
        help="The reseller's salesperson on the customer's latest contract "
        "through this reseller.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        help="The vendor's salesperson who follows the customer up: who "
        "handles the reseller, else the products' or the customer's "
        "salesperson.",
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    owner_name = fields.Char(
        string="Owner",
        compute="_compute_owner_name",
        help="Who the customer deals with: the reseller's salesperson or the "
        "reseller, else the vendor's salesperson, else the sales team.",
    )
    products_summary = fields.Char(compute="_compute_products_summary")
    lead_ids = fields.One2many(
        "crm.lead",
        "renewal_refresh_target_id",
        string="Opportunities",
        context={"active_test": False},
    )
    order_ids = fields.One2many(
        "sale.order", "renewal_refresh_target_id", string="Quotations"
    )
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", compute="_compute_lead_id"
    )
    order_id = fields.Many2one(
        "sale.order", string="Quotation", compute="_compute_order_id"
    )

    _sql_constraints = [
        (
            "campaign_partner_uniq",
            "unique(campaign_id, partner_id)",
            "A campaign targets a customer once.",
        ),
    ]

    @api.depends(
        "owner_kind", "reseller_contact_id", "reseller_id", "user_id", "team_id"
    )
    def _compute_owner_name(self):
        for target in self:
            if target.owner_kind == "reseller":
                owner = target.reseller_contact_id or target.reseller_id
            elif target.owner_kind == "salesperson":
                owner = target.user_id
            else:
                owner = target.team_id or target.company_id
            target.owner_name = owner.display_name or ""

    @api.depends("installed_product_ids")
    def _compute_products_summary(self):
        for target in self:
            counts = defaultdict(int)
            for product in target.installed_product_ids:
                counts[product.product_id.display_name] += 1
            target.products_summary = ", ".join(
                f"{count} x {name}" if count > 1 else name
                for name, count in sorted(counts.items())
            )

    @api.depends("lead_ids")
    def _compute_lead_id(self):
        for target in self:
            target.lead_id = target.lead_ids[:1]

    @api.depends("order_ids")
    def _compute_order_id(self):
        for target in self:
            target.order_id = target.order_ids[:1]

    # ------------------------------------------------------------------
    # Mailing
    # ------------------------------------------------------------------

    def _mailing_get_default_domain(self, mailing):
        campaign = mailing.renewal_refresh_campaign_id
        return [("campaign_id", "=", campaign.id)] if campaign else []

    def _mailing_get_opt_out_list(self, mailing):
        """The addresses of targets whose customer asked not to be contacted
        since they were targeted (the blacklist Odoo checks itself)."""
        targets = self.search(
            [
                ("id", "in", mailing._get_recipients()),
                "|",
                ("partner_id.renewal_notice_opt_out", "=", True),
                ("partner_id.commercial_partner_id.renewal_notice_opt_out", "=", True),
            ]
        )
        return set(targets.mapped("email_normalized")) - {False}

    def _message_get_default_recipients(self):
        return {
            target.id: {
                "partner_ids": target.partner_id.ids,
                "email_to": False,
                "email_cc": False,
            }
            for target in self
        }

    # ------------------------------------------------------------------
    # Outputs
    # ------------------------------------------------------------------

    def _opportunity_values(self):
        """Values of one opportunity per target, for one create. The
        installed products show on the opportunity through its target."""
        return [
            {
                "name": self.env._(
                    "%(campaign)s: %(customer)s",
                    campaign=target.campaign_id.name,
                    customer=target.partner_id.name,
                ),
                "type": "opportunity",
                "partner_id": target.partner_id.id,
                "user_id": target.user_id.id,
                "team_id": target.team_id.id,
                "company_id": target.company_id.id,
                "expected_revenue": target.expected_revenue,
                "renewal_refresh_campaign_id": target.campaign_id.id,
                "renewal_refresh_target_id": target.id,
                "renewal_reseller_id": target.reseller_id.id,
                "renewal_reseller_contact_id": target.reseller_contact_id.id,
            }
            for target in self
        ]

    def _quotation_values(self):
        """Values of one upgrade quotation per target (None for a target
        with nothing to propose): a line per successor product, quantity
        the products it replaces, with a note naming them; the successors'
        accessories (of the product itself where it has no successor) as
        optional products."""
        values = []
        for target in self:
            successors = defaultdict(list)
            accessories = self.env["product.product"]
            for product in target.installed_product_ids:
                template = product.product_tmpl_id
                successor = template.renewal_successor_id
                if successor:
                    successors[successor].append(product)
                    accessories |= successor.optional_product_ids.product_variant_id
                else:
                    accessories |= template.optional_product_ids.product_variant_id
            accessories = accessories.filtered("sale_ok") - self.env[
                "product.product"
            ].union(*successors)
            if not successors and not accessories:
                values.append(None)
                continue
            lines = []
            for successor, replaced in successors.items():
                lines.append(
                    Command.create(
                        {"product_id": successor.id, "product_uom_qty": len(replaced)}
                    )
                )
                lines.append(
                    Command.create(
                        {
                            "display_type": "line_note",
                            "name": self.env._(
                                "Replaces %s",
                                ", ".join(item.display_name for item in replaced),
                            ),
                        }
                    )
                )
            values.append(
                {
                    "partner_id": target.partner_id.id,
                    "user_id": target.user_id.id,
                    "team_id": target.team_id.id,
                    "company_id": target.company_id.id,
                    "origin": target.campaign_id.name,
                    "opportunity_id": target.lead_id.id,
                    "renewal_refresh_campaign_id": target.campaign_id.id,
                    "renewal_refresh_target_id": target.id,
                    "order_line": lines,
                    "sale_order_option_ids": [
                        Command.create({"product_id": accessory.id, "quantity": 1})
                        for accessory in accessories
                    ],
                }
            )
        return values

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_view_products(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_installed_product_action"
        )
        action["domain"] = [("id", "in", self.installed_product_ids.ids)]
        action["context"] = {}
        return action
