import { registry } from "@web/core/registry";

// Data come from the Python test (tests/test_register_tour.py).

function daysAgo(days) {
    const date = new Date(Date.now() - days * 24 * 3600 * 1000);
    return date.toISOString().slice(0, 10);
}

// From the customer's renewal page: register a product, get a serial
// number wrong, correct it, and find the product on the page.
registry.category("web_tour.tours").add("renewal_portal_register", {
    steps: () => [
        {
            content: "Nothing registered yet",
            trigger: ".o_renewal_installed .o_renewal_installed_empty",
        },
        {
            content: "Register a product",
            trigger: "a.o_renewal_register_link",
            run: "click",
        },
        {
            content: "The form knows who the customer is",
            trigger: ".o_renewal_register_for:contains(Tour Register Customer)",
        },
        {
            content: "Choose the product",
            trigger: "select[name=product_id]",
            run: "selectByLabel Tour Router",
        },
        {
            content: "Type a serial number that does not fit the product's pattern",
            trigger: "input[name=serial_number]",
            run: "edit TR-12",
        },
        {
            content: "Bought a month ago",
            trigger: "input[name=purchase_date]",
            run(helpers) {
                helpers.anchor.value = daysAgo(30);
            },
        },
        {
            content: "Where",
            trigger: "input[name=where_bought]",
            run: "edit Tour Reseller",
        },
        {
            content: "Register",
            trigger: "button.o_renewal_register_submit",
            run: "click",
        },
        {
            content: "The serial number is refused, next to its field",
            trigger:
                ".o_renewal_register_field_serial_number .o_renewal_field_error:contains(TR-12)",
        },
        {
            content: "What was typed is kept",
            trigger: "select[name=product_id]:has(option:selected:contains(Tour Router))",
        },
        {
            content: "Correct the serial number",
            trigger: "input[name=serial_number].is-invalid",
            run: "edit TR-4242",
        },
        {
            content: "Register again",
            trigger: "button.o_renewal_register_submit",
            run: "click",
        },
        {
            content: "Back on the renewal page: registered",
            trigger: ".o_renewal_installed .o_renewal_registered",
        },
        {
            content: "The product is listed, under warranty",
            trigger:
                ".o_renewal_installed_row[data-serial=TR-4242]:contains(Tour Router) .o_renewal_coverage_warranty",
        },
    ],
});

// The public page: no login, the contact typed in.
registry.category("web_tour.tours").add("renewal_portal_register_public", {
    steps: () => [
        {
            content: "Choose the product",
            trigger: "select[name=product_id]",
            run: "selectByLabel Tour Router",
        },
        {
            content: "Serial number",
            trigger: "input[name=serial_number]",
            run: "edit TR-5151",
        },
        {
            content: "Bought last week",
            trigger: "input[name=purchase_date]",
            run(helpers) {
                helpers.anchor.value = daysAgo(7);
            },
        },
        {
            content: "Name",
            trigger: "input[name=name]",
            run: "edit Tina Tour",
        },
        {
            content: "E-mail",
            trigger: "input[name=email]",
            run: "edit tina@tour-register.example",
        },
        {
            content: "Country",
            trigger: "select[name=country_code]",
            run: "select BE",
        },
        {
            content: "Register",
            trigger: "button.o_renewal_register_submit",
            run: "click",
        },
        {
            content: "Registered, with an e-mail to confirm",
            trigger: ".o_renewal_registered.alert-success",
        },
    ],
});
