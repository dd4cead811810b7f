# Copyright 2026 Renewals Suite Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Renewal Portal",
    "summary": "Renewal pages for customers and sales, product registration",
    "version": "18.0.2.1.0",
    "category": "Sales/Renewals",
    "website": "https://github.com/renewals-suite/renewals",
    "author": "Renewals Suite Authors",
    "maintainers": ["renewals-suite"],
    "license": "LGPL-3",
    "depends": ["renewal_contracts", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/renewal_portal_security.xml",
        "views/renewal_portal_templates.xml",
        "views/renewal_register_templates.xml",
        "views/renewal_portal_link_views.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "renewal_portal/static/src/scss/renewal_portal.scss",
        ],
        "web.assets_tests": [
            "renewal_portal/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
