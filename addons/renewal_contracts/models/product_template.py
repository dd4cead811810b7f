import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.registration import compile_pattern


class ProductTemplate(models.Model):
    _inherit = "product.template"

    renewal_successor_id = fields.Many2one(
        "product.product",
        string="Successor Product",
        help="Proposed on renewal quotations as the refresh of this product.",
    )
    renewal_end_of_sale_date = fields.Date(
        string="End of Sale", help="The last day this product is sold."
    )
    renewal_end_of_support_date = fields.Date(
        string="End of Support",
        help="The last day the vendor supports this product: installed products "
        "reaching it are candidates for an upgrade to the successor.",
    )
    renewal_alternative_ids = fields.Many2many(
        "product.template",
        "renewal_product_alternative_rel",
        "src_id",
        "dest_id",
        string="Alternative Products",
        help="Products proposed instead of this one (an upgrade or a "
        "comparable model).",
    )
    renewal_warranty_months = fields.Integer(
        string="Warranty (months)",
        help="The manufacturer's warranty from the purchase (or installation) "
        "date. Registering a product with a warranty still running creates a "
        "warranty-only covered line, so that paid support is offered before "
        "it ends. Zero: no warranty.",
    )
    renewal_warranty_level_id = fields.Many2one(
        "renewal.service.level",
        string="Warranty Level",
        domain=[("warranty_only", "=", True)],
        default=lambda self: self._default_renewal_warranty_level(),
        help="The service level of the warranty lines of this product; its "
        "renewal product is what the support quotation before the warranty "
        "ends sells.",
    )
    renewal_serial_pattern = fields.Char(
        string="Serial Number Pattern",
        help="A Python regular expression that every serial number of this "
        "product matches as a whole, e.g. PWR-[0-9]{6}. Empty: any serial "
        "number.",
    )
    renewal_registrable = fields.Boolean(
        string="Registrable",
        default=True,
        help="Customers, resellers and feeds may register this product in the "
        "installed base.",
    )

    @api.model
    def _default_renewal_warranty_level(self):
        # Whoever creates a product (a salesperson outside Renewals too).
        return (
            self.env["renewal.service.level"]
            .sudo()
            .search([("warranty_only", "=", True)], limit=1)
            .sudo(False)
        )

    @api.constrains("renewal_serial_pattern")
    def _check_renewal_serial_pattern(self):
        for template in self.filtered("renewal_serial_pattern"):
            try:
                compile_pattern(template.renewal_serial_pattern)
            except re.error as error:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: the serial number pattern "
                        "%(pattern)s is not a valid regular expression (%(error)s).",
                        product=template.display_name,
                        pattern=template.renewal_serial_pattern,
                        error=error,
                    )
                ) from error

    @api.constrains("renewal_warranty_months")
    def _check_renewal_warranty_months(self):
        for template in self:
            if template.renewal_warranty_months < 0:
                raise ValidationError(
                    self.env._(
                        "Product %(product)s: the warranty is zero or more "
                        "months, not %(months)s.",
                        product=template.display_name,
                        months=template.renewal_warranty_months,
                    )
                )
