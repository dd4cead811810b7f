import hashlib

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common_partner_api import PartnerApiFixture


@tagged("post_install", "-at_install")
class TestApiKeys(PartnerApiFixture, TransactionCase):
    """Keys are stored as digests, shown once, revocable at once, and issued
    only by those allowed to."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.setup_partner_api()
        cls.renewal_manager = new_test_user(
            cls.env,
            login="api_renewal_manager",
            groups="renewal_contracts.renewal_contracts_group_manager",
        )
        cls.Key = cls.env["auth.api.key"]

    def lookup(self, key):
        return self.Key.sudo()._retrieve_api_key(key)

    def test_key_is_stored_as_its_digest(self):
        record = self.key_a_record.sudo()
        self.assertTrue(self.key_a.startswith("rnwk_"))
        self.assertGreaterEqual(len(self.key_a), 40)
        self.assertEqual(record.key, hashlib.sha256(self.key_a.encode()).hexdigest())
        self.assertNotIn(self.key_a, record.key)
        self.assertEqual(record.key_hint, self.key_a[:9] + "…")
        self.assertEqual(self.lookup(self.key_a), record)
        # Two keys are never the same.
        _other, second = self.Key._renewal_issue(self.manager_a, "Second")
        self.assertNotEqual(second, self.key_a)

    def test_portal_user_cannot_read_the_digest_or_move_a_key(self):
        as_portal = self.key_a_record.with_user(self.manager_a)
        self.assertEqual(as_portal.name, "ERP A")
        with self.assertRaises(AccessError):
            as_portal.read(["key"])
        with self.assertRaises(AccessError):
            as_portal.write({"user_id": self.manager_b.id})
        # Another manager's key is out of reach.
        with self.assertRaises(AccessError):
            self.key_a_record.with_user(self.manager_b).read(["name"])
        with self.assertRaises(AccessError):
            self.key_a_record.with_user(self.manager_b).action_revoke()

    def test_renewal_manager_cannot_move_a_key_to_another_user(self):
        with self.assertRaises(AccessError):
            self.key_a_record.with_user(self.renewal_manager).write(
                {"user_id": self.env.ref("base.user_admin").id}
            )

    def test_revoke_stops_the_key_at_once(self):
        self.assertEqual(self.lookup(self.key_a), self.key_a_record)  # cached now
        self.key_a_record.with_user(self.manager_a).action_revoke()
        self.assertFalse(self.key_a_record.active)
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.lookup(self.key_a)
        self.assertIn(
            "Key revoked by",
            self.key_a_record.sudo().message_ids[:1].body,
        )

    def test_deleting_a_key_stops_it(self):
        _record, key = self.Key._renewal_issue(self.manager_a, "Temporary")
        record = self.lookup(key)
        record.sudo().unlink()
        with self.assertRaises(ValidationError):
            self.lookup(key)

    def test_wrong_key_message_does_not_echo_it(self):
        with self.assertRaises(ValidationError) as caught:
            self.lookup("rnwk_guess")
        self.assertNotIn("rnwk_guess", str(caught.exception))

    def test_who_may_hold_and_issue_keys(self):
        # A reseller's salesperson (not its renewals manager) may not hold one.
        with self.assertRaisesRegex(UserError, "may not use the partner API"):
            self.Key._renewal_issue(self.seller_a, "Nope")
        # A portal manager issues their own key, not someone else's.
        self.Key.with_user(self.manager_a)._renewal_issue(self.manager_a, "Own")
        with self.assertRaises(AccessError):
            self.Key.with_user(self.manager_a)._renewal_issue(self.manager_b, "Theirs")
        # A Renewals Manager issues keys for partners, never for an internal
        # user (the key would act as that user).
        self.Key.with_user(self.renewal_manager)._renewal_issue(self.manager_b, "B2")
        with self.assertRaises(AccessError):
            self.Key.with_user(self.renewal_manager)._renewal_issue(
                self.env.ref("base.user_admin"), "Admin"
            )

    def test_request_check_follows_the_user_rule(self):
        """Each request checks its caller in one query; it must say what
        ``_renewal_api_allowed`` says, for every kind of user and after each
        change that withdraws the right."""
        Key = self.Key.sudo()
        Key.search([("user_id", "=", self.seller_a.id)]).unlink()
        seller_key = Key.create(
            {
                "name": "Seller A (not through the issue method)",
                "user_id": self.seller_a.id,
                "key": "seller-a-key",
                "auth_api_key_group_ids": [
                    (
                        4,
                        self.env.ref(
                            "renewal_channel.renewal_partner_api_key_group"
                        ).id,
                    )
                ],
            }
        )
        internal_record, _key = Key._renewal_issue(self.renewal_manager, "Staff")

        def check(record, user):
            caller = Key._renewal_partner_caller(record.id)
            allowed = user.active and user._renewal_api_allowed()
            self.assertEqual(bool(caller and caller[1]), bool(allowed), user.login)
            if caller:
                self.assertEqual(caller[0], user.id)
                self.assertEqual(caller[3], user.partner_id.commercial_partner_id.id)

        cases = [
            (self.key_a_record, self.manager_a),
            (seller_key, self.seller_a),
            (internal_record, self.renewal_manager),
        ]
        for record, user in cases:
            check(record, user)
        self.assertTrue(Key._renewal_partner_caller(self.key_a_record.id)[1])
        self.assertFalse(Key._renewal_partner_caller(seller_key.id)[1])
        # Withdrawn in each way: the flag, the partner's channel role, the
        # user archived, the key out of the partner API's group.
        self.manager_a.partner_id.renewal_reseller_manager = False
        check(self.key_a_record, self.manager_a)
        self.manager_a.partner_id.renewal_reseller_manager = True
        self.reseller_a.is_renewal_reseller = False
        check(self.key_a_record, self.manager_a)
        self.assertFalse(Key._renewal_partner_caller(self.key_a_record.id)[1])
        self.reseller_a.is_renewal_reseller = True
        check(self.key_a_record, self.manager_a)
        self.manager_a.active = False
        self.assertIsNone(Key._renewal_partner_caller(self.key_a_record.id))
        self.manager_a.active = True
        self.key_a_record.auth_api_key_group_ids = False
        self.assertIsNone(Key._renewal_partner_caller(self.key_a_record.id))

    def test_issue_wizard_shows_the_key_once(self):
        wizard = (
            self.env["auth.api.key.issue"]
            .with_user(self.renewal_manager)
            .create({"user_id": self.manager_b.id, "name": "From the back office"})
        )
        action = wizard.action_issue()
        shown = action["params"]["message"]
        self.assertTrue(shown.startswith("rnwk_"))
        record = self.lookup(shown)
        self.assertEqual(record.user_id, self.manager_b)
        self.assertTrue(record.is_renewal_partner_key)
        # Nothing stored holds the key.
        self.assertNotIn(shown, str(wizard.read()[0]))
        self.assertNotEqual(record.sudo().key, shown)
