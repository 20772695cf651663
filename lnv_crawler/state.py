"""What earlier runs wrote, kept between runs (SQLite), and the lock that lets
one run at a time use a state folder.

An article is recorded only once the output file holding it is complete, so a
run killed before its file appeared leaves the state as it was and the next run
fetches those articles again.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import IO


class StateLocked(Exception):
    """Another live process holds the state folder."""


class RunLock:
    """An exclusive flock on <state dir>/lock. The kernel drops it when its holder
    dies, so a lock left by a dead process is simply taken over."""

    def __init__(self, state_dir: Path):
        self.path = state_dir / "lock"
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise StateLocked(f"another run (pid {holder}) holds {self.path.parent}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class SeenArticles:
    """Canonical URLs of the articles written to completed output files."""

    def __init__(self, state_dir: Path):
        state_dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(state_dir / "articles.sqlite")
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS articles ("
            " url TEXT PRIMARY KEY, article_id TEXT, output_file TEXT, recorded_at TEXT)")
        self.urls = {row[0] for row in self.db.execute("SELECT url FROM articles")}

    def __contains__(self, url: str) -> bool:
        return url in self.urls

    def record(self, articles: Iterable[tuple[str, str]], output_file: str) -> int:
        """Remember (url, article_id) pairs written to a now complete file."""
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows = [(url, article_id, output_file, now) for url, article_id in articles]
        with self.db:  # one transaction: all of a file's articles, or none
            self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)", rows)
        self.urls.update(row[0] for row in rows)
        return len(rows)

    def close(self) -> None:
        self.db.close()
