"""Installed base: register the products you sell with their end customers
(serial number, purchase and installation dates, the customer's contact and
PO number), and look up your installed products by serial number with their
coverage (covered, warranty only, uncovered, lapsed). A registration is
checked whole: one bad row refuses the request (422, each problem with its
row from 1, field and reason) and nothing is written. A serial number
already registered to another customer is kept for the vendor's review.
"""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from odoo.exceptions import ValidationError

from ...tools.registration import registration_row
from ..dependencies import PartnerEnv
from ..errors import ApiError, row_errors_details
from ..schemas import InstalledProductOut, RegistrationIn, RegistrationOut
from ..serializers import installed_product_rows

router = APIRouter(tags=["installed base"])

MAX_REGISTRATIONS = 1000


def _rows(body):
    """The request's registrations as ``_register_products`` rows, text made safe as
    the portal's upload makes it; a 422 naming each row and field the
    cleaning refuses."""
    rows, problems = [], []
    for number, item in enumerate(body, start=1):
        row, errors = registration_row(item.model_dump(exclude_none=True), number)
        rows.append(row)
        problems.extend(
            {
                "loc": ["body", error.row - 1, error.column],
                "row": error.row,
                "field": error.column,
                "msg": error.reason,
                "type": "value_error",
            }
            for error in errors
        )
    if problems:
        raise ApiError(422, problems)
    return rows


@router.post(
    "/registrations",
    response_model=list[RegistrationOut],
    status_code=201,
    responses={
        422: {
            "description": "A row is refused: each problem with its `row` (from "
            "1), `field` and reason (`msg`). Nothing was registered."
        },
    },
)
def register_products(
    body: Annotated[
        list[RegistrationIn],
        Body(min_length=1, max_length=MAX_REGISTRATIONS),
    ],
    env: PartnerEnv,
    response: Response,
):
    """Register products sold (up to 1,000 per request) with their end
    customers, as your organisation: every row is checked first (a known
    product, the product's serial number pattern, a purchase date not in
    the future, a contact with a valid e-mail address), then all are
    registered. The answer lists one registration per row, in order; a
    product with a warranty gets its warranty coverage at once."""
    try:
        registrations = env["renewal.registration"]._renewal_channel_register(
            _rows(body), "partner_api"
        )
    except ValidationError as error:
        errors = getattr(error, "errors", None)
        if not errors:
            raise
        raise ApiError(422, row_errors_details(errors)) from error
    response.headers["Location"] = "installed-products"
    return registration_rows(env, registrations)


def registration_rows(env, registrations):
    """The registrations as answered, each with its installed product when
    the caller may read it (record rules: one the caller's organisation
    sold)."""
    records = registrations.sudo()
    readable = env["renewal.installed.product"].search(
        [("id", "in", records.installed_product_id.ids)]
    )
    products = {row["id"]: row for row in installed_product_rows(readable)}
    return [
        {
            "id": record.id,
            "row": number,
            "serial_number": record.serial_number,
            "product_code": record.product_id.default_code or None,
            "state": record.state,
            "installed_product": products.get(record.installed_product_id.id),
        }
        for number, record in enumerate(records, start=1)
    ]


@router.get("/installed-products", response_model=list[InstalledProductOut])
async def search_installed_products(
    env: PartnerEnv,
    serial_number: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
    product_code: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    """Your installed products (those your organisation sold, as reseller or
    distributor) by serial number and product code; without a filter, all
    of them, latest registered first."""
    domain = []
    if serial_number:
        domain.append(("serial_number", "=", serial_number))
    if product_code:
        domain.append(("product_id.default_code", "=", product_code))
    products = env["renewal.installed.product"].search(
        domain, order="id desc", limit=limit, offset=offset
    )
    return installed_product_rows(products)
