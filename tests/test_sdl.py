"""The committed SDL is what the code builds (regenerate with `iepimp print-schema`), and every
part of it that portal builders read in GraphiQL carries a description."""

from graphql import (
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    is_introspection_type,
    is_specified_scalar_type,
)

from schema.build import SDL_PATH, build_schema, print_sdl


def test_committed_schema_matches_code() -> None:
    # given the SDL printed from the code
    printed = print_sdl()
    # then it equals the committed file
    assert SDL_PATH.read_text(encoding="utf-8") == printed, (
        "schema/schema.graphql is stale: run `iepimp print-schema`"
    )


def _described(description: str | None) -> bool:
    return bool(description and description.strip())


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every named type, field, argument and input field without a description, by its path
    (``Type``, ``Type.field``, ``Type.field(argument)``); introspection types and the built-in
    scalars are left out."""
    missing: list[str] = []
    for name, named in sorted(schema.type_map.items()):
        if is_introspection_type(named) or is_specified_scalar_type(named):
            continue
        if not _described(named.description):
            missing.append(name)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                if not _described(field.description):
                    missing.append(f"{name}.{field_name}")
                missing.extend(
                    f"{name}.{field_name}({arg_name})"
                    for arg_name, arg in field.args.items()
                    if not _described(arg.description)
                )
        elif isinstance(named, GraphQLInputObjectType):
            missing.extend(
                f"{name}.{field_name}"
                for field_name, field in named.fields.items()
                if not _described(field.description)
            )
    return missing


def test_every_type_field_and_argument_is_described() -> None:
    # given the schema the code builds
    schema = build_schema()._schema
    # when every type, field, argument and input field is looked at
    missing = undescribed(schema)
    # then none lacks a description
    assert missing == [], f"{len(missing)} without a description: {', '.join(missing)}"
