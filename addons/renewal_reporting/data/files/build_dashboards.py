"""Write the Renewals dashboard and its sample (run: python3 build_dashboards.py).

Odoo community has no spreadsheet editor, so the two spreadsheet files that
``data/renewal_dashboard_data.xml`` ships are written by this script, the way
Odoo's own ``spreadsheet_dashboard_sale`` files are laid out (o-spreadsheet
data version 21): a *Dashboard* sheet of blocks fed by ``PIVOT.VALUE`` and
``PIVOT.HEADER`` formulas on ``renewal.report`` pivots, a *Data* sheet for the
scorecards, global filters matched to each pivot's fields, and a title link on
every block that opens the pivot behind it.

The period filter is a quarter (this quarter by default); the blocks of the
next three quarters and of the last four are the same pivot shifted by a
number of periods (the filter's field matching ``offset``). The overdue and
due values are today's, whatever the period. ``renewal_sample_dashboard.json``
has the same layout with fixed figures, shown on a database with no renewals.
"""

import json
import os

MODEL = "renewal.report"
HERE = os.path.dirname(os.path.abspath(__file__))

# Global filters: (id, label, field of renewal.report, type, model)
PERIOD = "3f0f4c1e-7a4b-4d59-9d0e-2d6a1b0c0a01"
RELATION_FILTERS = [
    ("3f0f4c1e-7a4b-4d59-9d0e-2d6a1b0c0a02", "Company", "company_id", "res.company"),
    ("3f0f4c1e-7a4b-4d59-9d0e-2d6a1b0c0a03", "Reseller", "reseller_id", "res.partner"),
    ("3f0f4c1e-7a4b-4d59-9d0e-2d6a1b0c0a04", "Sales Team", "team_id", "crm.team"),
    ("3f0f4c1e-7a4b-4d59-9d0e-2d6a1b0c0a05", "Salesperson", "user_id", "res.users"),
    (
        "3f0f4c1e-7a4b-4d59-9d0e-2d6a1b0c0a06",
        "Product Category",
        "categ_id",
        "product.category",
    ),
    ("3f0f4c1e-7a4b-4d59-9d0e-2d6a1b0c0a07", "Country", "country_id", "res.country"),
]
GLOBAL_FILTERS = [
    {
        "id": PERIOD,
        "type": "date",
        "label": "Period",
        "defaultValue": "this_quarter",
        "rangeType": "fixedPeriod",
        "disabledPeriods": ["month"],
    },
] + [
    {
        "id": filter_id,
        "type": "relation",
        "label": label,
        "modelName": model,
        "defaultValue": [],
        "defaultValueDisplayNames": [],
    }
    for filter_id, label, _field, model in RELATION_FILTERS
]

RENEWED = ["renewed_on_time", "renewed_late"]
QUARTER_MEASURES = [
    "nbr_lines",
    "value_due",
    "value_renewed",
    "value_lost",
    "renewal_rate_count",
    "renewal_rate_value",
    "ontime_rate",
]
RANK_MEASURES = ["value_due", "value_renewed", "renewal_rate_value"]
# Rates are percentages (0 to 100) in renewal.report.
RATE_FORMAT = '0.0"%"'
TOP = 5


def field_matching(date_field="date_end", offset=0):
    """Every global filter matched to this pivot's fields; the period to
    ``date_field`` shifted by ``offset`` periods (no period at all when
    ``date_field`` is None)."""
    matching = {
        filter_id: {"chain": field, "type": "many2one"}
        for filter_id, _label, field, _model in RELATION_FILTERS
    }
    matching[PERIOD] = (
        {"chain": date_field, "type": "date", "offset": offset} if date_field else {}
    )
    return matching


PIVOTS = {}


def pivot(
    name, measures, rows=(), domain=(), date_field="date_end", offset=0, sort=None
):
    pivot_id = str(len(PIVOTS) + 1)
    PIVOTS[pivot_id] = {
        "type": "ODOO",
        "fieldMatching": field_matching(date_field, offset),
        "context": {},
        "domain": list(domain),
        "id": pivot_id,
        "measures": [{"id": m, "fieldName": m} for m in measures],
        "model": MODEL,
        "name": name,
        "sortedColumn": (
            {"groupId": [[], []], "measure": sort, "order": "desc"} if sort else None
        ),
        "formulaId": pivot_id,
        "columns": [],
        "rows": [{"fieldName": row} for row in rows],
    }
    return pivot_id


def view_link(label, domain, rows, cols=(), measures=("value_due",), view="pivot"):
    """A block title: a link opening the renewal analysis behind the block."""
    action = {
        "viewType": view,
        "action": {
            "domain": domain,
            "context": {
                "group_by": list(rows),
                "pivot_measures": list(measures),
                "pivot_row_groupby": list(rows),
                "pivot_column_groupby": list(cols),
                "graph_measure": measures[0],
                "graph_groupbys": list(rows) + list(cols),
            },
            "modelName": MODEL,
            "views": [
                [False, "pivot"],
                [False, "graph"],
                [False, "list"],
                [False, "search"],
            ],
        },
        "threshold": 0,
        "name": "Renewal Analysis",
    }
    return f"[{label}](odoo://view/{json.dumps(action, separators=(',', ':'))})"


def text(value):
    return f'=_t("{value}")' if value else ""


def quarter_label(offset):
    """The label of the period ``offset`` periods from the selected one
    (Data!B1 holds the filter value: "Q4/2026", or "2026" for a year)."""
    q = "VALUE(MID(Data!$B$1,2,1))"
    y = "VALUE(RIGHT(Data!$B$1,4))"
    return (
        f'=IF(LEFT(Data!$B$1,1)="Q","Q"&(MOD({q}-1+({offset}),4)+1)&"/"&'
        f'({y}+INT(({q}-1+({offset}))/4)),IF(Data!$B$1="","",VALUE(Data!$B$1)+({offset})))'
    )


class Sheet:
    def __init__(self, sheet_id, name):
        self.id = sheet_id
        self.name = name
        self.cells = {}
        self.styles = {}
        self.formats = {}
        self.borders = {}
        self.figures = []
        self.rows = {}
        self.cols = {}

    def set(self, ref, content, style=None, fmt=None):
        self.cells[ref] = {"content": content}
        if style:
            self.styles[ref] = style
        if fmt:
            self.formats[ref] = fmt

    def dump(self, col_number, row_number):
        return {
            "id": self.id,
            "name": self.name,
            "colNumber": col_number,
            "rowNumber": row_number,
            "rows": self.rows,
            "cols": self.cols,
            "merges": [],
            "cells": self.cells,
            "styles": self.styles,
            "formats": self.formats,
            "borders": self.borders,
            "conditionalFormats": [],
            "figures": self.figures,
            "tables": [],
            "areGridLinesVisible": False,
            "isVisible": True,
            "headerGroups": {"ROW": [], "COL": []},
            "dataValidationRules": [],
            "comments": {},
        }


STYLES = {
    "1": {"textColor": "#01666b", "bold": True, "fontSize": 16},  # block title
    "2": {"bold": True, "fontSize": 11, "textColor": "#434343"},  # header
    "3": {"bold": True, "fontSize": 11, "textColor": "#434343", "align": "right"},
    "4": {"textColor": "#434343", "verticalAlign": "middle"},  # body
    "5": {"textColor": "#01666B", "verticalAlign": "middle"},  # first column
    "6": {"textColor": "#C0392B", "bold": True},  # overdue
    "7": {"textColor": "#B9770E", "bold": True},  # due
}
FORMATS = {"1": RATE_FORMAT, "2": "#,##0"}
BORDERS = {"1": {"bottom": {"style": "thin", "color": "#CCCCCC"}}}

LEFT = ("A", "B", "C", "D")
RIGHT = ("F", "G", "H", "I")


def block(sheet, cols, row, title, headers, body_rows, formats=()):
    """A titled table: ``body_rows`` is a list of lists of cell contents;
    ``formats`` gives each column's number format id (or None)."""
    sheet.set(f"{cols[0]}{row}", title, style="1")
    sheet.rows[str(row - 1)] = {"size": 40}
    sheet.borders[f"{cols[0]}{row}:{cols[-1]}{row}"] = "1"
    for col, header in zip(cols, headers, strict=True):
        sheet.set(f"{col}{row + 1}", text(header), style="2" if col == cols[0] else "3")
    for index, values in enumerate(body_rows):
        line = row + 2 + index
        for position, (col, value) in enumerate(zip(cols, values, strict=True)):
            fmt = formats[position] if position < len(formats) else None
            sheet.set(
                f"{col}{line}", value, style="5" if position == 0 else "4", fmt=fmt
            )
    return row + 2 + len(body_rows) + 1


def build():
    PIVOTS.clear()
    dashboard = Sheet("renewal_dashboard", "Dashboard")
    data = Sheet("renewal_dashboard_data", "Data")
    widths = [230, 140, 110, 110, 40, 230, 140, 110, 110]
    dashboard.cols = {str(i): {"size": w} for i, w in enumerate(widths)}

    quarters = {
        offset: pivot(f"Renewals, period {offset:+d}", QUARTER_MEASURES, offset=offset)
        for offset in (0, 1, 2, 3, -1, -2, -3)
    }
    booked = pivot(
        "Renewed in the period (by renewal date)",
        ["value_renewed", "nbr_lines"],
        domain=[["outcome", "in", RENEWED]],
        date_field="renewed_date",
    )
    booked_before = pivot(
        "Renewed in the previous period (by renewal date)",
        ["value_renewed", "nbr_lines"],
        domain=[["outcome", "in", RENEWED]],
        date_field="renewed_date",
        offset=-1,
    )
    status = pivot(
        "Open renewals by status (today)",
        ["value_due", "nbr_lines"],
        rows=["status"],
        domain=[["outcome", "in", ["open", "overdue"]]],
        date_field=None,
    )
    reasons = pivot(
        "Cancellations by reason",
        ["value_lost", "nbr_lines"],
        rows=["cancel_reason_id"],
        domain=[["outcome", "=", "lost"]],
        sort="value_lost",
    )
    route = pivot(
        "Channel vs direct",
        ["value_due", "value_renewed", "renewal_rate_value", "value_lost"],
        rows=["route"],
    )
    rankings = {
        field: pivot(
            f"Top {label}",
            RANK_MEASURES,
            rows=[field],
            domain=[[field, "!=", False]],
            sort="value_due",
        )
        for field, label in (
            ("partner_id", "customers"),
            ("reseller_id", "resellers"),
            ("user_id", "salespeople"),
        )
    }

    # --- Data sheet: the scorecards' figures -------------------------------
    data.cols = {"0": {"size": 220}, "1": {"size": 120}, "2": {"size": 120}}
    data.set("A1", text("Period"), style="2")
    data.set("B1", '=ODOO.FILTER.VALUE("Period")')
    scorecards = [
        ("Available to renew", f'=PIVOT.VALUE({quarters[0]},"value_due")', None),
        (
            "Renewed in the period",
            f'=PIVOT.VALUE({booked},"value_renewed")',
            f'=PIVOT.VALUE({booked_before},"value_renewed")',
        ),
        (
            "Renewal rate by value",
            f'=PIVOT.VALUE({quarters[0]},"renewal_rate_value")',
            f'=PIVOT.VALUE({quarters[-1]},"renewal_rate_value")',
        ),
        (
            "Overdue (red)",
            f'=PIVOT.VALUE({status},"value_due","status","overdue")',
            None,
        ),
        ("Due (amber)", f'=PIVOT.VALUE({status},"value_due","status","due")', None),
    ]
    data.set("A2", text("KPI"), style="2")
    data.set("B2", text("Current"), style="2")
    data.set("C2", text("Previous"), style="2")
    data.set("D2", text("Shown"), style="2")
    data.set("E2", text("Shown before"), style="2")
    for index, (label, current, previous) in enumerate(scorecards):
        row = 3 + index
        data.set(f"A{row}", text(label))
        data.set(f"B{row}", current)
        data.set(f"C{row}", previous or "")
        if label.startswith("Renewal rate"):
            data.set(f"D{row}", f"=B{row}", fmt="1")
            data.set(f"E{row}", f"=C{row}", fmt="1")
        else:
            data.set(f"D{row}", f"=FORMAT.LARGE.NUMBER(B{row})")
            data.set(f"E{row}", f"=FORMAT.LARGE.NUMBER(C{row})" if previous else "")
    backgrounds = ["#EFF6FF", "#EFF6FF", "#EFF6FF", "#FDEDEC", "#FEF5E7"]
    for index, (label, _current, previous) in enumerate(scorecards):
        row = 3 + index
        card = {
            "baselineColorDown": "#DC6965",
            "baselineColorUp": "#00A04A",
            "baselineMode": "difference"
            if label.startswith("Renewal rate")
            else "percentage",
            "title": {"text": label, "bold": True, "color": "#434343"},
            "type": "scorecard",
            "background": backgrounds[index],
            "keyValue": f"Data!D{row}",
            "humanize": False,
        }
        if previous:
            card["baseline"] = f"Data!E{row}"
            card["baselineDescr"] = "since last period"
        dashboard.figures.append(
            {
                "id": f"renewal_scorecard_{index + 1}",
                "x": index * 226,
                "y": 11,
                "width": 216,
                "height": 101,
                "tag": "chart",
                "data": card,
            }
        )

    # --- Dashboard sheet ---------------------------------------------------
    row = 7
    quarter_rows = [
        [
            quarter_label(offset),
            f'=PIVOT.VALUE({quarters[offset]},"value_due")',
            f'=PIVOT.VALUE({quarters[offset]},"value_renewed")',
            f'=PIVOT.VALUE({quarters[offset]},"value_due")'
            f'-PIVOT.VALUE({quarters[offset]},"value_renewed")'
            f'-PIVOT.VALUE({quarters[offset]},"value_lost")',
        ]
        for offset in (0, 1, 2, 3)
    ]
    rate_rows = [
        [
            quarter_label(offset),
            f'=PIVOT.VALUE({quarters[offset]},"renewal_rate_count")',
            f'=PIVOT.VALUE({quarters[offset]},"renewal_rate_value")',
            f'=PIVOT.VALUE({quarters[offset]},"ontime_rate")',
        ]
        for offset in (-3, -2, -1, 0)
    ]
    end_left = block(
        dashboard,
        LEFT,
        row,
        view_link(
            "Available to renew, this quarter and the next three",
            [["outcome", "!=", "lost"]],
            ["categ_id"],
            ["date_end:quarter"],
            ("value_due", "value_renewed"),
        ),
        ["Quarter", "Available to renew", "Renewed", "Still to renew"],
        quarter_rows,
    )
    end_right = block(
        dashboard,
        RIGHT,
        row,
        view_link(
            "Renewal rate, last four quarters",
            [["outcome", "!=", "open"]],
            ["date_end:quarter"],
            (),
            ("renewal_rate_count", "renewal_rate_value", "ontime_rate"),
        ),
        ["Quarter", "Rate by count", "Rate by value", "On time"],
        rate_rows,
        formats=(None, "1", "1", "1"),
    )
    row = max(end_left, end_right) + 1
    end_left = block(
        dashboard,
        LEFT,
        row,
        view_link(
            "Overdue and due, today",
            [["outcome", "in", ["open", "overdue"]]],
            ["status"],
            ["date_end:quarter"],
            ("value_due", "nbr_lines"),
        ),
        ["Status", "Lines", "Value", ""],
        [
            [
                text("Overdue (red)"),
                f'=PIVOT.VALUE({status},"nbr_lines","status","overdue")',
                f'=PIVOT.VALUE({status},"value_due","status","overdue")',
                "",
            ],
            [
                text("Due (amber)"),
                f'=PIVOT.VALUE({status},"nbr_lines","status","due")',
                f'=PIVOT.VALUE({status},"value_due","status","due")',
                "",
            ],
        ],
        formats=(None, "2"),
    )
    dashboard.styles[f"A{row + 2}"] = "6"
    dashboard.styles[f"A{row + 3}"] = "7"
    end_right = block(
        dashboard,
        RIGHT,
        row,
        view_link(
            "Channel vs direct",
            [],
            ["route"],
            ["date_end:quarter"],
            ("value_due", "value_renewed", "renewal_rate_value"),
        ),
        ["Route", "Available to renew", "Renewed", "Rate by value"],
        [
            [
                f'=PIVOT.HEADER({route},"route","{key}")',
                f'=PIVOT.VALUE({route},"value_due","route","{key}")',
                f'=PIVOT.VALUE({route},"value_renewed","route","{key}")',
                f'=PIVOT.VALUE({route},"renewal_rate_value","route","{key}")',
            ]
            for key in ("direct", "reseller", "distributor")
        ],
        formats=(None, None, None, "1"),
    )
    row = max(end_left, end_right) + 1
    end_left = block(
        dashboard,
        LEFT,
        row,
        view_link(
            "Cancellations by reason",
            [["outcome", "=", "lost"]],
            ["cancel_reason_id"],
            ["date_end:quarter"],
            ("value_lost", "nbr_lines"),
        ),
        ["Reason", "Lines", "Value lost", ""],
        [
            [
                f'=PIVOT.HEADER({reasons},"#cancel_reason_id",{n})',
                f'=PIVOT.VALUE({reasons},"nbr_lines","#cancel_reason_id",{n})',
                f'=PIVOT.VALUE({reasons},"value_lost","#cancel_reason_id",{n})',
                "",
            ]
            for n in range(1, 7)
        ],
        formats=(None, "2"),
    )
    ranking_blocks = [
        ("partner_id", "Top customers", "Customer"),
        ("reseller_id", "Top resellers", "Reseller"),
        ("user_id", "Top salespeople", "Salesperson"),
    ]
    positions = [(RIGHT, row), (LEFT, None), (RIGHT, None)]
    next_row = row
    for (field, title, header), (cols, at) in zip(
        ranking_blocks, positions, strict=True
    ):
        at = at or next_row
        end = block(
            dashboard,
            cols,
            at,
            view_link(
                title,
                [[field, "!=", False]],
                [field],
                ["date_end:quarter"],
                ("value_due", "value_renewed", "renewal_rate_value"),
            ),
            [header, "Available to renew", "Renewed", "Rate by value"],
            [
                [
                    f'=PIVOT.HEADER({rankings[field]},"#{field}",{n})',
                    f'=PIVOT.VALUE({rankings[field]},"value_due","#{field}",{n})',
                    f'=PIVOT.VALUE({rankings[field]},"value_renewed","#{field}",{n})',
                    f'=PIVOT.VALUE({rankings[field]},"renewal_rate_value","#{field}",{n})',
                ]
                for n in range(1, TOP + 1)
            ],
            formats=(None, None, None, "1"),
        )
        if cols is RIGHT and at == row:
            next_row = max(end_left, end) + 1
    last_row = next_row + TOP + 4
    return dashboard, data, last_row


def spreadsheet(dashboard, data, last_row, pivots, global_filters):
    return {
        "version": 21,
        "sheets": [dashboard.dump(9, last_row), data.dump(6, 20)],
        "styles": STYLES,
        "formats": FORMATS,
        "borders": BORDERS,
        "revisionId": "START_REVISION",
        "uniqueFigureIds": True,
        "settings": {
            "locale": {
                "name": "English (US)",
                "code": "en_US",
                "thousandsSeparator": ",",
                "decimalSeparator": ".",
                "dateFormat": "mm/dd/yyyy",
                "timeFormat": "hh:mm:ss",
                "formulaArgSeparator": ",",
                "weekStart": 7,
            }
        },
        "pivots": pivots,
        "pivotNextId": len(pivots) + 1,
        "customTableStyles": {},
        "odooVersion": 12,
        "globalFilters": global_filters,
        "lists": {},
        "listNextId": 1,
        "chartOdooMenusReferences": {},
    }


# Figures of the sample dashboard, shown on a database without renewals.
SAMPLE_FILTER = "Q3/2026"
SAMPLE_VALUES = {
    "value_due": 182400,
    "value_renewed": 121300,
    "value_lost": 18250,
    "nbr_lines": 214,
    "renewal_rate_count": 81.5,
    "renewal_rate_value": 84.2,
    "ontime_rate": 72.4,
}
SAMPLE_NAMES = {
    "partner_id": [
        "Acme Logistics",
        "Nordlicht Energie",
        "Meridian Health",
        "Café Olé",
        "Fjord Seafood",
    ],
    "reseller_id": [
        "ServerHuis",
        "Northwind Reseller",
        "Bits & Bytes",
        "Pacific Systems",
        "",
    ],
    "user_id": [
        "Olivia Brooks",
        "Lotte Janssen",
        "Emma Clarke",
        "Marcus Reed",
        "Felix Wagner",
    ],
    "cancel_reason_id": [
        "Moved to a competitor",
        "Price",
        "Equipment decommissioned",
        "Replaced by a new product",
        "Consolidated into another contract",
        "Other",
    ],
    "route": {"direct": "Direct", "reseller": "Reseller", "distributor": "Distributor"},
    "status": {"overdue": 24850, "due": 61200},
}


def sample_value(formula):
    """A fixed figure in place of a pivot formula, for the sample file."""
    import re

    inner = formula.lstrip("=")
    header = re.fullmatch(r'PIVOT\.HEADER\((\d+),"#?(\w+)",("?)(\w+)\3\)', inner)
    if header:
        field, key = header.group(2), header.group(4)
        names = SAMPLE_NAMES[field]
        return names[key] if isinstance(names, dict) else names[int(key) - 1]
    terms = re.findall(
        r'PIVOT\.VALUE\((\d+),"(\w+)"(?:,"#?(\w+)",("?)(\w+)\4)?\)', inner
    )
    if not terms:
        return None
    values = []
    for pivot_id, measure, field, _quote, key in terms:
        offset = int(PIVOTS[pivot_id]["fieldMatching"][PERIOD].get("offset", 0))
        base = SAMPLE_VALUES[measure]
        if field == "status":
            base = SAMPLE_NAMES["status"][key] / (1 if measure == "value_due" else 400)
        elif field:
            rank = int(key) if key.isdigit() else ["direct", "reseller"].count(key) + 1
            if measure.startswith(("value", "nbr")):
                base = base * (0.4 - 0.06 * rank)
            else:
                base = base - 3 * rank
        # Quarters ahead have less renewed yet; the rates vary a little.
        if measure == "value_renewed" and offset > 0:
            base = base * (0.3 if offset == 1 else 0.05)
        elif measure.endswith("rate") or "rate_" in measure:
            base = base + 1.7 * offset
        else:
            base = base * (1 + 0.08 * offset)
        values.append(round(base, 1 if "rate" in measure else 0))
    if len(values) == 1:
        return values[0]
    return values[0] - sum(values[1:])


def sample(dashboard, data, last_row):
    for sheet in (dashboard, data):
        for ref, cell in sheet.cells.items():
            content = cell["content"]
            if content == '=ODOO.FILTER.VALUE("Period")':
                cell["content"] = SAMPLE_FILTER
            elif content.startswith("[") and "odoo://view" in content:
                cell["content"] = content[1 : content.index("](")]
            elif "PIVOT." in content:
                value = sample_value(content)
                cell["content"] = "" if value is None else str(value)
            del ref
    return spreadsheet(dashboard, data, last_row, {}, [])


def main():
    dashboard, data, last_row = build()
    pivots = dict(PIVOTS)
    with open(os.path.join(HERE, "renewal_dashboard.json"), "w") as file:
        json.dump(
            spreadsheet(dashboard, data, last_row, pivots, GLOBAL_FILTERS),
            file,
            indent=4,
        )
        file.write("\n")
    with open(os.path.join(HERE, "renewal_sample_dashboard.json"), "w") as file:
        json.dump(sample(dashboard, data, last_row), file, indent=4)
        file.write("\n")


if __name__ == "__main__":
    main()
