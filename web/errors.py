"""Error responses: every malformed body is a 422 in FastAPI's shape.

FastAPI answers 400 when a body's bytes are not even text, and its 422
handler fails (a 500) when it echoes an input holding a lone surrogate
("\\ud800" in the JSON) as UTF-8; both are mended here. Every 422 item
carries `msg_de` besides `msg`, and every other refusal's text `detail`
its German `detail_de` (simulator.terms.messages holds both kinds): the
console on a German page shows those.
"""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from simulator.terms.messages import translate

PARSE_ERROR = "There was an error parsing the body"


class ASCIIJSONResponse(JSONResponse):
    """JSON with non-ASCII escaped: any string can be echoed back."""

    def render(self, content: Any) -> bytes:
        return json.dumps(_finite(content), ensure_ascii=True, separators=(",", ":"),
                          allow_nan=False).encode()  # fmt: skip


def _finite(value: Any) -> Any:
    """`value` with NaN and infinities as strings: a 422 echoing the input of
    `{"speed": NaN}` must itself be valid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def with_german(detail: Any) -> Any:
    """A 422 detail list with `msg_de` next to each item's `msg`."""
    if not isinstance(detail, list):
        return detail
    return [
        {**item, "msg_de": translate(str(item["msg"]), "de")}
        if isinstance(item, dict) and "msg" in item
        else item
        for item in detail
    ]


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == PARSE_ERROR:
        detail = [{"type": "json_invalid", "loc": ["body"], "msg": "the body is not valid JSON"}]
        return JSONResponse({"detail": with_german(detail)}, status_code=422)
    if exc.status_code == 405:  # every method of the path, not only the first route's
        headers = {**(exc.headers or {}), "Allow": ", ".join(allowed(request))}
        exc = StarletteHTTPException(405, exc.detail, headers)
    if exc.status_code == 422 and isinstance(exc.detail, list):
        return ASCIIJSONResponse({"detail": with_german(exc.detail)}, status_code=422,
                                 headers=exc.headers)  # fmt: skip
    if isinstance(exc.detail, str) and exc.status_code not in (204, 304):
        return ASCIIJSONResponse({"detail": exc.detail, "detail_de": translate(exc.detail, "de")},
                                 status_code=exc.status_code, headers=exc.headers)  # fmt: skip
    return await http_exception_handler(request, exc)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed(request: Request) -> list[str]:
    """The methods some route answers on the request's path. Starlette's 405
    names only the first route matching the path; a path with a GET and a POST
    in different routers (e.g. .../decisions) has both."""
    found = []
    for method in METHODS:
        probe = {k: v for k, v in request.scope.items() if k != "fastapi"}
        probe["method"] = method
        if any(r.matches(probe)[0] == Match.FULL for r in request.app.router.routes):
            found.append(method)
    return found


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    detail = with_german(jsonable_encoder(exc.errors()))
    return ASCIIJSONResponse({"detail": detail}, status_code=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
