"""The import layering, checked from the source text (``tests/test_layers.py``).

Layers, top to bottom; every import arrow points down::

    iepimp -> web -> schema -> resolvers -> mailers -> models -> kernel

Every ``import x`` and ``from x import y`` counts wherever it is written: at module level,
inside a function, under ``if TYPE_CHECKING:`` or in a ``try:``. Relative imports are resolved
against the importing module's package, and ``from pkg import name`` counts as ``pkg.name``
when ``name`` is a module (so ``from starlette import routing`` is ``starlette.routing``).
"""

from __future__ import annotations

import ast
import importlib.machinery
import importlib.util
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

FIRST_PARTY = ("iepimp", "web", "schema", "resolvers", "mailers", "models", "kernel")
SKIPPED = ("models/migrations",)


@dataclass(frozen=True)
class Rule:
    """Modules under ``layer`` (a dotted prefix) must not import anything under ``forbidden``,
    except what lies under ``allowed``."""

    layer: str
    forbidden: tuple[str, ...]
    allowed: tuple[str, ...] = ()
    why: str = ""

    def applies_to(self, module: str) -> bool:
        return _under(module, self.layer)

    def broken_by(self, target: str) -> str | None:
        """The forbidden prefix ``target`` falls under, or None when the import is fine."""
        if any(_under(target, ok) for ok in self.allowed):
            return None
        return next((bad for bad in self.forbidden if _under(target, bad)), None)


_ABOVE_RESOLVERS = ("iepimp", "web", "schema")
_FRAMEWORKS = ("strawberry", "starlette")

RULES: tuple[Rule, ...] = (
    Rule("web", ("iepimp",), why="HTTP adapters sit below the wiring package"),
    Rule(
        "schema",
        ("iepimp", "web", "starlette"),
        allowed=("starlette.requests", "starlette.responses"),
        why="the schema knows no routes or adapters; Request/Response only for typing",
    ),
    Rule(
        "schema.shared.permissions",
        ("tortoise", "resolvers"),
        why="permission classes check roles only: no queries, no use cases",
    ),
    Rule("resolvers", (*_ABOVE_RESOLVERS, *_FRAMEWORKS), why="use cases know no GraphQL or HTTP"),
    Rule(
        "mailers",
        (*_ABOVE_RESOLVERS, "resolvers", *_FRAMEWORKS),
        why="mail composes from models and kernel only",
    ),
    Rule(
        "models",
        (*_ABOVE_RESOLVERS, "resolvers", "mailers", *_FRAMEWORKS),
        why="entities and pure rules know only kernel and tortoise",
    ),
    Rule(
        "kernel",
        (*_ABOVE_RESOLVERS, "resolvers", "mailers", "models", *_FRAMEWORKS),
        why="the kernel imports nothing of ours (nor what models may not import)",
    ),
)


@dataclass(frozen=True, order=True)
class Import:
    line: int
    target: str


@dataclass(frozen=True, order=True)
class Violation:
    file: str
    line: int
    target: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} imports {self.target} ({self.rule})"


def find_violations(root: Path, rules: Sequence[Rule] = RULES) -> list[Violation]:
    """Every import under ``root``'s first-party packages that breaks one of ``rules``."""
    found: set[Violation] = set()
    for path in source_files(root):
        module = module_name(root, path)
        applicable = [rule for rule in rules if rule.applies_to(module)]
        if not applicable:
            continue
        relative = path.relative_to(root).as_posix()
        for imported in imports_of(root, path):
            for rule in applicable:
                bad = rule.broken_by(imported.target)
                if bad is not None:
                    label = f"{rule.layer} must not import {bad}"
                    found.add(Violation(relative, imported.line, imported.target, label))
    return sorted(found)


def source_files(root: Path) -> Iterator[Path]:
    for package in FIRST_PARTY:
        folder = root / package
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if "__pycache__" in path.parts or relative.startswith(tuple(f"{s}/" for s in SKIPPED)):
                continue
            yield path


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(root: Path, path: Path) -> list[Import]:
    """Every module ``path`` imports, with its line, in the order written."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(root, path).split(".")
    if path.name != "__init__.py":
        package.pop()
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(Import(node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(package, node)
            for alias in node.names:
                candidate = f"{base}.{alias.name}" if base else alias.name
                named_module = alias.name != "*" and _is_module(root, candidate)
                found.append(Import(node.lineno, candidate if named_module else base))
    unique = dict.fromkeys(sorted(found, key=lambda i: i.line))
    return list(unique)


def _from_base(package: list[str], node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    keep = len(package) - (node.level - 1)
    parts = package[: max(keep, 0)]
    if node.module:
        parts.append(node.module)
    return ".".join(parts)


def _is_module(root: Path, dotted: str) -> bool:
    """Whether ``dotted`` names a module or package (ours under ``root``; others installed)."""
    parts = dotted.split(".")
    if parts[0] in FIRST_PARTY:
        return _module_in([root], parts)
    try:
        spec = importlib.util.find_spec(parts[0])  # a top-level name: nothing is imported
    except (ImportError, ValueError):
        return False
    if spec is None or len(parts) == 1:
        return spec is not None
    if spec.submodule_search_locations is None:
        return False
    return _module_in([Path(p) for p in spec.submodule_search_locations], parts[1:])


def _module_in(folders: list[Path], parts: list[str]) -> bool:
    for part in parts[:-1]:
        folders = [folder / part for folder in folders if (folder / part).is_dir()]
    last = parts[-1]
    suffixes = importlib.machinery.all_suffixes()
    return any(
        (folder / last / "__init__.py").is_file()
        or any((folder / f"{last}{suffix}").is_file() for suffix in suffixes)
        for folder in folders
    )


def _under(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(f"{prefix}.")
