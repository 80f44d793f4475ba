"""Which answer format a GraphQL client asked for (GraphQL over HTTP)."""

from __future__ import annotations

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


def _quality(params: list[str]) -> float:
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value.strip())))
            except ValueError:
                return 0.0
    return 1.0


def preferred_media_type(accept: str) -> str:
    """``application/graphql-response+json`` when the Accept header ranks it at least as high
    as ``application/json``; ``application/json`` otherwise (and for older clients)."""
    best: dict[str, float] = {}
    for item in accept[:2000].split(","):
        media, *params = item.split(";")
        media = media.strip().lower()
        if media in (GRAPHQL_RESPONSE_JSON, JSON, "application/*", "*/*"):
            best[media] = max(best.get(media, 0.0), _quality(params))
    wanted = best.get(GRAPHQL_RESPONSE_JSON, 0.0)
    if JSON in best:
        plain = best[JSON]
    else:
        plain = max(best.get("application/*", 0.0), best.get("*/*", 0.0))
    return GRAPHQL_RESPONSE_JSON if wanted > 0 and wanted >= plain else JSON
