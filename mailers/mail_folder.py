"""Delivery into a folder instead of a mail server: one ``.eml`` file per message, which any
mail program opens (the sandbox's way of showing its mail)."""

from __future__ import annotations

import asyncio
import os
import re
from email.message import EmailMessage
from pathlib import Path

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def eml_name(message: EmailMessage) -> str:
    """``<date>-<Message-ID>.eml``: sorted by time, the same message always the same file."""
    date = getattr(message["Date"], "datetime", None)
    when = date.strftime("%Y%m%dT%H%M%S") if date is not None else "undated"
    ident = UNSAFE.sub("_", str(message["Message-ID"] or "message").strip("<>"))
    return f"{when}-{ident}.eml"


def _write(folder: Path, message: EmailMessage) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / eml_name(message)
    partial = path.with_suffix(".eml.part")
    partial.write_bytes(message.as_bytes())
    os.replace(partial, path)
    return path


async def write_to_folder(folder: Path, message: EmailMessage) -> Path:
    """Write the message (atomically: a reader never sees half a file); return its path."""
    return await asyncio.to_thread(_write, folder, message)
