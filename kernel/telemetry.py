"""Metrics (Prometheus text) and structured JSON logs.

Log lines carry a request id, the operation name, the caller's role and the duration; they
never carry an access code, a token, an SSID or a student name.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from typing import Any

import orjson
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
LOG = logging.getLogger("iepimp")
_OPERATION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
MAX_OPERATION_NAMES = 200


class Telemetry:
    """One registry per application instance."""

    def __init__(self) -> None:
        self._operation_names: set[str] = set()
        self._children: dict[tuple[object, tuple[str, ...]], Any] = {}
        self.registry = CollectorRegistry()
        self.operations = Counter(
            "iepimp_graphql_operations_total",
            "GraphQL operations by name and outcome",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "iepimp_graphql_operation_seconds",
            "GraphQL operation latency by name",
            ["operation"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        self.errors = Counter(
            "iepimp_graphql_errors_total",
            "GraphQL errors by code",
            ["code"],
            registry=self.registry,
        )
        self.http = Counter(
            "iepimp_http_requests_total",
            "HTTP requests by route kind and status",
            ["route", "status"],
            registry=self.registry,
        )
        self.report_answers = Counter(
            "iepimp_report_answers_total",
            "Report queries answered from the store (hit) or computed (miss)",
            ["outcome"],
            registry=self.registry,
        )
        self.outbox = Gauge(
            "iepimp_outbox_messages",
            "Outbox messages by status",
            ["status"],
            registry=self.registry,
        )

    def operation_label(self, name: str) -> str:
        """Client-chosen names become labels only while they stay few and well-formed."""
        if name in self._operation_names:
            return name
        if _OPERATION_NAME.fullmatch(name) and len(self._operation_names) < MAX_OPERATION_NAMES:
            self._operation_names.add(name)
            return name
        return "other"

    def child(self, metric: Counter | Histogram, *labels: str) -> Any:
        """``metric.labels(*labels)``, looked up once per label set (every label here takes
        few values)."""
        key = (metric, labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found

    def record_operation(self, operation: str, role: str, seconds: float, codes: list[str]) -> None:
        operation = self.operation_label(operation)
        outcome = "error" if codes else "ok"
        self.child(self.operations, operation, outcome).inc()
        self.child(self.latency, operation).observe(seconds)
        for code in codes:
            self.child(self.errors, code).inc()
        log_event(
            "graphql.operation",
            operation=operation,
            role=role or "anonymous",
            duration_ms=round(seconds * 1000, 2),
            error_codes=codes,
        )

    def exposition(self, outbox_depth: dict[str, int]) -> bytes:
        for status, count in outbox_depth.items():
            self.outbox.labels(status).set(count)
        return generate_latest(self.registry)


def log_event(event: str, **fields: Any) -> None:
    LOG.info(event, extra={"fields": fields})


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Errors from the GraphQL engine are logged by kind and code
    only: their messages may quote SQL or input values."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": REQUEST_ID.get(),
        }
        if record.name.startswith("strawberry"):
            error = record.msg
            original = getattr(error, "original_error", None)
            extensions = getattr(error, "extensions", None) or {}
            entry["event"] = "graphql.error"
            entry["code"] = extensions.get("code", "")
            entry["error"] = type(original or error).__name__
            return _encoded(entry)
        entry["event"] = record.getMessage()
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
        return _encoded(entry)


_AS_TEXT = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
)


def _encoded(entry: dict[str, Any]) -> str:
    """The entry as one JSON line; values JSON has no type for are written as their text
    (the standard encoder takes what orjson cannot, such as integers beyond 64 bits)."""
    try:
        return orjson.dumps(entry, default=str, option=_AS_TEXT).decode()
    except orjson.JSONEncodeError:
        return json.dumps(entry, default=str)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr. A record carries no caller, thread or process: no line shows
    them (the logging module's documented optimizations)."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    for name in ("iepimp", "strawberry", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False
