"""The LEA's screens: overview with sampled students and counts, Save Data, Confirm and Submit,
the SELPA review of one LEA, and the printable receipt."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from web.portal.client import Answer, Client
from web.portal.rendering import Renderer, error_items, first, redirect

EDITABLE = ("NOT_STARTED", "DRAFT", "REJECTED")
COUNT_FIELDS = ("countA", "countB", "countC")
SUBMITTER_FIELDS = ("name", "title", "email", "phone", "phoneExt")


def whole_number(value: str, name: str, errors: list[dict[str, str]]) -> int | None:
    """The typed value as an int, or an error naming the field (the API takes only integers)."""
    text = value.strip()
    if text.lstrip("-").isdigit() and len(text) <= 9:
        return int(text)
    errors.append({"id": name, "message": f"{name} must be a whole number."})
    return None


def version(fields: dict[str, list[str]]) -> int | None:
    text = first(fields, "expectedVersion")
    return int(text) if text.isdigit() and len(text) <= 9 else None


class LeaPages:
    def __init__(self, client: Client, renderer: Renderer) -> None:
        self.client = client
        self.renderer = renderer

    async def _overview(self, request: Request) -> tuple[Answer, dict[str, Any] | None]:
        params = request.path_params
        answer = await self.client.run(
            request, "LeaOverview", {"cycle": params["cycle"], "cdsCode": params["cds"]}
        )
        return answer, answer.data.get("lea")

    def _not_found(self, request: Request) -> Response:
        return self.renderer.page(
            request,
            "message.html",
            status_code=404,
            title="Not found",
            message="There is no such LEA in this cycle that you may see.",
        )

    async def overview(
        self,
        request: Request,
        *,
        errors: list[dict[str, str]] | None = None,
        typed: dict[str, str] | None = None,
        notice: str = "",
    ) -> Response:
        answer, lea = await self._overview(request)
        if lea is None:
            return self._not_found(request)
        search = request.query_params.get("search", "")[:100]
        students = None
        if search:
            found = await self.client.run(
                request,
                "SampledStudents",
                {
                    "cycle": lea["cycle"]["name"],
                    "cdsCode": lea["cdsCode"],
                    "search": search,
                    "first": 50,
                },
            )
            errors = [
                *(errors or []),
                *[{"id": "search", "message": e["message"]} for e in found.errors],
            ]
            students = (found.data.get("lea") or {}).get("sampledStudents")
        submission = lea["submission"] or {}
        editable = (
            submission.get("status", "NOT_STARTED") in EDITABLE
            and lea["cycle"]["status"] == "OPEN"
            and answer.data["viewer"]["role"] in ("LEA", "SELPA")
        )
        return self.renderer.page(
            request,
            "lea_overview.html",
            status_code=400 if errors else 200,
            title=f"{lea['name']} overview",
            lea=lea,
            submission=submission,
            role=answer.data["viewer"]["role"],
            editable=editable,
            search=search,
            students=students,
            typed=typed or {},
            errors=errors or [],
            notice=notice or request.query_params.get("notice", "")[:200],
        )

    async def save(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        errors: list[dict[str, str]] = []
        counts = {name: whole_number(first(fields, name), name, errors) for name in COUNT_FIELDS}
        typed = {name: first(fields, name) for name in COUNT_FIELDS}
        if errors:
            return await self.overview(request, errors=errors, typed=typed)
        params = request.path_params
        answer = await self.client.run(
            request,
            "SaveCounts",
            {
                "input": {
                    "cycle": params["cycle"],
                    "cdsCode": params["cds"],
                    "expectedVersion": version(fields),
                    **counts,
                }
            },
        )
        problems = error_items(answer.user_errors("saveCounts")) or [
            {"id": "", "message": e["message"]} for e in answer.errors
        ]
        if problems:
            return await self.overview(request, errors=problems, typed=typed)
        return redirect(f"{request.url.path.rsplit('/', 1)[0]}?notice=Data+saved.")

    async def confirm(
        self,
        request: Request,
        *,
        errors: list[dict[str, str]] | None = None,
        typed: dict[str, str] | None = None,
    ) -> Response:
        _, lea = await self._overview(request)
        if lea is None:
            return self._not_found(request)
        submitter = (lea["submission"] or {}).get("submitter") or {}
        return self.renderer.page(
            request,
            "confirm_submit.html",
            status_code=400 if errors else 200,
            title="Confirm and Submit",
            lea=lea,
            submission=lea["submission"] or {},
            typed=typed or {k: submitter.get(k) or "" for k in SUBMITTER_FIELDS},
            errors=errors or [],
        )

    async def submit(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        params = request.path_params
        typed = {name: first(fields, f"submitter-{name}") for name in SUBMITTER_FIELDS}
        submitter: dict[str, Any] = {k: v for k, v in typed.items() if k != "phoneExt"}
        submitter["phoneExt"] = typed["phoneExt"] or None
        answer = await self.client.run(
            request,
            "SubmitSubmission",
            {
                "input": {
                    "cycle": params["cycle"],
                    "cdsCode": params["cds"],
                    "submitter": submitter,
                    "certify": first(fields, "certify") == "yes",
                    "expectedVersion": version(fields),
                }
            },
        )
        problems = error_items(answer.user_errors("submitSubmission")) or [
            {"id": "", "message": e["message"]} for e in answer.errors
        ]
        if problems:
            return await self.confirm(request, errors=problems, typed=typed)
        base = request.url.path.rsplit("/", 1)[0]
        return redirect(f"{base}?notice=Your+IEP+Implementation+data+was+submitted.")

    async def receipt(self, request: Request) -> Response:
        _, lea = await self._overview(request)
        if lea is None or not (lea["submission"] or {}).get("submittedAt"):
            return self._not_found(request)
        return self.renderer.page(
            request,
            "receipt.html",
            title="Submission receipt",
            lea=lea,
            submission=lea["submission"],
        )

    async def review_page(
        self,
        request: Request,
        *,
        errors: list[dict[str, str]] | None = None,
        typed: dict[str, str] | None = None,
    ) -> Response:
        answer, lea = await self._overview(request)
        if lea is None:
            return self._not_found(request)
        return self.renderer.page(
            request,
            "review.html",
            status_code=400 if errors else 200,
            title=f"SELPA Review: {lea['name']}",
            lea=lea,
            submission=lea["submission"] or {},
            role=answer.data["viewer"]["role"],
            typed=typed or {},
            errors=errors or [],
        )

    async def review(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        params = request.path_params
        keys = ("decision", "reason", "reviewerName", "reviewerTitle", "certify")
        typed = {k: first(fields, k) for k in keys}
        decision = typed["decision"]
        if decision not in ("APPROVE", "REJECT"):
            return await self.review_page(
                request,
                errors=[
                    {
                        "id": "decision-approve",
                        "message": "Choose Approve Submission or Reject Submission.",
                    }
                ],
                typed=typed,
            )
        answer = await self.client.run(
            request,
            "ReviewSubmission",
            {
                "input": {
                    "cycle": params["cycle"],
                    "cdsCode": params["cds"],
                    "decision": decision,
                    "reason": typed["reason"] or None,
                    "reviewerName": typed["reviewerName"] or None,
                    "reviewerTitle": typed["reviewerTitle"] or None,
                    "certify": typed["certify"] == "yes",
                    "expectedVersion": version(fields),
                }
            },
        )
        problems = error_items(answer.user_errors("reviewSubmission")) or [
            {"id": "", "message": e["message"]} for e in answer.errors
        ]
        if problems:
            return await self.review_page(request, errors=problems, typed=typed)
        done = "approved" if decision == "APPROVE" else "rejected"
        return redirect(f"/?notice=Submission+{done}.")
