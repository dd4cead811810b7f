import { registry } from "@web/core/registry";

// The file a reseller's renewals manager uploads, in the layout of the
// test's feed source (tests/test_reseller_portal_tour.py): two rows to
// import, one with a product code the vendor does not know.
const FEED = [
    "Serial,Contract,Customer,Product,Start,End,Price",
    "TOUR-SN1,TOUR-C1,Cora Care,RS-1,2026-01-01,2026-12-31,100.00",
    "TOUR-SN2,TOUR-C2,Dirk Data,RS-1,2026-01-01,2026-12-31,120.00",
    "TOUR-SN3,TOUR-C3,Dirk Data,NOPE-1,2026-01-01,2026-12-31,90.00",
].join("\n");

registry.category("web_tour.tours").add("renewal_reseller_feed_upload", {
    steps: () => [
        {
            content: "Open the contract feeds from the portal's home",
            trigger: "#portal_reseller_category a[href='/my/feeds']",
            run: "click",
        },
        {
            content: "Choose the file to upload",
            trigger: ".o_reseller_feed_source[data-source='Alpha feed'] input[type=file]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(new File([FEED], "tour_feed.csv", { type: "text/csv" }));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Check it first: a dry run",
            trigger: ".o_reseller_feed_source[data-source='Alpha feed'] button.o_reseller_feed_check",
            run: "click",
        },
        {
            content: "The dry run's result: nothing written yet",
            trigger: ".o_reseller_import_state_checked",
        },
        {
            content: "Two contracts would be created",
            trigger: ".o_reseller_count_created .fs-4:contains(2)",
        },
        {
            content: "One row is rejected, with the reason",
            trigger: ".o_reseller_rejected_row:contains(NOPE-1):contains(Unknown product code)",
        },
        {
            content: "The rejected rows can be downloaded",
            trigger: "a.o_reseller_rejected_csv",
        },
        {
            content: "Import the file",
            trigger: "button.o_reseller_import_run",
            run: "click",
        },
        {
            content: "The import runs in the background; the page follows it",
            trigger: ".o_reseller_feed_progress .progress-bar",
        },
        {
            content: "The page shows the import done, once its parts have run",
            trigger: ".o_reseller_import_state_done",
            timeout: 30000,
        },
        {
            content: "Its counts",
            trigger: ".o_reseller_count_created .fs-4:contains(2)",
        },
        {
            content: "And its rejected row",
            trigger: ".o_reseller_rejected_row:contains(NOPE-1)",
        },
        {
            content: "Back to the feeds: the import is listed",
            trigger: ".breadcrumb a[href='/my/feeds']",
            run: "click",
        },
        {
            content: "Listed as done",
            trigger: "tr.o_reseller_import_row[data-import='tour_feed.csv'] .o_reseller_import_state_done",
        },
    ],
});
