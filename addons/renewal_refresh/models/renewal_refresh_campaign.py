from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_list
from odoo.tools.safe_eval import (
    datetime as safe_datetime,
    safe_eval,
    time as safe_time,
)

from odoo.addons.renewal_contracts.tools.actions import notification

from ..tools import selection
from ..tools.links import RENEWAL_LINK_PLACEHOLDER


class RenewalRefreshCampaign(models.Model):
    _name = "renewal.refresh.campaign"
    _description = "Refresh Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        string="Vendor Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        tracking=True,
        help="The team that receives the opportunities of customers with no "
        "salesperson of their own (nor one through their reseller).",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    preset = fields.Selection(
        selection.PRESET_SELECTION,
        string="Selection",
        required=True,
        default=selection.END_OF_SUPPORT,
        tracking=True,
    )
    service_level_id = fields.Many2one(
        "renewal.service.level",
        help="With the selection 'Covered at a service level': the level.",
    )
    domain = fields.Char(
        string="Installed Products",
        compute="_compute_domain",
        store=True,
        readonly=False,
        precompute=True,
        help="The installed products this campaign selects: set from the "
        "selection, with its dates as of the day it was chosen; edit it "
        "freely.",
    )
    output_opportunity = fields.Boolean(
        string="Opportunities",
        default=True,
        help="One CRM opportunity per customer, for its owner.",
    )
    output_mailing = fields.Boolean(
        string="E-mail Campaign",
        default=True,
        help="One mailing to the customers, each with their renewal link.",
    )
    output_quotation = fields.Boolean(
        string="Upgrade Quotations",
        help="One quotation per customer proposing the successor of each "
        "product, and its accessories as optional products.",
    )
    mail_subject = fields.Char(
        string="E-mail Subject",
        translate=True,
        help="Subject of the campaign's mailing. Empty: the campaign's name.",
    )
    mailing_id = fields.Many2one("mailing.mailing", readonly=True, copy=False)
    target_ids = fields.One2many(
        "renewal.refresh.target", "campaign_id", string="Targets", readonly=True
    )
    target_count = fields.Integer(compute="_compute_target_count")
    product_count = fields.Integer(
        string="Products Targeted",
        readonly=True,
        copy=False,
        help="Installed products of the targeted customers.",
    )
    excluded_product_count = fields.Integer(
        string="Products Left Out",
        readonly=True,
        copy=False,
        help="Products selected but left out at the last run: their customer "
        "asked not to be contacted or their e-mail is blacklisted, or their "
        "contract is marked 'Do Not Contact'.",
    )
    excluded_partner_count = fields.Integer(
        string="Customers Left Out",
        readonly=True,
        copy=False,
        help="Customers selected but left out at the last run (do not "
        "contact, blacklisted e-mail).",
    )
    last_run = fields.Datetime(readonly=True, copy=False)

    lead_count = fields.Integer(compute="_compute_results")
    lead_won_count = fields.Integer(string="Won", compute="_compute_results")
    lead_lost_count = fields.Integer(string="Lost", compute="_compute_results")
    order_count = fields.Integer(string="Quotations", compute="_compute_results")
    order_confirmed_count = fields.Integer(
        string="Confirmed", compute="_compute_results"
    )
    revenue = fields.Monetary(
        compute="_compute_results",
        help="Untaxed total of the confirmed upgrade quotations, in the "
        "company's currency.",
    )

    @api.depends("preset", "service_level_id")
    def _compute_domain(self):
        today = fields.Date.context_today(self)
        for campaign in self:
            domain = selection.preset_domain(
                campaign.preset, today, campaign.service_level_id.id
            )
            if domain is not None:
                campaign.domain = repr(domain)
            elif not campaign.domain:
                campaign.domain = "[]"

    def _compute_target_count(self):
        counts = dict(
            self.env["renewal.refresh.target"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]
            )
        )
        for campaign in self:
            campaign.target_count = counts.get(campaign, 0)

    def _compute_results(self):
        Lead = self.env["crm.lead"].with_context(active_test=False)
        leads = defaultdict(lambda: [0, 0, 0])
        if Lead.has_access("read"):
            for campaign, stage, active, count in Lead._read_group(
                [
                    ("renewal_refresh_campaign_id", "in", self.ids),
                    ("type", "=", "opportunity"),
                ],
                ["renewal_refresh_campaign_id", "stage_id", "active"],
                ["__count"],
            ):
                counts = leads[campaign]
                counts[0] += count
                if active and stage.is_won:
                    counts[1] += count
                elif not active:
                    counts[2] += count
        orders = defaultdict(lambda: [0, 0, 0.0])
        Order = self.env["sale.order"]
        if Order.has_access("read"):
            for campaign, state, currency, count, amount in Order._read_group(
                [("renewal_refresh_campaign_id", "in", self.ids)],
                ["renewal_refresh_campaign_id", "state", "currency_id"],
                ["__count", "amount_untaxed:sum"],
            ):
                counts = orders[campaign]
                counts[0] += count
                if state == "sale":
                    counts[1] += count
                    counts[2] += currency._convert(
                        amount,
                        campaign.currency_id,
                        campaign.company_id,
                        fields.Date.context_today(self),
                    )
        for campaign in self:
            (
                campaign.lead_count,
                campaign.lead_won_count,
                campaign.lead_lost_count,
            ) = leads[campaign]
            (
                campaign.order_count,
                campaign.order_confirmed_count,
                campaign.revenue,
            ) = orders[campaign]

    @api.constrains("preset", "service_level_id")
    def _check_service_level(self):
        for campaign in self:
            if (
                campaign.preset == selection.SERVICE_LEVEL
                and not campaign.service_level_id
            ):
                raise ValidationError(
                    self.env._(
                        "Campaign %(campaign)s, Service Level: choose the level "
                        "whose customers the campaign selects.",
                        campaign=campaign.name,
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_launch(self):
        """Select the customers, then make what the campaign produces for
        those not targeted yet: launching again later adds only the customers
        that came into the selection since."""
        summaries = []
        for campaign in self:
            if campaign.state == "done":
                raise UserError(
                    self.env._(
                        "Campaign %(campaign)s is done: set it back to draft to "
                        "run it again.",
                        campaign=campaign.name,
                    )
                )
            campaign._check_can_launch()
        for campaign in self:
            summaries.append(campaign._run())
        action = notification("\n".join(summaries), title=self.env._("Campaign run"))
        # The form shows the new counters once the toast is up.
        action["params"]["next"] = {"type": "ir.actions.client", "tag": "soft_reload"}
        return action

    def action_done(self):
        self.write({"state": "done"})

    def action_draft(self):
        self.write({"state": "draft"})

    def action_preview_selection(self):
        """The installed products the selection matches now."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_installed_product_action"
        )
        action["domain"] = self._product_domain()
        action["context"] = {}
        return action

    def action_view_targets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_refresh.renewal_refresh_target_action"
        )
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    def action_view_leads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_opportunities"
        )
        action["domain"] = [
            ("renewal_refresh_campaign_id", "=", self.id),
            ("type", "=", "opportunity"),
        ]
        action["context"] = {"active_test": False, "create": False}
        return action

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action["domain"] = [("renewal_refresh_campaign_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_view_mailing(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "mailing.mailing",
            "res_id": self.mailing_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # The run
    # ------------------------------------------------------------------

    def _check_can_launch(self):
        """Everything a run needs, checked before anything is written: the
        outputs and the rights to make them."""
        self.ensure_one()
        if not (
            self.output_opportunity or self.output_mailing or self.output_quotation
        ):
            raise UserError(
                self.env._(
                    "Campaign %(campaign)s: choose what it produces "
                    "(opportunities, an e-mail campaign, upgrade quotations).",
                    campaign=self.name,
                )
            )
        self.check_access("write")
        self._product_domain()
        # Opportunities and quotations go to every owner: the rights on
        # everyone's documents, not only one's own.
        all_documents = self.env.user.has_group(
            "sales_team.group_sale_salesman_all_leads"
        )
        needs = []
        if self.output_opportunity and not (
            all_documents and self.env["crm.lead"].has_access("create")
        ):
            needs.append(
                self.env._("create opportunities for others (Sales: All Documents)")
            )
        if self.output_mailing and not self.env["mailing.mailing"].has_access("create"):
            needs.append(self.env._("create mailings (Email Marketing: User)"))
        if self.output_quotation and not (
            all_documents and self.env["sale.order"].has_access("create")
        ):
            needs.append(
                self.env._("create quotations for others (Sales: All Documents)")
            )
        if needs:
            raise UserError(
                self.env._(
                    "Campaign %(campaign)s: you need the rights to %(needs)s.",
                    campaign=self.name,
                    needs=format_list(self.env, needs),
                )
            )

    def _run(self):
        self.ensure_one()
        counts = self._build_targets()
        targets = self.target_ids.browse(counts["target_ids"])
        leads = orders = self.env["crm.lead"]
        if self.output_opportunity:
            leads = self._create_opportunities()
        if self.output_quotation:
            orders = self._create_quotations()
        if self.output_mailing:
            self._ensure_mailing()
        self.write({"state": "running", "last_run": fields.Datetime.now()})
        summary = self.env._(
            "%(campaign)s: %(new)s new customers targeted (%(already)s targeted "
            "already, %(excluded)s left out), %(leads)s opportunities, "
            "%(orders)s quotations.",
            campaign=self.name,
            new=len(targets),
            already=counts["already"],
            excluded=counts["excluded_partners"],
            leads=len(leads),
            orders=len(orders),
        )
        self.message_post(body=summary)
        return summary

    def _eval_context(self):
        return {
            "datetime": safe_datetime,
            "time": safe_time,
            "relativedelta": relativedelta,
            "context_today": lambda: fields.Date.context_today(self),
        }

    def _product_domain(self):
        """The campaign's domain on installed products, in its company."""
        self.ensure_one()
        try:
            domain = safe_eval(self.domain or "[]", self._eval_context())
            domain = expression.normalize_domain(domain)
            self.env["renewal.installed.product"]._where_calc(domain)
        except Exception as error:
            raise UserError(
                self.env._(
                    "Campaign %(campaign)s, Installed Products: the domain "
                    "%(domain)s is not valid (%(error)s).",
                    campaign=self.name,
                    domain=self.domain,
                    error=error,
                )
            ) from error
        return expression.AND([domain, [("company_id", "=", self.company_id.id)]])

    def _build_targets(self):
        """Group the selected installed products per customer and insert one
        target per customer not targeted by this campaign yet, with its
        owner, in one set-based statement (``INSERT ... SELECT ... ON
        CONFLICT DO NOTHING`` on the unique (campaign, customer)). Leaves
        out customers who asked not to be contacted or whose e-mail is
        blacklisted, and products of contracts marked 'Do Not Contact'.
        The selection is the user's search (record rules apply)."""
        self.ensure_one()
        self.check_access("write")
        Target = self.env["renewal.refresh.target"]
        Target.check_access("create")
        Product = self.env["renewal.installed.product"].with_company(self.company_id)
        query = Product._search(self._product_domain())
        self.env.flush_all()
        # One statement, run once: compiling it (PostgreSQL's JIT, which its
        # cost estimate over a large base triggers) takes longer than it runs.
        self.env.cr.execute(SQL("SET LOCAL jit = off"))
        self.env.cr.execute(
            SQL(
                """
                WITH ip AS (
                    %(selected)s
                ), candidate AS (
                    SELECT ip.id, ip.partner_id, ip.reseller_id, ip.user_id,
                           COALESCE(ip.value, 0) AS value,
                           COALESCE(succ.list_price, ip.value, 0) AS upgrade_value,
                           p.renewal_notice_opt_out IS TRUE
                               OR cp.renewal_notice_opt_out IS TRUE
                               OR EXISTS (
                                   SELECT 1 FROM mail_blacklist b
                                    WHERE b.active AND b.email = cp.email_normalized
                               ) AS partner_out,
                           EXISTS (
                               SELECT 1
                                 FROM renewal_contract_line l
                                 JOIN renewal_contract c ON c.id = l.contract_id
                                WHERE l.installed_product_id = ip.id
                                  AND c.do_not_contact
                           ) AS product_out
                      FROM ip
                      JOIN res_partner p ON p.id = ip.partner_id
                      JOIN res_partner cp ON cp.id = p.commercial_partner_id
                      LEFT JOIN product_template pt ON pt.id = ip.product_tmpl_id
                      LEFT JOIN product_product sp ON sp.id = pt.renewal_successor_id
                      LEFT JOIN product_template succ ON succ.id = sp.product_tmpl_id
                ), selected AS (
                    SELECT * FROM candidate WHERE NOT partner_out AND NOT product_out
                ), customer AS (
                    SELECT s.partner_id,
                           count(*) AS product_count,
                           sum(s.value) AS value,
                           sum(s.upgrade_value) AS expected_revenue,
                           mode() WITHIN GROUP (ORDER BY s.reseller_id) AS reseller_id,
                           mode() WITHIN GROUP (ORDER BY s.user_id) AS user_id
                      FROM selected s
                     GROUP BY s.partner_id
                ), routed AS (
                    -- The owner: the reseller that sold most of the customer's
                    -- products, through its salesperson on the customer's
                    -- latest contract with it, and the vendor's salesperson
                    -- who handles that reseller; else the salesperson of the
                    -- products, of the customer or of the customer's latest
                    -- contract; else the campaign's team.
                    SELECT c.*,
                           rc.reseller_salesperson_id AS reseller_contact_id,
                           CASE WHEN c.reseller_id IS NOT NULL
                                THEN COALESCE(r.user_id, c.user_id, p.user_id,
                                              kc.user_id)
                                ELSE COALESCE(c.user_id, p.user_id, kc.user_id)
                           END AS owner_user_id,
                           p.email, p.email_normalized
                      FROM customer c
                      JOIN res_partner p ON p.id = c.partner_id
                      LEFT JOIN res_partner r ON r.id = c.reseller_id
                      LEFT JOIN LATERAL (
                          SELECT k.reseller_salesperson_id
                            FROM renewal_contract k
                           WHERE k.partner_id = c.partner_id
                             AND k.reseller_id = c.reseller_id
                             AND k.company_id = %(company)s
                             AND k.reseller_salesperson_id IS NOT NULL
                           ORDER BY k.date_end DESC, k.id DESC
                           LIMIT 1
                      ) rc ON TRUE
                      LEFT JOIN LATERAL (
                          SELECT k.user_id
                            FROM renewal_contract k
                           WHERE k.partner_id = c.partner_id
                             AND k.company_id = %(company)s
                             AND k.user_id IS NOT NULL
                           ORDER BY k.date_end DESC, k.id DESC
                           LIMIT 1
                      ) kc ON TRUE
                ), inserted AS (
                    INSERT INTO renewal_refresh_target (
                        campaign_id, company_id, partner_id, email,
                        email_normalized, message_bounce, product_count, value,
                        expected_revenue, reseller_id, reseller_contact_id,
                        user_id, team_id, owner_kind,
                        create_uid, create_date, write_uid, write_date)
                    SELECT %(campaign)s, %(company)s, o.partner_id, o.email,
                           o.email_normalized, 0, o.product_count, o.value,
                           o.expected_revenue, o.reseller_id, o.reseller_contact_id,
                           o.owner_user_id, COALESCE(u.sale_team_id, %(team)s),
                           CASE WHEN o.reseller_id IS NOT NULL THEN 'reseller'
                                WHEN o.owner_user_id IS NOT NULL THEN 'salesperson'
                                ELSE 'team'
                           END,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM routed o
                      LEFT JOIN res_users u ON u.id = o.owner_user_id
                        ON CONFLICT (campaign_id, partner_id) DO NOTHING
                    RETURNING id, partner_id
                ), linked AS (
                    INSERT INTO renewal_refresh_target_installed_product_rel (
                        target_id, installed_product_id)
                    SELECT i.id, s.id
                      FROM inserted i
                      JOIN selected s ON s.partner_id = i.partner_id
                    RETURNING target_id
                )
                SELECT ARRAY(SELECT id FROM inserted ORDER BY id),
                       (SELECT count(*) FROM linked),
                       (SELECT count(*) FROM customer),
                       (SELECT count(*) FROM candidate
                         WHERE partner_out OR product_out),
                       (SELECT count(DISTINCT partner_id) FROM candidate
                         WHERE partner_out)
                """,
                selected=query.select(
                    *(
                        SQL.identifier(query.table, column)
                        for column in (
                            "id",
                            "partner_id",
                            "reseller_id",
                            "user_id",
                            "value",
                            "product_tmpl_id",
                        )
                    )
                ),
                campaign=self.id,
                company=self.company_id.id,
                team=self.team_id.id or None,
                uid=self.env.uid,
                now=self.env.cr.now(),
            )
        )
        target_ids, linked, customers, excluded_products, excluded_partners = (
            self.env.cr.fetchone()
        )
        self.env["renewal.refresh.target"].invalidate_model()
        self.invalidate_recordset(["target_ids"])
        self.write(
            {
                "product_count": self.product_count + linked,
                "excluded_product_count": excluded_products,
                "excluded_partner_count": excluded_partners,
            }
        )
        return {
            "target_ids": target_ids,
            "already": customers - len(target_ids),
            "excluded_products": excluded_products,
            "excluded_partners": excluded_partners,
        }

    def _targets_without(self, table):
        """Ids of this campaign's targets that no row of ``table`` (crm_lead,
        sale_order) points to, archived rows included."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id FROM renewal_refresh_target t
                 WHERE t.campaign_id = %s
                   AND NOT EXISTS (
                       SELECT 1 FROM %s x WHERE x.renewal_refresh_target_id = t.id
                   )
                 ORDER BY t.id
                """,
                self.id,
                SQL.identifier(table),
            )
        )
        return self.env["renewal.refresh.target"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        )

    def _create_opportunities(self):
        """One opportunity per target that has none yet, assigned to its
        owner, in one create."""
        self.ensure_one()
        targets = self._targets_without("crm_lead")
        if not targets:
            return self.env["crm.lead"]
        vals_list = targets._opportunity_values()
        Lead = self.env["crm.lead"].with_context(
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_auto_subscribe_no_notify=True,
            tracking_disable=True,
        )
        return Lead.create(vals_list)

    def _create_quotations(self):
        """One upgrade quotation per target that has none yet and whose
        products have a successor or accessories, in one create."""
        self.ensure_one()
        targets = self._targets_without("sale_order")
        vals_list = [vals for vals in targets._quotation_values() if vals]
        if not vals_list:
            return self.env["sale.order"]
        return (
            self.env["sale.order"]
            .with_context(mail_create_nosubscribe=True, tracking_disable=True)
            .create(vals_list)
        )

    def _ensure_mailing(self):
        """The campaign's mailing to its targets, in draft, made once: it
        reaches the customers targeted later too, and Odoo's mailing sends
        each address at most once."""
        self.ensure_one()
        if self.mailing_id:
            return self.mailing_id
        body = self._mailing_body()
        mailing = self.env["mailing.mailing"].create(
            {
                "subject": self.mail_subject or self.name,
                "mailing_type": "mail",
                "mailing_model_id": self.env["ir.model"]
                ._get("renewal.refresh.target")
                .id,
                "mailing_domain": repr([("campaign_id", "=", self.id)]),
                "body_arch": body,
                "body_html": body,
                "user_id": (self.user_id or self.env.user).id,
                "renewal_refresh_campaign_id": self.id,
            }
        )
        self.mailing_id = mailing
        return mailing

    def _mailing_body(self):
        """The mailing's starting body: the customer's name and products as
        placeholders rendered for each target, and the renewal link."""
        return Markup(
            """<div class="o_layout oe_unremovable oe_unmovable">
<div class="container o_mail_wrapper o_mail_regular">
<p>%(dear)s <t t-out="object.partner_id.name"/>,</p>
<p>%(intro)s</p>
<p><t t-out="object.products_summary"/></p>
<p>%(offer)s</p>
<p style="text-align: center;">
<a href="%(link)s" class="btn btn-primary">%(button)s</a>
</p>
<p>%(contact)s <t t-out="object.owner_name"/></p>
</div></div>"""
        ) % {
            "dear": self.env._("Dear"),
            "intro": self.env._(
                "Our records show these products installed at your site, "
                "reaching the end of their life or their support:"
            ),
            "offer": self.env._(
                "Their successors are faster, supported for years to come, "
                "and come with accessories made for them. Your renewal page "
                "shows your products and contracts; ask us for an upgrade "
                "offer from there."
            ),
            "link": RENEWAL_LINK_PLACEHOLDER,
            "button": self.env._("Open your renewal page"),
            "contact": self.env._("Your contact:"),
        }

    def _demo_settle(self):
        """Demo data: the first opportunity of each campaign won, the second
        lost, the first quotation confirmed."""
        for campaign in self:
            leads = self.env["crm.lead"].search(
                [("renewal_refresh_campaign_id", "=", campaign.id)], order="id"
            )
            leads[:1].action_set_won()
            leads[1:2].action_set_lost()
            self.env["sale.order"].search(
                [("renewal_refresh_campaign_id", "=", campaign.id)],
                order="id",
                limit=1,
            ).action_confirm()

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        return [
            dict(vals, name=self.env._("%s (copy)", campaign.name))
            for campaign, vals in zip(self, vals_list, strict=True)
        ]

    @api.model_create_multi
    def create(self, vals_list):
        campaigns = super().create(vals_list)
        for campaign in campaigns:
            campaign._product_domain()
        return campaigns

    def write(self, vals):
        result = super().write(vals)
        if "domain" in vals:
            for campaign in self:
                campaign._product_domain()
        return result
