from odoo import models


class RenewalContract(models.Model):
    _inherit = "renewal.contract"

    def action_issue_customer_link(self):
        self.ensure_one()
        Link = self.env["renewal.portal.link"]
        _link, url = Link._issue(self.partner_id, "customer", contract=self)
        return Link._show_urls([url])

    def action_issue_sales_link(self):
        self.ensure_one()
        Link = self.env["renewal.portal.link"]
        holder = self.reseller_salesperson_id or self.user_id.partner_id
        _link, url = Link._issue(self.partner_id, "sales", holder=holder, contract=self)
        return Link._show_urls([url])

    def _renewal_open_quotation(self):
        """The open renewal quotation covering this contract, if any."""
        self.ensure_one()
        return (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("order_line.renewal_line_id.contract_id", "=", self.id),
                    ("state", "in", ("draft", "sent")),
                ],
                limit=1,
                order="id desc",
            )
        )
