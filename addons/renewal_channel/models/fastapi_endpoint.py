from typing import Any

from fastapi import Depends
from starlette.middleware import Middleware

from odoo import api, fields, models, tools

from ..partner_api import MODULE, OPENAPI_TAGS, PARAMS, docs_router, errors, router
from ..partner_api.dependencies import accept_language

APP = "renewal_partner"


class FastapiEndpoint(models.Model):
    """The partner API app (``renewal_partner``): its routers, its local
    documentation page, and client errors answered without tracebacks."""

    _inherit = "fastapi.endpoint"

    app = fields.Selection(
        selection_add=[(APP, "Renewals partner API")], ondelete={APP: "cascade"}
    )

    def _get_fastapi_routers(self):
        if self.app == APP:
            return [router, docs_router]
        return super()._get_fastapi_routers()

    def _prepare_fastapi_app_params(self) -> dict[str, Any]:
        params = super()._prepare_fastapi_app_params()
        if self.app == APP:
            # The docs are served from this addon (``docs_router``), not a CDN.
            params.update(
                docs_url=None,
                redoc_url=None,
                version="1",
                openapi_tags=OPENAPI_TAGS,
            )
        return params

    def _get_fastapi_app_dependencies(self):
        if self.app == APP:
            return [Depends(accept_language)]
        return super()._get_fastapi_app_dependencies()

    def _get_app_dependencies_overrides(self):
        # The partner API asks for neither the endpoint record nor its
        # company (its routes work as the key's user, in the user's
        # companies): with no override at all, FastAPI resolves each route's
        # dependencies once, not again on every request.
        if self.app == APP:
            return {}
        return super()._get_app_dependencies_overrides()

    def _get_fastapi_app_middlewares(self):
        middlewares = super()._get_fastapi_app_middlewares()
        if self.app == APP:
            middlewares.append(Middleware(errors.ApiErrorMiddleware))
        return middlewares

    # ------------------------------------------------------------------
    # Helpers of the partner API
    # ------------------------------------------------------------------

    @api.model
    def _renewal_partner_key_group(self):
        """The key group of the partner API: only its keys open it."""
        return self.env.ref(f"{MODULE}.renewal_partner_api_key_group")

    @api.model
    @tools.ormcache("path")
    def _renewal_is_partner_api_path(self, path):
        """Whether a partner API endpoint serves ``path``."""
        endpoint = self.sudo()._get_endpoint(path)
        return bool(endpoint and endpoint.app == APP)

    @api.model
    def _renewal_max_request_bytes(self):
        """The largest request body the partner API reads (system parameter
        ``renewal_channel.max_request_bytes``, 64 MiB by default)."""
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"{PARAMS}.max_request_bytes", "67108864")
        )
        try:
            return max(int(value), 1024)
        except ValueError:
            return 67108864
