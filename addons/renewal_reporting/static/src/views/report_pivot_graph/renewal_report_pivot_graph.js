import { registry } from "@web/core/registry";
import { graphView } from "@web/views/graph/graph_view";
import { GraphController } from "@web/views/graph/graph_controller";
import { pivotView } from "@web/views/pivot/pivot_view";
import { PivotController } from "@web/views/pivot/pivot_controller";
import { RenewalReportFreshness } from "@renewal_reporting/views/freshness/renewal_report_freshness";

// In Odoo's lazy bundle, as the pivot and graph views they extend.

export class RenewalReportPivotController extends PivotController {
    static template = "renewal_reporting.PivotView";
    static components = { ...PivotController.components, RenewalReportFreshness };
}

export class RenewalReportGraphController extends GraphController {
    static template = "renewal_reporting.GraphView";
    static components = { ...GraphController.components, RenewalReportFreshness };
}

registry.category("views").add("renewal_report_pivot", {
    ...pivotView,
    Controller: RenewalReportPivotController,
});
registry.category("views").add("renewal_report_graph", {
    ...graphView,
    Controller: RenewalReportGraphController,
});
