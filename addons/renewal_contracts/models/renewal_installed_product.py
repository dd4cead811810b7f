from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..tools import coverage

REGISTRATION_CHANNELS = [
    ("back_office", "Back office"),
    ("customer_page", "Customer page"),
    ("reseller_portal", "Reseller portal"),
    ("partner_api", "Partner API"),
    ("feed", "Feed"),
]


class RenewalInstalledProduct(models.Model):
    """A product sold and registered with its end customer: the installed
    base, covered by contract lines or not."""

    _name = "renewal.installed.product"
    _description = "Installed Product"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "install_year desc, id desc"
    _rec_names_search = ["serial_number", "product_id", "partner_id"]
    _check_company_auto = True

    # Shown, never searched (the search view and the portals search the
    # serial number, the product and the customer): no index to keep up at
    # every insert.
    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        string="Vendor Company",
        required=True,
        # no index of its own: the unique (company, product, serial number)
        # index starts with it
        default=lambda self: self.env.company,
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    product_tmpl_id = fields.Many2one(
        related="product_id.product_tmpl_id", store=True, string="Product Template"
    )
    product_categ_id = fields.Many2one(
        related="product_id.categ_id", store=True, string="Product Category"
    )
    # Searched with ilike (search view, reseller portal): a trigram index,
    # which serves equality too.
    serial_number = fields.Char(required=True, index="trigram", tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="End Customer",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The customer's commercial entity: a company, or an individual.",
    )
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Site Address",
        compute="_compute_site_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="Where the product is installed; the end customer by default.",
    )
    country_id = fields.Many2one(
        "res.country",
        compute="_compute_country_id",
        store=True,
        index=True,
        help="The country of the site address, else of the end customer.",
    )
    purchase_date = fields.Date(tracking=True)
    install_date = fields.Date(
        string="Installation Date",
        tracking=True,
        help="For a product created from covered lines: the first day they cover.",
    )
    install_year = fields.Integer(
        compute="_compute_install_year",
        store=True,
        aggregator=False,
        help="Year of installation, else of purchase: to group the base by age.",
    )
    customer_po_number = fields.Char(string="Customer PO Number")
    vendor_order_number = fields.Char(
        string="Vendor Sales Order", index="btree_not_null"
    )
    reseller_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_renewal_reseller", "=", True)],
    )
    distributor_id = fields.Many2one(
        "res.partner",
        index=True,
        tracking=True,
        check_company=True,
        domain=[("is_renewal_distributor", "=", True)],
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    registered_by_id = fields.Many2one("res.users", readonly=True)
    registration_date = fields.Datetime(readonly=True)
    registration_channel = fields.Selection(REGISTRATION_CHANNELS, readonly=True)
    line_ids = fields.One2many(
        "renewal.contract.line", "installed_product_id", string="Covered Lines"
    )
    line_count = fields.Integer(compute="_compute_line_count")
    contract_count = fields.Integer(compute="_compute_line_count")
    coverage_state = fields.Selection(
        coverage.COVERAGE_SELECTION,
        compute="_compute_coverage",
        store=True,
        index=True,
        group_expand=True,
        help="Covered: under a live support line. Warranty only: under live "
        "warranty lines only. Lapsed: its lines have all ended or were "
        "cancelled. Uncovered: never under a line. Refreshed daily.",
    )
    coverage_end = fields.Date(
        compute="_compute_coverage",
        store=True,
        help="The latest coverage end of its live lines.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    value = fields.Monetary(
        string="List Value",
        compute="_compute_value",
        store=True,
        help="The product's list price: the value of the installed base, and "
        "of what is uncovered.",
    )
    end_of_support_date = fields.Date(
        related="product_tmpl_id.renewal_end_of_support_date", store=True
    )
    registration_ids = fields.One2many(
        "renewal.registration", "installed_product_id", string="Registrations"
    )

    _sql_constraints = [
        (
            "serial_uniq",
            "unique(company_id, product_id, serial_number)",
            "This serial number of this product is registered already.",
        ),
    ]

    @api.depends("product_id.display_name", "serial_number")
    def _compute_name(self):
        for product in self:
            product.name = " / ".join(
                (product.product_id.display_name or "", product.serial_number or "")
            )

    @api.depends("partner_id")
    def _compute_site_partner_id(self):
        for product in self:
            if not product.site_partner_id:
                product.site_partner_id = product.partner_id

    @api.depends("site_partner_id.country_id", "partner_id.country_id")
    def _compute_country_id(self):
        for product in self:
            product.country_id = (
                product.site_partner_id.country_id or product.partner_id.country_id
            )

    @api.depends("install_date", "purchase_date")
    def _compute_install_year(self):
        for product in self:
            day = product.install_date or product.purchase_date
            product.install_year = day.year if day else 0

    @api.depends("product_id.lst_price")
    def _compute_value(self):
        for product in self:
            product.value = product.product_id.lst_price

    @api.depends("line_ids")
    def _compute_line_count(self):
        groups = self.env["renewal.contract.line"]._read_group(
            [("installed_product_id", "in", self.ids)],
            groupby=["installed_product_id"],
            aggregates=["__count", "contract_id:count_distinct"],
        )
        counts = {product: (lines, contracts) for product, lines, contracts in groups}
        for product in self:
            product.line_count, product.contract_count = counts.get(product, (0, 0))

    @api.depends(
        "line_ids.date_start",
        "line_ids.date_end",
        "line_ids.is_cancelled",
        "line_ids.warranty_only",
        "line_ids.contract_id.is_cancelled",
    )
    def _compute_coverage(self):
        today = fields.Date.context_today(self)
        for product in self:
            lines = [
                (
                    line.date_start,
                    line.date_end,
                    line.is_cancelled or line.contract_id.is_cancelled,
                    line.warranty_only,
                )
                for line in product.line_ids
                if line.date_start and line.date_end
            ]
            product.coverage_state = coverage.coverage_state(lines, today)
            product.coverage_end = coverage.coverage_end(lines, today) or False

    @api.constrains("partner_id")
    def _check_partner_commercial(self):
        for product in self:
            partner = product.partner_id
            if partner != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Installed product %(product)s: the end customer must be "
                        "a company or an individual, not %(contact)s, a contact "
                        "of %(company)s.",
                        product=product.name,
                        contact=partner.display_name,
                        company=partner.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("reseller_id", "distributor_id")
    def _check_channel(self):
        for product in self:
            if product.reseller_id and not product.reseller_id.is_renewal_reseller:
                raise ValidationError(
                    self.env._(
                        "Installed product %(product)s: %(partner)s is not "
                        "marked as a reseller.",
                        product=product.name,
                        partner=product.reseller_id.display_name,
                    )
                )
            distributor = product.distributor_id
            if distributor and not distributor.is_renewal_distributor:
                raise ValidationError(
                    self.env._(
                        "Installed product %(product)s: %(partner)s is not "
                        "marked as a distributor.",
                        product=product.name,
                        partner=distributor.display_name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and self.partner_id != self.partner_id.commercial_partner_id:
            self.partner_id = self.partner_id.commercial_partner_id

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_contract_line_action"
        )
        action["domain"] = [("installed_product_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_contract_action"
        )
        action["domain"] = [("line_ids.installed_product_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Bulk writers (feeds)
    # ------------------------------------------------------------------

    # The columns ``_sql_insert`` writes from its rows, with their SQL types
    # (constants, never data).
    _SQL_INSERT_COLUMNS = (
        ("name", "varchar"),
        ("company_id", "int4"),
        ("product_id", "int4"),
        ("product_tmpl_id", "int4"),
        ("product_categ_id", "int4"),
        ("serial_number", "varchar"),
        ("partner_id", "int4"),
        ("site_partner_id", "int4"),
        ("country_id", "int4"),
        ("install_date", "date"),
        ("install_year", "int4"),
        ("customer_po_number", "varchar"),
        ("vendor_order_number", "varchar"),
        ("reseller_id", "int4"),
        ("distributor_id", "int4"),
        ("user_id", "int4"),
        ("registration_channel", "varchar"),
        ("registered_by_id", "int4"),
        ("registration_date", "timestamp"),
        ("value", "numeric"),
        ("end_of_support_date", "date"),
        ("coverage_state", "varchar"),
        ("coverage_end", "date"),
    )

    @api.model
    def _sql_insert(self, company, values_list):
        """Insert the installed products of ``company`` that a bulk writer
        (a feed's chunk) makes, in one statement, each stored field
        written once and final (no update after the insert).

        ``values_list`` holds dicts of ``product_id``, ``serial_number``,
        ``partner_id``, ``install_date``, ``customer_po_number``,
        ``vendor_order_number``, ``reseller_id``, ``distributor_id``,
        ``user_id``, ``registration_channel``, ``coverage_state`` and
        ``coverage_end`` (the caller computes the coverage from the lines it
        is about to link, with ``tools.coverage``). The name, template,
        category, value and end of support follow from the product as
        ``_compute_name`` and the related fields have them; the site and
        country from the end customer; the registration from the current
        user and time. A (product, serial number) registered already in
        ``company`` is skipped: the caller links to that one.

        Returns ``{(product_id, serial_number): id}`` of the rows inserted.
        """
        if not values_list:
            return {}
        env = self.env
        products = env["product.product"].browse(
            {values["product_id"] for values in values_list}
        )
        partners = env["res.partner"].browse(
            {values["partner_id"] for values in values_list}
        )
        product_data = {
            product.id: (
                product.display_name,
                product.product_tmpl_id.id,
                product.categ_id.id,
                product.lst_price,
                product.renewal_end_of_support_date or None,
            )
            for product in products
        }
        countries = {partner.id: partner.country_id.id or None for partner in partners}
        now = fields.Datetime.now()
        rows = []
        for values in values_list:
            name, template, category, price, end_of_support = product_data[
                values["product_id"]
            ]
            install = values["install_date"] or None
            rows.append(
                (
                    f"{name} / {values['serial_number']}",
                    company.id,
                    values["product_id"],
                    template,
                    category,
                    values["serial_number"],
                    values["partner_id"],
                    values["partner_id"],
                    countries[values["partner_id"]],
                    install,
                    install.year if install else 0,
                    values["customer_po_number"] or None,
                    values["vendor_order_number"] or None,
                    values["reseller_id"] or None,
                    values["distributor_id"] or None,
                    values["user_id"] or None,
                    values["registration_channel"],
                    env.uid,
                    now,
                    price,
                    end_of_support,
                    values["coverage_state"],
                    values["coverage_end"] or None,
                )
            )
        # One array a column (quicker to send and parse than rows of values).
        names = SQL(", ").join(
            SQL.identifier(name) for name, _type in self._SQL_INSERT_COLUMNS
        )
        arrays = SQL(", ").join(
            SQL(f"%s::{type_}[]", list(column))
            for (_name, type_), column in zip(
                self._SQL_INSERT_COLUMNS, zip(*rows, strict=True), strict=True
            )
        )
        env.cr.execute(
            SQL(
                """
                INSERT INTO renewal_installed_product (%(names)s, active,
                    create_uid, create_date, write_uid, write_date)
                SELECT v.*, TRUE, %(uid)s, v.registration_date, %(uid)s,
                       v.registration_date
                  FROM unnest(%(arrays)s) AS v(%(names)s)
                ON CONFLICT (company_id, product_id, serial_number) DO NOTHING
                RETURNING id, product_id, serial_number
                """,
                names=names,
                arrays=arrays,
                uid=env.uid,
            )
        )
        inserted = {
            (product, serial): id_ for id_, product, serial in env.cr.fetchall()
        }
        self.invalidate_model()
        return inserted

    # ------------------------------------------------------------------
    # Daily coverage refresh
    # ------------------------------------------------------------------

    @api.model
    def _refresh_coverage(self, today=None, companies=None, product_ids=None):
        """Bring the stored coverage state and end of the installed products
        of ``companies`` (all when None; only ``product_ids`` when given) in
        line with ``today``, in one
        set-based statement on the rules of ``tools.coverage``: time moves
        lines in and out of coverage without any write. Only the rows that
        change are written. Returns the number of rows changed."""
        today = today or fields.Date.context_today(self)
        if companies is None:
            companies = self.env["res.company"].sudo().search([("id", "!=", False)])
        self.env.flush_all()
        only, only_lines = SQL("TRUE"), SQL("TRUE")
        if product_ids is not None:
            only = SQL("p.id = ANY(%s)", product_ids)
            only_lines = SQL("l.installed_product_id = ANY(%s)", product_ids)
        live = coverage.live_sql(
            SQL("l.date_start"),
            SQL("l.date_end"),
            SQL("l.is_cancelled OR c.is_cancelled"),
            today,
        )
        state = coverage.coverage_state_sql(
            SQL("agg.paid_live"), SQL("agg.live"), SQL("agg.has_lines")
        )
        self.env.cr.execute(
            SQL(
                """
                WITH agg AS (
                    SELECT l.installed_product_id AS id,
                           bool_or(%(live)s AND NOT COALESCE(l.warranty_only, FALSE))
                               AS paid_live,
                           bool_or(%(live)s) AS live,
                           TRUE AS has_lines,
                           max(l.date_end) FILTER (WHERE %(live)s) AS coverage_end
                      FROM renewal_contract_line AS l
                      JOIN renewal_contract AS c ON c.id = l.contract_id
                     WHERE l.installed_product_id IS NOT NULL
                       AND l.company_id = ANY(%(companies)s)
                       AND %(only_lines)s
                     GROUP BY l.installed_product_id
                ), fresh AS (
                    SELECT p.id, %(state)s AS state, agg.coverage_end
                      FROM renewal_installed_product AS p
                      LEFT JOIN agg ON agg.id = p.id
                     WHERE p.company_id = ANY(%(companies)s)
                       AND %(only)s
                )
                UPDATE renewal_installed_product AS p
                   SET coverage_state = fresh.state,
                       coverage_end = fresh.coverage_end,
                       write_date = NOW() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                  FROM fresh
                 WHERE fresh.id = p.id
                   AND (p.coverage_state IS DISTINCT FROM fresh.state
                        OR p.coverage_end IS DISTINCT FROM fresh.coverage_end)
                """,
                live=live,
                state=state,
                only=only,
                only_lines=only_lines,
                companies=companies.ids,
                uid=self.env.uid,
            )
        )
        changed = self.env.cr.rowcount
        self.invalidate_model(
            ["coverage_state", "coverage_end", "write_date", "write_uid"]
        )
        return changed
