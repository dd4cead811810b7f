from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

from ..report.renewal_ranking import PARTY_KINDS


class RenewalRankingWizard(models.TransientModel):
    _name = "renewal.ranking.wizard"
    _description = "Renewal Ranking Period"

    date_from = fields.Date(
        string="Due From",
        required=True,
        default=lambda self: self._default_date_to() - relativedelta(years=1, days=-1),
    )
    date_to = fields.Date(
        string="Due To", required=True, default=lambda self: self._default_date_to()
    )
    party_kind = fields.Selection(
        PARTY_KINDS, string="Rank", required=True, default="reseller"
    )

    @api.model
    def _default_date_to(self):
        return fields.Date.context_today(self)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise ValidationError(
                    self.env._(
                        "The ranking period ends (%(end)s) before it starts "
                        "(%(start)s).",
                        end=wizard.date_to,
                        start=wizard.date_from,
                    )
                )

    def action_open(self):
        """The ranking table of the chosen kind of party over the period."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "renewal_reporting.renewal_ranking_action"
        )
        kind_label = dict(self._fields["party_kind"]._description_selection(self.env))[
            self.party_kind
        ]
        action["name"] = self.env._(
            "%(kind)s: renewals due %(start)s to %(end)s",
            kind=kind_label,
            start=format_date(self.env, self.date_from),
            end=format_date(self.env, self.date_to),
        )
        action["domain"] = [("party_kind", "=", self.party_kind)]
        action["context"] = {
            "renewal_ranking_date_from": fields.Date.to_string(self.date_from),
            "renewal_ranking_date_to": fields.Date.to_string(self.date_to),
            "renewal_ranking_party_kind": self.party_kind,
        }
        return action
