import re

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_reseller_portal import ResellerPortalCase

ROW_RE = re.compile(r'class="o_renewal_row[^"]*"\s+data-contract="([^"]+)"')
VENDOR_HEADER = "/logo.png?company="

BRANDED_PAGE_CHECK = """
const fail = (what) => { throw new Error("Branded page: " + what); };
const text = (selector) => document.querySelector(selector)?.textContent || "";
if (!text(".o_renewal_brand_header .o_renewal_brand_name").includes("Alpha Resell"))
    fail("no brand name");
const logo = document.querySelector("img.o_renewal_brand_logo");
if (!logo || !logo.src.startsWith("data:image/")) fail("no logo");
if (!text(".o_renewal_brand_contact_name").includes("Sam Seller")) fail("no contact");
if (document.querySelector("header#top")) fail("the vendor's header is there");
const footer = document.querySelector("footer.o_renewal_brand_footer");
const colour = getComputedStyle(footer).backgroundColor;
if (colour !== "rgb(46, 139, 87)") fail("footer colour " + colour);
if (!footer.textContent.includes("Keizersgracht 1")) fail("no address");
const rows = [...document.querySelectorAll("tr.o_renewal_row")].map(
    (row) => row.dataset.contract
);
if (rows.sort().join() !== "AL-1,AL-2,VD-1") fail("contracts " + rows.join());
console.log("test successful");
"""


@tagged("post_install", "-at_install")
class TestResellerBrand(ResellerPortalCase):
    """A customer's renewal page in the reseller's brand when the link came
    in that brand (a reseller-branded notice, a reseller's portal, a
    contract published in the reseller's name), in the vendor's otherwise;
    both list all the customer's contracts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Link = cls.env["renewal.portal.link"]
        base = cls.env["ir.config_parameter"].get_param("web.base.url")
        cls.link_brand, url = Link._issue(
            cls.customer_cora, "customer", contract=cls.contracts["AL-1"]
        )
        cls.path_brand = url.removeprefix(base)
        cls.link_vendor, url = Link._issue(
            cls.customer_cora, "customer", contract=cls.contracts["VD-1"]
        )
        cls.path_vendor = url.removeprefix(base)

    def token(self, url):
        return url.rsplit("/renewals/", 1)[1]

    def page(self, path):
        response = self.url_open(path, allow_redirects=False)
        self.assertEqual(response.status_code, 200)
        return response.text

    def test_link_brand_follows_the_contract(self):
        self.assertEqual(self.link_brand.brand_partner_id, self.alpha)
        self.assertEqual(self.link_brand.brand_contact_id, self.alpha_seller)
        self.assertEqual(self.link_brand.channel_partner_id, self.alpha)
        self.assertEqual(self.link_vendor.brand_partner_id, self.company.partner_id)
        self.assertFalse(self.link_vendor.channel_partner_id)
        self.assertEqual(self.link_vendor._renewal_brand_values(), {})
        # The back office's Customer Link button too.
        action = (
            self.contracts["AL-2"].with_user(self.staff).action_issue_customer_link()
        )
        url = action["params"]["message"]
        link = self.env["renewal.portal.link"]._find(self.token(url))
        self.assertEqual(link.brand_partner_id, self.alpha)

    def test_notice_links_carry_the_notice_brand(self):
        """Each notice's links show the notice's brand, even where the
        contract's own setting has changed since the notice was made."""
        self.contracts["AL-2"].publish_in_reseller_name = False
        Notice = self.env["renewal.notice"].sudo()

        def notice(contract, brand, role="customer", recipient=None):
            return Notice.create(
                {
                    "name": f"Notice {contract.name}",
                    "role": role,
                    "company_id": self.company.id,
                    "partner_id": (recipient or contract.partner_id).id,
                    "customer_id": contract.partner_id.id,
                    "date": self.today,
                    "brand_partner_id": brand.id,
                    "line_ids": [
                        Command.create(
                            {
                                "contract_id": contract.id,
                                "role": role,
                                "offset_days": -30,
                                "period_end": contract.next_expiry_date,
                            }
                        )
                    ],
                }
            )

        reseller_notice = notice(self.contracts["AL-2"], self.alpha)
        vendor_notice = notice(self.contracts["VD-1"], self.company.partner_id)
        sales_notice = notice(
            self.contracts["AL-1"], self.alpha, "sales", recipient=self.alpha_seller
        )
        urls = (reseller_notice | vendor_notice | sales_notice)._notice_urls()
        Link = self.env["renewal.portal.link"]
        reseller_link = Link._find(self.token(urls[reseller_notice.id]["portal"]))
        self.assertEqual(reseller_link.contract_id, self.contracts["AL-2"])
        self.assertEqual(reseller_link.brand_partner_id, self.alpha)
        self.assertEqual(reseller_link.channel_partner_id, self.alpha)
        self.assertTrue(reseller_link._renewal_brand_values())
        vendor_link = Link._find(self.token(urls[vendor_notice.id]["portal"]))
        self.assertEqual(vendor_link.brand_partner_id, self.company.partner_id)
        self.assertFalse(vendor_link._renewal_brand_values())
        sales_link = Link._find(self.token(urls[sales_notice.id]["sales"]))
        self.assertEqual(
            (sales_link.scope, sales_link.brand_partner_id), ("sales", self.alpha)
        )
        self.assertEqual(sales_link.brand_contact_id, self.alpha_seller)
        # The page of the reseller's notice is in its brand.
        self.assertIn(
            "o_renewal_brand_header", self.page(urls[reseller_notice.id]["portal"])
        )

    def test_branded_and_vendor_pages(self):
        branded = self.page(self.path_brand)
        self.assertIn('class="o_renewal_branded"', branded)
        self.assertIn("--renewal-brand-primary: #2e8b57;", branded)
        self.assertIn("--renewal-brand-secondary: #212529;", branded)
        self.assertIn(
            'class="o_renewal_brand_logo" src="data:image/png;base64,', branded
        )
        self.assertIn("Sam Seller", branded)
        self.assertIn("sam@alpha.example", branded)
        self.assertIn("Keizersgracht 1", branded)
        self.assertIn('href="https://alpha.example"', branded)
        self.assertIn("<title>Alpha Resell BV | Cora Care</title>", branded)
        self.assertNotIn(VENDOR_HEADER, branded)
        self.assertNotIn("o_footer_copyright", branded)
        vendor = self.page(self.path_vendor)
        self.assertIn(VENDOR_HEADER, vendor)
        self.assertNotIn("o_renewal_brand", vendor)
        self.assertNotIn("Alpha Resell BV</div>", vendor)
        # Both list all of Cora's contracts.
        for page in (branded, vendor):
            self.assertEqual(set(ROW_RE.findall(page)), {"AL-1", "AL-2", "VD-1"})
        # A contract's page keeps the link's brand, whichever contract.
        contract_page = self.page(
            f"{self.path_brand}/contract/{self.contracts['VD-1'].id}"
        )
        self.assertIn("o_renewal_brand_header", contract_page)
        self.assertIn(
            "o_renewal_brand_header", self.page(f"{self.path_brand}/unsubscribe")
        )
        self.assertNotIn(
            "o_renewal_brand_header",
            self.page(f"{self.path_vendor}/contract/{self.contracts['AL-1'].id}"),
        )

    def test_brand_colours(self):
        with self.assertRaisesRegex(
            ValidationError, "Brand Primary Colour: red is not a colour"
        ):
            self.alpha.renewal_brand_primary_color = "red"
        with self.assertRaises(ValidationError):
            self.alpha.renewal_brand_secondary_color = "#fff; background: url(x)"
        # Empty: the company's colours.
        self.alpha.write(
            {
                "renewal_brand_primary_color": False,
                "renewal_brand_secondary_color": "#ABC",
            }
        )
        self.assertEqual(
            self.alpha._renewal_brand_colors(self.company), ("#123456", "#aabbcc")
        )
        self.assertIn("--renewal-brand-primary: #123456;", self.page(self.path_brand))
        # A value that slipped past the check never reaches the page.
        self.env.cr.execute(
            "UPDATE res_partner SET renewal_brand_primary_color = %s WHERE id = %s",
            ["red;}</style><script>alert(1)</script>", self.alpha.id],
        )
        self.alpha.invalidate_recordset()
        page = self.page(self.path_brand)
        self.assertIn("--renewal-brand-primary: #123456;", page)
        self.assertNotIn("<script>alert(1)", page)

    def test_brand_text_is_escaped(self):
        self.alpha.write(
            {
                "name": "Alpha <script>alert(1)</script>",
                "website": "javascript:alert(1)",
            }
        )
        self.alpha_seller.name = "Sam <img src=x onerror=alert(1)>"
        page = self.page(self.path_brand)
        self.assertNotIn("<script>alert(1)", page)
        self.assertNotIn("<img src=x", page)
        self.assertIn("Alpha &lt;script&gt;alert(1)&lt;/script&gt;", page)
        self.assertIn("Sam &lt;img src=x onerror=alert(1)&gt;", page)
        self.assertNotIn("javascript:alert", page)

    def test_branded_page_in_a_browser(self):
        """The branded page as a customer's browser shows it: the brand's
        header, contact, colours (as the stylesheet applies them) and
        footer, and all the customer's contracts."""
        self.browser_js(self.path_brand, BRANDED_PAGE_CHECK, login=None)
