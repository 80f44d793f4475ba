"""The 10 % audit selection (SPEC §3.7): ⌈10 %⌉ of the LEAs that submitted, those with the
smallest HMAC-SHA-256(audit seed, CDS code). Anyone with the seed and the list can redo it."""

from __future__ import annotations

from collections.abc import Iterable

from models.cycles.sampling import selection_key


def audit_size(submitted: int) -> int:
    return -(-submitted // 10)


def select_for_audit(seed: str, cds_codes: Iterable[str]) -> list[tuple[str, str]]:
    """(CDS code, key) of the selected LEAs, in rank order."""
    keyed = sorted((selection_key(seed, cds), cds) for cds in set(cds_codes))
    return [(cds, key) for key, cds in keyed[: audit_size(len(keyed))]]
