from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TODAY, RenewalCase

# Renewal models without company data, and why.
COMPANY_FREE = {
    "renewal.service.level": "A catalogue shared by every company, as product "
    "categories are: feeds of any company name the same levels.",
    "renewal.cancel.reason": "A vocabulary shared by every company: the same "
    "reasons everywhere, translated once.",
}

# Models whose company B records the fixture makes: the walk must reach
# these at least (another addon's models are walked when it makes some).
CORE = {
    "renewal.contract",
    "renewal.contract.line",
    "renewal.notice",
    "renewal.notice.line",
    "renewal.notice.step",
    "renewal.status.refresh",
    "renewal.installed.product",
    "renewal.registration",
}


def renewal_models(env):
    """Every renewal model stored in its own table."""
    return sorted(
        name
        for name, model in env.registry.items()
        if name.startswith("renewal.")
        and not model._transient
        and not model._abstract
        and model._auto
    )


@tagged("post_install", "-at_install")
class TestCompanyRules(RenewalCase):
    """Every renewal model with company data carries its company and a rule:
    a user or manager of company A reaches none of company B's records."""

    # The models the fixture fills in company B (an addon's subclass adds
    # its own with ``_make_company_b_records``).
    filled = CORE

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.USD").active = True
        cls.company_b = cls.env["res.company"].create(
            {"name": "Vendor B", "email": "b@vendor-b.example"}
        )
        in_b = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.company_b.ids)
        )
        customer_b = cls.env["res.partner"].create(
            {
                "name": "Bravo Kunde GmbH",
                "is_company": True,
                "email": "it@bravo.example",
            }
        )
        cls.make_contract(
            ends=[90],
            name="B-C1",
            partner_id=customer_b.id,
            company_id=cls.company_b.id,
        )
        product_b = cls.env["product.product"].create({"name": "Router B"})
        cls.env["renewal.registration"].with_env(in_b)._register_products(
            [
                {
                    "product_id": product_b.id,
                    "serial_number": "RB-1",
                    "partner_id": customer_b.id,
                }
            ],
            "back_office",
        )
        cls._make_company_b_records(in_b)
        Notice = cls.env["renewal.notice"].with_env(in_b)
        Notice._run(today=TODAY, companies=cls.company_b)
        cls.env["renewal.contract"]._refresh_status(companies=cls.company_b)
        cls.manager_ab = new_test_user(
            cls.env,
            login="renewal_company_manager_ab",
            groups="renewal_contracts.renewal_contracts_group_manager",
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
        )

    @classmethod
    def _make_company_b_records(cls, in_b):
        """Records of company B beyond the contracts and notices, made in the
        environment ``in_b`` of a user working in company B."""

    def test_every_renewal_model_has_a_company_rule(self):
        Rule = self.env["ir.rule"].sudo()
        names = renewal_models(self.env)
        self.assertLessEqual(self.filled | set(COMPANY_FREE), set(names))
        for name in names:
            with self.subTest(model=name):
                if name in COMPANY_FREE:
                    self.assertNotIn("company_id", self.env[name]._fields)
                    continue
                field = self.env[name]._fields.get("company_id")
                self.assertTrue(field and field.store, f"{name} stores no company")
                rules = Rule.search(
                    [("model_id.model", "=", name), ("global", "=", True)]
                )
                self.assertIn(
                    "[('company_id', 'in', company_ids)]",
                    rules.mapped("domain_force"),
                    f"{name} has no company rule",
                )

    def test_other_company_records_are_out_of_reach(self):
        checked = set()
        for name in renewal_models(self.env):
            if name in COMPANY_FREE:
                continue
            records = (
                self.env[name].sudo().search([("company_id", "=", self.company_b.id)])
            )
            if not records:
                continue
            checked.add(name)
            for user in (self.user, self.manager):
                Model = self.env[name].with_user(user)
                with self.subTest(model=name, user=user.login):
                    if Model.has_access("read"):
                        self.assertFalse(Model.search([("id", "in", records.ids)]))
                    for operation in ("read", "write", "unlink"):
                        with self.assertRaises(AccessError, msg=operation):
                            records.with_user(user).check_access(operation)
            # The records are there for a manager working in company B.
            both = (
                self.env[name]
                .with_user(self.manager_ab)
                .with_context(allowed_company_ids=self.company_b.ids)
            )
            if both.has_access("read"):
                self.assertEqual(both.search([("id", "in", records.ids)]), records)
        self.assertLessEqual(self.filled, checked)
