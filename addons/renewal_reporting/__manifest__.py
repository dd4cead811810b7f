# Copyright 2026 Renewals Suite Authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Renewal Reporting",
    "summary": "Renewal dashboard, drill-down and channel ranking tables",
    "version": "18.0.2.1.0",
    "category": "Sales/Renewals",
    "website": "https://github.com/renewals-suite/renewals",
    "author": "Renewals Suite Authors",
    "maintainers": ["renewals-suite"],
    "license": "LGPL-3",
    "depends": ["renewal_channel", "spreadsheet_dashboard"],
    "data": [
        "security/ir.model.access.csv",
        "security/renewal_reporting_security.xml",
        "data/spreadsheet_dashboard_group_data.xml",
        "data/ir_cron_data.xml",
        "report/renewal_report_views.xml",
        "report/renewal_ranking_views.xml",
        "report/renewal_report_installed_base_views.xml",
        "wizard/renewal_ranking_wizard_views.xml",
        "data/renewal_dashboard_data.xml",
        "views/renewal_scorecard_templates.xml",
        "views/renewal_reporting_menus.xml",
    ],
    "demo": ["demo/renewal_history_demo.xml"],
    "assets": {
        "web.assets_backend": [
            "renewal_reporting/static/src/views/freshness/*",
            "renewal_reporting/static/src/views/report_list/*",
        ],
        # Beside Odoo's pivot and graph views, loaded lazily.
        "web.assets_backend_lazy": [
            "renewal_reporting/static/src/views/report_pivot_graph/*",
        ],
        "web.assets_tests": ["renewal_reporting/static/tests/tours/*.js"],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
