import logging
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tools import quoting

_logger = logging.getLogger(__name__)

OPEN_STATES = ("draft", "sent")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    is_renewal = fields.Boolean(string="Renewal Quotation", readonly=True, copy=False)
    renewal_reseller_id = fields.Many2one(
        "res.partner",
        string="Sold Through",
        readonly=True,
        help="The reseller this renewal is sold through; empty when sold direct.",
    )
    renewal_brand_partner_id = fields.Many2one(
        "res.partner",
        string="Published In The Name Of",
        readonly=True,
        help="Whose brand the quotation carries: the vendor, or the reseller.",
    )
    renewal_coterm_date = fields.Date(
        string="Co-term End",
        readonly=True,
        help="Every line of this quotation renews to this common end date.",
    )
    renewal_lost_reason_id = fields.Many2one(
        "renewal.cancel.reason", string="Lost Reason", readonly=True, copy=False
    )
    renewal_contract_count = fields.Integer(compute="_compute_renewal_contract_count")

    @api.depends("order_line.renewal_line_id")
    def _compute_renewal_contract_count(self):
        for order in self:
            order.renewal_contract_count = len(
                order.order_line.renewal_line_id.contract_id
            )

    def _renewal_brand_partner(self):
        """Whose brand this quotation carries."""
        self.ensure_one()
        return self.renewal_brand_partner_id or self.company_id.partner_id

    def _renewal_brand_contact(self):
        """The person the customer deals with under that brand: the
        reseller's salesperson, or the vendor's."""
        self.ensure_one()
        contracts = self.order_line.renewal_line_id.contract_id
        if self._renewal_brand_partner() != self.company_id.partner_id:
            return contracts.reseller_salesperson_id[:1]
        return self.user_id.partner_id

    def _renewal_report_layout(self):
        """The report layout of this quotation: the reseller's when it is
        published in the reseller's name, otherwise the company's."""
        self.ensure_one()
        if self._renewal_brand_partner() != self.company_id.partner_id:
            return "renewal_contracts.external_layout_reseller"
        return "web.external_layout"

    # ------------------------------------------------------------------
    # Generation
    # ------------------------------------------------------------------

    @api.model
    def _renewal_due_lines(self, contracts=None, today=None):
        """Covered lines due for a renewal quotation: not cancelled, not
        renewed, on no open quotation, and ending within the lead time of
        their reseller or company (overdue ones included)."""
        today = today or fields.Date.context_today(self)
        Line = self.env["renewal.contract.line"]
        companies = contracts.company_id if contracts else self.env.companies
        longest = self.env["renewal.contract"]._renewal_longest_quote_lead_days(
            companies
        )
        domain = [
            ("company_id", "in", companies.ids),
            ("is_cancelled", "=", False),
            ("contract_id.is_cancelled", "=", False),
            ("is_renewed", "=", False),
            ("date_end", "<=", today + timedelta(days=longest)),
            "!",
            ("sale_line_ids.order_id.state", "in", OPEN_STATES),
        ]
        if contracts:
            domain.append(("contract_id", "in", contracts.ids))
        lines = Line.search(domain, order="partner_id, contract_id, date_end, id")
        lead_days = {
            contract: contract._renewal_quote_lead_days()
            for contract in lines.contract_id
        }
        return lines.filtered(
            lambda line: quoting.in_quote_window(
                line.date_end, today, lead_days[line.contract_id]
            )
        )

    @api.model
    def _renewal_generate(self, lines, coterm=None):
        """Make the renewal quotations of ``lines``: one per end customer,
        selling party (direct, or a reseller), brand and currency, across
        contracts. Returns the new quotations."""
        groups = defaultdict(lambda: self.env["renewal.contract.line"])
        for line in lines:
            contract = line.contract_id
            brand = contract._renewal_brand_partner()
            key = (
                contract.company_id,
                contract.partner_id,
                contract.reseller_id,
                brand,
                contract.currency_id,
            )
            groups[key] |= line
        pricing = _Pricing(self.env)
        vals_list = []
        for (company, customer, reseller, brand, currency), group in groups.items():
            pricelist = pricing.pricelist(customer, company, currency)
            if pricelist is None:
                _logger.warning(
                    "No pricelist in %s for %s: %d lines not quoted",
                    currency.name,
                    customer.display_name,
                    len(group),
                )
                continue
            use_coterm = company.renewal_coterm if coterm is None else coterm
            vals_list.append(
                self._renewal_order_values(
                    company,
                    customer,
                    reseller,
                    brand,
                    pricelist,
                    group,
                    pricing,
                    use_coterm,
                )
            )
        orders = (
            self.with_context(tracking_disable=True, mail_create_nolog=True)
            .create(vals_list)
            .with_context(tracking_disable=False, mail_create_nolog=False)
        )
        orders._renewal_notify("quotation_issued")
        return orders

    def _renewal_notify(self, event):
        """``renewal.contract._renewal_notify_event`` for the contracts of
        each of these renewal quotations."""
        for order in self:
            contracts = order.order_line.renewal_line_id.contract_id
            if contracts:
                contracts._renewal_notify_event(event, order=order)

    def _renewal_order_values(
        self, company, customer, reseller, brand, pricelist, lines, pricing, coterm
    ):
        coterm_end = (
            max(
                quoting.next_period(line.date_start, line.date_end)[1] for line in lines
            )
            if coterm
            else None
        )
        order_lines, options = self._renewal_line_commands(
            company, pricelist, lines, pricing, coterm_end
        )
        contracts = lines.contract_id
        values = {
            "partner_id": customer.id,
            "company_id": company.id,
            "is_renewal": True,
            "renewal_reseller_id": reseller.id or False,
            "renewal_brand_partner_id": brand.id,
            "renewal_coterm_date": coterm_end or False,
            "user_id": contracts[:1].user_id.id or False,
            "origin": ", ".join(contracts.mapped("name"))[:250],
            "client_order_ref": contracts[:1].customer_po_number or False,
            "order_line": order_lines,
        }
        if contracts[:1].team_id:
            # Else sale.order's own default: the salesperson's team.
            values["team_id"] = contracts[:1].team_id.id
        if pricelist:
            values["pricelist_id"] = pricelist.id
        if options:
            values["sale_order_option_ids"] = options
        return values

    def _renewal_line_commands(
        self, company, pricelist, lines, pricing, coterm_end=None
    ):
        """``(order lines, optional lines)``: the commands that quote
        ``lines`` for their next period (to ``coterm_end`` when co-termed),
        priced for ``company`` on the terms of each line's contract (its
        uplift and discount)."""
        terms = {
            contract: (
                contract._renewal_uplift_percent(),
                contract._renewal_discount_percent(),
            )
            for contract in lines.contract_id
        }
        order_lines, options = [], []
        for line in lines:
            uplift, discount = terms[line.contract_id]
            start, end = quoting.next_period(line.date_start, line.date_end)
            factor = 1.0
            if coterm_end:
                factor = quoting.coterm_factor(start, end, coterm_end)
                end = coterm_end
            product = line.service_level_id.product_id or line.product_id
            price = quoting.renewal_price(
                line.renewal_price, pricing.price(pricelist, product, company), uplift
            )
            order_lines.append(
                Command.create(
                    {
                        "product_id": product.id,
                        "name": self._renewal_line_name(line, product, start, end),
                        "product_uom_qty": line.quantity,
                        "price_unit": company.currency_id.round(price * factor)
                        if not pricelist
                        else pricelist.currency_id.round(price * factor),
                        "discount": line.renewal_discount or discount,
                        "renewal_line_id": line.id,
                        "renewal_date_start": start,
                        "renewal_date_end": end,
                    }
                )
            )
            options.extend(
                self._renewal_upsell_options(line, pricelist, pricing, company)
            )
        return order_lines, options

    def _renewal_line_name(self, line, product, start, end):
        parts = [
            self.env._("Renewal of %(product)s", product=line.product_id.display_name)
        ]
        if line.serial_number:
            parts.append(
                self.env._("Serial number: %(serial)s", serial=line.serial_number)
            )
        if line.service_level_id:
            parts.append(
                self.env._("Service level: %(level)s", level=line.service_level_id.name)
            )
        parts.append(
            self.env._(
                "Coverage: %(start)s to %(end)s",
                start=fields.Date.to_string(start),
                end=fields.Date.to_string(end),
            )
        )
        parts.append(
            self.env._("Contract: %(contract)s", contract=line.contract_id.name)
        )
        if product != line.product_id:
            parts.insert(0, product.display_name)
        return "\n".join(parts)

    def _renewal_upsell_options(self, line, pricelist, pricing, company):
        """Optional lines: the next service level up, and the successor of
        the covered product (the refresh)."""
        options = []
        upsell = line.service_level_id.upsell_level_id
        if upsell.product_id:
            options.append(
                Command.create(
                    {
                        "renewal_line_id": line.id,
                        "product_id": upsell.product_id.id,
                        "name": self.env._(
                            "Upgrade %(serial)s to %(level)s",
                            serial=line._reference(),
                            level=upsell.name,
                        ),
                        "quantity": line.quantity,
                        "uom_id": upsell.product_id.uom_id.id,
                        "price_unit": pricing.price(
                            pricelist, upsell.product_id, company
                        ),
                    }
                )
            )
        successor = line.product_id.renewal_successor_id
        if successor:
            options.append(
                Command.create(
                    {
                        "renewal_line_id": line.id,
                        "product_id": successor.id,
                        "name": self.env._(
                            "Refresh: replace %(product)s (%(serial)s) with "
                            "%(successor)s",
                            product=line.product_id.display_name,
                            serial=line.serial_number or "-",
                            successor=successor.display_name,
                        ),
                        "quantity": line.quantity,
                        "uom_id": successor.uom_id.id,
                        "price_unit": pricing.price(pricelist, successor, company),
                    }
                )
            )
        return options

    # ------------------------------------------------------------------
    # Partial renewal: lines the customer leaves out, or puts back
    # ------------------------------------------------------------------

    @api.model
    def _renewal_open_orders(self, contracts):
        """The open renewal quotations that quote lines of ``contracts``."""
        return self.search(
            [
                ("is_renewal", "=", True),
                ("state", "in", OPEN_STATES),
                ("order_line.renewal_line_id.contract_id", "in", contracts.ids),
            ],
            order="id desc",
        )

    @api.model
    def _renewal_drop_lines(self, lines, author):
        """Take ``lines`` (covered lines the customer left out) off their
        open renewal quotations, order lines and optional lines alike. A
        quotation left with nothing to renew is lost, for the reason of its
        first line left out; the others become a new version to sign.
        Returns the quotations changed."""
        sale_lines = lines.sale_line_ids.filtered(
            lambda sol: sol.order_id.state in OPEN_STATES
        )
        orders = sale_lines.order_id
        if not orders:
            return orders
        options = orders.sale_order_option_ids.filtered(
            lambda option: option.renewal_line_id in lines
        )
        quoted = {order: order.order_line.renewal_line_id & lines for order in orders}
        options.unlink()
        sale_lines.unlink()
        emptied = orders.filtered(lambda order: not order.order_line)
        for order in emptied:
            order.renewal_lost_reason_id = quoted[order][:1].cancel_reason_id
        emptied.with_context(disable_cancel_warning=True).action_cancel()
        for order in orders:
            summary = quoted[order]._references(with_reason=True)
            if order in emptied:
                body = self.env._(
                    "%(author)s left out of the renewal every line of this "
                    "quotation: %(lines)s. It is lost.",
                    author=author.name,
                    lines=summary,
                )
            else:
                body = self.env._(
                    "%(author)s left out of the renewal: %(lines)s. This new "
                    "version of the quotation is to be signed again.",
                    author=author.name,
                    lines=summary,
                )
            order._renewal_post_change(body, author)
        (orders - emptied)._renewal_clear_signature()
        return orders

    @api.model
    def _renewal_put_back(self, lines, author):
        """Quote again ``lines`` (open again after the customer had left them
        out) on their contract's open renewal quotation, those that are due;
        without one, the daily quotation run quotes them. Returns the
        quotations changed."""
        changed = self.browse()
        pricing = _Pricing(self.env)
        for contract, contract_lines in lines.grouped("contract_id").items():
            order = self._renewal_open_orders(contract)[:1]
            due = self._renewal_due_lines(contracts=contract) & contract_lines
            if not (order and due):
                continue
            order_lines, options = self._renewal_line_commands(
                order.company_id,
                order.pricelist_id,
                due,
                pricing,
                order.renewal_coterm_date or None,
            )
            order.write({"order_line": order_lines, "sale_order_option_ids": options})
            order._renewal_clear_signature()
            order._renewal_post_change(
                self.env._(
                    "%(author)s put back into the renewal: %(lines)s. This new "
                    "version of the quotation is to be signed again.",
                    author=author.name,
                    lines=due._references(),
                ),
                author,
            )
            changed |= order
        return changed

    def _renewal_clear_signature(self):
        """A changed quotation is a new version: the customer signs it again."""
        self.filtered("signature").write(
            {"signature": False, "signed_by": False, "signed_on": False}
        )

    def _renewal_post_change(self, body, author):
        self.ensure_one()
        self.message_post(
            body=body,
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------------
    # Outcome
    # ------------------------------------------------------------------

    def _action_confirm(self):
        res = super()._action_confirm()
        self.filtered("is_renewal")._renewal_renew_lines()
        return res

    def _renewal_renew_lines(self):
        """Confirmed: each quoted line renews into a successor line on the
        same contract, for the new coverage period."""
        Line = self.env["renewal.contract.line"]
        for order in self:
            sale_lines = order.order_line.filtered(
                lambda sol: sol.renewal_line_id and not sol.renewal_line_id.is_renewed
            )
            if not sale_lines:
                continue
            renewed = sale_lines.renewal_line_id.contract_id
            successors = Line.create(
                [
                    {
                        "contract_id": sol.renewal_line_id.contract_id.id,
                        "product_id": sol.renewal_line_id.product_id.id,
                        "serial_number": sol.renewal_line_id.serial_number,
                        "installed_product_id": (
                            sol.renewal_line_id.installed_product_id.id
                        ),
                        "quantity": sol.renewal_line_id.quantity,
                        "service_level_id": sol.renewal_line_id.service_level_id.id,
                        # Paid support renews a warranty: the successor of a
                        # warranty-only line sold at a price is not one.
                        "warranty_only": sol.renewal_line_id.warranty_only
                        and not sol.price_subtotal,
                        "date_start": sol.renewal_date_start,
                        "date_end": sol.renewal_date_end,
                        "list_price": sol.price_unit
                        * (1 - (sol.discount or 0.0) / 100),
                    }
                    for sol in sale_lines
                ]
            )
            renewed_on = fields.Date.context_today(order, order.date_order)
            for sol, successor in zip(sale_lines, successors, strict=True):
                sol.renewal_line_id.write(
                    {"successor_line_id": successor.id, "renewed_date": renewed_on}
                )
            for contract, contract_lines in sale_lines.grouped(
                lambda sol: sol.renewal_line_id.contract_id
            ).items():
                ends = contract_lines.mapped("renewal_date_end")
                if max(ends) > contract.date_end:
                    contract.date_end = max(ends)
                items = Markup("").join(
                    Markup("<li>%s: %s → %s</li>")
                    % (
                        sol.renewal_line_id._reference(),
                        fields.Date.to_string(sol.renewal_line_id.date_end),
                        fields.Date.to_string(sol.renewal_date_end),
                    )
                    for sol in contract_lines
                )
                contract.message_post(
                    body=Markup("%s<ul>%s</ul>")
                    % (
                        self.env._("Renewed by %(order)s:", order=order.name),
                        items,
                    )
                )
            renewed._renewal_notify_event("renewed", order=order)

    def _action_cancel(self):
        renewals = self.filtered(
            lambda order: order.is_renewal and order.state != "cancel"
        )
        missing = renewals.filtered(lambda order: not order.renewal_lost_reason_id)
        if missing:
            raise UserError(
                self.env._(
                    "Renewal quotation %(orders)s: say why it is lost (Mark as Lost) "
                    "before cancelling it.",
                    orders=", ".join(missing.mapped("name")),
                )
            )
        res = super()._action_cancel()
        for order in renewals:
            lines = order.order_line.renewal_line_id.filtered(
                lambda line, order=order: (
                    not line.is_renewed
                    and not line.sale_line_ids.filtered(
                        lambda sol, order=order: (
                            sol.order_id != order and sol.order_id.state in OPEN_STATES
                        )
                    )
                )
            )
            lines._cancel(order.renewal_lost_reason_id)
        renewals._renewal_notify("lost")
        return res

    def action_renewal_mark_lost(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Mark as Lost"),
            "res_model": "renewal.quote.lost",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def action_view_renewal_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_contract_action"
        )
        action["domain"] = [
            ("id", "in", self.order_line.renewal_line_id.contract_id.ids)
        ]
        return action


class _Pricing:
    """Pricelists and their prices, looked up once per run."""

    def __init__(self, env):
        self.env = env
        self.pricelists = {}
        self.prices = {}

    def pricelist(self, customer, company, currency):
        """The customer's pricelist when it is in ``currency``, else the
        company's first pricelist in it; False (list price) in the company's
        currency without any; None when nothing can price in ``currency``."""
        own = customer.with_company(company).property_product_pricelist
        if own and own.currency_id == currency:
            return own
        key = (company.id, currency.id)
        if key not in self.pricelists:
            self.pricelists[key] = self.env["product.pricelist"].search(
                [
                    ("currency_id", "=", currency.id),
                    ("company_id", "in", (False, company.id)),
                ],
                limit=1,
            )
        found = self.pricelists[key]
        if found:
            return found
        return False if currency == company.currency_id else None

    def price(self, pricelist, product, company):
        key = (pricelist.id if pricelist else None, product.id)
        if key not in self.prices:
            if pricelist:
                self.prices[key] = pricelist._get_product_price(product, 1.0)
            else:
                self.prices[key] = product.with_company(company).lst_price
        return self.prices[key]
