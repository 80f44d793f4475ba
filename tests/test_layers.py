"""Every import arrow points down: iepimp → web → schema → resolvers → mailers → models → kernel."""

from __future__ import annotations

from pathlib import Path

from tests.support.layers import find_violations, imports_of

ROOT = Path(__file__).resolve().parents[1]


def _tree(root: Path, files: dict[str, str]) -> Path:
    """A mini source tree: every folder a package, each file with the given lines."""
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        for folder in path.relative_to(root).parents:
            if folder != Path("."):
                (root / folder / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    return root


def test_the_source_tree_keeps_every_layer_rule() -> None:
    # given the repository's own packages
    # when every import in them is checked against the layer rules
    violations = find_violations(ROOT)
    # then none breaks a rule
    assert not violations, "imports against the layers:\n" + "\n".join(map(str, violations))


def test_forbidden_imports_are_named_wherever_they_are_written(tmp_path: Path) -> None:
    # given a mini tree whose lower layers import upwards: at module level, inside a function,
    # under TYPE_CHECKING, as `from package import module`, and from a web framework
    root = _tree(
        tmp_path,
        {
            "kernel/y.py": "import os\nimport models\n",
            "models/x.py": "from resolvers.shared import scope\nfrom kernel import y\n",
            "models/migrations/0001_initial.py": "import strawberry\nfrom iepimp import app\n",
            "mailers/w.py": (
                "from typing import TYPE_CHECKING\n"
                "\n"
                "if TYPE_CHECKING:\n"
                "    from schema.shared.context import Context\n"
            ),
            "resolvers/shared/scope.py": "from models import x\nfrom tortoise import fields\n",
            "resolvers/z.py": (
                "from resolvers.shared import scope\n"
                "\n"
                "def render() -> None:\n"
                "    import strawberry\n"
            ),
            "schema/shared/context.py": (
                "from starlette.requests import Request\n"
                "from starlette.responses import Response\n"
                "from resolvers.shared import scope\n"
            ),
            "schema/a.py": "from starlette import routing\nimport web.b\n",
            "web/b.py": "import schema.a\nfrom iepimp.app import create_app\n",
            "iepimp/app.py": "import web.b\nimport kernel.y\nfrom starlette.routing import Route\n",
        },
    )
    # when the tree is checked
    violations = [str(v) for v in find_violations(root)]
    # then exactly the upward imports are named with file, line, module and rule,
    # and migrations, the wiring package and downward imports pass
    assert violations == [
        "kernel/y.py:2 imports models (kernel must not import models)",
        "mailers/w.py:4 imports schema.shared.context (mailers must not import schema)",
        "models/x.py:1 imports resolvers.shared.scope (models must not import resolvers)",
        "resolvers/z.py:4 imports strawberry (resolvers must not import strawberry)",
        "schema/a.py:1 imports starlette.routing (schema must not import starlette)",
        "schema/a.py:2 imports web.b (schema must not import web)",
        "web/b.py:2 imports iepimp.app (web must not import iepimp)",
    ]


def test_relative_imports_resolve_against_the_importing_package(tmp_path: Path) -> None:
    # given a module importing its neighbours relatively
    root = _tree(
        tmp_path,
        {
            "resolvers/shared/principal.py": "",
            "resolvers/shared/scope.py": (
                "from . import principal\n"
                "from .principal import Principal\n"
                "from .. import shared\n"
                "from ..shared.principal import Principal as P\n"
            ),
        },
    )
    # when its imports are read
    found = imports_of(root, root / "resolvers/shared/scope.py")
    # then each names the absolute module
    assert [(i.line, i.target) for i in found] == [
        (1, "resolvers.shared.principal"),
        (2, "resolvers.shared.principal"),
        (3, "resolvers.shared"),
        (4, "resolvers.shared.principal"),
    ]


def test_permission_classes_check_roles_without_queries_or_use_cases(tmp_path: Path) -> None:
    # given permission classes that query the database and call a use case,
    # next to a loader (also schema) that may do both
    root = _tree(
        tmp_path,
        {
            "resolvers/shared/scope.py": "",
            "schema/shared/permissions.py": (
                "from strawberry.permission import BasePermission\n"
                "from kernel.errors import Forbidden\n"
                "from resolvers.shared import scope\n"
                "\n"
                "def check() -> None:\n"
                "    from tortoise.expressions import Q\n"
            ),
            "schema/shared/loaders.py": (
                "from tortoise.expressions import Q\nfrom resolvers.shared import scope\n"
            ),
        },
    )
    # when the tree is checked
    violations = [str(v) for v in find_violations(root)]
    # then only the permission classes' imports are named
    rule = "schema.shared.permissions must not import"
    assert violations == [
        f"schema/shared/permissions.py:3 imports resolvers.shared.scope ({rule} resolvers)",
        f"schema/shared/permissions.py:6 imports tortoise.expressions ({rule} tortoise)",
    ]
