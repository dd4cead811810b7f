from odoo import models
from odoo.tools import SQL


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        result = super().write(vals)
        if vals.get("tracking", "none") != "none":
            # Tracked from now on: its installed products get their lots.
            self.env["renewal.installed.product"]._sync_lots_sql(
                SQL("ip.product_tmpl_id = ANY(%s)", self.ids)
            )
        return result
