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
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
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


@dataclass
class ArticleCheck:
    """What a later run needs to re-check an article for edits: its publication time
    (the recheck window), the validators of its last response (a conditional request)
    and a hash of its title, sapo and body (an edit or not)."""

    published_at: str | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _published(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


class SeenArticles:
    """Canonical URLs of the articles written to completed output files, the links
    that answered 404/410 with their date, and the recheck data of each article.

    Everything is read once when a run opens and written once its output file is
    complete, so what a run judges "new" is what the state held before it started.
    """

    def __init__(self, state_dir: Path | None):
        if state_dir is None:  # a run without state: starts empty, keeps nothing
            self.db = sqlite3.connect(":memory:")
        else:
            state_dir.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(state_dir / "articles.sqlite")
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS articles ("
            " url TEXT PRIMARY KEY, article_id TEXT, output_file TEXT, recorded_at TEXT)")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS dead_links ("
            " url TEXT PRIMARY KEY, status INTEGER, seen_at TEXT)")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS article_checks ("
            " url TEXT PRIMARY KEY, published_at TEXT, content_hash TEXT, etag TEXT,"
            " last_modified TEXT)")
        self.db.execute("CREATE TABLE IF NOT EXISTS flags (name TEXT PRIMARY KEY, value TEXT)")
        self.urls = {row[0] for row in self.db.execute("SELECT url FROM articles")}
        self.dead: dict[str, datetime] = {
            url: datetime.fromisoformat(seen_at.replace("Z", "+00:00"))
            for url, seen_at in self.db.execute("SELECT url, seen_at FROM dead_links")}

    def __contains__(self, url: str) -> bool:
        return url in self.urls

    def dead_since(self, url: str, days: float, now: datetime | None = None) -> datetime | None:
        """When the link answered 404/410, if that was less than `days` days ago."""
        seen = self.dead.get(url)
        if seen is None:
            return None
        return seen if (now or datetime.now(timezone.utc)) - seen < timedelta(days=days) else None

    def recent(self, days: float, now: datetime | None = None) -> dict[str, ArticleCheck]:
        """Recheck data of the written articles published in the last `days` days."""
        cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=days)
        # ISO strings of one offset sort as times; a day of margin covers other offsets.
        rows = self.db.execute(
            "SELECT url, published_at, content_hash, etag, last_modified FROM article_checks"
            " WHERE published_at >= ?", ((cutoff - timedelta(days=1)).isoformat()[:10],))
        found = {}
        for url, published_at, content_hash, etag, last_modified in rows:
            published = _published(published_at)
            if url in self.urls and published is not None and published >= cutoff:
                found[url] = ArticleCheck(published_at, content_hash, etag, last_modified)
        return found

    def record(self, articles: Iterable[tuple[str, str]], output_file: str, *,
               checks: dict[str, ArticleCheck] | None = None,
               dead: dict[str, int] | None = None) -> int:
        """Remember (url, article_id) pairs written to a now complete file, with the
        recheck data of the articles parsed and the links found dead by the same run."""
        now = datetime.now(timezone.utc)
        rows = [(url, article_id, output_file, _stamp(now)) for url, article_id in articles]
        check_rows = [(url, c.published_at, c.content_hash, c.etag, c.last_modified)
                      for url, c in (checks or {}).items()]
        dead_rows = [(url, status, _stamp(now)) for url, status in (dead or {}).items()]
        with self.db:  # one transaction: all of a run's state, or none
            self.db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)", rows)
            self.db.executemany(
                "INSERT OR REPLACE INTO article_checks VALUES (?, ?, ?, ?, ?)", check_rows)
            self.db.executemany("INSERT OR REPLACE INTO dead_links VALUES (?, ?, ?)", dead_rows)
            # A link that answers again is no longer dead.
            self.db.executemany("DELETE FROM dead_links WHERE url = ?",
                                [(row[0],) for row in rows])
        self.urls.update(row[0] for row in rows)
        return len(rows)

    def flag(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM flags WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_flag(self, name: str, value: str | None) -> None:
        with self.db:
            if value is None:
                self.db.execute("DELETE FROM flags WHERE name = ?", (name,))
            else:
                self.db.execute("INSERT OR REPLACE INTO flags VALUES (?, ?)", (name, value))

    def close(self) -> None:
        self.db.close()
