from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools import status as rules
from .renewal_contract import STATUS_SELECTION


class RenewalContractLine(models.Model):
    _name = "renewal.contract.line"
    _description = "Covered Line"
    _order = "contract_id, date_end, id"
    _rec_names_search = ["serial_number", "product_id", "contract_id"]
    _check_company_auto = True

    contract_id = fields.Many2one(
        "renewal.contract",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="contract_id.partner_id",
        string="End Customer",
        store=True,
        index=True,
        precompute=True,
    )
    reseller_id = fields.Many2one(
        related="contract_id.reseller_id", store=True, precompute=True
    )
    # Stored on the line like the customer and the reseller, so that record
    # rules and searches by channel partner test a column of the line instead
    # of listing all the partner's contracts in a subquery.
    distributor_id = fields.Many2one(
        related="contract_id.distributor_id", store=True, precompute=True
    )
    currency_id = fields.Many2one(related="contract_id.currency_id")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
    )
    product_categ_id = fields.Many2one(
        related="product_id.categ_id", string="Product Category", store=True
    )
    serial_number = fields.Char(index="btree_not_null")
    installed_product_id = fields.Many2one(
        "renewal.installed.product",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        # The vendor's installed base: portal pages show what they need of it
        # through their own reads.
        groups="base.group_user",
        help="The registered product this line covers; set from the serial "
        "number when the line is created.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    service_level_id = fields.Many2one("renewal.service.level")
    date_start = fields.Date(string="Coverage Start", required=True)
    date_end = fields.Date(string="Coverage End", required=True, index=True)
    list_price = fields.Monetary(help="Unit price of the current coverage, as sold.")
    renewal_price = fields.Monetary(
        help="Unit price to renew. Left at zero, the renewal is priced from "
        "the list price."
    )
    renewal_discount = fields.Float(
        string="Renewal Discount (%)",
        help="Discount on this line's renewal quotation; zero: the reseller's.",
    )
    renewal_subtotal = fields.Monetary(compute="_compute_renewal_subtotal", store=True)
    warranty_only = fields.Boolean(
        compute="_compute_warranty_only",
        store=True,
        readonly=False,
        help="Covered by the manufacturer's warranty only.",
    )
    is_cancelled = fields.Boolean(string="Cancelled", readonly=True, copy=False)
    cancel_reason_id = fields.Many2one(
        "renewal.cancel.reason", string="Cancellation Reason", readonly=True, copy=False
    )
    cancel_date = fields.Date(
        string="Cancelled On",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The day this line was cancelled (a contract cancelled as a whole "
        "keeps its own date).",
    )
    customer_left_out = fields.Boolean(
        string="Left Out by the Customer",
        readonly=True,
        copy=False,
        help="Cancelled because the customer renewed the contract in part and "
        "left this line out, for the reason given.",
    )
    successor_line_id = fields.Many2one(
        "renewal.contract.line",
        string="Renewed By",
        copy=False,
        index="btree_not_null",
        help="The line that continues this coverage.",
    )
    renewed_date = fields.Date(
        string="Renewed On",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The day the renewal of this line was confirmed (the date of the "
        "renewal order), compared with its coverage end to tell a renewal on "
        "time from a late one.",
    )
    predecessor_line_ids = fields.One2many(
        "renewal.contract.line", "successor_line_id", string="Renews"
    )
    sale_line_ids = fields.One2many(
        "sale.order.line", "renewal_line_id", string="Quotation Lines"
    )
    is_renewed = fields.Boolean(
        string="Renewed", compute="_compute_is_renewed", store=True
    )
    # Not indexed: the daily refresh rewrites statuses in place, and with no
    # index on the column (and room left on each page, see ``init``)
    # PostgreSQL updates the rows as heap-only tuples, leaving every index
    # untouched. Queries by status go through the contract, which is indexed.
    status = fields.Selection(
        STATUS_SELECTION,
        compute="_compute_status",
        store=True,
        group_expand=True,
    )

    def init(self):
        res = super().init()
        # Leave room on each page for the daily status updates (HOT updates).
        self.env.cr.execute(
            "ALTER TABLE renewal_contract_line SET (fillfactor = %s)", [70]
        )
        return res

    @api.depends("renewal_price", "list_price", "quantity")
    def _compute_renewal_subtotal(self):
        for line in self:
            line.renewal_subtotal = (line.renewal_price or line.list_price) * (
                line.quantity
            )

    @api.depends("service_level_id.warranty_only")
    def _compute_warranty_only(self):
        for line in self:
            line.warranty_only = line.service_level_id.warranty_only

    @api.depends("successor_line_id", "contract_id.is_renewed")
    def _compute_is_renewed(self):
        for line in self:
            line.is_renewed = (
                bool(line.successor_line_id) or line.contract_id.is_renewed
            )

    @api.depends("date_end", "is_cancelled", "is_renewed", "contract_id.is_cancelled")
    def _compute_status(self):
        today = fields.Date.context_today(self)
        for line in self:
            if not line.date_end:
                line.status = False
                continue
            line.status = rules.line_status(
                line.date_end,
                today,
                line.contract_id.company_id.renewal_due_days,
                cancelled=line.is_cancelled or line.contract_id.is_cancelled,
                renewed=line.is_renewed,
            )

    def _reference(self):
        """How a message names a line within its contract: its serial number,
        or its product when it has none."""
        self.ensure_one()
        return self.serial_number or self.product_id.display_name

    def _references(self, with_reason=False):
        """These lines named for a message, "SN-1, SN-2", or with their
        cancellation reasons, "SN-1 (Too expensive), SN-2 (Decommissioned)"."""
        if with_reason:
            return ", ".join(
                self.env._(
                    "%(line)s (%(reason)s)",
                    line=line._reference(),
                    reason=line.cancel_reason_id.name,
                )
                for line in self
            )
        return ", ".join(line._reference() for line in self)

    def _describe(self):
        """How errors name a line: contract number and serial (or product)."""
        self.ensure_one()
        return self.env._(
            "Contract %(contract)s, line %(line)s",
            contract=self.contract_id.name,
            line=self._reference(),
        )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for line in self:
            if line.date_end < line.date_start:
                raise ValidationError(
                    self.env._(
                        "%(line)s: the coverage end (%(end)s) is before the "
                        "coverage start (%(start)s).",
                        line=line._describe(),
                        end=line.date_end,
                        start=line.date_start,
                    )
                )

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "%(line)s: the quantity must be more than zero, not "
                        "%(quantity)s.",
                        line=line._describe(),
                        quantity=line.quantity,
                    )
                )

    @api.constrains("renewal_discount")
    def _check_discount(self):
        for line in self:
            if not 0 <= line.renewal_discount <= 100:
                raise ValidationError(
                    self.env._(
                        "%(line)s: a discount is between 0 and 100 %%, not "
                        "%(discount)s.",
                        line=line._describe(),
                        discount=line.renewal_discount,
                    )
                )

    @api.constrains("list_price", "renewal_price")
    def _check_prices(self):
        for line in self:
            for field in ("list_price", "renewal_price"):
                if line[field] < 0:
                    raise ValidationError(
                        self.env._(
                            "%(line)s: the %(field)s cannot be negative (%(price)s).",
                            line=line._describe(),
                            field=line._fields[field].get_description(line.env)[
                                "string"
                            ],
                            price=line[field],
                        )
                    )

    @api.constrains("is_cancelled", "cancel_reason_id")
    def _check_cancel_reason(self):
        for line in self:
            if line.is_cancelled and not line.cancel_reason_id:
                raise ValidationError(
                    self.env._(
                        "%(line)s: a cancellation needs a reason.",
                        line=line._describe(),
                    )
                )

    @api.constrains("customer_left_out", "is_cancelled")
    def _check_customer_left_out(self):
        for line in self:
            if line.customer_left_out and not line.is_cancelled:
                raise ValidationError(
                    self.env._(
                        "%(line)s: only a cancelled line is left out by the customer.",
                        line=line._describe(),
                    )
                )

    @api.constrains("successor_line_id")
    def _check_successor(self):
        for line in self:
            if line.successor_line_id == line:
                raise ValidationError(
                    self.env._("%(line)s cannot renew itself.", line=line._describe())
                )

    @api.model_create_multi
    def create(self, vals_list):
        # Lines typed without dates or service level take the contract's.
        contract_ids = {
            vals["contract_id"]
            for vals in vals_list
            if vals.get("contract_id")
            and not all(
                vals.get(key) for key in ("date_start", "date_end", "service_level_id")
            )
        }
        contracts = self.env["renewal.contract"].browse(contract_ids)
        by_id = {contract.id: contract for contract in contracts}
        for vals in vals_list:
            contract = by_id.get(vals.get("contract_id"))
            if not contract:
                continue
            vals.setdefault("date_start", contract.date_start)
            vals.setdefault("date_end", contract.date_end)
            if "service_level_id" not in vals and contract.service_level_id:
                vals["service_level_id"] = contract.service_level_id.id
        lines = super().create(vals_list)
        to_link = lines.filtered(
            lambda line: line.serial_number and not line.installed_product_id
        )
        if to_link:
            to_link._link_installed_products()
        return lines

    def write(self, vals):
        if "is_cancelled" in vals and not vals["is_cancelled"]:
            vals = dict(vals, cancel_date=False)
            # The customer's own choice (customer_left_out) is not a
            # cancellation to guard: undoing it is open to salespeople.
            self.env["renewal.contract"]._check_reopen_access(
                self.filtered(
                    lambda line: line.is_cancelled and not line.customer_left_out
                ),
                self.env._("Only a Renewals Manager can re-open a line."),
            )
        if vals.get("customer_left_out") and (
            not vals.get("is_cancelled") or self.filtered("is_cancelled")
        ):
            raise AccessError(
                self.env._(
                    "A line is left out by the customer only as it is cancelled "
                    "(renewing a contract in part)."
                )
            )
        return super().write(vals)

    def _cancel(self, reason, customer_left_out=False):
        """Cancel these lines alone, for ``reason``. With
        ``customer_left_out``, the customer chose to leave them out of the
        renewal; the caller says so in the chatter."""
        if not reason:
            raise UserError(self.env._("A cancellation needs a reason."))
        lines = self.filtered(lambda line: not line.is_cancelled)
        lines.write(
            {
                "is_cancelled": True,
                "cancel_reason_id": reason.id,
                "cancel_date": fields.Date.context_today(self),
                "customer_left_out": customer_left_out,
            }
        )
        if customer_left_out:
            return lines
        for contract, contract_lines in lines.grouped("contract_id").items():
            contract.message_post(
                body=self.env._(
                    "Lines cancelled (%(reason)s): %(lines)s",
                    reason=reason.name,
                    lines=contract_lines._references(),
                )
            )
        return lines

    def action_reopen(self):
        """Re-open these cancelled lines (Renewals Managers: see
        ``renewal.contract._check_reopen_access``)."""
        cancelled = self.filtered("is_cancelled")
        self.env["renewal.contract"]._check_reopen_access(
            self, self.env._("Only a Renewals Manager can re-open a line.")
        )
        cancelled.write(
            {
                "is_cancelled": False,
                "cancel_reason_id": False,
                "customer_left_out": False,
            }
        )
        return True

    # ------------------------------------------------------------------
    # The installed base
    # ------------------------------------------------------------------

    def _link_installed_products(self):
        """Link these lines (every line with a serial number and no installed
        product, when empty) to the installed products of their serial
        numbers, set-based: first the installed products missing for a
        (company, product, serial number) are created from the latest line
        of each (installed on the first day any of them covers), then every
        line is linked, and the coverage of the products
        reached is refreshed. Used by line creation and the 18.0.2.1.0
        migration (on the empty recordset: every line). Returns the number of
        lines linked."""
        self.env.flush_all()
        scope = (
            SQL("l.id = ANY(%s)", self.ids)
            if self
            else SQL("l.installed_product_id IS NULL")
        )
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                INSERT INTO renewal_installed_product (
                    name, active, company_id, product_id, product_tmpl_id,
                    product_categ_id, serial_number, partner_id, site_partner_id,
                    country_id, install_date, install_year, customer_po_number,
                    vendor_order_number, reseller_id, distributor_id, user_id,
                    value, end_of_support_date, coverage_state,
                    create_uid, create_date, write_uid, write_date
                )
                SELECT DISTINCT ON (l.company_id, l.product_id, l.serial_number)
                       CONCAT(
                           CASE WHEN pp.default_code IS NOT NULL
                                THEN '[' || pp.default_code || '] ' END,
                           COALESCE(pt.name->>%(lang)s, pt.name->>'en_US'),
                           ' / ', l.serial_number
                       ),
                       TRUE, l.company_id, l.product_id, pp.product_tmpl_id,
                       pt.categ_id, l.serial_number, c.partner_id, c.partner_id,
                       rp.country_id,
                       MIN(l.date_start) OVER serial,
                       EXTRACT(YEAR FROM MIN(l.date_start) OVER serial)::int,
                       c.customer_po_number,
                       c.vendor_order_number, c.reseller_id, c.distributor_id,
                       c.user_id, pt.list_price, pt.renewal_end_of_support_date,
                       'uncovered',
                       %(uid)s, NOW() AT TIME ZONE 'UTC',
                       %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM renewal_contract_line AS l
                  JOIN renewal_contract AS c ON c.id = l.contract_id
                  JOIN product_product AS pp ON pp.id = l.product_id
                  JOIN product_template AS pt ON pt.id = pp.product_tmpl_id
                  JOIN res_partner AS rp ON rp.id = c.partner_id
                 WHERE %(scope)s
                   AND l.serial_number IS NOT NULL
                   AND l.serial_number != ''
                   AND l.installed_product_id IS NULL
                WINDOW serial AS (
                    PARTITION BY l.company_id, l.product_id, l.serial_number
                )
                 ORDER BY l.company_id, l.product_id, l.serial_number,
                          l.date_end DESC, l.id DESC
                ON CONFLICT (company_id, product_id, serial_number) DO NOTHING
                """,
                scope=scope,
                lang=self.env.lang or "en_US",
                uid=self.env.uid,
            )
        )
        cr.execute(
            SQL(
                """
                UPDATE renewal_contract_line AS l
                   SET installed_product_id = p.id
                  FROM renewal_installed_product AS p
                 WHERE %(scope)s
                   AND l.installed_product_id IS NULL
                   AND p.company_id = l.company_id
                   AND p.product_id = l.product_id
                   AND p.serial_number = l.serial_number
             RETURNING p.id
                """,
                scope=scope,
            )
        )
        rows = cr.fetchall()
        self.invalidate_model(["installed_product_id"])
        Installed = self.env["renewal.installed.product"]
        Installed.invalidate_model()
        if rows:
            Installed._refresh_coverage(product_ids=list({row[0] for row in rows}))
        return len(rows)
