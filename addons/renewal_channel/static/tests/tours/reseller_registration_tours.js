import { registry } from "@web/core/registry";

// A reseller's renewals manager registers one product by the form, sees it
// among the registrations and the installed products, then uploads a file
// with a bad row: nothing of it is registered, the row is named.
const FILE = [
    "product_code,serial_number,purchase_date,contact_name,contact_email",
    "RS-1,TOUR-REG-2,2026-01-05,Dirk Data,it@dirk.example",
    "RS-1,TOUR-REG-3,not a date,Dirk Data,it@dirk.example",
].join("\n");

registry.category("web_tour.tours").add("renewal_reseller_register_products", {
    steps: () => [
        {
            content: "Open Register Products from the portal's home",
            trigger: "#portal_reseller_category a[href='/my/register-products']",
            run: "click",
        },
        {
            content: "The product code",
            trigger: "form.o_reseller_register_form input[name=product_code]",
            run: "edit RS-1",
        },
        {
            content: "The serial number",
            trigger: "form.o_reseller_register_form input[name=serial_number]",
            run: "edit TOUR-REG-1",
        },
        {
            content: "The end customer's contact",
            trigger: "form.o_reseller_register_form input[name=contact_name]",
            run: "edit Carla Care",
        },
        {
            content: "Their e-mail address",
            trigger: "form.o_reseller_register_form input[name=contact_email]",
            run: "edit carla@cora-care.example",
        },
        {
            content: "Register",
            trigger: "button.o_reseller_register_submit",
            run: "click",
        },
        {
            content: "Registered, among the registrations",
            trigger: ".o_reseller_message",
        },
        {
            content: "The registration's row",
            trigger: ".o_reseller_registration_row[data-serial='TOUR-REG-1'][data-state='done']",
        },
        {
            content: "To the installed products",
            trigger: ".o_portal_submenu a[href='/my/installed-products']",
            run: "click",
        },
        {
            content: "The product, with its coverage",
            trigger: ".o_reseller_installed_row[data-serial='TOUR-REG-1'] .o_reseller_coverage",
        },
        {
            content: "Register more, from a file",
            trigger: "a[href='/my/register-products']",
            run: "click",
        },
        {
            content: "Choose the file",
            trigger: "form.o_reseller_register_upload input[type=file]",
            run() {
                const transfer = new DataTransfer();
                transfer.items.add(new File([FILE], "tour_products.csv", { type: "text/csv" }));
                this.anchor.files = transfer.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Upload it",
            trigger: "button.o_reseller_register_upload_submit",
            run: "click",
        },
        {
            content: "Row 3's purchase date is refused: nothing was registered",
            trigger: ".o_reseller_register_row_error[data-row='3'][data-field='purchase_date']",
        },
    ],
});
