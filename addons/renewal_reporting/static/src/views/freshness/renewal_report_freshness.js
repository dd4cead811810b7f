import { Component, onWillStart, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";

/**
 * How fresh the figures of the renewal analysis are (it is read from a
 * materialized view): "Figures as of ...", from renewal.report's
 * get_report_freshness, above the pivot, the graph and the list.
 */
export class RenewalReportFreshness extends Component {
    static template = "renewal_reporting.RenewalReportFreshness";
    static props = {};

    setup() {
        this.orm = useService("orm");
        this.state = useState({ text: "", stale: false });
        onWillStart(async () => {
            const freshness = await this.orm.call(
                "renewal.report",
                "get_report_freshness",
                []
            );
            Object.assign(this.state, freshness);
        });
    }
}
