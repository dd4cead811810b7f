from odoo import api, fields, models
from odoo.tools import SQL, create_index

# The fields of a lot that decide which installed products it belongs to.
LOT_KEYS = frozenset({"name", "product_id", "company_id"})
# The installed products find their lot by product and serial (dropped by
# the addon's uninstall hook).
LOT_INDEX = "stock_lot_renewal_product_id_name_index"


class StockLot(models.Model):
    _inherit = "stock.lot"

    renewal_installed_product_ids = fields.One2many(
        "renewal.installed.product",
        "lot_id",
        string="Installed Products",
        groups="renewal_contracts.renewal_contracts_group_user",
    )
    renewal_installed_product_count = fields.Integer(
        string="Installed Product Count",
        compute="_compute_renewal_installed_product_count",
        groups="renewal_contracts.renewal_contracts_group_user",
    )

    def init(self):
        create_index(
            self.env.cr,
            LOT_INDEX,
            self._table,
            ["product_id", "name"],
        )

    @api.depends("renewal_installed_product_ids")
    def _compute_renewal_installed_product_count(self):
        groups = self.env["renewal.installed.product"]._read_group(
            [("lot_id", "in", self.ids)], groupby=["lot_id"], aggregates=["__count"]
        )
        counts = {lot.id: count for lot, count in groups}
        for lot in self:
            lot.renewal_installed_product_count = counts.get(lot.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        lots = super().create(vals_list)
        lots._renewal_link_installed_products()
        return lots

    def write(self, vals):
        result = super().write(vals)
        if LOT_KEYS & vals.keys():
            self._renewal_link_installed_products()
        return result

    def _renewal_link_installed_products(self):
        """A lot created, renamed or moved in Inventory: link the installed
        products of its product and serial to it, and unlink those it no
        longer matches (no lot is created for them here)."""
        if not self or self.env.context.get("renewal_stock_no_sync"):
            return
        self.env["renewal.installed.product"]._sync_lots_sql(
            SQL(
                "(ip.lot_id = ANY(%s) OR (ip.product_id = ANY(%s) "
                "AND ip.serial_number = ANY(%s)))",
                self.ids,
                self.product_id.ids,
                self.mapped("name"),
            ),
            create=False,
        )

    def action_view_renewal_installed_products(self):
        """The installed products of this serial number (one, unless the
        lot is shared by companies that each registered it)."""
        self.ensure_one()
        products = self.renewal_installed_product_ids
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_contracts.renewal_installed_product_action"
        )
        action["context"] = {"create": False}
        if len(products) == 1:
            action.update(views=[[False, "form"]], res_id=products.id)
        else:
            action.update(
                name=self.env._("Installed Products of %s", self.display_name),
                domain=[("lot_id", "=", self.id)],
            )
        return action
