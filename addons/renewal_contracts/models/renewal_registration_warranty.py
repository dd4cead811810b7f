from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models

from ..tools import quoting
from .sale_order import _Pricing


class RenewalRegistrationWarranty(models.AbstractModel):
    """The warranty a registration starts, mixed into
    ``renewal.registration``: a warranty-only contract and line from the
    purchase date, so that the renewal quotation run offers paid support
    before the warranty ends."""

    _name = "renewal.registration.warranty"
    _description = "Product Registration Warranty"

    @api.model
    def _warranty_period(self, product, start):
        """``(start, end)`` of the warranty of ``product`` bought on
        ``start``; None when it has no warranty."""
        months = product.renewal_warranty_months
        if not months or not start:
            return None
        return start, start + relativedelta(months=months) - relativedelta(days=1)

    @api.model
    def _register_warranty(self, registrations, checked, company):
        """A warranty-only contract with one covered line for each of these
        registrations whose product's warranty still runs and whose installed
        product has no warranty line yet: the renewal quotation run then
        offers paid support before the warranty ends."""
        today = fields.Date.context_today(self)
        by_installed = {
            values["installed"]: values for values in checked if values["installed"]
        }
        default_level = self.env["renewal.service.level"].search(
            [("warranty_only", "=", True)], limit=1
        )
        pricing = _Pricing(self.env)
        contract_vals, targets = [], []
        for registration in registrations:
            installed = registration.installed_product_id
            values = by_installed[installed]
            product = installed.product_id
            period = self._warranty_period(
                product, installed.purchase_date or installed.install_date
            )
            if not period or period[1] < today:
                continue
            if installed.line_ids.filtered("warranty_only"):
                continue
            level = product.renewal_warranty_level_id or default_level
            contract_vals.append(
                self._warranty_contract_values(
                    installed, values, level, period, company, pricing
                )
            )
            targets.append(registration)
        if not contract_vals:
            return
        contracts = self.env["renewal.contract"].create(contract_vals)
        for registration, contract in zip(targets, contracts, strict=True):
            registration.warranty_line_id = contract.line_ids[:1]

    @api.model
    def _warranty_contract_values(
        self, installed, values, level, period, company, pricing
    ):
        start, end = period
        partner = installed.partner_id
        support = level.product_id
        price = 0.0
        if support:
            pricelist = pricing.pricelist(partner, company, company.currency_id)
            price = quoting.renewal_price(
                0.0,
                pricing.price(pricelist or False, support, company),
                company.renewal_uplift_percent,
            )
        return {
            "name": self.env["ir.sequence"].next_by_code("renewal.contract.warranty"),
            "company_id": company.id,
            "partner_id": partner.id,
            "reseller_id": installed.reseller_id.id or False,
            "distributor_id": installed.distributor_id.id or False,
            "user_id": installed.user_id.id or False,
            "currency_id": company.currency_id.id,
            "customer_po_number": installed.customer_po_number or False,
            "vendor_order_number": installed.vendor_order_number or False,
            "service_level_id": level.id,
            "date_start": start,
            "date_end": end,
            "line_ids": [
                Command.create(
                    {
                        "product_id": installed.product_id.id,
                        "serial_number": installed.serial_number,
                        "installed_product_id": installed.id,
                        "service_level_id": level.id,
                        "quantity": 1.0,
                        "date_start": start,
                        "date_end": end,
                        "list_price": 0.0,
                        "renewal_price": price,
                    }
                )
            ],
        }
