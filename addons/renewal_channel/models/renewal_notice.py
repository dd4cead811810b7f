from odoo import api, models
from odoo.tools import SQL


class RenewalNotice(models.Model):
    """A notice as the channel sees it: the reseller's own cadence, and
    links in the notice's brand."""

    _inherit = "renewal.notice"

    @api.model
    def _cadence_sql(self):
        """A contract sold by a reseller with its own cadence follows that
        cadence where the reseller has steps in the contract's company; any
        other contract, the company's."""
        return SQL(
            """CASE WHEN EXISTS (
                        SELECT 1 FROM res_partner r
                         WHERE r.id = c.reseller_id AND r.renewal_own_cadence)
                    AND EXISTS (
                        SELECT 1 FROM renewal_notice_step rs
                         WHERE rs.reseller_id = c.reseller_id
                           AND rs.company_id = c.company_id)
                    THEN s.reseller_id = c.reseller_id
                    ELSE s.reseller_id IS NULL END"""
        )

    def _notice_urls(self):
        """The links of the notices' e-mails carry each notice's brand (a
        digest's, each customer's notice's): a reseller-branded notice opens
        a page in the reseller's brand."""
        Link = self.env["renewal.portal.link"]
        brands = {}
        for notice in self:
            scope = "customer" if notice.role == "customer" else "sales"
            children = notice.digest_notice_ids if notice.role == "digest" else notice
            for child in children:
                lead = child.line_ids[:1].contract_id
                key = Link._brand_key(child.customer_id, scope, notice.partner_id, lead)
                brands[key] = Link._brand_values(child.brand_partner_id, lead)
        return super(
            RenewalNotice, self.with_context(renewal_link_brands=brands)
        )._notice_urls()
