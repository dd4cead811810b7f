# Copyright 2026 Renewals Suite Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Renewal Refresh Campaigns",
    "summary": "Market upgrades and accessories to the installed base: "
    "opportunities, e-mail campaigns and upgrade quotations per customer",
    "version": "18.0.1.0.0",
    "category": "Sales/Renewals",
    "website": "https://github.com/renewals-suite/renewals",
    "author": "Renewals Suite Authors",
    "maintainers": ["renewals-suite"],
    "license": "LGPL-3",
    # sale_crm links the upgrade quotations to their opportunities; Odoo
    # installs it anyway wherever sale and crm are (auto_install).
    "depends": ["renewal_portal", "crm", "mass_mailing", "sale_crm"],
    "data": [
        "security/ir.model.access.csv",
        "security/renewal_refresh_security.xml",
        "views/renewal_refresh_campaign_views.xml",
        "views/renewal_refresh_target_views.xml",
        "views/crm_lead_views.xml",
        "views/sale_order_views.xml",
        "views/mailing_mailing_views.xml",
        "views/renewal_refresh_menus.xml",
    ],
    "demo": [
        "demo/renewal_refresh_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
