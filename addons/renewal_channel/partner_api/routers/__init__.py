"""The partner API's routes, one router per subject."""

from fastapi import APIRouter

from . import contracts, docs, feeds, quotations, registrations, webhooks

OPENAPI_TAGS = [
    {"name": "feeds", "description": feeds.__doc__},
    {"name": "contracts", "description": contracts.__doc__},
    {"name": "quotations", "description": quotations.__doc__},
    {"name": "installed base", "description": registrations.__doc__},
    {"name": "webhooks", "description": webhooks.__doc__},
]

router = APIRouter()
for module in (feeds, contracts, quotations, registrations, webhooks):
    router.include_router(module.router)
docs_router = docs.router

__all__ = ["OPENAPI_TAGS", "docs_router", "router"]
