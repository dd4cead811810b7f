from odoo import fields, models


class RenewalInstalledProductRegister(models.TransientModel):
    """Register a product by hand in the back office, through the same
    checks as every other channel."""

    _name = "renewal.installed.product.register"
    _description = "Register a Product"

    product_id = fields.Many2one(
        "product.product",
        required=True,
        domain=[("renewal_registrable", "=", True)],
    )
    serial_number = fields.Char(required=True)
    purchase_date = fields.Date()
    install_date = fields.Date(string="Installation Date")
    partner_id = fields.Many2one(
        "res.partner",
        string="End Customer",
        required=True,
        domain=[("parent_id", "=", False)],
    )
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Site Address",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    reseller_id = fields.Many2one(
        "res.partner", domain=[("is_renewal_reseller", "=", True)]
    )
    distributor_id = fields.Many2one(
        "res.partner", domain=[("is_renewal_distributor", "=", True)]
    )
    customer_po_number = fields.Char(string="Customer PO Number")
    vendor_order_number = fields.Char(string="Vendor Sales Order")
    note = fields.Text()

    def _row(self):
        self.ensure_one()
        return {
            "product_id": self.product_id.id,
            "serial_number": self.serial_number,
            "purchase_date": self.purchase_date,
            "install_date": self.install_date,
            "partner_id": self.partner_id.id,
            "site_partner_id": self.site_partner_id.id,
            "reseller_id": self.reseller_id.id,
            "distributor_id": self.distributor_id.id,
            "customer_po_number": self.customer_po_number,
            "vendor_order_number": self.vendor_order_number,
            "note": self.note,
        }

    def action_register(self):
        """Register, then open the installed product (or the registration,
        when it is to review)."""
        registration = self.env["renewal.registration"]._register_products(
            [wizard._row() for wizard in self], "back_office"
        )[:1]
        if registration.installed_product_id:
            model, res_id = (
                "renewal.installed.product",
                registration.installed_product_id.id,
            )
        else:
            model, res_id = "renewal.registration", registration.id
        return {
            "type": "ir.actions.act_window",
            "res_model": model,
            "res_id": res_id,
            "view_mode": "form",
            "target": "current",
        }
