from odoo import api, models

REVIEW_MENU = "renewal_contracts.renewal_registration_review_menu"


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    def load_menus(self, debug):
        """The menu "Registrations to Review" shows how many wait, like a
        counter. The menus are cached per user; the count is added to a copy
        of the cached tree, and the web client reloads the menus when their
        hash (and so the count) changes."""
        menus = super().load_menus(debug)
        menu = self.env.ref(REVIEW_MENU, raise_if_not_found=False)
        if not menu or menu.id not in menus:
            return menus
        Registration = self.env["renewal.registration"]
        if not Registration.has_access("read"):
            return menus
        count = Registration.search_count([("state", "=", "review")])
        if not count:
            return menus
        menus = dict(menus)
        menus[menu.id] = dict(
            menus[menu.id], name=f"{menus[menu.id]['name']} ({count})"
        )
        return menus
