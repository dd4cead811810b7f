"""Quotations: a renewal quotation of your contracts, as JSON or as its PDF,
and its acceptance on your customer's behalf when you hold the customer's
purchase order number.
"""

from typing import Annotated

from fastapi import APIRouter, Body, Response

from ..dependencies import PartnerEnv
from ..errors import not_found
from ..schemas import AcceptRequest, QuotationOut
from ..serializers import quotation_data

router = APIRouter(tags=["quotations"])


def _quotation(env, quotation_id):
    order = env["sale.order"].browse(quotation_id)
    if not order._renewal_api_reachable():
        raise not_found("Quotation")
    return order


@router.get("/quotations/{quotation_id}", response_model=QuotationOut)
def get_quotation(quotation_id: int, env: PartnerEnv):
    """A renewal quotation of contracts you sell."""
    return quotation_data(_quotation(env, quotation_id))


@router.get(
    "/quotations/{quotation_id}/pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
def get_quotation_pdf(quotation_id: int, env: PartnerEnv):
    """The quotation's PDF, in its brand (the vendor's or the reseller's)."""
    order = _quotation(env, quotation_id).sudo()
    pdf, _kind = (
        env["ir.actions.report"]
        .sudo()
        ._render_qweb_pdf("sale.action_report_saleorder", order.ids)
    )
    filename = f"{order.name.replace('/', '-')}.pdf"
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.post("/quotations/{quotation_id}/accept", response_model=QuotationOut)
def accept_quotation(
    quotation_id: int,
    body: Annotated[AcceptRequest, Body()],
    env: PartnerEnv,
):
    """Accept the quotation on the customer's behalf with the customer's PO
    number: the number goes on the quotation and its contracts, the
    quotation is confirmed and its lines renewed."""
    order = _quotation(env, quotation_id)
    return quotation_data(order._renewal_api_accept(body.customer_po))
