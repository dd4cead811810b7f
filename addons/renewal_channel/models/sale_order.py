from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.renewal_portal.tools.form import public_text


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _renewal_api_reachable(self):
        """Whether the current user reaches this renewal quotation through
        the partner API: it is a renewal quotation and the user may read
        (record rules) every contract on it among those their organisation
        sells. Checked as the user; the quotation itself is then read as
        superuser (a reseller cannot read its customers' orders)."""
        self.ensure_one()
        order = self.sudo()
        if not order.exists() or not order.is_renewal:
            return False
        contracts = order.order_line.renewal_line_id.contract_id
        if not contracts:
            return False
        user = self.env.user
        Contract = self.env["renewal.contract"].with_env(self.env(su=False))
        domain = [("id", "in", contracts.ids), *user._renewal_api_sells_domain()]
        return Contract.search_count(domain) == len(contracts)

    def _renewal_api_accept(self, po_number):
        """Accept this renewal quotation on the customer's behalf, on the
        strength of the customer's PO number: the number goes on the
        quotation and its contracts, the acceptance is signed in the
        partner's name and the quotation confirmed (which renews its
        lines). Only for a quotation the caller reaches."""
        self.ensure_one()
        if not self._renewal_api_reachable():
            raise UserError(self.env._("This renewal quotation is not yours."))
        number = public_text(po_number, size=64)
        if not number:
            raise UserError(self.env._("Please give the customer's PO number."))
        order = self.sudo()
        if order.state not in ("draft", "sent"):
            raise UserError(
                self.env._(
                    "Quotation %(name)s is no longer open (%(state)s).",
                    name=order.name,
                    state=dict(order._fields["state"]._description_selection(self.env))[
                        order.state
                    ],
                )
            )
        today = fields.Date.context_today(order)
        if order.validity_date and order.validity_date < today:
            raise UserError(
                self.env._(
                    "Quotation %(name)s expired on %(date)s.",
                    name=order.name,
                    date=order.validity_date,
                )
            )
        partner = self.env.user.partner_id
        company = partner.commercial_partner_id
        contracts = order.order_line.renewal_line_id.contract_id
        contracts.write({"customer_po_number": number})
        order.write(
            {
                "client_order_ref": number,
                "signed_by": f"{partner.name} ({company.name})",
                "signed_on": fields.Datetime.now(),
            }
        )
        body = Markup("<p>%s</p>") % self.env._(
            "Accepted on the customer's behalf by %(who)s (%(company)s) through the "
            "partner API, customer PO %(po)s.",
            who=partner.name,
            company=company.name,
            po=number,
        )
        order.message_post(
            body=body, author_id=partner.id, subtype_xmlid="mail.mt_note"
        )
        order.action_confirm()
        return order.with_env(self.env)
