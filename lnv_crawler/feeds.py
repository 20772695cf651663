"""Atomic JSON Lines storage: a feed is written under a hidden temporary name in
its final folder and renamed into place only once complete, so a reader that
globs output/*.jsonl never sees a half-written file, and a killed run leaves
only a dot-file behind (removed by the next run that writes to the folder).

Scrapy's feed exporter only logs an error raised while writing (once per item, in
its item_scraped handler, and "Error storing" at the close) and then reports the
feed as stored. So the file the exporter writes to records the first write error
itself: the storage then refuses to publish, the run is stopped and fails, and the
state records none of its articles.

A run that failed otherwise (a monitor, the site unreachable) wrote a complete file
that must not look like a good run's: it is renamed to `<name>.failed` instead, an
earlier file at the name is left as it was, and the state records none of its articles.
"""

from __future__ import annotations

import io
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.spiders import Spider
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

WRITE_ERROR_STAT = "lnv/write_error"  # "cannot write <path>: <reason>", the first one
TARGETS_STAT = "lnv/feed_targets"  # every file feed of the run, published or not
_PARTIAL = re.compile(r"\..+\.(\d+)\.part")
_RUN_ID = r"\d{8}T\d{6}Z-\d+"  # the spider's run_id: UTC start time and process id
# Partial files of this process still open: removed if the run is abandoned.
OPEN_PARTIALS: set[Path] = set()


def fsync_directory(path: Path) -> None:
    """Make a rename in `path` durable (no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def failed_path(final: Path) -> Path:
    """Where a failed run's complete file is kept for inspection: not matched by
    `*.jsonl`, so nothing downstream takes it for a good run."""
    return final.with_name(final.name + ".failed")


def stale_failures(final: Path, run_id: str | None) -> list[Path]:
    """The `.failed` files that earlier failed runs of the same output left beside `final`:
    `<name>.failed`, and for a name holding the run id (the default `lnv-<run id>.jsonl`)
    the same name with any other run id. Their articles were not recorded in the state,
    so this run (or, for a run that fetched less, the next) fetched them again."""
    name = failed_path(final).name
    if not run_id or run_id not in name:
        return [path] if (path := failed_path(final)).is_file() else []
    head, tail = name.split(run_id, 1)
    shape = re.compile(re.escape(head) + _RUN_ID + re.escape(tail))
    return sorted(path for path in final.parent.glob("*.failed") if shape.fullmatch(path.name))


def partial_path(final: Path) -> Path:
    """Where a feed is written until it is complete."""
    return final.with_name(f".{final.name}.{os.getpid()}.part")


def atomic_write_text(path: Path, text: str) -> None:
    """Write a small file whole or not at all (the same write-aside-and-rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(path)
    try:
        with partial.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)  # a no-op after the rename
    fsync_directory(path.parent)


@contextmanager
def written_aside(final: Path) -> Iterator[Path]:
    """The path to write `final` at: whatever the block writes there is fsynced and renamed
    into place when the block ends without an error, and removed when it fails, so readers
    see the old file or the whole new one (for writers that want a path, e.g. pyarrow)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(final)
    try:
        yield partial
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, final)
    finally:
        # A no-op after the rename; after a failure, it removes the half-written file.
        partial.unlink(missing_ok=True)
    fsync_directory(final.parent)



def describe(error: OSError) -> str:
    return error.strerror or str(error)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_stale_partials(folder: Path) -> list[Path]:
    """Delete the partial files left in `folder` by processes that are gone."""
    removed = []
    for path in folder.glob(".*.part"):
        match = _PARTIAL.fullmatch(path.name)
        if match and int(match.group(1)) != os.getpid() and not _alive(int(match.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def prepare_folder(folder: Path) -> None:
    """Before a run: create the output folder, clean up after dead runs, and prove that a
    file can be created, written and synced there (raises OSError otherwise)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in remove_stale_partials(folder):
        logger.info("removed the partial file of a dead run: %s", path)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".lnv-probe-", suffix=".part") as probe:
        probe.write(b"\n")
        probe.flush()
        os.fsync(probe.fileno())


class _GuardedFile(io.FileIO):
    """The partial file under the exporter's buffer: the first OSError is handed to
    the storage, later writes are dropped (the file will not be published anyway)."""

    def __init__(self, path: Path, mode: str, storage: AtomicFileFeedStorage):
        super().__init__(path, mode)
        self.storage = storage

    def write(self, data: Any) -> int:
        if self.storage.error is None:
            try:
                return super().write(data) or 0
            except OSError as error:
                self.storage.failed(error)
        return len(data)


class AtomicFileFeedStorage(FileFeedStorage):
    """FileFeedStorage that writes aside and renames into place on close, and never
    publishes a file a write failed on."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None,
                 crawler: Crawler | None = None):
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self.final = Path(self.path)
        self.partial = partial_path(self.final)
        self.completed = False  # set once the file is in place, for the state and summary
        self.set_aside = False  # set once a failed run's complete file is at failed_path
        self.error: OSError | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *,
                     feed_options: dict[str, Any] | None = None) -> AtomicFileFeedStorage:
        storage = cls(uri, feed_options=feed_options, crawler=crawler)
        targets = crawler.stats.get_value(TARGETS_STAT) or []
        # Scrapy also builds one from the URI template, to check it: not a target.
        if "%(" not in uri and str(storage.final) not in targets:
            crawler.stats.set_value(TARGETS_STAT, [*targets, str(storage.final)])
        return storage

    def open(self, spider: Spider) -> IO[bytes]:
        OPEN_PARTIALS.add(self.partial)
        mode = self.write_mode.replace("b", "")
        try:
            self.final.parent.mkdir(parents=True, exist_ok=True)
            raw = _GuardedFile(self.partial, mode, self)
            if mode == "a" and self.final.exists():
                # Appending (-o): start from the existing content so the rename keeps it.
                with self.final.open("rb") as earlier:
                    shutil.copyfileobj(earlier, raw)
        except OSError as error:
            self.failed(error)
            raw = _GuardedFile(Path(os.devnull), "w", self)
        return io.BufferedWriter(raw)

    def failed(self, error: OSError) -> None:
        """Record the first write error, say it once, and stop the run."""
        if self.error is not None:
            return
        self.error = error
        message = f"cannot write {self.final}: {describe(error)}"
        logger.error("%s; the run stops, the file is not published", message)
        if self.crawler is not None:
            self.crawler.stats.set_value(WRITE_ERROR_STAT, message)
            engine = self.crawler.engine
            if engine is not None and engine.spider is not None:
                deferred_from_coro(engine.close_spider_async(reason="write_failed"))

    def run_failure(self) -> str | None:
        """Why the run failed, judged before the file is stored: FeedExporter comes after
        Spidermon in EXTENSIONS, so the monitors have run."""
        # Imported here: extensions imports this module.
        from .extensions import failure_reason

        return failure_reason(self.crawler.stats.get_stats()) if self.crawler else None

    def remove_stale_failures(self) -> None:
        """A published file makes the `.failed` files of the same output stale (README,
        "Exit status"): removed, their summaries kept."""
        run_id = getattr(self.crawler and self.crawler.spider, "run_id", None)
        for path in stale_failures(self.final, run_id):
            try:
                path.unlink()
            except OSError as error:
                logger.warning("cannot remove %s: %s", path, describe(error))
            else:
                logger.info("removed %s, the records of a failed run of this output", path)

    def store(self, file: IO[bytes]) -> None:
        try:
            if self.error is None:
                file.flush()
                os.fsync(file.fileno())
            file.close()
        except OSError as error:
            self.failed(error)
        if self.error is None:
            self.set_aside = self.run_failure() is not None
            target = failed_path(self.final) if self.set_aside else self.final
            os.replace(self.partial, target)
            fsync_directory(target.parent)
            self.completed = not self.set_aside
            if self.completed:
                self.remove_stale_failures()
        OPEN_PARTIALS.discard(self.partial)
        self.partial.unlink(missing_ok=True)  # what is left of a failed write
