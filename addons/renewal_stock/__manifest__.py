# Copyright 2026 Renewals Suite Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Renewal Stock",
    "summary": "Installed products linked to Inventory's serial numbers",
    "version": "18.0.1.0.0",
    "category": "Sales/Renewals",
    "website": "https://github.com/renewals-suite/renewals",
    "author": "Renewals Suite Authors",
    "maintainers": ["renewals-suite"],
    "license": "LGPL-3",
    "depends": ["renewal_contracts", "stock"],
    "data": [
        "data/ir_actions_server_data.xml",
        "views/renewal_installed_product_views.xml",
        "views/stock_lot_views.xml",
    ],
    "demo": ["demo/renewal_stock_demo.xml"],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "auto_install": True,
    "installable": True,
}
