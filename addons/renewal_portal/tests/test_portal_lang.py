import re

from odoo.tests import tagged

from .common import RenewalPortalCase


@tagged("post_install", "-at_install")
class TestPortalLanguage(RenewalPortalCase):
    """A link's page, its messages and the certificate are in the language
    of the person the link was made for; what is said in the chatter for
    the vendor's staff stays in theirs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        # Odoo's and the suite's own shipped translations (i18n/fr.po).
        cls.env["ir.module.module"]._load_module_terms(
            ["web", "portal", "renewal_contracts", "renewal_portal"], ["fr_FR"]
        )
        cls.customer.lang = "fr_FR"

    def html_lang(self, text):
        return re.search(r"<html[^>]* lang=\"([^\"]+)\"", text).group(1)

    def test_customer_link_speaks_french(self):
        contract = self.contracts["SH-A1"]
        page = self.get(self.path_customer).text
        self.assertEqual(self.html_lang(page), "fr-FR")
        # Odoo's own words, in French.
        self.assertIn("Se rendre au contenu", page)
        # Dates as the French write them.
        self.assertIn(contract.date_end.strftime("%d/%m/%Y"), page)
        response = self.post(self.path_customer, contract, action="po", po="PO-77")
        detail = self.get(response.headers["Location"]).text
        self.assertEqual(self.html_lang(detail), "fr-FR")
        # The suite's words and labels, from its shipped French.
        self.assertIn("Votre numéro de bon de commande a été enregistré.", detail)
        self.assertIn("Renouvellements de", page)
        self.assertIn("À renouveler", page)
        # The note in the chatter is for the staff: in English.
        (note,) = contract.message_ids.filtered(lambda m: "PO-77" in m.body)
        self.assertIn("Customer PO number: PO-77", note.body)
        certificate = self.get(
            f"{self.path_customer}/contract/{contract.id}/certificate?report_type=html"
        )
        self.assertEqual(certificate.status_code, 200)
        self.assertEqual(self.html_lang(certificate.text), "fr-FR")

    def test_each_link_in_its_readers_language(self):
        """The sales view is in its holder's language; a language that is not
        active falls back to the site's."""
        page = self.get(self.path_seller).text
        self.assertEqual(self.html_lang(page), "en-US")
        self.assertIn("Skip to Content", page)
        # A language turned off since.
        self.env.cr.execute(
            "UPDATE res_partner SET lang = 'de_DE' WHERE id = %s", [self.customer.id]
        )
        self.customer.invalidate_recordset(["lang"])
        page = self.get(self.path_customer).text
        self.assertEqual(self.html_lang(page), "en-US")
        # A page for an unknown link has no one to speak to: the site's.
        page = self.get("/renewals/" + "x" * 43).text
        self.assertEqual(self.html_lang(page), "en-US")
