import { registry } from "@web/core/registry";
import { listView } from "@web/views/list/list_view";
import { ListController } from "@web/views/list/list_controller";
import { RenewalReportFreshness } from "@renewal_reporting/views/freshness/renewal_report_freshness";

export class RenewalReportListController extends ListController {
    static template = "renewal_reporting.ListView";
    static components = { ...ListController.components, RenewalReportFreshness };
}

registry.category("views").add("renewal_report_list", {
    ...listView,
    Controller: RenewalReportListController,
});
