"""The container files, read as Docker reads them (the image itself needs a Docker engine)."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _ignored(path: str) -> bool:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path.split("/")[0], p) for p in patterns)


def _pinned(image: str) -> bool:
    name, _, tag = image.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest") and re.search(r"\d", tag)


def test_the_build_context_leaves_out_the_venv_data_and_git() -> None:
    for path in (".venv", ".venv/lib/x.py", "data/iepimp.sqlite3", ".git/HEAD", "tests/x.py"):
        assert _ignored(path), path
    for path in ("iepimp/cli.py", "requirements.txt", "pyproject.toml", "schema/schema.graphql"):
        assert not _ignored(path), path


def test_dependencies_are_installed_before_the_code_is_copied() -> None:
    lines = [line.strip() for line in DOCKERFILE.splitlines()]
    lock = next(i for i, line in enumerate(lines) if "--require-hashes -r requirements.txt" in line)
    first_code = next(i for i, line in enumerate(lines) if line.startswith("COPY iepimp"))
    assert lines.index("COPY requirements.txt ./") < lock < first_code


def test_images_are_pinned() -> None:
    bases = re.findall(r"^FROM\s+(\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert bases and all(_pinned(image) for image in bases), bases
    images = [s["image"] for s in COMPOSE["services"].values() if "build" not in s]
    assert images and all(_pinned(image) for image in images), images


def test_migrations_run_once_before_the_servers() -> None:
    services = COMPOSE["services"]
    assert services["migrate"]["command"] == ["iepimp", "migrate"]
    assert services["migrate"]["restart"] == "no"
    assert services["app"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }
    cmd = re.search(r"^CMD (.+)$", DOCKERFILE, flags=re.MULTILINE)
    assert cmd is not None and "migrate" not in cmd.group(1)


def test_health_checks_use_liveness_not_readiness() -> None:
    check = re.search(r"HEALTHCHECK .*?CMD (.+?)$", DOCKERFILE, flags=re.MULTILINE | re.DOTALL)
    assert check is not None and "/healthz" in check.group(1) and "/readyz" not in check.group(1)
    test = " ".join(COMPOSE["services"]["app"]["healthcheck"]["test"])
    assert "/healthz" in test and "/readyz" not in test
