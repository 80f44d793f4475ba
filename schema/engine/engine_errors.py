"""Give the GraphQL engine's own refusals a code: a value that does not fit its declared type
(``countA: 99999999999``, a string for an ``Int``, a missing required input field) answers
``INVALID_INPUT`` with the field named; other document errors ``GRAPHQL_VALIDATION_FAILED``."""

from __future__ import annotations

import re

from graphql import GraphQLError

_VARIABLE = re.compile(r"^Variable '\$(\w+)' (?:got|has) invalid value")
_AT_PATH = re.compile(r" at '?([\w.\[\]]+)'?")
_ARGUMENT_VALUE = re.compile(
    r"(cannot represent|Expected value of type|of required type|is not defined by type)"
)
_FIELD_NAME = re.compile(r"[A-Za-z_]\w*")


def _field_of(error: GraphQLError) -> str:
    """The innermost input field or argument an error speaks of."""
    path = _AT_PATH.search(error.message)
    if path is not None:
        names = _FIELD_NAME.findall(path.group(1))
        if names:
            return str(names[-1])
    variable = _VARIABLE.match(error.message)
    if variable is not None:
        return variable.group(1)
    if error.source is not None and error.positions:
        before = error.source.body[: next(iter(error.positions))]
        argument = re.search(r"(\w+)\s*:\s*$", before)
        if argument is not None:
            return argument.group(1)
    quoted = re.findall(r"'(\w+)'", error.message)
    return quoted[-1] if quoted else "input"


def classify(error: GraphQLError) -> None:
    """Set ``extensions.code`` (and ``field``) on an error that has none."""
    if error.extensions and "code" in error.extensions:
        return
    if error.original_error is not None and not isinstance(error.original_error, GraphQLError):
        return
    extensions = dict(error.extensions or {})
    if _VARIABLE.match(error.message) or _ARGUMENT_VALUE.search(error.message):
        extensions.update(code="INVALID_INPUT", field=_field_of(error))
    elif error.message.startswith("Syntax Error"):
        extensions["code"] = "GRAPHQL_PARSE_FAILED"
    else:
        extensions["code"] = "GRAPHQL_VALIDATION_FAILED"
    error.extensions = extensions
