from datetime import date, timedelta

from odoo import api, fields, models
from odoo.tools import float_compare, float_is_zero

# The past full quarters the scorecard's rates, losses and rank cover.
SCORECARD_QUARTERS = 4
# The colours of the due pipeline, most urgent first (the line's status keys).
PIPELINE_STATUSES = ("overdue", "due", "live")


def quarter_start(day, shift=0):
    """The first day of the quarter of ``day``, ``shift`` quarters on."""
    index = day.year * 4 + (day.month - 1) // 3 + shift
    return date(index // 4, index % 4 * 3 + 1, 1)


class RenewalReportScorecard(models.AbstractModel):
    """A channel partner's own renewal scorecard, shown to its renewals
    manager in the portal: the due pipeline by quarter and colour, the
    renewal and on-time rates, the value lost by reason, and its rank among
    the vendor's resellers (or distributors), for its own contracts only.

    Portal users have no access to the analysis models: this method checks
    the caller, then reads ``renewal.report`` and ``renewal.ranking`` as
    superuser with a domain fixed to the caller's channel partner and
    company, and returns figures only (never another partner's name)."""

    _name = "renewal.report.scorecard"
    _description = "Channel Partner's Renewal Scorecard"

    @api.model
    def _portal_scorecards(self, today=None):
        """The scorecards of the channel partner the current user manages
        in the portal, one per company of the user's (in the company's
        currency), for the companies where the partner sells contracts.
        AccessError for anyone but a reseller's or distributor's renewals
        manager logged in to the portal."""
        channel = self.env.user._renewal_check_channel_manager()
        today = today or fields.Date.context_today(self)
        Report = self.env["renewal.report"].sudo()
        groups = Report._read_group(
            [
                ("company_id", "in", self.env.companies.ids),
                *self._own_domain(channel),
            ],
            ["company_id"],
        )
        return [
            self._scorecard(channel, company, today)
            for (company,) in sorted(groups, key=lambda group: group[0].name)
        ]

    @api.model
    def _own_domain(self, channel):
        """The report rows of ``channel``'s contracts: those it sells as
        reseller or as distributor, as its portal record rules say."""
        return [
            "|",
            ("reseller_id", "=", channel.id),
            ("distributor_id", "=", channel.id),
        ]

    @api.model
    def _kind(self, channel):
        """Who ``channel`` is ranked among: resellers, else distributors."""
        return "reseller" if channel.is_renewal_reseller else "distributor"

    @api.model
    def _aggregates(self, model, names):
        """``name:aggregator`` of each field, as the pivot view asks them,
        so that the report's own rate aggregation answers."""
        return [f"{name}:{model._fields[name].aggregator}" for name in names]

    @api.model
    def _quarter_label(self, start):
        return self.env._(
            "Q%(quarter)s %(year)s",
            quarter=(start.month - 1) // 3 + 1,
            year=start.year,
        )

    @api.model
    def _scorecard(self, channel, company, today):
        Report = self.env["renewal.report"].sudo().with_company(company)
        own = [("company_id", "=", company.id), *self._own_domain(channel)]
        period_start = quarter_start(today, -SCORECARD_QUARTERS)
        period_end = quarter_start(today)  # excluded
        past = [*own, ("date_end", ">=", period_start), ("date_end", "<", period_end)]
        rate_names = [
            "nbr_lines",
            "value_due",
            "value_renewed",
            "value_lost",
            "renewal_rate_count",
            "renewal_rate_value",
            "ontime_rate",
        ]
        rate_aggregates = self._aggregates(Report, rate_names)

        def figures(values):
            return dict(zip(rate_names, values, strict=True))

        # The pipeline: what is still to renew (open or overdue), by due
        # quarter and colour.
        pipeline = {}
        for start, status, value, count in Report._read_group(
            [*own, ("outcome", "in", ("open", "overdue"))],
            ["date_end:quarter", "status"],
            ["value_due:sum", "__count"],
        ):
            if status not in PIPELINE_STATUSES:
                continue
            quarter = pipeline.setdefault(
                start,
                {
                    "start": start,
                    "label": self._quarter_label(start),
                    "total": 0.0,
                    "count": 0,
                    **{key: {"value": 0.0, "count": 0} for key in PIPELINE_STATUSES},
                },
            )
            quarter[status] = {"value": value, "count": count}
            quarter["total"] += value
            quarter["count"] += count

        by_quarter = {
            start: figures(values)
            for start, *values in Report._read_group(
                past, ["date_end:quarter"], rate_aggregates
            )
        }
        quarters = [
            dict(
                by_quarter.get(start, {}),
                start=start,
                label=self._quarter_label(start),
            )
            for start in (
                quarter_start(today, shift) for shift in range(-SCORECARD_QUARTERS, 0)
            )
        ]
        total = figures(Report._read_group(past, [], rate_aggregates)[0])
        lost = [
            {"reason": reason.name if reason else False, "value": value, "count": count}
            for reason, value, count in Report._read_group(
                [*past, ("outcome", "=", "lost")],
                ["cancel_reason_id"],
                ["value_lost:sum", "__count"],
                order="value_lost:sum desc",
            )
        ]
        return {
            "company": company,
            "currency": company.currency_id,
            "partner_name": channel.name,
            "kind": self._kind(channel),
            "date_from": period_start,
            "date_to": period_end - timedelta(days=1),
            "period_label": self.env._(
                "%(first)s to %(last)s",
                first=self._quarter_label(period_start),
                last=self._quarter_label(quarter_start(today, -1)),
            ),
            "pipeline": [pipeline[start] for start in sorted(pipeline)],
            "quarters": quarters,
            "total": total,
            "lost": lost,
            "lost_total": sum(row["value"] for row in lost),
            **self._rank(channel, company, period_start, period_end),
        }

    @api.model
    def _rank(self, channel, company, period_start, period_end):
        """``channel``'s rank among the company's resellers (distributors)
        with renewals due in the period, by value renewed, highest first,
        equal values sharing a rank (as ``renewal.ranking`` ranks them), and
        how many are ranked: numbers only, no other party's name or id
        leaves this method. Read from ``renewal.report`` rather than
        ``renewal.ranking``, whose rows are not per company."""
        column = (
            "reseller_id" if self._kind(channel) == "reseller" else "distributor_id"
        )
        Report = self.env["renewal.report"].sudo().with_company(company)
        renewed = dict(
            Report._read_group(
                [
                    ("company_id", "=", company.id),
                    (column, "!=", False),
                    ("date_end", ">=", period_start),
                    ("date_end", "<", period_end),
                ],
                [column],
                ["value_renewed:sum"],
            )
        )
        own = renewed.pop(channel, None)
        if own is None:
            return {"rank": False, "rank_count": len(renewed), "rank_tied": False}
        rounding = company.currency_id.rounding
        ahead = sum(
            float_compare(value, own, precision_rounding=rounding) > 0
            for value in renewed.values()
        )
        tied = any(
            float_is_zero(value - own, precision_rounding=rounding)
            for value in renewed.values()
        )
        return {"rank": ahead + 1, "rank_count": len(renewed) + 1, "rank_tied": tied}
