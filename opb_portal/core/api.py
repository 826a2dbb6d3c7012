"""
The machinery of the read-only JSON API at `/api/v1/`: one django-ninja API, its
OpenAPI 3.1 document at `/api/v1/schema/`, and the answers every endpoint shares.

The API answers scripts, Power BI and Excel, not people at a browser: an anonymous
request gets a 401 with a JSON body rather than a redirect to the login page, and
every refusal and error is JSON. Roles are the same as for the pages: `can()` decides.

This module names no domain. Each domain app builds a `Router` of typed endpoints
and hands it to `register()` from its `AppConfig.ready()`; the schema is generated
from those endpoints' type hints, so it cannot drift from what they answer
(docs/decisions/0006-api-schema.md).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import cache
from typing import Annotated, Any

from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import URLPattern
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyHeader
from pydantic import BeforeValidator, Field, WithJsonSchema

from opb_portal.accounts.permissions import READ, Action, can
from opb_portal.core import domains, text
from opb_portal.periods import FinancialYear, Period, PeriodError

ROOT = "/api/v1/"
#: Excel keeps 15 significant digits: a figure read from a workbook has no more meaning than that.
SIGNIFICANT_DIGITS = 15


# --- figures -------------------------------------------------------------------------------


def figure(value: Decimal | int | None, places: int | None = None) -> int | float | None:
    """
    A figure as a JSON number: 87.2, never "87.2" nor 87.20000000000000284; None for a
    figure not reported (JSON null).

    `places` is the measure's precision where the caller knows it (rounded half up, as
    the Trust publishes); without it the figure keeps the places it was stored with, to
    at most Excel's 15 significant digits. The one place the API turns a Decimal into a
    number, so a precision kept as data can replace `places` here alone.

    A Decimal of at most 15 significant digits becomes the nearest binary double, whose
    shortest representation (what `json` writes) is those same digits: exact in the text.
    """
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    elif value.adjusted() - value.as_tuple().exponent >= SIGNIFICANT_DIGITS:
        with localcontext(prec=SIGNIFICANT_DIGITS, rounding=ROUND_HALF_UP):
            value = +value
    if value.as_tuple().exponent >= 0:
        return int(value)
    return float(value)


#: The type of a figure in an endpoint's schema: a JSON number, or null when not reported.
Figure = int | float | None


class Point(Schema):
    """One month of a series: a list of these reads into a table with one row per month."""

    period: str
    value: Figure


class ReturnSummary(Schema):
    """The return behind the figures: its state now and the version the figures come from."""

    status: str
    version: int | None
    source: str | None
    submitted_by: str | None
    submitted_at: datetime | None
    approved_by: str | None
    approved_at: datetime | None


class FromReturn(Schema):
    """An answer drawn from one return, described under `return` (`submissions.return_summary`)."""

    # `return` is a Python keyword: the field is `return_`, written as `return` in JSON.
    return_: ReturnSummary | None = Field(alias="return")


# --- parameters ----------------------------------------------------------------------------


#: The years the API answers for. The portal holds 1900 to 2999, but a month's page looks
#: back two years and on to its year's end: within this century nothing falls off an edge.
FIRST_YEAR, LAST_YEAR = 2000, 2099
#: A month of those years, 2000-01 to 2099-12.
MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"
#: A financial year of them, 2000-01 to 2099-00: the second year is the first plus one.
YEAR_PATTERN = "^20(" + "|".join(f"{n:02d}-{(n + 1) % 100:02d}" for n in range(100)) + ")$"


def _parser(parse: Callable[[str], Any], sentence: str, pattern: str):
    """
    A parameter read strictly as the schema writes it (`2025-03`, not `March 2025`, which
    `Period.parse` reads from workbooks): a script that sends anything else is told so.
    """

    def parsed(text: Any) -> Any:
        if isinstance(text, Period | FinancialYear):
            return text
        if not isinstance(text, str) or not re.fullmatch(pattern, text):
            raise ValueError(sentence)
        try:
            return parse(text)
        except PeriodError:
            raise ValueError(sentence) from None

    return BeforeValidator(parsed)


#: `?period=2025-03`: a reporting month, given to the endpoint as a `Period`.
Month = Annotated[
    Period,
    _parser(
        Period.parse,
        "must be a month written as YYYY-MM, for example 2025-03, from 2000-01 to 2099-12.",
        MONTH_PATTERN,
    ),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": MONTH_PATTERN,
            "description": "A reporting month written as YYYY-MM (2000-01 to 2099-12).",
            "example": "2025-03",
        }
    ),
]

#: `?year=2024-25`: an April-March financial year, given to the endpoint as a `FinancialYear`.
Year = Annotated[
    FinancialYear,
    _parser(
        FinancialYear.parse,
        "must be a financial year written as YYYY-YY, for example 2024-25, "
        "from 2000-01 to 2099-00.",
        YEAR_PATTERN,
    ),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": YEAR_PATTERN,
            "description": "A financial year (April to March) written as YYYY-YY, e.g. 2024-25.",
            "example": "2024-25",
        }
    ),
]


# --- errors --------------------------------------------------------------------------------


class Error(Schema):
    """Every refusal and error of the API: one sentence a person can act on."""

    error: str


class BadRequest(Error):
    """A 400: which parameters were wrong, and why."""

    problems: list[Problem] = []


class Problem(Schema):
    parameter: str
    message: str


BadRequest.model_rebuild()

#: What every endpoint may answer besides its 200, each documented in the schema.
REFUSALS = {400: BadRequest, 401: Error, 403: Error}


class BadParameter(Exception):
    """Raised by an endpoint whose parameter passed its type but not its meaning: a 400."""

    def __init__(self, parameter: str, sentence: str):
        super().__init__(f"{parameter} {sentence}")
        self.parameter = parameter


def json_error(status: int, message: str, **extra) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def answers_json(request: HttpRequest) -> bool:
    """Is this a request to the API, whose every answer (404, 500 included) is JSON?"""
    return request.path.startswith(ROOT.removesuffix("v1/"))


def not_found(request: HttpRequest) -> JsonResponse:
    return json_error(404, f"There is nothing at {request.path}: see {ROOT}schema/.")


def server_error(request: HttpRequest) -> JsonResponse:
    return json_error(500, "Something went wrong on our side; it has been logged.")


def _unauthenticated() -> JsonResponse:
    response = json_error(
        401, "Authentication required: send 'Authorization: Token <key>' or sign in."
    )
    response["WWW-Authenticate"] = "Token"
    return response


def _refusal(request: HttpRequest) -> JsonResponse | None:
    """The 401 or 403 a request gets before anything else, or None if it may read."""
    if not request.user.is_authenticated:
        return _unauthenticated()
    if not can(request.user, Action.USE_API):
        return json_error(403, "Your role does not allow this.")
    return None


class Refused(Exception):
    def __init__(self, response: JsonResponse):
        self.response = response


class TokenOrSession(APIKeyHeader):
    """
    `Authorization: Token <key>` (a key from the account page or `manage.py api_token`),
    or a signed-in browser session.

    The key itself is checked by `accounts.middleware.ApiTokenMiddleware`, which makes its
    owner the request's user; here only the role is asked, as for the pages.
    """

    param_name = "Authorization"
    openapi_description = (
        "Send `Authorization: Token <key>`. Make a key on your account page "
        "(/accounts/api-keys/) or with `manage.py api_token USERNAME`."
    )

    def __call__(self, request: HttpRequest):
        refused = _refusal(request)
        if refused is not None:
            raise Refused(refused)
        return request.user

    def authenticate(self, request, key):  # pragma: no cover: __call__ decides
        return None


#: The schema's description; {figures} names the registered domains' figures (core.domains).
DESCRIPTION = (
    "Read-only figures of the Operational Partnership Board: the approved {figures} figures "
    "the dashboards show. Figures are JSON numbers at their published precision (null when "
    "not reported); series are lists of {{period, value}}."
)


class PortalApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        # Written when asked, once every domain has registered: this module names none.
        schema = super().get_openapi_schema(**kwargs)
        labels = [domain.label for domain in domains.registered()]
        schema["info"]["description"] = DESCRIPTION.format(figures=text.joined(labels))
        return schema

    def get_root_path(self, path_params) -> str:
        # Django-ninja finds its root by reversing a URL `urls()` leaves out (see there).
        return ROOT

    def get_content_type(self) -> str:
        # JSON is UTF-8 by definition (RFC 8259): the same header as every JsonResponse here.
        return "application/json"


def _schema_gate(view):
    """The schema is for those who may use the API: the same 401 and 403 as its endpoints."""

    def gated(request, *args, **kwargs):
        return _refusal(request) or view(request, *args, **kwargs)

    return gated


api = PortalApi(
    title="OPB portal API",
    version="1",
    description=DESCRIPTION.format(figures="domains'"),
    urls_namespace="api",
    openapi_url="schema/",
    docs_url=None,
    docs_decorator=_schema_gate,
    auth=TokenOrSession(),
)


@api.exception_handler(Refused)
def _refused(request, exc: Refused):
    return exc.response


@api.exception_handler(AuthenticationError)
def _authentication(request, exc):
    return _unauthenticated()


@api.exception_handler(ValidationError)
def _bad_parameters(request, exc: ValidationError):
    problems = []
    for error in exc.errors:
        name = str(error.get("loc", ["", "?"])[-1])
        if error.get("type") == "missing":
            described = _parameter_descriptions().get(request.path, {}).get(name, "")
            message = f"{name} is required: {described}".strip()
        else:
            message = (
                f"{name} {str(error.get('msg', 'is not valid.')).removeprefix('Value error, ')}"
            )
        problems.append({"parameter": name, "message": message})
    return json_error(400, " ".join(p["message"] for p in problems), problems=problems)


@cache
def _parameter_descriptions() -> dict[str, dict[str, str]]:
    """Each path's parameters with their descriptions, from the schema: `{path: {name: text}}`."""
    return {
        path: {p["name"]: p.get("description", "") for p in item["get"].get("parameters", [])}
        for path, item in api.get_openapi_schema()["paths"].items()
    }


@api.exception_handler(BadParameter)
def _bad_parameter(request, exc: BadParameter):
    problems = [{"parameter": exc.parameter, "message": str(exc)}]
    return json_error(400, str(exc), problems=problems)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return not_found(request)


@api.exception_handler(Exception)
def _unexpected(request, exc):
    """
    Any other failure: logged with its traceback for the developer, a JSON 500 for the
    script (never django-ninja's traceback in debug). A database gone away is left to
    `DatabaseUnavailableMiddleware`'s 503.
    """
    if isinstance(exc, OperationalError | InterfaceError):
        raise exc
    logging.getLogger("django.request").error(
        "Internal Server Error: %s", request.path, exc_info=exc
    )
    return server_error(request)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return json_error(exc.status_code, exc.message)


def register(prefix: str, router: Router) -> None:
    """Mount a domain's endpoints under `/api/v1/<prefix>`; called from its `AppConfig.ready()`."""
    api.add_router(prefix, router)


def read(
    router: Router,
    path: str,
    *,
    name: str,
    response: type,
    summary: str,
    may_find_nothing: bool = False,
):
    """
    Declare a read-only endpoint: GET, documented with its 200 and every refusal, and its
    404 where it `may_find_nothing` (a code or year with no figures stored).

    HEAD gets what GET gets without a body (as for the pages), kept out of the schema so
    each operation is described once.
    """

    def decorator(view):
        responses = {200: response, **REFUSALS}
        if may_find_nothing:
            responses[404] = Error
        common = {"response": responses, "by_alias": True}
        router.get(path, url_name=name, summary=summary, **common)(view)
        router.api_operation(["HEAD"], path, include_in_schema=False, **common)(view)
        return view

    return decorator


def _gate(view):
    """
    The sign-in and role checks come before the method check, as for the pages
    (`permissions.require`): a method the API does not answer says nothing to someone
    who may not use it, then a 405 in JSON to those who may.
    """

    @login_not_required
    def gated(request, *args, **kwargs):
        if request.method in READ:
            return view(request, *args, **kwargs)
        refused = _refusal(request)
        if refused is None:
            refused = json_error(405, "The API only reads: send a GET.")
            refused["Allow"] = ", ".join(READ)
        return refused

    gated.csrf_exempt = True
    return gated


def urls():
    """`/api/v1/`'s URL patterns, each behind `_gate`, for `opb_portal.urls` to include."""
    patterns, _app_name, namespace = api.urls
    gated, routes = [], set()
    for entry in patterns:
        # The root would redirect to browsable docs, which a council network must not fetch;
        # a path's HEAD operation adds a second pattern for the same view: one is enough.
        if entry.name == "api-root" or str(entry.pattern) in routes:
            continue
        routes.add(str(entry.pattern))
        gated.append(
            URLPattern(entry.pattern, _gate(entry.callback), entry.default_args, entry.name)
        )
    return gated, namespace
