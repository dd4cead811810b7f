"""Feeds: push contract rows as JSON (the feed's canonical fields, no
mapping), or upload a CSV/XLSX file in your own layout; then follow the
import. A push is checked, matched and upserted exactly as a file is. Send an
`Idempotency-Key` header: a retry with the same key and body returns the
first import and changes nothing; the same key with another body is a 409.
"""

import hashlib
import json
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, Response, UploadFile

from odoo import fields

from ..dependencies import PartnerEnv
from ..errors import ApiError, not_found
from ..schemas import ImportDetail, ImportOut, PushRequest, SourceOut

router = APIRouter(tags=["feeds"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=128,
        pattern=r"^[\x21-\x7e]+$",
        description="Your unique id of this request (printable ASCII, at most "
        "128 characters): a retry with it changes nothing.",
    ),
]


def _source(env, source_id):
    source = env["renewal.feed.source"].browse(source_id)
    if not source.exists() or not source.has_access("read"):
        raise not_found("Feed source")
    return source


def import_out(feed_import, replayed=False):
    record = feed_import.sudo()
    return {
        "id": record.id,
        "source_id": record.source_id.id,
        "filename": record.filename,
        "state": record.state,
        "rows": record.row_count,
        "created": record.created_count,
        "updated": record.updated_count,
        "unchanged": record.unchanged_count,
        "rejected": record.rejected_count,
        "conflicts": record.conflict_count,
        "new_customers": record.customer_count,
        "progress": record.progress,
        "message": record.message or None,
        "date_done": record.date_done or None,
        "replayed": replayed,
    }


def _answer(response, feed_import, outcome, background):
    if outcome == "conflict":
        raise ApiError(
            409,
            "This Idempotency-Key was used for another request: use a new key "
            "for new data.",
        )
    if outcome == "busy":
        raise ApiError(
            409,
            "A request with this Idempotency-Key is in progress: retry it later "
            "to get its result.",
        )
    replayed = outcome == "replayed"
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
        response.status_code = 200
    else:
        response.status_code = 202 if background else 201
    response.headers["Location"] = f"imports/{feed_import.id}"
    return import_out(feed_import, replayed=replayed)


@router.get("/sources", response_model=list[SourceOut])
def list_sources(env: PartnerEnv):
    """The feed sources you may push to, with the layout of their files."""
    sources = env["renewal.feed.source"].search([])
    return [
        {
            "id": source.id,
            "name": source.name,
            "role": source.role,
            "priority": source.priority,
            "columns": {c.target: c.column_name for c in source.column_ids},
        }
        for source in sources
    ]


@router.post(
    "/sources/{source_id}/rows",
    response_model=ImportOut,
    status_code=201,
    responses={
        200: {"description": "A replay: the import of the first request."},
        202: {"description": "Queued: large pushes run in the background."},
        409: {"description": "Idempotency-Key reused with another body."},
        413: {"description": "The body is over the size limit."},
        422: {"description": "A field has the wrong type, is unknown or missing."},
    },
)
def push_rows(
    source_id: int,
    body: PushRequest,
    env: PartnerEnv,
    response: Response,
    idempotency_key: IdempotencyKey = None,
):
    """Push contract rows. Up to the background threshold (system parameter,
    2,000 rows by default) the import runs now and the answer holds its
    counts (201); beyond it, it is queued (202): follow it with
    `GET /imports/{id}`. Rows with a problem are rejected with their row
    number (from 1), field and reason; the others are imported."""
    source = _source(env, source_id)
    rows = [row.model_dump(mode="json", exclude_none=True) for row in body.rows]
    content = json.dumps(rows, separators=(",", ":"), sort_keys=True).encode()
    digest = hashlib.sha256(
        b"rows:" + (b"dry:" if body.dry_run else b"") + content
    ).hexdigest()
    background = not body.dry_run and len(rows) > source._renewal_api_background_rows()
    stamp = fields.Datetime.now().strftime("%Y%m%d-%H%M%S")
    feed_import, outcome = source._renewal_api_push(
        content,
        f"api-push-{stamp}.json",
        idempotency_key=idempotency_key,
        payload_hash=digest,
        dry_run=body.dry_run,
        background=background,
    )
    return _answer(response, feed_import, outcome, background)


@router.post(
    "/sources/{source_id}/files",
    response_model=ImportOut,
    status_code=202,
    responses={
        200: {"description": "A replay: the import of the first request."},
        409: {"description": "Idempotency-Key reused with another file."},
        413: {"description": "The file is over the size limit."},
        415: {"description": "Not a .csv or .xlsx file."},
    },
)
def upload_file(
    source_id: int,
    file: Annotated[UploadFile, File(description="A .csv or .xlsx file.")],
    env: PartnerEnv,
    response: Response,
    dry_run: Annotated[bool, Form()] = False,
    idempotency_key: IdempotencyKey = None,
):
    """Upload a feed file in the source's own layout (its column mapping,
    encoding, delimiter, date format). It is imported in the background
    (202), or checked at once with `dry_run`."""
    source = _source(env, source_id)
    filename = (file.filename or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not filename.lower().endswith((".csv", ".xlsx")):
        raise ApiError(415, "Upload a .csv or .xlsx file.")
    content = file.file.read()
    if not content:
        raise ApiError(422, "The file is empty.")
    digest = hashlib.sha256(
        b"file:" + (b"dry:" if dry_run else b"") + filename.encode() + b":" + content
    ).hexdigest()
    feed_import, outcome = source._renewal_api_push(
        content,
        filename,
        idempotency_key=idempotency_key,
        payload_hash=digest,
        dry_run=dry_run,
        background=not dry_run,
    )
    return _answer(response, feed_import, outcome, not dry_run)


@router.get("/imports", response_model=list[ImportOut])
def list_imports(
    env: PartnerEnv,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
):
    """Your latest imports, newest first."""
    imports = env["renewal.feed.import"].search([], limit=limit, offset=offset)
    return [import_out(feed_import) for feed_import in imports]


@router.get("/imports/{import_id}", response_model=ImportDetail)
def get_import(
    import_id: int,
    env: PartnerEnv,
    errors_limit: Annotated[int, Query(ge=0, le=10000)] = 1000,
    errors_offset: Annotated[int, Query(ge=0)] = 0,
):
    """An import's state, counts, progress and rejected rows (row, column,
    value, reason), with conflicts with other sources flagged."""
    feed_import = env["renewal.feed.import"].browse(import_id)
    if not feed_import.exists() or not feed_import.has_access("read"):
        raise not_found("Import")
    Error = env["renewal.feed.import.error"]
    domain = [("import_id", "=", feed_import.id)]
    errors = Error.search(
        domain, order="row, id", limit=errors_limit, offset=errors_offset
    )
    return dict(
        import_out(feed_import),
        errors=[
            {
                "row": error.row,
                "column": error.column or "",
                "value": error.value or "",
                "reason": error.reason or "",
                "conflict": error.is_conflict,
            }
            for error in errors
        ],
        errors_total=Error.search_count(domain),
    )
