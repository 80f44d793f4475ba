"""Structured logs of a whole workflow carry request ids, operations, roles and durations,
and never an access code, a token, an SSID or a student name."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from kernel.telemetry import JsonFormatter, configure_logging, log_event
from models import RosterStudent
from tests.support.clients import GraphQLClient
from tests.support.factories import LEA_A1, World

SAVE = """mutation($a: Int!, $b: Int!, $c: Int!) { saveCounts(input: {cycle: "2024-25",
  cdsCode: "%s", countA: $a, countB: $b, countC: $c})
  { submission { version } userErrors { code } } }"""
SUBMIT = """mutation { submitSubmission(input: {cycle: "2024-25", cdsCode: "%s", certify: true,
  submitter: {name: "Avery Stone", title: "Director", email: "avery@example.org",
  phone: "(916) 555-0100"}}) { submission { status } userErrors { code } } }"""
REVIEW = """mutation($d: ReviewDecision!, $r: String) { reviewSubmission(input: {cycle: "2024-25",
  cdsCode: "%s", decision: $d, reason: $r, reviewerName: "Morgan Reviewer",
  reviewerTitle: "SELPA Director", certify: true}) { submission { status }
  userErrors { code } } }"""
STUDENTS = """{ lea(cycle: "2024-25", cdsCode: "%s") { sampledStudents(first: 50, search: "%s")
  { edges { node { ssid firstName lastName } } } } }"""


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(n) for n in ("iepimp", "strawberry", "tortoise")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if logger.name != "tortoise" else logging.INFO)
    yield stream
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_workflow_logs_hold_no_secrets_or_student_data(
    world: World,
    app: object,
    captured: io.StringIO,
    lea_a1: GraphQLClient,
    selpa_a: GraphQLClient,
    anonymous: GraphQLClient,
) -> None:
    # given a whole round of the workflow, with a failed sign-in and a student search
    size = world.lea_a1.sample_size or 0
    roster = await RosterStudent.filter(cycle=world.cycle).values_list(
        "ssid", "first_name", "last_name"
    )
    first_ssid = (await lea_a1.execute(STUDENTS % (LEA_A1, ""))).data["lea"]["sampledStudents"][
        "edges"
    ][0]["node"]
    await lea_a1.execute(STUDENTS % (LEA_A1, first_ssid["ssid"]))
    await lea_a1.execute(STUDENTS % (LEA_A1, first_ssid["lastName"]))
    await anonymous.login("WXYZ-WXYZ-WXYZ-WXYZ")
    await lea_a1.execute(SAVE % LEA_A1, a=size - 2, b=1, c=1)
    await lea_a1.execute(SUBMIT % LEA_A1)
    await selpa_a.execute(REVIEW % LEA_A1, d="REJECT", r="Please recheck the counts.")
    await lea_a1.execute(SAVE % LEA_A1, a=size - 1, b=1, c=0)
    await lea_a1.execute(SUBMIT % LEA_A1)
    approved = await selpa_a.execute(REVIEW % LEA_A1, d="APPROVE", r=None)
    assert approved.data["reviewSubmission"]["submission"]["status"] == "APPROVED"
    # when the captured log is read
    text = captured.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    # then every operation line has its request id, name, role and duration …
    operations = [line for line in lines if line["event"] == "graphql.operation"]
    assert len(operations) >= 9
    assert all(line["request_id"] and "duration_ms" in line and line["role"] for line in operations)
    assert {line["role"] for line in operations} >= {"LEA", "SELPA", "anonymous"}
    # … and nothing secret or personal appears anywhere
    secrets = [code for code in world.codes.values()]
    secrets += [code.replace("-", "") for code in world.codes.values()]
    secrets += [token for token in (lea_a1.token, selpa_a.token) if token]
    secrets += ["WXYZWXYZ"]
    for ssid, first, last in roster:
        secrets += [ssid, f"{first} {last}", last]
    for secret in secrets:
        assert secret not in text


def test_the_service_logs_one_json_line_per_event_without_caller_thread_or_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the service's logging, set up as its entry points set it up
    for name in ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing"):
        monkeypatch.setattr(logging, name, getattr(logging, name))
    for name in ("iepimp", "strawberry", "uvicorn.error"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "handlers", list(logger.handlers))
        monkeypatch.setattr(logger, "level", logger.level)
        monkeypatch.setattr(logger, "propagate", logger.propagate)
    configure_logging()
    records: list[logging.LogRecord] = []
    monkeypatch.setattr(
        logging.getLogger("iepimp"), "filters", [lambda record: records.append(record) or True]
    )
    # when an event is logged
    log_event("http.request", route="graphql", status=200)
    # then its line holds the event and its fields, and the record no caller, thread or process
    line = json.loads(capsys.readouterr().err.strip())
    assert (line["event"], line["route"], line["status"]) == ("http.request", "graphql", 200)
    record = records[0]
    assert (record.funcName, record.thread, record.process) == ("(unknown function)", None, None)
