"""The minutes worksheet: enter prescribed and provided minutes per sampled student, see each
rate and category, and apply the derived counts to the draft."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from models.worksheet.minutes_csv import MinutesFileError, parse_minutes_csv
from web.portal.client import Client
from web.portal.rendering import Renderer, error_items, first, redirect

PAGE = 50


class WorksheetPages:
    def __init__(self, client: Client, renderer: Renderer) -> None:
        self.client = client
        self.renderer = renderer

    async def page(
        self,
        request: Request,
        *,
        errors: list[dict[str, str]] | None = None,
        typed: dict[str, str] | None = None,
    ) -> Response:
        params = request.path_params
        after = request.query_params.get("after", "")[:10] or None
        answer = await self.client.run(
            request,
            "Worksheet",
            {"cycle": params["cycle"], "cdsCode": params["cds"], "first": PAGE, "after": after},
        )
        lea = answer.data.get("lea")
        if lea is None:
            return self.renderer.page(
                request,
                "message.html",
                status_code=404,
                title="Not found",
                message="There is no such LEA in this cycle that you may see.",
            )
        rows = lea["worksheet"]["rows"]
        return self.renderer.page(
            request,
            "worksheet.html",
            status_code=400 if errors else 200,
            title=f"Minutes worksheet: {lea['name']}",
            lea=lea,
            rows=rows,
            after=after or "",
            next_after=rows[-1]["ssid"] if len(rows) == PAGE else "",
            typed=typed or {},
            errors=errors or [],
            notice=request.query_params.get("notice", "")[:200],
        )

    async def record(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        params = request.path_params
        entries: list[dict[str, Any]] = []
        typed: dict[str, str] = {}
        errors: list[dict[str, str]] = []
        for index, ssid in enumerate(fields.get("ssid", [])[:PAGE]):
            entry: dict[str, Any] = {"ssid": ssid}
            for name in ("prescribedMinutes", "providedMinutes"):
                key = f"entries-{index}-{name}"
                text = first(fields, key).strip()
                typed[key] = text
                if text and not (text.isdigit() and len(text) <= 9):
                    errors.append(
                        {"id": key, "message": f"{name} of row {index + 1} must be a whole number."}
                    )
                entry[name] = int(text) if text.isdigit() and len(text) <= 9 else None
            entries.append(entry)
        if not errors:
            answer = await self.client.run(
                request,
                "RecordMinutes",
                {"input": {"cycle": params["cycle"], "cdsCode": params["cds"], "entries": entries}},
            )
            errors = error_items(answer.user_errors("recordMinutes")) or [
                {"id": "", "message": e["message"]} for e in answer.errors
            ]
        if errors:
            return await self.page(request, errors=errors, typed=typed)
        after = first(fields, "after")
        query = f"after={after}&" if after.isdigit() else ""
        return redirect(f"{request.url.path}?{query}notice=Minutes+recorded.")

    async def upload(self, request: Request) -> Response:
        """A minutes file (CSV or .xlsx, as the worksheet upload reads it) recorded through the
        same ``RecordMinutes`` operation as the form; errors name the file's line and column."""
        posted = await self.renderer.upload(request)
        if posted is None:
            return self.renderer.refused(request)
        _, data = posted
        if data is None:
            problem = "Choose a minutes file (CSV or Excel) of at most 1 MB."
            return await self.page(request, errors=[{"id": "minutes-file", "message": problem}])
        try:
            parsed = parse_minutes_csv(data)
        except MinutesFileError as exc:
            where = f"Line {exc.line}: " if exc.line else ""
            message = f"{where}{exc.message}."
            return await self.page(request, errors=[{"id": "minutes-file", "message": message}])
        errors = [
            {"id": "minutes-file", "message": str(parsed.row_error(problem))}
            for problem in parsed.problems
        ]
        if not errors:
            entries = [
                {
                    "ssid": entry.ssid,
                    "prescribedMinutes": entry.prescribed,
                    "providedMinutes": entry.provided,
                }
                for entry in parsed.entries
            ]
            params = request.path_params
            answer = await self.client.run(
                request,
                "RecordMinutes",
                {"input": {"cycle": params["cycle"], "cdsCode": params["cds"], "entries": entries}},
            )
            errors = [
                {"id": "minutes-file", "message": _by_line(parsed.lines, e)}
                for e in answer.user_errors("recordMinutes")
            ] or [{"id": "", "message": e["message"]} for e in answer.errors]
        if errors:
            return await self.page(request, errors=errors)
        notice = f"Minutes+of+{len(parsed.entries)}+students+recorded+from+the+file."
        return redirect(f"{request.url.path.removesuffix('/upload')}?notice={notice}")

    async def apply(self, request: Request) -> Response:
        fields = await self.renderer.form(request)
        if fields is None:
            return self.renderer.refused(request)
        params = request.path_params
        text = first(fields, "expectedVersion")
        answer = await self.client.run(
            request,
            "ApplyWorksheetCounts",
            {
                "input": {
                    "cycle": params["cycle"],
                    "cdsCode": params["cds"],
                    "expectedVersion": int(text) if text.isdigit() and len(text) < 9 else None,
                }
            },
        )
        errors = error_items(answer.user_errors("applyWorksheetCounts")) or [
            {"id": "", "message": e["message"]} for e in answer.errors
        ]
        if errors:
            return await self.page(request, errors=errors)
        return redirect(f"/lea/{params['cycle']}/{params['cds']}?notice=Worksheet+counts+saved.")


def _by_line(lines: list[int], error: dict[str, Any]) -> str:
    """An API error on ``entries[i]`` told by the file's line."""
    path = error.get("field") or []
    if len(path) >= 3 and path[1] == "entries" and str(path[2]).isdigit():
        index = int(path[2])
        if index < len(lines):
            return f"Line {lines[index]}: {error['message']}"
    return str(error["message"])
