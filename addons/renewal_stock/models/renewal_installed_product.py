import logging

from odoo import api, fields, models
from odoo.tools import SQL, split_every

_logger = logging.getLogger(__name__)

# The fields of an installed product that decide its serial number in
# Inventory (and the link itself: written by hand, it is put right).
LOT_KEYS = frozenset({"product_id", "serial_number", "company_id", "lot_id"})
# Lots created per ORM call when many installed products miss theirs.
LOT_BATCH = 1000


class RenewalInstalledProduct(models.Model):
    _inherit = "renewal.installed.product"

    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        groups="stock.group_stock_user",
        help="Inventory's serial number of the same product and serial, in "
        "this company or shared by all companies: found, or created when "
        "the product is tracked by serial number or lot.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        products = super().create(vals_list)
        products._sync_lots()
        return products

    def write(self, vals):
        result = super().write(vals)
        if LOT_KEYS & vals.keys():
            self._sync_lots()
        return result

    @api.model
    def _sql_insert(self, company, values_list):
        """The installed products a bulk writer (a feed) inserts past
        ``create`` get their lots too, set-based."""
        inserted = super()._sql_insert(company, values_list)
        if inserted:
            self._sync_lots_sql(SQL("ip.id = ANY(%s)", list(inserted.values())))
        return inserted

    def action_view_lot(self):
        """The serial number of this installed product, in Inventory."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.lot",
            "res_id": self.lot_id.id,
            "views": [[False, "form"]],
        }

    def action_sync_lots(self):
        """Link these installed products to their serial numbers again
        (after a product was tracked, or a lot renamed)."""
        self._sync_lots()

    # ------------------------------------------------------------------
    # The link, set-based
    # ------------------------------------------------------------------

    def _sync_lots(self):
        """Link these installed products to their lots: found, else
        created for tracked products."""
        if self:
            self._sync_lots_sql(SQL("ip.id = ANY(%s)", self.ids))

    @api.model
    def _sync_lots_sql(self, scope=None, create=True):
        """Link the installed products of ``scope`` (an SQL condition on
        ``renewal_installed_product AS ip``; all when None) to the stock.lot
        of the same product and serial number in their company or shared
        by all companies, and unlink those without one. With ``create``,
        first create the lots missing for the products tracked by serial
        number or lot (as Inventory would: shared when the product is,
        unless another company has that serial already). A bookkeeping
        consequence of a registration, whoever made it (a portal user, a
        salesperson without Inventory): done with sudo. Returns the number
        of installed products linked or unlinked."""
        installed = self.sudo()
        scope = scope if scope is not None else SQL("TRUE")
        # Installed products, lots and products (their tracking, company).
        self.env.flush_all()
        changed = installed._link_lots_sql(scope)
        if create and installed._create_missing_lots(scope):
            changed += installed._link_lots_sql(SQL("ip.lot_id IS NULL AND %s", scope))
        return changed

    @api.model
    def _link_lots_sql(self, scope):
        """One statement: the lot of each installed product of ``scope``
        (company-specific before shared, should both exist)."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                WITH found AS (
                    SELECT ip.id,
                           (SELECT lot.id
                              FROM stock_lot AS lot
                             WHERE lot.product_id = ip.product_id
                               AND lot.name = ip.serial_number
                               AND (lot.company_id = ip.company_id
                                    OR lot.company_id IS NULL)
                             ORDER BY lot.company_id NULLS LAST, lot.id
                             LIMIT 1) AS lot_id
                      FROM renewal_installed_product AS ip
                     WHERE %(scope)s
                )
                UPDATE renewal_installed_product AS ip
                   SET lot_id = found.lot_id,
                       write_date = NOW() AT TIME ZONE 'UTC',
                       write_uid = %(uid)s
                  FROM found
                 WHERE found.id = ip.id
                   AND ip.lot_id IS DISTINCT FROM found.lot_id
                """,
                scope=scope,
                uid=self.env.uid,
            )
        )
        changed = cr.rowcount
        if changed:
            self.invalidate_model(["lot_id", "write_date", "write_uid"])
            self.env["stock.lot"].invalidate_model(["renewal_installed_product_ids"])
        return changed

    @api.model
    def _create_missing_lots(self, scope):
        """Create, through the ORM (Inventory's own rules and other addons'
        fields apply), the lots that the installed products of ``scope``
        still miss and whose product is tracked; one lot per product,
        serial and company, in batches. Returns the number created."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT DISTINCT ip.product_id, ip.serial_number,
                       CASE WHEN tmpl.company_id IS NOT NULL
                              OR EXISTS (SELECT 1 FROM stock_lot AS other
                                          WHERE other.product_id = ip.product_id
                                            AND other.name = ip.serial_number)
                            THEN ip.company_id END
                  FROM renewal_installed_product AS ip
                  JOIN product_product AS product ON product.id = ip.product_id
                  JOIN product_template AS tmpl ON tmpl.id = product.product_tmpl_id
                 WHERE ip.lot_id IS NULL
                   AND tmpl.tracking != 'none'
                   AND %s
                 ORDER BY 1, 2
                """,
                scope,
            )
        )
        rows = cr.fetchall()
        if not rows:
            return 0
        Lot = self.env["stock.lot"].with_context(
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            tracking_disable=True,
            renewal_stock_no_sync=True,
        )
        for batch in split_every(LOT_BATCH, rows):
            Lot.create(
                [
                    {
                        "product_id": product,
                        "name": serial,
                        "company_id": company or False,
                    }
                    for product, serial, company in batch
                ]
            )
            Lot.flush_model()
            if len(rows) > LOT_BATCH:
                # Many: keep the cache small (the hook of a large base).
                Lot.invalidate_model()
        _logger.info("Serial numbers created for installed products: %s", len(rows))
        return len(rows)
