"""Who is calling: the API key, and the key user's own environment."""

from typing import Annotated

from fastapi import Depends

from odoo.api import Environment

from odoo.addons.auth_api_key.models.auth_api_key import AuthApiKey
from odoo.addons.fastapi.dependencies import odoo_env
from odoo.addons.fastapi_auth_api_key.dependencies import authenticated_auth_api_key

from .errors import ApiError


def partner_env(
    key: Annotated[AuthApiKey, Depends(authenticated_auth_api_key)],
    env: Annotated[Environment, Depends(odoo_env)],
) -> Environment:
    """The environment of the key's user, not superuser: every route works in
    it, so that access rights and record rules decide what the caller reads
    and writes. A user who may no longer use the API (archived, or no longer
    a reseller's renewals manager) gets a 403 whatever their key."""
    user = key.user_id
    if not user._renewal_api_allowed():
        raise ApiError(403, "This key's user may not use the partner API.")
    key._renewal_touch()
    context = {
        name: value
        for name, value in env.context.items()
        if name not in ("allowed_company_ids", "uid")
    }
    return env(user=user.id, context=context, su=False)


PartnerEnv = Annotated[Environment, Depends(partner_env)]
