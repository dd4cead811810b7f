"""Who is calling: the API key, and the key user's own environment."""

from typing import Annotated

from fastapi import Depends, Header
from fastapi.security import APIKeyHeader

from odoo import SUPERUSER_ID
from odoo.api import Environment
from odoo.exceptions import ValidationError

from odoo.addons.auth_api_key.models.auth_api_key import AuthApiKey
from odoo.addons.fastapi.context import odoo_env_ctx
from odoo.addons.fastapi_auth_api_key.dependencies import HTTP_API_KEY_HEADER

from .errors import ApiError

api_key_header = APIKeyHeader(name=HTTP_API_KEY_HEADER, auto_error=False)
KEY_IN_CONTEXT = "renewal_api_key_id"
COMPANY_IN_CONTEXT = "renewal_api_commercial_partner_id"


async def accept_language(
    accept_language: Annotated[
        str | None,
        Header(
            alias="Accept-Language",
            description="The language of the answer's texts (Odoo reads it "
            "before the app runs); else the user's.",
        ),
    ] = None,
) -> str | None:
    """The ``fastapi`` addon's app-wide ``accept_language`` dependency, which
    documents the header, as a coroutine. FastAPI runs a plain function in a
    worker thread, and the worker threads of a request served through a2wsgi
    end with the request: that one dependency started a new thread on every
    request of the partner API."""
    return accept_language


def _unauthorized(detail):
    return ApiError(401, detail, {"WWW-Authenticate": HTTP_API_KEY_HEADER})


async def partner_env(
    key: Annotated[str | None, Depends(api_key_header)],
) -> Environment:
    """The environment of the key's user, not superuser: every route works in
    it, so that access rights and record rules decide what the caller reads
    and writes.

    The key is checked as ``fastapi_auth_api_key``'s
    ``authenticated_auth_api_key`` checks it (compared as a digest, then its
    membership of the endpoint's key group), in one dependency instead of
    five: FastAPI runs each synchronous dependency in a worker thread, and
    that one asks for the endpoint record through the app's dependency
    overrides, with which FastAPI analyses every dependency again on each
    request. A user who may no longer use the API (archived, or no longer a
    reseller's renewals manager) gets a 403 whatever their key.

    It is a coroutine, yet calls the ORM without awaiting: the ``fastapi``
    addon gives each request an event loop of its own (its event loop pool),
    so nothing else waits on this loop, and the dependency runs in the loop's
    thread instead of being handed to a worker thread and back (see
    ``routers/contracts.py``)."""
    if not key:
        raise _unauthorized(f"Missing {HTTP_API_KEY_HEADER} header")
    env = odoo_env_ctx.get()
    keys = Environment(env.cr, SUPERUSER_ID, {})["auth.api.key"]
    try:
        key_id = keys._retrieve_api_key_id(key)
    except ValidationError as error:
        raise _unauthorized(error.args[0]) from error
    caller = keys._renewal_partner_caller(key_id)
    if not caller:
        raise _unauthorized("This API key is not valid.")
    user_id, allowed, stale, company_id = caller
    if not allowed:
        raise ApiError(403, "This key's user may not use the partner API.")
    if stale:
        keys.browse(key_id)._renewal_touch()
    context = {
        name: value
        for name, value in env.context.items()
        if name not in ("allowed_company_ids", "uid")
    }
    context[KEY_IN_CONTEXT] = key_id
    context[COMPANY_IN_CONTEXT] = company_id
    return env(user=user_id, context=context, su=False)


PartnerEnv = Annotated[Environment, Depends(partner_env)]


async def partner_key(env: PartnerEnv) -> AuthApiKey:
    """The caller's key (superuser's record)."""
    return env["auth.api.key"].sudo().browse(env.context[KEY_IN_CONTEXT])


PartnerKey = Annotated[AuthApiKey, Depends(partner_key)]


def sells_domain(env, field="id"):
    """The contracts the caller's organisation sells, as a domain on
    ``field`` (see ``res.users._renewal_api_sells_domain``), with the
    commercial entity the check of the caller read."""
    return env.user._renewal_api_sells_domain(
        field, company_id=env.context.get(COMPANY_IN_CONTEXT)
    )
