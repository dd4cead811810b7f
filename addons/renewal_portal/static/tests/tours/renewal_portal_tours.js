import { registry } from "@web/core/registry";

// Data come from the Python test (tests/test_portal_tour.py).
registry.category("web_tour.tours").add("renewal_portal_customer", {
    steps: () => [
        {
            content: "Red: expired and overdue",
            trigger: ".o_renewal_row .o_renewal_status_overdue.text-bg-danger",
        },
        {
            content: "Amber: due for renewal soon",
            trigger: ".o_renewal_row .o_renewal_status_due.text-bg-warning",
        },
        {
            content: "Green: live",
            trigger: ".o_renewal_row .o_renewal_status_live.text-bg-success",
        },
        {
            content: "Black: cancelled",
            trigger: ".o_renewal_row .o_renewal_status_cancelled.text-bg-dark",
        },
        {
            content: "Open the contract the e-mail was about",
            trigger: "tr.o_renewal_highlight a",
            run: "click",
        },
        {
            content: "Say when to call",
            trigger: ".o_renewal_customer_actions textarea[name=note]",
            run: "edit Tomorrow after 3pm",
        },
        {
            content: "Request a call-back",
            trigger: "button.o_renewal_callback",
            run: "click",
        },
        {
            content: "The call-back is confirmed",
            trigger: ".o_renewal_message:contains(We will call you back)",
        },
        {
            content: "Accept the renewal quotation",
            trigger: "a.o_renewal_accept",
            run: "click",
        },
        {
            content: "Odoo's own quotation page: accept and sign",
            trigger: "a[data-bs-target='#modalaccept']:visible",
            run: "click",
        },
        {
            content: "The name is filled in from the customer",
            trigger: ".modal .o_web_sign_name_and_signature input:value(Tour Customer Ltd)",
        },
        {
            content: "The signature is drawn from the name",
            trigger: ".modal .o_web_sign_signature",
            run: async () => {
                // The auto signature is drawn once its font has loaded.
                await new Promise((resolve) => setTimeout(resolve, 1000));
            },
        },
        {
            content: "Accept and sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "The quotation is accepted",
            trigger: '#quote_content:contains("Thank You")',
        },
        {
            // The page loads its chatter last: end the tour once it has, so
            // that no request is left in flight when the browser closes.
            content: "The order's messages are shown",
            trigger: "#chatterRoot:shadow .o-mail-Message",
        },
    ],
});

registry.category("web_tour.tours").add("renewal_portal_sales", {
    steps: () => [
        {
            content: "The sales view says so",
            trigger: ".o_renewal_sales_view",
        },
        {
            content: "Open the contract",
            trigger: "tr.o_renewal_highlight a",
            run: "click",
        },
        {
            content: "Amend the renewal price",
            trigger: ".o_renewal_amend_line input[name=renewal_price]",
            run: "edit 777",
        },
        {
            content: "Save",
            trigger: ".o_renewal_amend_line button[type=submit]",
            run: "click",
        },
        {
            content: "Saved, and the new price shows",
            trigger: ".o_renewal_message:contains(Saved.)",
        },
        {
            trigger: ".o_renewal_lines td:contains(777.00)",
        },
    ],
});
