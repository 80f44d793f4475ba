"""The portal is a client of the public contract: it sends only its named `.graphql` operations,
through the same schema, and reaches no data any other way."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
import strawberry
from graphql import OperationDefinitionNode, parse, validate
from starlette.applications import Starlette

from schema.build import build_schema
from tests.support.factories import LEA_A1, SELPA_A, World
from tests.support.portal import PortalClient

PORTAL = Path(__file__).resolve().parents[1] / "web" / "portal"
OPERATIONS = sorted((PORTAL / "operations").glob("*.graphql"))
CYCLE = "2024-25"
ALLOWED_IMPORTS = (
    "__future__",
    "collections",
    "csv",
    "contextlib",
    "dataclasses",
    "datetime",
    "functools",
    "graphql",
    "hashlib",
    "hmac",
    "io",
    "jinja2",
    "pathlib",
    "secrets",
    "starlette",
    "strawberry",
    "typing",
    "urllib",
    "zoneinfo",
    "kernel.clock",
    "kernel.settings",
    "models.shared.csv_cells",
    "models.worksheet.minutes_csv",
    "models.directory.record_columns",
    "schema.engine.engine_errors",
    "web.graphql_view",
    "web.portal",
)


@pytest.mark.parametrize("path", OPERATIONS, ids=lambda p: p.stem)
def test_each_operation_file_is_one_named_valid_operation(path: Path) -> None:
    # given an operation file beside the pages
    document = parse(path.read_text(encoding="utf-8"))
    # then it holds exactly one operation, named as the file, valid against the public schema
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1
    assert operations[0].name is not None and operations[0].name.value == path.stem
    assert validate(build_schema()._schema, document) == []


def test_pages_name_only_existing_operations_and_import_no_data_layer() -> None:
    # given every module of the portal
    named: set[str] = set()
    for module in PORTAL.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            imported = []
            if isinstance(node, ast.Import):
                imported = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported = [node.module]
            for name in imported:
                # then it imports no resolver, model, ORM or schema internals
                assert name.startswith(ALLOWED_IMPORTS), f"{module.name} imports {name}"
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "run"
                and len(node.args) >= 2
            ):
                operation = node.args[1]
                # and every operation it runs is named by a literal that has a file
                assert isinstance(operation, ast.Constant), f"{module.name}:{node.lineno}"
                named.add(operation.value)
    assert named == {p.stem for p in OPERATIONS}


async def test_a_round_trip_executes_nothing_but_the_operation_files(
    app: Starlette, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a record of every document the schema executes
    documents = {p.read_text(encoding="utf-8"): p.stem for p in OPERATIONS}
    executed: list[tuple[str, str | None]] = []
    original = strawberry.Schema.execute

    async def recording(self: strawberry.Schema, query: str | None, **kw: Any) -> Any:
        executed.append((query or "", kw.get("operation_name")))
        return await original(self, query, **kw)

    monkeypatch.setattr(strawberry.Schema, "execute", recording)
    # when an LEA and its SELPA walk through every screen
    lea = PortalClient(app)
    await lea.sign_in(world.codes["LEA_A1"])
    page = f"/lea/{CYCLE}/{LEA_A1}"
    n = world.lea_a1.sample_size or 0
    await lea.get(f"{page}?search=a")
    await lea.get(f"{page}/students.csv")
    await lea.get(f"{page}/worksheet")
    ssid = re.search(r'name="ssid" value="(\d+)"', lea.last_html)
    assert ssid
    await lea.post(
        f"{page}/worksheet",
        {
            "ssid": ssid.group(1),
            "entries-0-prescribedMinutes": "100",
            "entries-0-providedMinutes": "99",
        },
    )
    await lea.post(f"{page}/worksheet/apply", {})
    await lea.get(page)
    await lea.post(f"{page}/save", {"countA": str(n), "countB": "0", "countC": "0"})
    await lea.get(f"{page}/submit")
    await lea.post(
        f"{page}/submit",
        {
            "submitter-name": "Dana Everhart",
            "submitter-title": "Director",
            "submitter-email": "dana@example.org",
            "submitter-phone": "916-555-0100",
            "certify": "yes",
        },
    )
    await lea.get(f"{page}/receipt")
    selpa = PortalClient(app)
    await selpa.sign_in(world.codes["SELPA_A"])
    await selpa.get(f"/selpa/{CYCLE}/{SELPA_A}/leas.csv")
    await selpa.get(f"{page}/review")
    await selpa.post(f"{page}/review", {"decision": "APPROVE"})
    await selpa.get(f"/results/{CYCLE}")
    await selpa.post("/signout", {})
    # then every execution was one of the files, run by its own name
    assert executed
    for query, name in executed:
        assert query in documents, query[:80]
        assert name == documents[query]
    assert {name for _, name in executed} >= {
        "SignIn",
        "LeaOverview",
        "SampledStudents",
        "Worksheet",
        "RecordMinutes",
        "ApplyWorksheetCounts",
        "SaveCounts",
        "SubmitSubmission",
        "SelpaOverview",
        "LeaRecords",
        "ReviewSubmission",
        "PublicResults",
        "SignOut",
    }
