"""Errors of the partner API: a clear JSON answer, a short log line.

Odoo logs every exception that reaches it with a traceback at ERROR level,
unless it carries a ``loglevel``. A client's mistake (a wrong key, a bad
field, a record it may not see) is not a server error: ``ApiErrorMiddleware``
turns the app's exceptions into an ``ApiError`` logged at INFO, with a
summary that names no key and no submitted value.
"""

import logging

from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from odoo.exceptions import (
    AccessDenied,
    AccessError,
    MissingError,
    UserError,
    ValidationError,
)


class ApiError(HTTPException):
    """An HTTP error answer of the partner API (a 4xx)."""

    loglevel = logging.INFO

    def __str__(self):
        return f"Partner API {self.status_code}: {_summary(self.detail)}"


def not_found(what):
    return ApiError(404, f"{what} not found.")


def _summary(detail):
    if isinstance(detail, list):
        parts = []
        for error in detail[:3]:
            if isinstance(error, dict):
                loc = ".".join(str(part) for part in error.get("loc", ()))
                parts.append(f"{loc}: {error.get('msg', '')}")
            else:
                parts.append(str(error))
        more = f" (+{len(detail) - 3} more)" if len(detail) > 3 else ""
        return "; ".join(parts) + more
    return str(detail)[:300]


def validation_details(errors):
    """Pydantic's errors as the API answers them: where (``loc``), what
    (``msg``), the error ``type`` and the value that was refused; in a list
    of rows, the ``row`` (from 1) and its ``field`` too."""
    details = []
    for error in errors:
        item = {
            "loc": list(error.get("loc", ())),
            "msg": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        item.update(_row_and_field(item["loc"]))
        if "input" in error and error.get("type") != "missing":
            item["input"] = error["input"]
        details.append(item)
    return jsonable_encoder(details)


def _row_and_field(loc):
    """``{"row": n, "field": name}`` for a ``loc`` inside a list of rows
    (``body, 2, serial_number`` or ``body, rows, 2, serial_number``)."""
    if not loc or loc[0] != "body":
        return {}
    for index, part in enumerate(loc[1:], start=1):
        if isinstance(part, int):
            rest = [str(name) for name in loc[index + 1 :]]
            return {"row": part + 1, "field": ".".join(rest)}
    return {}


def row_errors_details(errors):
    """The problems a model method found in numbered rows (``(row, field,
    reason)``, rows from 1) as the API answers them, shaped as pydantic's."""
    return [
        {
            "loc": ["body", row - 1, field] if field else ["body", row - 1],
            "row": row,
            "field": field,
            "msg": reason,
            "type": "value_error",
        }
        for row, field, reason in errors
    ]


def to_api_error(exc):
    """The ``ApiError`` answering ``exc``, or None for a server error."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, RequestValidationError):
        return ApiError(422, validation_details(exc.errors()))
    if isinstance(exc, HTTPException):
        detail = exc.detail
        if isinstance(detail, tuple):
            detail = " ".join(str(part) for part in detail)
        return ApiError(exc.status_code, detail, getattr(exc, "headers", None))
    if isinstance(exc, MissingError):
        return ApiError(404, "Not found.")
    if isinstance(exc, AccessDenied | AccessError):
        return ApiError(403, str(exc.args[0]) if exc.args else "Access denied.")
    if isinstance(exc, ValidationError):
        # Row-by-row problems (a registration's), when the model lists them.
        errors = getattr(exc, "errors", None)
        if errors:
            return ApiError(422, row_errors_details(errors))
        return ApiError(422, exc.args[0])
    if isinstance(exc, UserError):
        return ApiError(400, exc.args[0])
    return None


class ApiErrorMiddleware:
    """ASGI middleware: the app's client errors become ``ApiError``s; Odoo
    then rolls the transaction back and answers with their status and
    detail."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        try:
            await self.app(scope, receive, send)
        except Exception as exc:
            error = to_api_error(exc)
            if error is None or error is exc:
                raise
            raise error from exc
