# Copyright 2026 Renewals Suite Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Renewal Channel",
    "summary": "Distributors' and resellers' feeds, terms, brand, cadence, "
    "self-service portal and branded customer pages",
    "version": "18.0.2.0.0",
    "category": "Sales/Renewals",
    "website": "https://github.com/renewals-suite/renewals",
    "author": "Renewals Suite Authors",
    "maintainers": ["renewals-suite"],
    "license": "LGPL-3",
    "depends": ["renewal_portal", "queue_job"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/renewal_channel_security.xml",
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "data/renewal_portal_link_mail_templates.xml",
        "wizard/renewal_feed_source_upload_views.xml",
        "views/renewal_feed_source_views.xml",
        "views/renewal_feed_import_views.xml",
        "views/renewal_contract_views.xml",
        "views/renewal_notice_step_views.xml",
        "views/res_partner_views.xml",
        "views/renewal_portal_link_views.xml",
        "views/renewal_menus.xml",
        "views/reseller_portal_templates.xml",
        "views/renewal_brand_templates.xml",
    ],
    "demo": [
        "demo/renewal_channel_demo.xml",
        "demo/renewal_feed_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "renewal_channel/static/src/scss/reseller_portal.scss",
            "renewal_channel/static/src/js/reseller_feed_progress.js",
        ],
        "web.assets_tests": [
            "renewal_channel/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
