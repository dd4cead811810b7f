"""The API's documentation page, with Swagger UI served by this addon
(``static/lib/swagger-ui``) rather than loaded from a CDN."""

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html

from .. import MODULE

router = APIRouter(include_in_schema=False)
ASSETS = f"/{MODULE}/static/lib/swagger-ui"


@router.get("/docs")
def swagger_ui(request: Request):
    root = request.scope.get("root_path", "").rstrip("/")
    return get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title="Renewals partner API",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
        # No badge fetched from validator.swagger.io.
        swagger_ui_parameters={"validatorUrl": None},
    )
