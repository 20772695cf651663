"""Atomic JSON Lines storage: a feed is written under a hidden temporary name in
its final folder and renamed into place only once complete, so a reader that
globs output/*.jsonl never sees a half-written file, and a killed run leaves
only a dot-file behind."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.spiders import Spider


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


def partial_path(final: Path) -> Path:
    """Where a feed is written until it is complete."""
    return final.with_name(f".{final.name}.{os.getpid()}.part")


def atomic_write_text(path: Path, text: str) -> None:
    """Write a small file whole or not at all (the same write-aside-and-rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(path)
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
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


class AtomicFileFeedStorage(FileFeedStorage):
    """FileFeedStorage that writes aside and renames into place on close."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None):
        super().__init__(uri, feed_options=feed_options)
        self.final = Path(self.path)
        self.partial = partial_path(self.final)
        self.completed = False  # set once the file is in place, for the state and summary

    def open(self, spider: Spider) -> IO[bytes]:
        self.final.parent.mkdir(parents=True, exist_ok=True)
        if self.write_mode == "ab" and self.final.exists():
            # Appending (-o): start from the existing content so the rename keeps it.
            shutil.copyfile(self.final, self.partial)
        return self.partial.open(self.write_mode)

    def store(self, file: IO[bytes]) -> None:
        file.flush()
        os.fsync(file.fileno())
        file.close()
        os.replace(self.partial, self.final)
        fsync_directory(self.final.parent)
        self.completed = True
