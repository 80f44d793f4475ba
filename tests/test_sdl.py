"""The committed SDL is what the code builds (regenerate with `iepimp print-schema`)."""

from schema.build import SDL_PATH, print_sdl


def test_committed_schema_matches_code() -> None:
    # given the SDL printed from the code
    printed = print_sdl()
    # then it equals the committed file
    assert SDL_PATH.read_text(encoding="utf-8") == printed, (
        "schema/schema.graphql is stale: run `iepimp print-schema`"
    )
