from odoo import models


class RenewalNotice(models.Model):
    _inherit = "renewal.notice"

    def _notice_urls(self):
        """Issue the links the notices' e-mails carry, in one batch: the
        customer's page (and its unsubscribe page), the sales view for the
        salesperson, one sales view per customer of a digest."""
        urls = super()._notice_urls()
        keys, specs = [], []
        for notice in self:
            lead = notice.line_ids[:1].contract_id
            if notice.role == "customer":
                keys.append((notice.id, "portal"))
                specs.append(
                    (notice.customer_id, "customer", notice.partner_id, lead, None)
                )
            elif notice.role == "sales":
                keys.append((notice.id, "sales"))
                specs.append(
                    (notice.customer_id, "sales", notice.partner_id, lead, None)
                )
            else:
                for child in notice.digest_notice_ids:
                    keys.append((notice.id, child.id))
                    specs.append(
                        (
                            child.customer_id,
                            "sales",
                            notice.partner_id,
                            child.line_ids[:1].contract_id,
                            None,
                        )
                    )
        issued = self.env["renewal.portal.link"].sudo()._issue_many(specs)
        for (notice_id, kind), (_link, url) in zip(keys, issued, strict=True):
            notice_urls = urls.setdefault(notice_id, {})
            if kind == "portal":
                notice_urls["portal"] = url
                notice_urls["unsubscribe"] = f"{url}/unsubscribe"
            elif kind == "sales":
                notice_urls["sales"] = url
            else:
                notice_urls.setdefault("children", {})[kind] = url
        return urls
