from werkzeug.exceptions import LengthRequired, RequestEntityTooLarge

from odoo import models
from odoo.http import request


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        """Refuse a partner API request whose body is too large before
        anything reads it: the FastAPI dispatcher copies the whole body into
        memory, and Odoo's own upload limit only applies to form parsing."""
        if rule.endpoint.routing.get("type") == "fastapi":
            cls._renewal_check_request_size()
        return super()._pre_dispatch(rule, args)

    @classmethod
    def _renewal_check_request_size(cls):
        httprequest = request.httprequest
        length = httprequest.content_length
        chunked = httprequest.headers.get("Transfer-Encoding", "").lower() == "chunked"
        if length is None and not chunked:
            return  # no body (most calls): nothing to check
        Endpoint = request.env["fastapi.endpoint"].sudo()
        if not Endpoint._renewal_is_partner_api_path(httprequest.path):
            return
        limit = Endpoint._renewal_max_request_bytes()
        if length is None:
            if chunked:
                raise LengthRequired(
                    request.env._(
                        "Send a Content-Length header (requests of at most "
                        "%(limit)s bytes): chunked bodies are not accepted.",
                        limit=limit,
                    )
                )
            return
        if length > limit:
            raise RequestEntityTooLarge(
                request.env._(
                    "The request body is %(size)s bytes; the limit is %(limit)s "
                    "bytes. Send fewer rows per request.",
                    size=length,
                    limit=limit,
                )
            )
