import { registry } from "@web/core/registry";

// A Renewals Manager opens Reporting > Installed Base on the demo data
// (tests/test_installed_base_tour.py): the pivot with its attach rate, the
// graph, the list, and from a row the installed product behind it.
registry.category("web_tour.tours").add("renewal_reporting_installed_base", {
    url: "/odoo/action-renewal_reporting.renewal_report_installed_base_action",
    steps: () => [
        {
            content: "The pivot, with figures",
            trigger: ".o_pivot_view .o_pivot td.o_pivot_cell_value:not(:empty)",
        },
        {
            content: "Its measures: the attach rate among them",
            trigger: ".o_pivot_view .o_pivot th:contains(Attach Rate (%))",
        },
        {
            content: "Its columns: the coverage states",
            trigger: ".o_pivot_view .o_pivot th:contains(Covered)",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph is drawn",
            trigger: ".o_graph_view .o_graph_canvas_container canvas",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the first row's installed product",
            trigger: ".o_list_view .o_data_row:first .o_data_cell:first",
            run: "click",
        },
        {
            content: "The installed product's form",
            trigger: ".o_form_view .o_field_widget[name=serial_number]",
        },
    ],
});
