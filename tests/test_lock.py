"""The lock files (``make lock``) agree with pyproject.toml: every dependency pinned, within
its range, with hashes; graphql-core at the release the plain-data executor is tested with."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)")


def _locked(name: str) -> dict[str, tuple[str, list[str]]]:
    """Package → (version, hashes) of one lock file."""
    pins: dict[str, tuple[str, list[str]]] = {}
    current = ""
    for line in (ROOT / name).read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match.group(1))
            pins[current] = (match.group(2), [])
        elif "--hash=sha256:" in line and current:
            pins[current][1].append(line.split("--hash=sha256:")[1].split()[0])
    return pins


@pytest.mark.parametrize(
    ("lock", "groups"),
    [("requirements.txt", ()), ("requirements-dev.txt", ("dev",))],
)
def test_every_dependency_is_locked_within_its_range(lock: str, groups: tuple[str, ...]) -> None:
    pins = _locked(lock)
    wanted = [Requirement(r) for r in PROJECT["dependencies"]]
    for group in groups:
        wanted += [Requirement(r) for r in PROJECT["optional-dependencies"][group]]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in {lock}: run `make lock`"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock} pins {name}=={version} outside {requirement.specifier}: run `make lock`"
        )
        assert hashes, f"{name} has no hash in {lock}"
    for name, (_, hashes) in pins.items():
        assert hashes, f"{name} has no hash in {lock}"


def test_the_runtime_lock_is_the_dev_lock_without_the_dev_tools() -> None:
    runtime, dev = _locked("requirements.txt"), _locked("requirements-dev.txt")
    assert {n: v for n, (v, _) in runtime.items()} == {n: dev[n][0] for n in runtime}, (
        "the two lock files pin different versions: run `make lock`"
    )


def test_graphql_core_is_pinned_to_the_tested_release() -> None:
    pinned = [Requirement(r) for r in PROJECT["dependencies"] if r.startswith("graphql-core")]
    assert len(pinned) == 1 and str(pinned[0].specifier).startswith("==")
    installed = metadata.version("graphql-core")
    assert pinned[0].specifier.contains(installed)
    assert _locked("requirements.txt")["graphql-core"][0] == installed
