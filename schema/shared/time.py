"""Instants are compared in UTC and shown in America/Los_Angeles (SPEC §3.1)."""

from __future__ import annotations

from datetime import datetime

from models.shared.deadlines import to_pacific


def shown(instant: datetime | None) -> datetime | None:
    return to_pacific(instant) if instant is not None else None
