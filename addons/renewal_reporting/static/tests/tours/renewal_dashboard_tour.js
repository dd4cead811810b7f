import { registry } from "@web/core/registry";

// A Renewals Manager opens Dashboards > Renewals on the demo history
// (tests/test_dashboard_tour.py), sees it rendered with figures, then opens
// the renewal analysis pivot behind a block.
registry.category("web_tour.tours").add("renewal_reporting_dashboard", {
    url: "/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action",
    steps: () => [
        {
            content: "The Renewals section of the Dashboards app",
            trigger: ".o_search_panel_section header:contains(Renewals)",
        },
        {
            content: "Open the Renewals dashboard",
            trigger: "li.o_search_panel_category_value[data-name=Renewals]",
            run: "click",
        },
        {
            content: "The spreadsheet is drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-grid canvas",
        },
        {
            content: "Its global filters, the period first",
            trigger: ".o_control_panel .o-filter-value[title=Period]",
        },
        {
            content: "The five scorecards",
            trigger: ".o_spreadsheet_dashboard_action .o-figure:eq(4)",
        },
        {
            content: "The pivots have answered: their figures are clickable",
            trigger: ".o_spreadsheet_dashboard_action .o-dashboard-clickable-cell:eq(40)",
        },
        {
            content: "Open the pivot behind the first block",
            trigger: ".o_spreadsheet_dashboard_action .o-dashboard-clickable-cell:first",
            run: "click",
        },
        {
            content: "The renewal analysis pivot, with figures",
            trigger: ".o_pivot_view .o_pivot td.o_pivot_cell_value:not(:empty)",
        },
        {
            content: "The pivot says as of when its figures are",
            trigger: ".o_pivot_view .o_renewal_report_freshness:contains(Figures as of)",
        },
    ],
});
