import { registry } from "@web/core/registry";

// Data come from the Python test (tests/test_portal_tour.py).

function assertFitsTheScreen() {
    const width = document.documentElement.scrollWidth;
    if (width > window.innerWidth) {
        throw new Error(
            `The page is ${width}px wide in a ${window.innerWidth}px window: it scrolls sideways.`
        );
    }
}

registry.category("web_tour.tours").add("renewal_portal_phone", {
    steps: () => [
        {
            content: "On a phone, each contract is a card, colour first",
            trigger: ".o_renewal_card .card-body > .o_renewal_status:first-child",
        },
        {
            content: "The card shows the contract, its next expiry and amount",
            trigger: ".o_renewal_card_highlight:contains(T-AMBER):contains(250.00)",
        },
        {
            content: "The table is for wider screens",
            trigger: "table.o_portal_my_doc_table:not(:visible)",
        },
        {
            content: "Nothing scrolls sideways",
            trigger: ".o_renewal_cards",
            run: assertFitsTheScreen,
        },
        {
            content: "Open the contract of the e-mail",
            trigger: ".o_renewal_card_highlight",
            run: "click",
        },
        {
            content: "The contract page fits the phone too",
            trigger: ".o_renewal_lines",
            run: assertFitsTheScreen,
        },
    ],
});

registry.category("web_tour.tours").add("renewal_portal_desktop", {
    steps: () => [
        {
            content: "On a computer, the contracts are a table",
            trigger: "table.o_portal_my_doc_table tr.o_renewal_highlight",
        },
        {
            content: "The cards are for phones",
            trigger: ".o_renewal_cards:not(:visible)",
        },
        {
            content: "Nothing scrolls sideways",
            trigger: "table.o_portal_my_doc_table",
            run: assertFitsTheScreen,
        },
    ],
});

registry.category("web_tour.tours").add("renewal_portal_french", {
    steps: () => [
        {
            content: "The page is in the customer's language",
            trigger: "html[lang=fr-FR] .o_renewal_legend:contains(Expiré et en retard)",
        },
        {
            content: "Its colours are named in French",
            trigger: ".o_renewal_card_highlight:contains(À renouveler)",
        },
        {
            content: "Dates too",
            trigger: ".o_renewal_card_highlight:contains(/20)",
            run() {
                const text = document.querySelector(".o_renewal_card_highlight").textContent;
                if (!/\b\d{2}\/\d{2}\/\d{4}\b/.test(text)) {
                    throw new Error(`No date in the French format in: ${text}`);
                }
            },
        },
        {
            content: "Open the contract",
            trigger: ".o_renewal_card_highlight",
            run: "click",
        },
        {
            content: "The contract page is in French",
            trigger:
                "html[lang=fr-FR] .o_renewal_part_submit:contains(Renouveler uniquement les lignes cochées)",
        },
    ],
});

registry.category("web_tour.tours").add("renewal_portal_partial", {
    steps: () => [
        {
            content: "Open the contract of the e-mail",
            trigger: "tr.o_renewal_highlight a",
            run: "click",
        },
        {
            content: "Leave the second line out",
            trigger: "tr[data-serial='T-AMBER-SN2'] input.o_renewal_keep",
            run: "click",
        },
        {
            content: "Say why",
            trigger: "tr[data-serial='T-AMBER-SN2'] select.o_renewal_part_reason",
            run: "selectByLabel Tour reason",
        },
        {
            content: "Renew the ticked lines only",
            trigger: "button.o_renewal_part_submit",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".o_renewal_message:contains(the lines you left out are off the renewal)",
        },
        {
            content: "The line left out is black, with its reason",
            trigger:
                "tr.o_renewal_left_out[data-serial='T-AMBER-SN2'] .o_renewal_status_cancelled",
        },
        {
            trigger:
                "tr[data-serial='T-AMBER-SN2'] .o_renewal_left_out_reason:contains(Tour reason)",
        },
        {
            content: "The line kept is still to renew",
            trigger: "tr[data-serial='T-AMBER-SN'] .o_renewal_status_due",
        },
    ],
});
