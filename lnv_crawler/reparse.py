"""`lnv-crawler reparse FILES.warc.gz… -o out.jsonl [--jobs N]`: the records of archived
article pages, rebuilt offline with the current page objects and pipelines (contract §7).

Two passes. First, each file is read once, in this process, with every digest checked
(a damaged or truncated file is reported by name and skipped whole, so a half-read
file never gives half its articles): the 2xx response records of article URLs are
listed by offset, and of the captures of one article only the newest (WARC-Date) is
kept. Then the workers (--jobs processes) each seek to a capture and turn it into a
record the way the crawl does: Scrapy's response class and HttpCompressionMiddleware
(same charset detection, same Content-Encoding handling, same size limit), then
ArticlePage, NormalizePipeline and ValidatePipeline. Duplicates cannot reach the
records (one capture per canonical URL), which is what DedupPipeline ensures in a crawl.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, suppress
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import DropItem, IgnoreRequest
from scrapy.http import Headers, TextResponse
from scrapy.responsetypes import responsetypes
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import build_from_crawler
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.timeutils import iso_date_to_datetime

from . import urls
from .export import write_jsonl
from .feeds import written_aside
from .pages.article import ArticlePage
from .pipelines import NormalizePipeline, ValidatePipeline
from .records import visible
from .spiders.lnv import page_source
from .warc import BASE_URL_FIELD
from .wording import plural

PROGRESS_SECONDS = 0.5
# What a damaged file raises somewhere in warcio or zlib; each means "skip this file".
_DAMAGE = (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error)


@dataclass(frozen=True)
class Capture:
    """One archived 2xx response of an article page, and where to find it."""

    path: str
    offset: int
    url: str  # canonical
    target: str  # WARC-Target-URI: the URL fetched (a mirror's in mirror mode)
    fetched_at: datetime


class NoRecord(Exception):
    """The archives gave no record: nothing is written (an earlier file is left as it was)."""


class DamagedArchive(Exception):
    """A WARC file that cannot be read to its end with every record whole and every
    digest right."""


def canonical_url(fetched: str, base_url: str | None) -> str | None:
    """The site URL a fetched URL stands for, as the spider maps it."""
    return urls.canonicalize(urls.from_fetch_url(fetched, base_url))


def warcinfo_fields(record: ArcWarcRecord) -> dict[str, str]:
    text = record.content_stream().read().decode("utf-8", "replace")
    pairs = (line.split(":", 1) for line in text.splitlines() if ":" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def captures(path: Path) -> list[Capture]:
    """The article captures of one file; DamagedArchive when any record is bad."""
    found = []
    base_url = None  # each warcinfo record sets it for the records after it
    offset = None
    # warcio reports some damage only as warnings on stderr (with pages of bytes): they
    # are caught here and the first line of them reported.
    with path.open("rb") as file, redirect_stderr(io.StringIO()) as warnings:
        try:
            records = ArchiveIterator(file, check_digests="raise")
            for record in records:
                if record.rec_type == "warcinfo":
                    base_url = warcinfo_fields(record).get(BASE_URL_FIELD) or None
                capture = _capture(record, path, base_url)
                offset = records.get_record_offset()  # reads the record to its end
                if getattr(record.raw_stream, "limit", 0):
                    raise DamagedArchive(f"the record at offset {offset} is cut short")
                if capture is not None:
                    found.append(replace(capture, offset=offset))
            if records.err_count:
                raise DamagedArchive(warnings.getvalue().strip().splitlines()[0])
            if offset is None:
                raise DamagedArchive("no WARC record in it")
            if not _last_member_complete(file, offset):
                raise DamagedArchive("its last gzip member is cut short")
        except _DAMAGE as error:
            reason = str(error).strip().splitlines()
            # The reason may quote the damaged bytes: shown short and visible.
            raise DamagedArchive(visible(reason[0][:100]) if reason
                                 else type(error).__name__) from None
    return found


def _last_member_complete(file: IO[bytes], offset: int) -> bool:
    """A cut .warc.gz may still hold whole records but lack its end: the last record's
    gzip member must end, trailer and all, at the end of the file."""
    file.seek(0)
    if file.read(2) != b"\x1f\x8b":
        return True  # uncompressed WARC: a cut record is caught by its length
    file.seek(offset)
    inflater = zlib.decompressobj(zlib.MAX_WBITS + 16)
    while not inflater.eof and (chunk := file.read(1 << 16)):
        inflater.decompress(chunk)
    return inflater.eof and not inflater.unused_data and not file.read(1)


def _capture(record: ArcWarcRecord, path: Path, base_url: str | None) -> Capture | None:
    if record.rec_type != "response" or not record.http_headers:
        return None
    if not record.http_headers.get_statuscode().startswith("2"):
        return None  # Scrapy passes only 2xx answers to the spider
    target = record.rec_headers.get_header("WARC-Target-URI")
    url = canonical_url(target, base_url)
    if url is None or not urls.is_article_url(url):
        return None
    stamp = iso_date_to_datetime(record.rec_headers.get_header("WARC-Date"))
    return Capture(str(path), -1, url, target, stamp.replace(tzinfo=timezone.utc))


def newest_captures(paths: list[Path], report: Callable[[str], None],
                    tally: Counter[str]) -> list[Capture]:
    """One capture per article, the newest; in archive order (file, offset)."""
    newest: dict[str, Capture] = {}
    order = {str(path): index for index, path in enumerate(paths)}
    for path in paths:
        report(f"reading {path}")
        try:
            found = captures(path)
        except DamagedArchive as error:
            tally["files_skipped"] += 1
            print(f"lnv-crawler reparse: skipped {path}: damaged or truncated WARC ({error})",
                  file=sys.stderr)
            continue
        tally["files_read"] += 1
        tally["captures"] += len(found)
        for capture in found:
            held = newest.get(capture.url)
            if held is None or capture.fetched_at >= held.fetched_at:
                newest[capture.url] = capture
    return sorted(newest.values(), key=lambda c: (order[c.path], c.offset))


class Reparser:
    """A capture -> (record or None, why not): the crawl's steps after the download."""

    def __init__(self) -> None:
        settings = Settings()
        settings.setmodule("lnv_crawler.settings", priority="project")
        crawler = Crawler(Spider, settings)
        crawler.stats = MemoryStatsCollector(crawler)
        self.decompress = build_from_crawler(HttpCompressionMiddleware, crawler)
        self.normalize = NormalizePipeline()
        self.validate = build_from_crawler(ValidatePipeline, crawler)

    def __call__(self, capture: Capture) -> tuple[dict[str, Any] | None, str | None]:
        try:
            return self._record(capture)
        except Exception as error:  # a page that breaks a page object: counted, as in a crawl
            return None, f"parse_error ({type(error).__name__})"

    def _record(self, capture: Capture) -> tuple[dict[str, Any] | None, str | None]:
        with open(capture.path, "rb") as file:
            file.seek(capture.offset)
            record = next(ArchiveIterator(file))
            body = record.raw_stream.read()
        http = record.http_headers
        headers = Headers(http.headers)
        cls = responsetypes.from_args(headers=headers, url=capture.target, body=body)
        response = cls(url=capture.target, status=int(http.get_statuscode()), headers=headers,
                       body=body, protocol=http.protocol)
        try:
            response = self.decompress.process_response(Request(capture.target), response)
        except IgnoreRequest:
            return None, "too_large"
        if not isinstance(response, TextResponse):
            return None, "not_html"
        # Relative and year-less dates ("3 giờ trước", "15/6") are read as on the day of
        # the fetch, as the crawl read them, not as on the day of the reparse.
        # The same input as the crawl's (UTF-8 bodies as bytes): the same record.
        page = ArticlePage(page_source(response), capture.url, fetched_at=capture.fetched_at,
                           now=capture.fetched_at)
        rejection = page.rejection()
        if rejection is not None:
            return None, rejection
        item = self.normalize.process_item(page.to_item())
        try:
            return self.validate.process_item(item), None
        except DropItem:
            return None, "schema"


_worker: Reparser | None = None


def _start_worker() -> None:
    global _worker
    _worker = Reparser()


def _work(capture: Capture) -> tuple[dict[str, Any] | None, str | None]:
    assert _worker is not None
    return _worker(capture)


def parsed(todo: list[Capture], jobs: int) -> Iterator[tuple[dict[str, Any] | None, str | None]]:
    """Results in the order of `todo`; in this process for one job."""
    if jobs <= 1:
        yield from map(Reparser(), todo)
        return
    with multiprocessing.Pool(jobs, initializer=_start_worker) as pool:
        # Small chunks: the pages are the work, the task (a file offset) costs nothing.
        yield from pool.imap(_work, todo, chunksize=4)


class Progress:
    """One line, rewritten in place, on a terminal only."""

    def __init__(self) -> None:
        self.shown = sys.stderr.isatty()
        self.last = 0.0

    def __call__(self, text: str, force: bool = False) -> None:
        now = time.monotonic()
        if self.shown and (force or now - self.last >= PROGRESS_SECONDS):
            self.last = now
            print(f"\r\033[Kreparse: {text}", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.shown:
            print(file=sys.stderr)


def reparse(paths: list[Path], output: Path, jobs: int) -> int:
    started = time.monotonic()
    tally: Counter[str] = Counter()
    progress = Progress()
    todo = newest_captures(paths, lambda text: progress(text, force=True), tally)
    skipped: Counter[str] = Counter()

    def status(done: int) -> str:
        rate = done / max(time.monotonic() - started, 1e-6)
        return (f"{done}/{plural(len(todo), 'page')}, {plural(tally['records'], 'record')}, "
                f"{rate:.0f} pages/s")

    def records() -> Iterator[dict[str, Any]]:
        """Written as they come: memory does not grow with the archive."""
        for done, (record, reason) in enumerate(parsed(todo, jobs), 1):
            if record is None:
                skipped[reason or "unknown"] += 1
            else:
                tally["records"] += 1
                yield record
            progress(status(done))
        progress(status(len(todo)), force=True)
        progress.done()

    with suppress(NoRecord), written_aside(output) as partial:
        write_jsonl(records(), partial)
        if not tally["records"]:
            raise NoRecord  # an empty file would look like a reparse that worked
    why = ", ".join(f"{reason} {count}" for reason, count in skipped.most_common())
    if not tally["records"]:
        found = (f"{plural(len(todo), 'article')} gave no record ({why})" if todo
                 else "no article capture")
        print(f"lnv-crawler reparse: {found} in {plural(tally['files_read'], 'file')} read, "
              f"{tally['files_skipped']} skipped; nothing written to {output}", file=sys.stderr)
        return 1
    seconds = time.monotonic() - started
    print(f"reparse: {plural(tally['files_read'], 'file')} read, {tally['files_skipped']} "
          f"skipped; {plural(tally['captures'], 'article capture')}, "
          f"{plural(len(todo), 'article')}; wrote {plural(tally['records'], 'record')} to "
          f"{output}{f'; no record: {why}' if why else ''}; {seconds:.1f} s, "
          f"{len(todo) / max(seconds, 1e-6):.0f} pages/s with {plural(jobs, 'job')}")
    return 1 if tally["files_skipped"] else 0


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def add_parser(commands: Any) -> None:
    """The `reparse` subcommand of lnv-crawler."""
    command = commands.add_parser(
        "reparse", help="rebuild records from WARC archives with the current parser")
    command.add_argument("files", nargs="+", type=Path, metavar="FILE.warc.gz")
    command.add_argument("-o", "--output", type=Path, required=True, help="the JSON Lines file")
    command.add_argument("--jobs", type=int, default=default_jobs(),
                         help="worker processes (default: the number of cores)")
    command.set_defaults(run=lambda args: reparse(args.files, args.output, max(args.jobs, 1)))

