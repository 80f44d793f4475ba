"""The development secret key beside the SQLite file: made once, never read half-written."""

from __future__ import annotations

import threading
from pathlib import Path

from kernel.settings import load_settings


def test_processes_starting_together_share_one_whole_key(tmp_path: Path) -> None:
    # given a fresh SQLite file and no configured key
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'db.sqlite3'}"}
    keys: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(16)

    def load() -> None:
        start.wait()
        try:
            keys.append(load_settings(env).secret_key)
        except BaseException as exc:
            errors.append(exc)

    # when sixteen loaders start at the same moment
    threads = [threading.Thread(target=load) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then none fails, all hold the same full-length key, and only the key file is left
    assert errors == []
    assert len(set(keys)) == 1 and len(keys[0]) >= 32
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3.secret"]
    assert (tmp_path / "db.sqlite3.secret").stat().st_mode & 0o777 == 0o600
