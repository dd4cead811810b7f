from odoo import api, models

from ..tools.links import RENEWAL_LINK_PLACEHOLDER


class MailRenderMixin(models.AbstractModel):
    _inherit = "mail.render.mixin"

    @api.model
    def _shorten_links(self, html, link_tracker_vals, blacklist=None, base_url=None):
        """Never shorten the renewal link placeholder of a refresh campaign's
        mailing: each mail replaces it with its recipient's own link when it
        is sent, which a shared tracked link would hide."""
        blacklist = [*(blacklist or []), RENEWAL_LINK_PLACEHOLDER]
        return super()._shorten_links(
            html, link_tracker_vals, blacklist=blacklist, base_url=base_url
        )
