from odoo import models
from odoo.tools import SQL


class RenewalContractLine(models.Model):
    _inherit = "renewal.contract.line"

    def _link_installed_products(self):
        """The installed products that lines create or reach (set-based, in
        SQL, past ``renewal.installed.product.create``) get their lots too."""
        linked = super()._link_installed_products()
        if not linked:
            return linked
        Installed = self.env["renewal.installed.product"]
        if self:
            Installed._sync_lots_sql(
                SQL(
                    "ip.id IN (SELECT installed_product_id FROM renewal_contract_line"
                    " WHERE id = ANY(%s))",
                    self.ids,
                )
            )
        else:
            Installed._sync_lots_sql(SQL("ip.lot_id IS NULL"))
        return linked
