"""Templates, form bodies, the error summary and the CSRF check shared by every page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kernel.settings import Settings
from web.portal.session import (
    CSRF_FIELD,
    SESSION_COOKIE,
    csrf_seed,
    csrf_token,
    csrf_valid,
    set_csrf_seed,
)

PACIFIC = ZoneInfo("America/Los_Angeles")
MAX_FORM_BYTES = 1_000_000
MAX_UPLOAD_BYTES = 1_048_576
STATUS_LABELS = {
    "NOT_STARTED": "Not started",
    "DRAFT": "Draft",
    "SUBMITTED": "Submitted",
    "APPROVED": "Approved",
    "REJECTED": "Rejected",
}


def pacific(value: str | None) -> str:
    """An ISO instant from the API as Pacific wall time, e.g. June 30, 2025, 11:59 PM PT."""
    if not value:
        return ""
    at = datetime.fromisoformat(value).astimezone(PACIFIC)
    hour = at.strftime("%I").lstrip("0")
    return f"{at:%B} {at.day}, {at.year}, {hour}:{at:%M %p} {at.tzname()}"


def field_id(path: list[str] | None) -> str:
    """The form control a userError's field path names: input.submitter.email → submitter-email."""
    parts = [p for p in (path or []) if p != "input"]
    return "-".join(parts)


def error_items(user_errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"id": field_id(e.get("field")), "message": e["message"]} for e in user_errors]


ENV = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters["pacific"] = pacific
ENV.filters["status_label"] = lambda s: STATUS_LABELS.get(s or "NOT_STARTED", s)


class Renderer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def page(
        self, request: Request, template: str, *, status_code: int = 200, **values: Any
    ) -> Response:
        seed, fresh = csrf_seed(request)
        session = request.cookies.get(SESSION_COOKIE, "")
        values.setdefault("errors", [])
        values.setdefault("signed_in", bool(session))
        values.setdefault("graphiql", self.settings.graphiql)
        html = ENV.get_template(template).render(
            csrf_field=CSRF_FIELD,
            csrf_token=csrf_token(self.settings.secret_key, seed, session),
            **values,
        )
        response = HTMLResponse(
            html, status_code=status_code, headers={"cache-control": "no-store"}
        )
        if fresh:
            set_csrf_seed(request, response, seed)
        return response

    async def form(self, request: Request) -> dict[str, list[str]] | None:
        """The posted fields, or None when the CSRF token is missing or wrong."""
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            return None
        fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        token = (fields.get(CSRF_FIELD) or [""])[0]
        if not csrf_valid(request, self.settings.secret_key, token):
            return None
        return fields

    async def upload(self, request: Request) -> tuple[dict[str, list[str]], bytes | None] | None:
        """The fields and the one file of a ``multipart/form-data`` form (None for the file
        when the form holds none or it is larger than the limit), or None when the CSRF token
        is missing or wrong or the form cannot be read."""
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_UPLOAD_BYTES + MAX_FORM_BYTES:
            return None
        try:
            async with request.form(
                max_files=1, max_fields=10, max_part_size=MAX_UPLOAD_BYTES
            ) as form:
                fields: dict[str, list[str]] = {}
                data: bytes | None = None
                for name, value in form.multi_items():
                    if isinstance(value, str):
                        fields.setdefault(name, []).append(value)
                    elif value.size is None or value.size <= MAX_UPLOAD_BYTES:
                        data = await value.read()
        except MultiPartException:
            return None
        if not csrf_valid(request, self.settings.secret_key, first(fields, CSRF_FIELD)):
            return None
        return fields, data or None

    def refused(self, request: Request) -> Response:
        return self.page(
            request,
            "message.html",
            status_code=403,
            title="Form expired",
            message="This form has expired or did not come from this site. Open the page again.",
        )


def first(fields: dict[str, list[str]], name: str) -> str:
    return (fields.get(name) or [""])[0]


def redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
