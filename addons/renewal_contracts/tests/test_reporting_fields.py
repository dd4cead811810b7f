from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .common import TODAY, QuoteCase


@tagged("post_install", "-at_install")
class TestReportingFields(QuoteCase):
    """What the management reports read from the core: the contract's sales
    team, and the days a line was renewed or cancelled."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Team = cls.env["crm.team"]
        cls.north = new_test_user(
            cls.env,
            login="team_north_seller",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        cls.south = new_test_user(
            cls.env,
            login="team_south_seller",
            groups="renewal_contracts.renewal_contracts_group_user",
        )
        cls.team_north = Team.create(
            {"name": "Renewals North", "member_ids": [Command.link(cls.north.id)]}
        )
        cls.team_south = Team.create(
            {"name": "Renewals South", "member_ids": [Command.link(cls.south.id)]}
        )

    def test_team_follows_the_salesperson(self):
        contract = self.make_contract(ends=[30], user_id=self.north.id)
        self.assertEqual(contract.team_id, self.team_north)
        contract.user_id = self.south
        self.assertEqual(contract.team_id, self.team_south)
        # A salesperson in no team: no team.
        contract.user_id = self.user
        self.assertFalse(contract.team_id)
        # Set by hand (or by a feed), it stays.
        other = self.make_contract(
            ends=[30], user_id=self.north.id, team_id=self.team_south.id
        )
        self.assertEqual(other.team_id, self.team_south)

    def test_team_in_the_form(self):
        form = Form(self.env["renewal.contract"])
        form.name = "T-FORM"
        form.partner_id = self.customer
        form.date_end = TODAY
        form.user_id = self.south
        self.assertEqual(form.team_id, self.team_south)
        self.assertEqual(form.save().team_id, self.team_south)

    def test_quotation_takes_the_contract_team(self):
        # The contract's team, even where the salesperson's is another.
        contract = self.make_contract(
            ends=[30], user_id=self.north.id, team_id=self.team_south.id
        )
        order = self.quote(contract)
        self.assertEqual(order.user_id, self.north)
        self.assertEqual(order.team_id, self.team_south)

    def test_renewed_date_on_confirmation(self):
        contract = self.make_contract(ends=[-3, 30])
        order = self.quote(contract)
        self.assertFalse(contract.line_ids.filtered("renewed_date"))
        order.action_confirm()
        renewed = contract.line_ids.filtered("successor_line_id")
        self.assertEqual(len(renewed), 2)
        self.assertEqual(set(renewed.mapped("renewed_date")), {TODAY})
        # The new lines are not renewed yet.
        self.assertFalse(renewed.successor_line_id.filtered("renewed_date"))

    def test_cancel_date(self):
        contract = self.make_contract(ends=[30, 60])
        first, second = contract.line_ids
        first._cancel(self.reason)
        self.assertEqual(first.cancel_date, TODAY)
        self.assertFalse(second.cancel_date)
        self.env["renewal.contract.line"].with_user(self.manager).browse(
            first.id
        ).action_reopen()
        self.assertFalse(first.cancel_date)
