"""Contracts: your contracts and covered lines, by serial number, contract
number or end customer, with their status colour (red: expired and overdue,
amber: due for renewal, green: live, black: cancelled), dates, prices and the
open renewal quotation; and the renewals due in the next days.
"""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from odoo import fields
from odoo.osv import expression

from ..dependencies import PartnerEnv, PartnerKey, sells_domain
from ..errors import ApiError, not_found
from ..schemas import ContractOut, DueRenewal, LineStatusOut, Me
from ..serializers import contract_data, due_data, line_status_rows, prefetch_lines

router = APIRouter(tags=["contracts"])

# The routes below read only and answer at once; integrations call them for
# every serial they hold. They are coroutines that call the ORM without
# awaiting: the ``fastapi`` addon runs each request on an event loop of its
# own (its event loop pool), so blocking that loop holds up no other request,
# while a plain function would be run in a worker thread, its answer checked
# in another, each hand-over a thread switch that costs most under load.

Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]
Text = Annotated[str | None, Query(min_length=1, max_length=128)]


def _contracts(env, domain, limit=None, offset=0):
    """Contracts as the caller reads them (record rules), among those the
    caller's organisation sells."""
    domain = expression.AND([domain, sells_domain(env)])
    return env["renewal.contract"].search(domain, limit=limit, offset=offset)


@router.get("/me", response_model=Me)
async def me(
    env: PartnerEnv,
    key: PartnerKey,
):
    """Who this key acts as."""
    user = env.user
    user.partner_id.fetch(["name", "commercial_partner_id"])
    user.partner_id.commercial_partner_id.fetch(["name"])
    return {
        "user": {"id": user.id, "name": user.name},
        "partner": {
            "id": user.partner_id.commercial_partner_id.id,
            "name": user.partner_id.commercial_partner_id.name,
        },
        "key": key.name or "",
    }


@router.get("/contracts", response_model=list[ContractOut])
async def search_contracts(
    env: PartnerEnv,
    serial_number: Text = None,
    contract_number: Text = None,
    customer: Annotated[
        str | None,
        Query(
            min_length=2,
            max_length=128,
            description="Part of the end customer's name, or its VAT number.",
        ),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Contracts by serial number, contract number or end customer (any
    combination); without a filter, all of yours, soonest expiry first."""
    domain = []
    if serial_number:
        domain.append(("line_ids.serial_number", "=", serial_number))
    if contract_number:
        domain.append(("name", "=", contract_number))
    if customer:
        # The customers are looked up as superuser (a partner's user may not
        # read its customers' contacts); the contracts, as the caller.
        customers = (
            env["res.partner"]
            .sudo()
            ._search(["|", ("name", "ilike", customer), ("vat", "=", customer)])
        )
        domain.append(("partner_id", "in", customers))
    return [
        contract_data(contract)
        for contract in _contracts(env, domain, limit=limit, offset=offset)
    ]


@router.get("/contracts/{contract_id}", response_model=ContractOut)
async def get_contract(contract_id: int, env: PartnerEnv):
    """One contract with its covered lines."""
    contract = _contracts(env, [("id", "=", contract_id)], limit=1)
    if not contract:
        raise not_found("Contract")
    return contract_data(contract)


@router.get("/lines", response_model=list[LineStatusOut])
async def search_lines(
    env: PartnerEnv,
    serial_number: Text = None,
    contract_number: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
):
    """Covered lines by serial number or contract number: the status of a
    serial in one call."""
    if not (serial_number or contract_number):
        raise ApiError(422, "Give a serial_number or a contract_number.")
    domain = []
    if serial_number:
        domain.append(("serial_number", "=", serial_number))
    if contract_number:
        domain.append(("contract_id.name", "=", contract_number))
    domain += sells_domain(env, "contract_id")
    lines = env["renewal.contract.line"].search(domain, limit=limit, offset=offset)
    return line_status_rows(lines)


@router.get("/renewals/due", response_model=list[DueRenewal])
async def due_renewals(
    env: PartnerEnv,
    days: Annotated[int, Query(ge=0, le=730, description="The next N days.")] = 90,
    include_overdue: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Offset = 0,
):
    """Covered lines whose coverage ends in the next `days` days (today
    included), not cancelled and not renewed, soonest first; with
    `include_overdue`, the expired ones that still wait for a renewal
    too."""
    today = fields.Date.context_today(env["renewal.contract.line"])
    domain = [
        ("is_cancelled", "=", False),
        ("is_renewed", "=", False),
        ("contract_id.is_cancelled", "=", False),
        ("date_end", "<=", today + timedelta(days=days)),
    ]
    if not include_overdue:
        domain.append(("date_end", ">=", today))
    domain += sells_domain(env, "contract_id")
    lines = env["renewal.contract.line"].search(
        domain, order="date_end, id", limit=limit, offset=offset
    )
    quotations = prefetch_lines(lines)
    return [due_data(line, today, quotations) for line in lines]
