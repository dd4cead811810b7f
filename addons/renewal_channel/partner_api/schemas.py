"""What the partner API reads and answers (pydantic models).

Requests are strict: a field of the wrong type, an unknown field or a value
out of range is a 422 naming the field and the reason. Dates are written
``YYYY-MM-DD``.
"""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..tools.feed import TARGETS
from ..tools.registration import COLUMNS as REGISTRATION_COLUMNS

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_text(value):
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


IsoDate = Annotated[date, Field(strict=False), BeforeValidator(_iso_date_text)]
Amount = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]


def _text(target, size=256, required=False, **kwargs):
    if required:
        return Field(min_length=1, max_length=size, description=TARGETS[target])
    return Field(None, max_length=size, description=TARGETS[target], **kwargs)


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class FeedRow(Strict):
    """One covered line, in the feed's canonical fields (a file needs a
    column mapping; a push does not)."""

    serial_number: str | None = _text("serial_number", 128)
    contract_number: str = _text("contract_number", 128, required=True)
    customer_name: str = _text("customer_name", required=True)
    customer_vat: str | None = _text("customer_vat", 64)
    customer_email: str | None = _text("customer_email")
    customer_city: str | None = _text("customer_city", 128)
    customer_street: str | None = _text("customer_street")
    customer_zip: str | None = _text("customer_zip", 32)
    customer_country: str | None = _text(
        "customer_country", 2, pattern=r"^[A-Za-z]{2}$"
    )
    product_code: str = _text("product_code", 128, required=True)
    quantity: Annotated[float, Field(gt=0, le=1e9, allow_inf_nan=False)] | None = Field(
        None, description=TARGETS["quantity"] + " (1 when left out)"
    )
    service_level: str | None = _text("service_level", 128)
    date_start: IsoDate = Field(description=TARGETS["date_start"])
    date_end: IsoDate = Field(description=TARGETS["date_end"])
    list_price: Amount | None = Field(None, description=TARGETS["list_price"])
    renewal_price: Amount | None = Field(None, description=TARGETS["renewal_price"])
    currency: str | None = _text("currency", 3, pattern=r"^[A-Za-z]{3}$")
    customer_po: str | None = _text("customer_po", 64)
    vendor_order: str | None = _text("vendor_order", 64)
    reseller: str | None = _text("reseller")
    salesperson: str | None = _text("salesperson")


class PushRequest(Strict):
    rows: list[FeedRow] = Field(min_length=1)
    dry_run: bool = Field(
        False, description="Check only: say what would change, write nothing."
    )


class RejectedRow(BaseModel):
    row: int = Field(description="Row number: from 1 in a push, as in the file.")
    column: str
    value: str
    reason: str
    conflict: bool = Field(
        description="A disagreement with a higher-priority source (logged, not "
        "a rejection)."
    )


class ImportOut(BaseModel):
    id: int
    source_id: int
    filename: str
    state: Literal["draft", "checked", "running", "done", "failed"] = Field(
        description="draft: queued; checked: dry run done; running; done; "
        "failed (see message)."
    )
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    conflicts: int
    new_customers: int
    progress: float = Field(description="Share of chunks done, in percent.")
    message: str | None
    date_done: datetime | None
    replayed: bool = Field(
        False, description="This answer replays an earlier request's import."
    )


class ImportDetail(ImportOut):
    errors: list[RejectedRow]
    errors_total: int


class SourceOut(BaseModel):
    id: int
    name: str
    role: str
    priority: int
    columns: dict[str, str] = Field(
        description="The file layout: canonical field to column name."
    )


class Party(BaseModel):
    id: int
    name: str


class QuotationSummary(BaseModel):
    id: int
    name: str
    state: str
    amount_total: float
    currency: str
    validity_date: date | None


class LineOut(BaseModel):
    id: int
    serial_number: str | None
    product_code: str | None
    product: str
    quantity: float
    service_level: str | None
    date_start: date
    date_end: date
    list_price: float
    renewal_price: float
    status: str
    colour: str
    is_cancelled: bool
    is_renewed: bool
    warranty_only: bool


class ContractOut(BaseModel):
    id: int
    number: str
    customer: Party
    reseller: Party | None
    currency: str
    status: str
    colour: str
    date_start: date
    date_end: date
    next_expiry_date: date | None
    amount_renewal: float
    customer_po_number: str | None
    is_cancelled: bool
    is_renewed: bool
    warranty_only: bool
    lines: list[LineOut]
    open_quotation: QuotationSummary | None


class LineStatusOut(LineOut):
    contract_id: int
    contract_number: str
    customer: Party
    open_quotation: QuotationSummary | None


class DueRenewal(BaseModel):
    contract_id: int
    contract_number: str
    customer: Party
    line_id: int
    serial_number: str | None
    product_code: str | None
    product: str
    quantity: float
    date_end: date
    days_left: int
    status: str
    colour: str
    renewal_price: float
    currency: str
    open_quotation: QuotationSummary | None


class QuotationLine(BaseModel):
    description: str
    product_code: str | None
    serial_number: str | None
    contract_number: str | None
    quantity: float
    price_unit: float
    discount: float
    subtotal: float
    renewal_date_start: date | None
    renewal_date_end: date | None


class QuotationOut(QuotationSummary):
    customer: Party
    date_order: datetime | None
    customer_po: str | None
    amount_untaxed: float
    amount_tax: float
    contracts: list[str]
    lines: list[QuotationLine]


class AcceptRequest(Strict):
    customer_po: str = Field(
        min_length=1,
        max_length=64,
        description="The customer's purchase order number: the partner accepts "
        "on the customer's behalf on the strength of it.",
    )


Event = Literal["quotation_issued", "renewed", "lost", "status_changed"]


class WebhookIn(Strict):
    name: str = Field(min_length=1, max_length=128)
    url: str = Field(min_length=8, max_length=2048)
    events: list[Event] = Field(min_length=1)


class WebhookOut(BaseModel):
    id: int
    name: str
    url: str
    events: list[str]
    active: bool


class WebhookCreated(WebhookOut):
    secret: str = Field(
        description="Signs every delivery (HMAC-SHA256 of the body, header "
        "X-Renewal-Signature: sha256=<hex>). Shown this once."
    )


class DeliveryOut(BaseModel):
    id: int
    uuid: str
    event: str
    state: str
    attempts: int
    http_status: int | None
    error: str | None
    next_try: datetime | None
    date_done: datetime | None
    create_date: datetime


class Me(BaseModel):
    user: Party
    partner: Party
    key: str = Field(description="The key's name.")


def _registration_text(column, required=False, **kwargs):
    label, size = REGISTRATION_COLUMNS[column]
    if required:
        return Field(min_length=1, max_length=size, description=label, **kwargs)
    return Field(None, max_length=size, description=label, **kwargs)


class RegistrationIn(Strict):
    """One product sold, to register with its end customer: the columns of
    the portal's upload file. The reseller (and its distributor) are the
    caller's; the end customer is found by the contact's e-mail address
    among the vendor's customers, or created."""

    product_code: str = _registration_text("product_code", required=True)
    serial_number: str = _registration_text("serial_number", required=True)
    purchase_date: IsoDate | None = Field(
        None, description="Purchase date (not in the future)."
    )
    install_date: IsoDate | None = Field(None, description="Installation date.")
    customer_company: str | None = _registration_text("customer_company")
    contact_name: str = _registration_text("contact_name", required=True)
    contact_email: str = _registration_text("contact_email", required=True)
    contact_phone: str | None = _registration_text("contact_phone")
    street: str | None = _registration_text("street")
    zip: str | None = _registration_text("zip")
    city: str | None = _registration_text("city")
    country_code: str | None = _registration_text(
        "country_code", pattern=r"^[A-Za-z]{2}$"
    )
    customer_po_number: str | None = _registration_text("customer_po_number")
    vendor_order_number: str | None = _registration_text("vendor_order_number")


class InstalledProductOut(BaseModel):
    id: int
    serial_number: str
    product_code: str | None
    product: str
    customer: Party
    purchase_date: date | None
    install_date: date | None
    customer_po_number: str | None
    coverage_state: Literal["covered", "warranty", "uncovered", "lapsed"] = Field(
        description="covered: under a live support line; warranty: under live "
        "warranty lines only; lapsed: its lines have ended; uncovered: never "
        "under a line."
    )
    coverage_end: date | None = Field(description="End of its live coverage.")
    end_of_support_date: date | None
    registration_channel: str | None
    registration_date: datetime | None


class RegistrationOut(BaseModel):
    id: int
    row: int = Field(description="The row of the request, from 1.")
    serial_number: str
    product_code: str | None
    state: Literal["done", "review", "rejected"] = Field(
        description="done: registered; review: the serial number is registered "
        "to another customer, the vendor reviews it."
    )
    installed_product: InstalledProductOut | None = Field(
        description="The installed product, when you may read it."
    )
