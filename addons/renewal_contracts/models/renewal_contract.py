import logging
import random
import time
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import status as rules
from ..tools.actions import notification

_logger = logging.getLogger(__name__)

# Contracts per call of ``_renewal_notify_event`` from the status refresh.
EVENT_BATCH = 1000

STATUS_SELECTION = [
    (rules.OVERDUE, "Expired & Overdue"),
    (rules.DUE, "Due for Renewal"),
    (rules.LIVE, "Live"),
    (rules.CANCELLED, "Cancelled"),
]


class RenewalContract(models.Model):
    _name = "renewal.contract"
    _description = "Renewal Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "next_expiry_date, id"
    _check_company_auto = True

    name = fields.Char(
        string="Contract Number",
        required=True,
        index="trigram",
        tracking=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company",
        string="Vendor Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="End Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The customer's commercial entity: a company, or an individual.",
    )
    distributor_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_renewal_distributor", "=", True)],
    )
    reseller_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_renewal_reseller", "=", True)],
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        help="The vendor's own salesperson for this contract.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        check_company=True,
        # The vendor's own organisation: not for portal users.
        groups="base.group_user",
        help="The sales team answerable for this renewal: the salesperson's "
        "team unless set otherwise. The renewal quotation takes it.",
    )
    reseller_salesperson_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        domain="[('parent_id', '=', reseller_id)]",
        help="The reseller's salesperson, a contact of the reseller.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
    )
    service_level_id = fields.Many2one(
        "renewal.service.level",
        tracking=True,
        help="Default service level of the covered lines.",
    )
    date_start = fields.Date(
        string="Start Date",
        required=True,
        tracking=True,
        default=fields.Date.context_today,
    )
    date_end = fields.Date(string="End Date", required=True, tracking=True)
    customer_po_number = fields.Char(string="Customer PO Number", tracking=True)
    do_not_contact = fields.Boolean(
        tracking=True,
        help="Send no renewal notification about this contract.",
    )
    vendor_order_number = fields.Char(
        string="Vendor Sales Order", tracking=True, index="btree_not_null"
    )
    note = fields.Html(string="Notes")
    line_ids = fields.One2many(
        "renewal.contract.line", "contract_id", string="Covered Lines", copy=True
    )
    line_count = fields.Integer(compute="_compute_line_count")
    next_expiry_date = fields.Date(
        compute="_compute_next_expiry_date",
        store=True,
        index=True,
        help="Earliest end of coverage among the lines still to renew.",
    )
    amount_renewal = fields.Monetary(
        string="Renewal Amount",
        compute="_compute_amount_renewal",
        store=True,
        help="Renewal value of the lines still to renew: not cancelled, not "
        "renewed already.",
    )
    status = fields.Selection(
        STATUS_SELECTION,
        compute="_compute_status",
        store=True,
        index=True,
        group_expand=True,
        tracking=True,
        help="Red: expired and overdue. Amber: live, due for renewal within the "
        "company's window. Green: live. Black: cancelled.",
    )
    is_cancelled = fields.Boolean(string="Cancelled", readonly=True, copy=False)
    cancel_reason_id = fields.Many2one(
        "renewal.cancel.reason",
        string="Cancellation Reason",
        readonly=True,
        copy=False,
        tracking=True,
    )
    cancel_date = fields.Date(readonly=True, copy=False)
    warranty_only = fields.Boolean(
        compute="_compute_warranty_only",
        store=True,
        help="Every line still covered is warranty-only.",
    )
    consolidated_into_id = fields.Many2one(
        "renewal.contract",
        copy=False,
        tracking=True,
        check_company=True,
        index="btree_not_null",
        help="The contract this one was consolidated into.",
    )
    consolidated_ids = fields.One2many(
        "renewal.contract", "consolidated_into_id", string="Consolidated Contracts"
    )
    is_consolidated = fields.Boolean(
        string="Consolidated", compute="_compute_is_consolidated", store=True
    )
    successor_id = fields.Many2one(
        "renewal.contract",
        string="Renewed By",
        copy=False,
        tracking=True,
        check_company=True,
        index="btree_not_null",
        help="The contract that renews this one.",
    )
    predecessor_ids = fields.One2many(
        "renewal.contract", "successor_id", string="Renews"
    )
    is_renewed = fields.Boolean(
        string="Renewed", compute="_compute_is_renewed", store=True
    )

    notice_line_ids = fields.One2many(
        "renewal.notice.line", "contract_id", string="Notices Sent", readonly=True
    )
    notice_count = fields.Integer(compute="_compute_notice_count")
    product_summary = fields.Char(compute="_compute_product_summary", string="Covers")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "The contract number must be unique per company.",
        ),
    ]

    @api.depends(
        "line_ids.product_id",
        "line_ids.serial_number",
        "line_ids.is_cancelled",
        "line_ids.is_renewed",
    )
    @api.depends_context("lang")
    def _compute_product_summary(self):
        for contract in self:
            # What is still to renew: lines cancelled on their own (left out
            # by the customer, say) or renewed already are not.
            lines = contract._open_lines()
            names = list(dict.fromkeys(lines.product_id.mapped("display_name")))
            summary = ", ".join(names[:3])
            if len(names) > 3:
                summary += self.env._(" and %(count)s more", count=len(names) - 3)
            serials = [serial for serial in lines.mapped("serial_number") if serial]
            if serials:
                summary += self.env._(" (%(count)s serial numbers)", count=len(serials))
            contract.product_summary = summary

    def _count_per_contract(self, model):
        """How many ``model`` records point at each of these contracts."""
        return dict(
            self.env[model]._read_group(
                [("contract_id", "in", self.ids)],
                groupby=["contract_id"],
                aggregates=["__count"],
            )
        )

    @api.depends("notice_line_ids")
    def _compute_notice_count(self):
        counts = self._count_per_contract("renewal.notice.line")
        for contract in self:
            contract.notice_count = counts.get(contract, 0)

    def action_view_notices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_notice_action"
        )
        action["domain"] = [("line_ids.contract_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.depends("line_ids")
    def _compute_line_count(self):
        counts = self._count_per_contract("renewal.contract.line")
        for contract in self:
            contract.line_count = counts.get(contract, 0)

    @api.depends(
        "date_end",
        "line_ids.date_end",
        "line_ids.status",
        "line_ids.is_renewed",
    )
    def _compute_next_expiry_date(self):
        for contract in self:
            ends = [
                line.date_end
                for line in contract.line_ids
                if line.status != rules.CANCELLED and not line.is_renewed
            ]
            contract.next_expiry_date = min(ends) if ends else contract.date_end

    @api.depends("line_ids.renewal_subtotal", "line_ids.status", "line_ids.is_renewed")
    def _compute_amount_renewal(self):
        for contract in self:
            contract.amount_renewal = sum(
                line.renewal_subtotal
                for line in contract.line_ids
                if line.status != rules.CANCELLED and not line.is_renewed
            )

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for contract in self:
            contract.team_id = self._salesperson_team(
                contract.user_id, contract.company_id
            )

    @api.model
    def _salesperson_team(self, user, company):
        """The sales team of a contract of ``company`` sold by ``user``: the
        user's team, unless it belongs to another company."""
        team = user.sudo().sale_team_id
        if team.company_id and team.company_id != company:
            return team.browse()
        return team

    @api.model
    def _bulk_create_values(self, vals):
        """The stored computed fields that follow from ``vals`` alone, the
        values of a contract to create, as their computes give them: for a
        bulk writer (a feed) to pass to ``create``, so that each contract is
        one INSERT, not an INSERT, a compute and an UPDATE. Addons that add
        such fields add them here. (The fields that follow the lines are
        the writer's: ``_recompute_from_lines``.)"""
        return {
            "team_id": self._salesperson_team(
                self.env["res.users"].browse(vals.get("user_id")),
                self.env["res.company"].browse(vals["company_id"]),
            ).id,
            "is_renewed": bool(vals.get("successor_id")),
            "is_consolidated": bool(vals.get("consolidated_into_id")),
        }

    @api.depends("consolidated_into_id")
    def _compute_is_consolidated(self):
        for contract in self:
            contract.is_consolidated = bool(contract.consolidated_into_id)

    @api.depends("successor_id")
    def _compute_is_renewed(self):
        for contract in self:
            contract.is_renewed = bool(contract.successor_id)

    @api.depends("line_ids.warranty_only", "line_ids.status")
    def _compute_warranty_only(self):
        for contract in self:
            lines = contract.line_ids.filtered(
                lambda line: line.status != rules.CANCELLED
            )
            contract.warranty_only = bool(lines) and all(lines.mapped("warranty_only"))

    @api.depends(
        "is_cancelled",
        "is_renewed",
        "date_end",
        "line_ids.status",
    )
    def _compute_status(self):
        today = fields.Date.context_today(self)
        changed = self.browse()
        for contract in self:
            # The status until now (Odoo lets a compute read the old value);
            # a contract being created has none, and no change to tell.
            before = contract.status if contract.id else False
            own_status = rules.line_status(
                contract.date_end or today,
                today,
                contract.company_id.renewal_due_days,
                renewed=contract.is_renewed,
            )
            contract.status = rules.contract_status(
                contract.line_ids.mapped("status"),
                cancelled=contract.is_cancelled,
                own_status=own_status,
            )
            if before and contract.status != before:
                changed |= contract
        if changed:
            changed._renewal_notify_event("status_changed")

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the end date (%(end)s) is before "
                        "the start date (%(start)s).",
                        contract=contract.name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for contract in self:
            partner = contract.partner_id
            if partner != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the end customer must be a company "
                        "or an individual, not %(contact)s, a contact of "
                        "%(company)s.",
                        contract=contract.name,
                        contact=partner.display_name,
                        company=partner.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("reseller_id", "distributor_id", "reseller_salesperson_id")
    def _check_channel(self):
        for contract in self:
            if contract.reseller_id and not contract.reseller_id.is_renewal_reseller:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: %(partner)s is not marked as a "
                        "reseller.",
                        contract=contract.name,
                        partner=contract.reseller_id.display_name,
                    )
                )
            distributor = contract.distributor_id
            if distributor and not distributor.is_renewal_distributor:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: %(partner)s is not marked as a "
                        "distributor.",
                        contract=contract.name,
                        partner=distributor.display_name,
                    )
                )
            salesperson = contract.reseller_salesperson_id
            if salesperson and (
                not contract.reseller_id
                or salesperson.commercial_partner_id != contract.reseller_id
            ):
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: the reseller salesperson "
                        "%(salesperson)s is not a contact of the reseller "
                        "%(reseller)s.",
                        contract=contract.name,
                        salesperson=salesperson.display_name,
                        reseller=contract.reseller_id.display_name
                        or self.env._("(none)"),
                    )
                )

    @api.constrains("consolidated_into_id", "successor_id")
    def _check_links(self):
        for contract in self:
            if contract.consolidated_into_id == contract:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s cannot be consolidated into itself.",
                        contract=contract.name,
                    )
                )
            if contract.successor_id == contract:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s cannot renew itself.",
                        contract=contract.name,
                    )
                )

    @api.constrains("is_cancelled", "cancel_reason_id")
    def _check_cancel_reason(self):
        for contract in self:
            if contract.is_cancelled and not contract.cancel_reason_id:
                raise ValidationError(
                    self.env._(
                        "Contract %(contract)s: a cancellation needs a reason.",
                        contract=contract.name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and self.partner_id != self.partner_id.commercial_partner_id:
            self.partner_id = self.partner_id.commercial_partner_id

    @api.onchange("reseller_id")
    def _onchange_reseller_id(self):
        reseller = self.reseller_id
        if reseller and reseller.renewal_distributor_id and not self.distributor_id:
            self.distributor_id = reseller.renewal_distributor_id
        if (
            self.reseller_salesperson_id
            and self.reseller_salesperson_id.commercial_partner_id != reseller
        ):
            self.reseller_salesperson_id = False

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_contract_line_action"
        )
        action["domain"] = [("contract_id", "=", self.id)]
        action["context"] = {"default_contract_id": self.id}
        return action

    def action_cancel(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel Contracts"),
            "res_model": "renewal.contract.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def write(self, vals):
        if "is_cancelled" in vals and not vals["is_cancelled"]:
            self._check_reopen_access(
                self.filtered("is_cancelled"),
                self.env._("Only a Renewals Manager can re-open a contract."),
            )
        return super().write(vals)

    @api.model
    def _check_reopen_access(self, records, message):
        """Refuse to re-open ``records`` (cancelled contracts or lines) unless
        the user may; ``message`` says why not.

        The rule, wherever the change comes from (the Re-open button, an RPC
        ``write`` of ``is_cancelled``, a portal page): re-opening what was
        cancelled is a Renewals Manager's decision. It is the real user,
        ``self.env.user``, that counts, not the superuser flag: ``sudo()``
        keeps the user, so the portal's public user and a sales-link holder
        are refused even under sudo. The superuser itself (OdooBot, whom the
        scheduled actions and server scripts run as) may. The one exception
        is the line's: a line the customer left out of a partial renewal
        (``customer_left_out``) is the customer's choice, which a salesperson
        may undo (``_undo_renew_in_part``); ``renewal.contract.line.write``
        leaves those lines out of this check.
        """
        user = self.env.user
        if (
            records
            and not user._is_superuser()
            and not user.has_group("renewal_contracts.renewal_contracts_group_manager")
        ):
            raise AccessError(message)

    def action_reopen(self):
        """Re-open these cancelled contracts (Renewals Managers: see
        ``_check_reopen_access``)."""
        self._check_reopen_access(
            self, self.env._("Only a Renewals Manager can re-open a contract.")
        )
        cancelled = self.filtered("is_cancelled")
        cancelled.write(
            {"is_cancelled": False, "cancel_reason_id": False, "cancel_date": False}
        )
        for contract in cancelled:
            contract.message_post(body=self.env._("Contract re-opened."))
        return True

    def _cancel(self, reason, note=False):
        """Cancel these contracts: every line they cover turns black.

        Lines keep their own cancellation flag, so re-opening the contract
        brings back exactly the lines that were covered before.
        """
        if not reason:
            raise UserError(self.env._("A cancellation needs a reason."))
        lost = self.filtered(lambda contract: not contract.is_cancelled)
        today = fields.Date.context_today(self)
        self.write(
            {"is_cancelled": True, "cancel_reason_id": reason.id, "cancel_date": today}
        )
        for contract in self:
            body = self.env._("Contract cancelled: %(reason)s.", reason=reason.name)
            if note:
                body = Markup("%s<br/>%s") % (body, note)
            contract.message_post(body=body)
        if lost:
            lost._renewal_notify_event("lost")

    # ------------------------------------------------------------------
    # Partial renewal: the customer's choice of lines
    # ------------------------------------------------------------------

    def _open_lines(self):
        """The lines still to renew: not cancelled, not renewed."""
        return self.line_ids.filtered(
            lambda line: not line.is_cancelled and not line.is_renewed
        )

    def _renew_in_part(self, keep_lines, reasons, author):
        """The customer renews ``keep_lines`` of this contract and leaves its
        other open lines out, each for its reason.

        ``reasons`` maps the id of every open line left out to its
        ``renewal.cancel.reason``; ``author`` is the ``res.partner`` who
        chose. The lines left out are cancelled for their reason and marked
        ``customer_left_out``; they leave the open renewal quotation, which
        becomes a new version to sign; the chatter says who chose what. Runs
        as the caller (the portal calls it with sudo once it has checked its
        link). Returns the lines left out.
        """
        self.ensure_one()
        if self.is_cancelled:
            raise UserError(
                self.env._(
                    "Contract %(contract)s is cancelled: it cannot be renewed in part.",
                    contract=self.name,
                )
            )
        open_lines = self._open_lines()
        if keep_lines - self.line_ids:
            raise UserError(
                self.env._(
                    "A line to renew is not a line of contract %(contract)s.",
                    contract=self.name,
                )
            )
        closed = keep_lines - open_lines
        if closed:
            raise UserError(
                self.env._(
                    "Contract %(contract)s: cancelled or renewed already, these "
                    "lines cannot be renewed now: %(lines)s.",
                    contract=self.name,
                    lines=closed._references(),
                )
            )
        if not keep_lines:
            raise UserError(
                self.env._(
                    "Contract %(contract)s: choose at least one line to renew. "
                    "To renew none, decline the renewal.",
                    contract=self.name,
                )
            )
        left_out = open_lines - keep_lines
        missing = left_out.filtered(lambda line: not reasons.get(line.id))
        if missing:
            raise UserError(
                self.env._(
                    "Contract %(contract)s: give a reason for each line left "
                    "out: %(lines)s.",
                    contract=self.name,
                    lines=missing._references(),
                )
            )
        if not left_out:
            return left_out
        for reason, lines in left_out.grouped(lambda line: reasons[line.id]).items():
            lines._cancel(reason, customer_left_out=True)
        self.env["sale.order"]._renewal_drop_lines(left_out, author)
        self.message_post(
            body=self.env._(
                "%(author)s renews %(kept)s and leaves out %(left_out)s.",
                author=author.name,
                kept=keep_lines._references(),
                left_out=left_out._references(with_reason=True),
            ),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return left_out

    def _undo_renew_in_part(self, lines, author):
        """Put back into the renewal ``lines`` of this contract that the
        customer left out: they are open again, back on the open renewal
        quotation when there is one (otherwise the daily quotation run
        quotes them when they are due), and the chatter says who undid it.

        Salespeople may (the customer's choice is not a cancellation to
        guard, see ``_check_reopen_access``); runs as the caller. Returns the
        quotations the lines went back on.
        """
        self.ensure_one()
        if lines - self.line_ids:
            raise UserError(
                self.env._(
                    "A line to put back is not a line of contract %(contract)s.",
                    contract=self.name,
                )
            )
        chosen = lines.filtered("customer_left_out")
        if lines - chosen:
            raise UserError(
                self.env._(
                    "Contract %(contract)s: not left out by the customer, these "
                    "lines are not put back (a Renewals Manager re-opens a "
                    "cancelled line): %(lines)s.",
                    contract=self.name,
                    lines=(lines - chosen)._references(),
                )
            )
        if self.is_cancelled:
            raise UserError(
                self.env._(
                    "Contract %(contract)s is cancelled: re-open it before putting "
                    "lines back into its renewal.",
                    contract=self.name,
                )
            )
        if not lines:
            return self.env["sale.order"]
        lines.write(
            {
                "is_cancelled": False,
                "customer_left_out": False,
                "cancel_reason_id": False,
            }
        )
        orders = self.env["sale.order"]._renewal_put_back(lines, author)
        self.message_post(
            body=self.env._(
                "%(author)s put back into the renewal: %(lines)s.",
                author=author.name,
                lines=lines._references(),
            ),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return orders

    # ------------------------------------------------------------------
    # Events
    # ------------------------------------------------------------------

    def _renewal_notify_event(self, event, order=None):
        """Tell whoever listens that ``event`` happened to these contracts.

        ``event`` is ``"quotation_issued"`` (a renewal quotation was made),
        ``"renewed"`` (it was confirmed), ``"lost"`` (it was lost, or the
        contracts were cancelled) or ``"status_changed"`` (their colour
        changed, in the ORM or in the daily refresh). ``order`` is the
        renewal quotation of the first three, when there is one. Called once
        per quotation, per cancellation, and per batch of status changes,
        only when something happened. Does nothing here: the partner API's
        webhooks override it. It may run inside a recompute or the status
        refresh, so an override records or queues its work (``with_delay``)
        and writes no renewal data.
        """
        return None

    # ------------------------------------------------------------------
    # What the channel may decide. The core answers with the company's
    # setting; renewal_channel overrides each answer with the reseller's own,
    # where it has one. Nothing else reads a channel setting.
    # ------------------------------------------------------------------

    def _renewal_brand_partner(self):
        """Whose brand this contract's documents carry: the vendor's."""
        self.ensure_one()
        return self.company_id.partner_id

    def _renewal_quote_lead_days(self):
        """Quote this contract's lines this many days before they end."""
        self.ensure_one()
        return self.company_id.renewal_quote_lead_days

    @api.model
    def _renewal_longest_quote_lead_days(self, companies):
        """The longest lead time of any contract of ``companies``: how far
        ahead the quotation run looks before each contract's own."""
        return max(companies.mapped("renewal_quote_lead_days"), default=0)

    def _renewal_uplift_percent(self):
        """Uplift on the pricelist price of lines without a renewal price."""
        self.ensure_one()
        return self.company_id.renewal_uplift_percent

    def _renewal_discount_percent(self):
        """Discount on this contract's renewal quotation lines, where a line
        has none of its own: none."""
        self.ensure_one()
        return 0.0

    # ------------------------------------------------------------------
    # Renewal quotations
    # ------------------------------------------------------------------

    def _renewal_brand_contact(self):
        self.ensure_one()
        if self._renewal_brand_partner() == self.reseller_id:
            return self.reseller_salesperson_id
        return self.user_id.partner_id

    def _renewal_report_layout(self):
        self.ensure_one()
        if self._renewal_brand_partner() != self.company_id.partner_id:
            return "renewal_contracts.external_layout_reseller"
        return "web.external_layout"

    def action_generate_quotes(self):
        """Quote now the lines of these contracts that are due, as the daily
        scheduled action would."""
        SaleOrder = self.env["sale.order"]
        orders = SaleOrder._renewal_generate(
            SaleOrder._renewal_due_lines(contracts=self)
        )
        if not orders:
            return notification(
                self.env._(
                    "Nothing to quote: no line of these contracts is due, or "
                    "every due line is on an open quotation already."
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_quotation_action"
        )
        action["domain"] = [("id", "in", orders.ids)]
        return action

    def action_view_quotations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_quotation_action"
        )
        action["domain"] = [("order_line.renewal_line_id.contract_id", "=", self.id)]
        return action

    @api.model
    def _cron_generate_quotes(self):
        SaleOrder = self.env["sale.order"]
        lines = SaleOrder._renewal_due_lines()
        orders = SaleOrder._renewal_generate(lines)
        _logger.info(
            "Renewal quotations: %d lines due, %d quotations made",
            len(lines),
            len(orders),
        )
        self.env["ir.cron"]._notify_progress(done=len(orders), remaining=0)

    # ------------------------------------------------------------------
    # Daily status refresh
    # ------------------------------------------------------------------

    @api.model
    def _status_refresh_sql(self, today):
        """The two expressions of the refresh, from the rules of
        ``tools.status``: the status of a line ``l`` of contract ``c`` in
        company ``co``, and the status of contract ``c`` whose lines'
        statuses are the array ``agg.statuses`` (NULL when it has none)."""
        due_days = SQL("COALESCE(co.renewal_due_days, %s)", rules.DEFAULT_DUE_DAYS)
        line = rules.line_status_sql(
            SQL("l.date_end"),
            today,
            due_days,
            cancelled=SQL("l.is_cancelled OR c.is_cancelled"),
            renewed=SQL("l.is_renewed"),
        )
        contract = rules.contract_status_sql(
            SQL("agg.statuses"),
            cancelled=SQL("c.is_cancelled"),
            own_status=rules.line_status_sql(
                SQL("c.date_end"), today, due_days, renewed=SQL("c.is_renewed")
            ),
        )
        return line, contract

    @api.model
    def _refresh_status(self, today=None, companies=None):
        """Bring the stored statuses of ``companies`` in line with ``today``,
        set-based; every company when ``companies`` is None (the scheduled
        action), the user's selected companies for a manual refresh.

        Time is the only input that changes without a write, so this runs
        daily. Two UPDATE statements do the whole base, whatever the number
        of companies: one for the lines, one for the contracts (most urgent
        line first, or the contract's own dates when it has no lines), both
        on the rules of ``tools.status``. Only rows whose status changes are
        written; each statement counts its changes per company. Returns the
        ``renewal.status.refresh`` records of the run, one per company.
        """
        today = today or fields.Date.context_today(self)
        if companies is None:
            companies = self.env["res.company"].sudo().search([("id", "!=", False)])
        started = time.monotonic()
        # Pending ORM writes must reach the database before SQL reads it.
        self.env.flush_all()
        line_status, contract_status = self._status_refresh_sql(today)
        line_counts = self._refresh_line_status(line_status, companies)
        changed = self._refresh_contract_status(contract_status, companies)
        self.env["renewal.contract.line"].invalidate_model(
            ["status", "write_date", "write_uid"]
        )
        self.invalidate_model(["status", "write_date", "write_uid"])
        for ids in changed.values():
            self.browse(ids)._notify_status_changed()
        return self._log_status_refresh(
            today,
            companies,
            line_counts,
            {company: len(ids) for company, ids in changed.items()},
            time.monotonic() - started,
        )

    @api.model
    def _refresh_line_status(self, line_status, companies):
        """Write ``line_status`` on the lines of ``companies`` whose stored
        status differs. Returns the number of lines changed, by company id."""
        self.env.cr.execute(
            SQL(
                """
                WITH changed AS (
                    UPDATE renewal_contract_line AS l
                       SET status = %(status)s,
                           write_date = NOW() AT TIME ZONE 'UTC',
                           write_uid = %(uid)s
                      FROM renewal_contract AS c, res_company AS co
                     WHERE c.id = l.contract_id
                       AND co.id = l.company_id
                       AND l.company_id = ANY(%(companies)s)
                       AND l.status IS DISTINCT FROM %(status)s
                 RETURNING l.company_id
                )
                SELECT company_id, COUNT(*) FROM changed GROUP BY company_id
                """,
                status=line_status,
                uid=self.env.uid,
                companies=companies.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _refresh_contract_status(self, contract_status, companies):
        """Write ``contract_status`` on the contracts of ``companies`` whose
        stored status differs, from their lines' statuses as they are now.
        Returns the ids of the contracts changed, by company id."""
        self.env.cr.execute(
            SQL(
                """
                WITH agg AS (
                    SELECT contract_id, array_agg(status) AS statuses
                      FROM renewal_contract_line
                     WHERE company_id = ANY(%(companies)s)
                     GROUP BY contract_id
                ), fresh AS (
                    SELECT c.id, %(status)s AS status
                      FROM renewal_contract AS c
                      JOIN res_company AS co ON co.id = c.company_id
                      LEFT JOIN agg ON agg.contract_id = c.id
                     WHERE c.company_id = ANY(%(companies)s)
                ), changed AS (
                    UPDATE renewal_contract AS rc
                       SET status = fresh.status,
                           write_date = NOW() AT TIME ZONE 'UTC',
                           write_uid = %(uid)s
                      FROM fresh
                     WHERE fresh.id = rc.id
                       AND rc.status IS DISTINCT FROM fresh.status
                 RETURNING rc.id, rc.company_id
                )
                SELECT company_id, array_agg(id ORDER BY id) FROM changed
                 GROUP BY company_id
                """,
                status=contract_status,
                uid=self.env.uid,
                companies=companies.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    # The stored fields that follow the lines, as ``_recompute_from_lines``
    # writes them.
    LINE_TOTAL_FIELDS = (
        "next_expiry_date",
        "amount_renewal",
        "warranty_only",
        "status",
    )

    def _recompute_from_lines(self, created=None):
        """Write, set-based, the stored fields of these contracts that
        follow their lines (``LINE_TOTAL_FIELDS``), for lines written in
        SQL, which the ORM does not see: one UPDATE on the rules of their
        computes (``_compute_next_expiry_date``, ``_compute_amount_renewal``,
        ``_compute_warranty_only``, and ``_status_refresh_sql``, the SQL twin
        of ``_compute_status``), reading the lines' stored statuses, so the
        lines must be up to date first. Only contracts whose values change
        are written.

        As the ORM's compute does, a status change is an event
        (``status_changed``), except for the contracts in ``created``: made
        in this same step, they had no status to change from. Returns the
        contracts whose status changed."""
        if not self:
            return self
        self.env.flush_all()
        today = fields.Date.context_today(self)
        _line_status, contract_status = self._status_refresh_sql(today)
        self.env.cr.execute(
            SQL(
                """
                WITH agg AS (
                    SELECT l.contract_id,
                           array_agg(l.status) AS statuses,
                           MIN(l.date_end) FILTER (WHERE %(open)s) AS next_end,
                           SUM(l.renewal_subtotal) FILTER (WHERE %(open)s) AS amount,
                           bool_and(l.warranty_only)
                               FILTER (WHERE %(live)s) AS warranty
                      FROM renewal_contract_line AS l
                     WHERE l.contract_id = ANY(%(ids)s)
                     GROUP BY l.contract_id
                ), fresh AS (
                    SELECT c.id, c.status AS old_status,
                           COALESCE(agg.next_end, c.date_end) AS next_expiry_date,
                           -- the currency's rounding, as a Monetary field's
                           CASE WHEN cur.rounding > 0
                                THEN ROUND(COALESCE(agg.amount, 0) / cur.rounding)
                                     * cur.rounding
                                ELSE COALESCE(agg.amount, 0)
                           END AS amount_renewal,
                           COALESCE(agg.warranty, FALSE) AS warranty_only,
                           %(status)s AS status
                      FROM renewal_contract AS c
                      JOIN res_company AS co ON co.id = c.company_id
                      LEFT JOIN res_currency AS cur ON cur.id = c.currency_id
                      LEFT JOIN agg ON agg.contract_id = c.id
                     WHERE c.id = ANY(%(ids)s)
                )
                UPDATE renewal_contract AS rc
                   SET next_expiry_date = fresh.next_expiry_date,
                       amount_renewal = fresh.amount_renewal,
                       warranty_only = fresh.warranty_only,
                       status = fresh.status,
                       write_date = NOW() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                  FROM fresh
                 WHERE fresh.id = rc.id
                   AND (rc.next_expiry_date, rc.amount_renewal, rc.warranty_only,
                        rc.status)
                       IS DISTINCT FROM (fresh.next_expiry_date,
                        fresh.amount_renewal, fresh.warranty_only, fresh.status)
             RETURNING rc.id, fresh.old_status IS DISTINCT FROM fresh.status
                """,
                open=SQL(
                    "l.status IS DISTINCT FROM %s AND NOT l.is_renewed",
                    rules.CANCELLED,
                ),
                live=SQL("l.status IS DISTINCT FROM %s", rules.CANCELLED),
                status=contract_status,
                ids=self.ids,
                uid=self.env.uid,
            )
        )
        changed = self.browse(
            id_ for id_, status_changed in self.env.cr.fetchall() if status_changed
        )
        self.invalidate_recordset([*self.LINE_TOTAL_FIELDS, "write_date", "write_uid"])
        (changed - created if created else changed)._notify_status_changed()
        return changed

    def _notify_status_changed(self):
        """``status_changed`` about these contracts, in batches of
        ``EVENT_BATCH``."""
        for start in range(0, len(self), EVENT_BATCH):
            self[start : start + EVENT_BATCH]._renewal_notify_event("status_changed")

    @api.model
    def _log_status_refresh(
        self, today, companies, line_counts, contract_counts, duration
    ):
        """Record the run of each company (``renewal.status.refresh``) and
        log it. Returns the records, as the caller."""
        runs = (
            self.env["renewal.status.refresh"]
            .sudo()
            .create(
                [
                    {
                        "company_id": company.id,
                        "reference_date": today,
                        "line_count": line_counts.get(company.id, 0),
                        "contract_count": contract_counts.get(company.id, 0),
                        "duration": duration,
                    }
                    for company in companies
                ]
            )
        )
        for run in runs:
            _logger.info(
                "Renewal status refresh for %s in %s: %d lines and %d contracts "
                "changed",
                today,
                run.company_id.name,
                run.line_count,
                run.contract_count,
            )
        return runs.sudo(False)

    @api.model
    def _cron_refresh_status(self):
        runs = self._refresh_status()
        # Time moves installed products in and out of coverage too.
        self.env["renewal.installed.product"]._refresh_coverage()
        self.env["ir.cron"]._notify_progress(
            done=sum(runs.mapped("line_count")) + sum(runs.mapped("contract_count")),
            remaining=0,
        )

    # ------------------------------------------------------------------
    # Demo data
    # ------------------------------------------------------------------

    @api.model
    def _demo_create_contracts(self):
        """Create the demo contract base: 70 contracts, 300 covered lines.

        Dates are relative to today, so that every colour shows whenever the
        demo database is created. The draw is seeded: the same base each time.
        """
        rng = random.Random(20261124)
        ref = self.env.ref
        today = fields.Date.context_today(self)
        customers = self.env["res.partner"].browse(
            ref(f"renewal_contracts.partner_customer_{index:02d}").id
            for index in range(40)
        )
        resellers = [
            ref(f"renewal_contracts.partner_reseller_{name}")
            for name in ("serverhuis", "bitsbytes", "northwind", "pacific")
        ]
        products = [
            ref(f"renewal_contracts.product_{name}")
            for name in (
                "pwr_r660",
                "pwr_t360",
                "stg_ps1200",
                "net_x1052",
                "sw_bkp_std",
            )
        ]
        levels = [
            ref(f"renewal_contracts.service_level_{name}")
            for name in ("basic", "pro", "pro_plus")
        ]
        warranty = ref("renewal_contracts.service_level_warranty")
        salespeople = [
            ref("renewal_contracts.user_renewal_user"),
            ref("renewal_contracts.user_renewal_manager"),
            ref("base.user_admin"),
        ]
        profiles = (
            [rules.OVERDUE] * 11
            + [rules.DUE] * 14
            + [rules.LIVE] * 38
            + [rules.CANCELLED] * 7
        )
        rng.shuffle(profiles)
        offsets = {
            rules.OVERDUE: (-240, -1),
            rules.DUE: (0, 90),
            rules.LIVE: (91, 900),
            rules.CANCELLED: (-120, 400),
        }
        vals_list = []
        serial = 0
        for index, profile in enumerate(profiles):
            customer = customers[index % len(customers)]
            reseller = resellers[index % 6] if index % 6 < len(resellers) else False
            end = today + timedelta(days=rng.randint(*offsets[profile]))
            start = end - timedelta(days=rng.choice((365, 730, 1095)) - 1)
            warranty_contract = index % 10 == 3
            level = warranty if warranty_contract else rng.choice(levels)
            lines = []
            for line_index in range(5 if index < 20 else 4):
                serial += 1
                product = rng.choice(products)
                # The first line carries the contract's colour; the others
                # run on, so mixed contracts show their most urgent line.
                line_end = (
                    end
                    if line_index == 0
                    else end + timedelta(days=rng.choice((0, 0, 30, 180, 365)))
                )
                price = round(product.lst_price * rng.uniform(0.08, 0.2), 2)
                lines.append(
                    Command.create(
                        {
                            "product_id": product.id,
                            "serial_number": (
                                f"{product.default_code[:3]}{500000 + serial}"
                            ),
                            "quantity": 1,
                            "service_level_id": level.id,
                            "date_start": start,
                            "date_end": line_end,
                            "list_price": price,
                            "renewal_price": round(price * 1.05, 2)
                            if serial % 3
                            else 0,
                        }
                    )
                )
            vals_list.append(
                {
                    "name": f"RC-{26000 + index:05d}",
                    "partner_id": customer.id,
                    "reseller_id": reseller and reseller.id,
                    "distributor_id": reseller and reseller.renewal_distributor_id.id,
                    "reseller_salesperson_id": reseller and reseller.child_ids[:1].id,
                    "user_id": rng.choice(salespeople).id,
                    "service_level_id": level.id,
                    "date_start": start,
                    "date_end": max(line[2]["date_end"] for line in lines),
                    "customer_po_number": f"PO{rng.randint(10000, 99999)}",
                    "vendor_order_number": f"SO{rng.randint(100000, 999999)}",
                    "line_ids": lines,
                }
            )
        contracts = self.create(vals_list)
        # External ids make the generated contracts demo data like any other:
        # uninstalling the addon deletes them before the partners and
        # products they refer to.
        self.env["ir.model.data"].create(
            [
                {
                    "module": "renewal_contracts",
                    "name": f"demo_contract_{index:03d}",
                    "model": self._name,
                    "res_id": contract.id,
                    "noupdate": True,
                }
                for index, contract in enumerate(contracts)
            ]
        )
        reasons = [
            ref("renewal_contracts.cancel_reason_decommissioned"),
            ref("renewal_contracts.cancel_reason_competitor"),
            ref("renewal_contracts.cancel_reason_price"),
        ]
        for contract, profile in zip(contracts, profiles, strict=True):
            if profile == rules.CANCELLED:
                contract._cancel(rng.choice(reasons))
        live = contracts.filtered(lambda contract: contract.status == rules.LIVE)
        # A customer's second live contract folded into its first one: the
        # consolidation flag.
        for group in live.grouped("partner_id").values():
            if len(group) > 1:
                group[1:].write({"consolidated_into_id": group[0].id})
                break
        return contracts
