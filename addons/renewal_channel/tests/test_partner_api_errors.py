import logging

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.tests import BaseCase, tagged

from ..partner_api.errors import ApiError, to_api_error


@tagged("post_install", "-at_install")
class TestPartnerApiErrors(BaseCase):
    """A client's mistake is answered with its status and logged by Odoo at
    INFO without a traceback (the ``loglevel`` Odoo's dispatcher honours),
    in a line that repeats neither the key nor the values sent."""

    def test_client_errors_are_info_without_traceback(self):
        cases = [
            (HTTPException(401, ("This API key is not valid.",)), 401),
            (MissingError("gone"), 404),
            (AccessError("no"), 403),
            (ValidationError("bad"), 422),
            (UserError("refused"), 400),
        ]
        for exc, status in cases:
            with self.subTest(exc=exc):
                error = to_api_error(exc)
                self.assertIsInstance(error, ApiError)
                self.assertEqual(error.status_code, status)
                self.assertEqual(error.loglevel, logging.INFO)
                self.assertFalse(getattr(error, "exc_info", None))
        self.assertEqual(
            to_api_error(HTTPException(401, ("This API key is not valid.",))).detail,
            "This API key is not valid.",
        )
        self.assertIsNone(to_api_error(ZeroDivisionError()))

    def test_validation_errors_name_the_field_in_the_answer_not_the_log(self):
        exc = RequestValidationError(
            [
                {
                    "loc": ("body", "rows", 0, "list_price"),
                    "msg": "Input should be a valid number",
                    "type": "float_type",
                    "input": "secret-ish value",
                }
            ]
        )
        error = to_api_error(exc)
        self.assertEqual(error.status_code, 422)
        self.assertEqual(error.detail[0]["loc"], ["body", "rows", 0, "list_price"])
        self.assertEqual(error.detail[0]["input"], "secret-ish value")
        line = str(error)
        self.assertIn("body.rows.0.list_price: Input should be a valid number", line)
        self.assertNotIn("secret-ish value", line)
