"""The run's archive: every HTTP exchange the crawl made, as a WARC file (ISO 28500)
written with warcio, `output/warc/lnv-<run_id>.warc.gz` (contract §7).

WarcArchive is a downloader middleware placed nearest the downloader (above
HttpCompressionMiddleware, 590, and the redirect and retry middlewares), so it sees
every response as the server sent it: a gzip body still encoded under its
Content-Encoding, and every redirect and error answer before it is followed or
retried. Requests refused before the downloader never reach it.

Stored as sent, with two exceptions the transport forces: Twisted consumes the
hop-by-hop headers (Connection, Keep-Alive, Transfer-Encoding) and undoes chunking,
so the stored body is the de-chunked entity and Content-Length is its length.

Like the JSON Lines, the file is written under a hidden name in its final folder
and renamed when the spider closes: a killed run leaves only a dot-file.
"""

from __future__ import annotations

import logging
import os
import zlib
from contextlib import suppress
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from .feeds import OPEN_PARTIALS, fsync_directory, partial_path
from .wording import plural

logger = logging.getLogger(__name__)

WARC_VERSION = "1.1"  # microsecond WARC-Date: the newest of two captures is well defined
BASE_URL_FIELD = "lnv-base-url"  # warcinfo field: the mirror a run fetched the site from


class GzipMembers:
    """A file wrapper that compresses each WARC record as its own gzip member (what
    readers need to seek to a record) at a chosen level: warcio's own gzip is level 9,
    twice the CPU of level 3 on HTML for 10 % less disk."""

    def __init__(self, file: IO[bytes], level: int):
        self.file = file
        self.level = level
        self.compressor = self._member()

    def _member(self):
        return zlib.compressobj(self.level, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        self.file.write(self.compressor.compress(data))

    def flush(self) -> None:
        """warcio flushes once at the end of every record: that ends the member."""
        self.file.write(self.compressor.flush())
        self.compressor = self._member()


def archive_name(run_id: str) -> str:
    """lnv-<run_id>.warc.gz: the run id holds the pid, so workers of a shared crawl
    started in the same second never write the same file."""
    return f"lnv-{run_id}.warc.gz"


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1"))
            for name, values in headers.items() for value in values]


def response_headers(response: Response) -> StatusAndHeaders:
    """Status line with the real protocol, and the headers as received, with a
    Content-Length that matches the body stored (see the module's note)."""
    headers = [(name, value) for name, value in _pairs(response.headers)
               if name.lower() != "content-length"]
    headers.append(("Content-Length", str(len(response.body))))
    try:
        reason = HTTPStatus(response.status).phrase
    except ValueError:
        reason = ""
    protocol = response.protocol or "HTTP/1.1"
    if protocol.lower() == "h2":
        protocol = "HTTP/2"
    return StatusAndHeaders(f"{response.status} {reason}".strip(), headers, protocol=protocol)


def request_headers(request: Request, protocol: str) -> StatusAndHeaders:
    """Request line and the headers Scrapy sent (Twisted adds Host on the wire)."""
    parts = urlsplit(request.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = _pairs(request.headers)
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    # warcio keeps a request line whole: the method where a response has its protocol.
    return StatusAndHeaders(f"{request.method} {target} {protocol}", headers,
                            is_http_request=True)


class WarcArchive:
    """Downloader middleware: one request and one response record per exchange."""

    def __init__(self, crawler, folder: Path, level: int):
        self.crawler = crawler
        self.folder = folder
        self.level = level
        self.file: IO[bytes] | None = None
        self.writer: WARCWriter | None = None
        self.final: Path | None = None
        self.partial: Path | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        folder = crawler.settings.get("LNV_WARC_DIR")
        if not folder:
            raise NotConfigured("LNV_WARC_DIR is empty: no archive")
        return cls(crawler, Path(folder), crawler.settings.getint("LNV_WARC_GZIP_LEVEL"))

    def spider_opened(self, spider: Spider) -> None:
        run_id = getattr(spider, "run_id", "run")
        self.final = self.folder / archive_name(run_id)
        self.partial = partial_path(self.final)
        OPEN_PARTIALS.add(self.partial)  # a second Ctrl-C removes it (stopping.py)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self.file = self.partial.open("wb")
            self.writer = WARCWriter(GzipMembers(self.file, self.level), gzip=False,
                                     warc_version=WARC_VERSION)
            info = {"software": "lnv_crawler (warcio)", "format": "WARC File Format 1.1",
                    "isPartOf": f"lnv-{run_id}",
                    "http-header-user-agent": self.crawler.settings.get("USER_AGENT"),
                    BASE_URL_FIELD: getattr(spider, "base_url", None)}
            self.writer.write_record(self.writer.create_warcinfo_record(self.final.name, info))
        except OSError as error:
            self.abandon(error)

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is not None:
            try:
                self.archive(request, response)
            except OSError as error:  # a full disk loses the archive, never the page
                self.abandon(error)
        return response

    def abandon(self, error: OSError) -> None:
        """The crawl goes on without an archive: an ERROR line says so, and the run summary
        has no archive_file."""
        logger.error("archive switched off for this run, %s cannot be written: %s",
                     self.final, error)
        self.crawler.stats.set_value("lnv/warc/error", str(error))
        self.writer = None
        if self.file is not None:
            with suppress(OSError):
                self.file.close()
            self.file = None
        if self.partial is not None:
            with suppress(OSError):
                self.partial.unlink(missing_ok=True)
            OPEN_PARTIALS.discard(self.partial)

    def archive(self, request: Request, response: Response) -> None:
        # About when the request went out: now minus Scrapy's download latency.
        started = datetime.now(timezone.utc) - timedelta(
            seconds=request.meta.get("download_latency", 0.0))
        date = datetime_to_iso_date(started.replace(tzinfo=None), use_micros=True)
        writer = self.writer
        assert writer is not None
        http = response_headers(response)
        extra = {"WARC-Date": date}
        if "dataloss" in response.flags:
            extra["WARC-Truncated"] = "disconnect"
        resp = writer.create_warc_record(response.url, "response", payload=BytesIO(response.body),
                                         length=len(response.body), http_headers=http,
                                         warc_headers_dict=extra)
        req = writer.create_warc_record(response.url, "request",
                                        http_headers=request_headers(request, http.protocol),
                                        warc_headers_dict={"WARC-Date": date})
        # warcio writes the response, then the request naming it as WARC-Concurrent-To.
        writer.write_request_response_pair(req, resp)
        self.crawler.stats.inc_value("lnv/warc/responses")

    def spider_closed(self, spider: Spider) -> None:
        if self.file is None or self.final is None or self.partial is None:
            return
        if not self.crawler.stats.get_value("lnv/warc/responses", 0):
            # Nothing answered (site unreachable): a file of only its warcinfo record
            # would hold nothing to reparse, one more for each failed cron run.
            with suppress(OSError):
                self.file.close()
                self.partial.unlink(missing_ok=True)
            OPEN_PARTIALS.discard(self.partial)
            self.writer = self.file = None
            logger.info("archive: none, no response to keep")
            return
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            os.replace(self.partial, self.final)
            OPEN_PARTIALS.discard(self.partial)
            fsync_directory(self.folder)
        except OSError as error:
            self.abandon(error)
            return
        self.writer = self.file = None
        size = self.final.stat().st_size
        self.crawler.stats.set_value("lnv/warc/file", str(self.final))
        self.crawler.stats.set_value("lnv/warc/bytes", size)
        responses = self.crawler.stats.get_value("lnv/warc/responses", 0)
        logger.info("archive: %s (%s, %.1f MB)", self.final, plural(responses, "response"),
                    size / 1e6)
