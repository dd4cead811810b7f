"""The partner API: a FastAPI app on OCA's ``fastapi`` addon.

``dependencies`` authenticates the key and gives the key user's own
environment, ``schemas`` holds the pydantic models, ``routers`` the routes,
``errors`` the error responses (logged without tracebacks).
"""

# The addon this package belongs to, for xml ids and static URLs.
MODULE = __name__.split(".")[2]
# The namespace of its system parameters (the same whatever the addon).
PARAMS = "renewal_channel"

from . import errors  # noqa: E402
from .routers import OPENAPI_TAGS, docs_router, router  # noqa: E402

__all__ = ["MODULE", "OPENAPI_TAGS", "PARAMS", "docs_router", "errors", "router"]
