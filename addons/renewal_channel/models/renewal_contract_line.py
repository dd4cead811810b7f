from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# The longest window a reseller may ask for, in days.
MAX_DUE_DAYS = 730


class RenewalContractLine(models.Model):
    """A covered line as the channel sees it: the feed that owns its data,
    and the renewals due that a channel partner's manager lists."""

    _inherit = "renewal.contract.line"

    feed_source_id = fields.Many2one(
        "renewal.feed.source",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The feed that owns this line's data; empty when typed in.",
    )
    # Portal users read lines (renewal_portal's and this addon's rules); the
    # installed product a line covers is the vendor's staff's, as
    # renewal_portal has it too.
    installed_product_id = fields.Many2one(groups="base.group_user")

    @api.model
    def _reseller_due_domain(self, days, include_overdue=False):
        """The covered lines the calling reseller manager sells that are due
        for renewal within ``days`` days (and those already expired, with
        ``include_overdue``): still open, on a contract neither cancelled
        nor consolidated. A domain to search as superuser, bounded by the
        caller's record rules."""
        channel = self.env.user._renewal_check_channel_manager()
        if not isinstance(days, int) or not 1 <= days <= MAX_DUE_DAYS:
            raise UserError(
                self.env._(
                    "Renewals due within %(days)s days: choose a number of days "
                    "from 1 to %(max)s.",
                    days=days,
                    max=MAX_DUE_DAYS,
                )
            )
        today = fields.Date.context_today(self)
        Contract = self.env["renewal.contract"]
        contracts = Contract.sudo()._search(
            Contract._reseller_domain(channel)
            + [("is_cancelled", "=", False), ("consolidated_into_id", "=", False)]
        )
        domain = [
            ("id", "in", self._search([])),
            ("contract_id", "in", contracts),
            ("is_cancelled", "=", False),
            ("is_renewed", "=", False),
            ("date_end", "<=", today + timedelta(days=days)),
        ]
        if not include_overdue:
            domain.append(("date_end", ">=", today))
        return domain

    @api.model
    def _reseller_due_lines(self, days, include_overdue=False, offset=0, limit=None):
        """``(lines, total)``: one page of the lines of
        :meth:`_reseller_due_domain`, the soonest to end first, as
        superuser (for display), and how many there are in all."""
        domain = self._reseller_due_domain(days, include_overdue=include_overdue)
        Line = self.sudo()
        lines = Line.search(
            domain, order="date_end, contract_id, id", offset=offset, limit=limit
        )
        return lines, Line.search_count(domain)

    @api.model
    def _reseller_due_table(self, days, include_overdue=False):
        """The due lines as a table, ``(header, rows)``, for the CSV and XLSX
        downloads: text as it is (the writers neutralise formulas), numbers
        and dates as such."""
        lines, _total = self._reseller_due_lines(days, include_overdue)
        lines.fetch(["contract_id", "product_id", "service_level_id"])
        status = dict(self._fields["status"]._description_selection(self.env))
        today = fields.Date.context_today(self)
        header = [
            self.env._("Contract"),
            self.env._("End Customer"),
            self.env._("Product"),
            self.env._("Serial Number"),
            self.env._("Service Level"),
            self.env._("Coverage End"),
            self.env._("Days Left"),
            self.env._("Quantity"),
            self.env._("Renewal Price"),
            self.env._("Currency"),
            self.env._("Status"),
            self.env._("Customer PO"),
            self.env._("Your Salesperson"),
        ]
        rows = [
            [
                line.contract_id.name,
                line.contract_id.partner_id.name,
                line.product_id.display_name,
                line.serial_number or "",
                line.service_level_id.name or "",
                line.date_end,
                (line.date_end - today).days,
                line.quantity,
                line.renewal_price or line.list_price,
                line.currency_id.name,
                status.get(line.status, line.status or ""),
                line.contract_id.customer_po_number or "",
                line.contract_id.reseller_salesperson_id.name or "",
            ]
            for line in lines
        ]
        return header, rows
