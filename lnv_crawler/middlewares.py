"""Downloader middlewares: site-only requests, incremental runs, polite retries."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from . import incremental, urls
from .extensions import failure_reason
from .feeds import WRITE_ERROR_STAT

logger = logging.getLogger(__name__)


class RefusedRequest(IgnoreRequest):
    """A request this project declines on purpose (off the site, written before):
    counted where refused, not a failure of the run."""


class SiteOnlyMiddleware:
    """Sends site URLs to the mirror in mirror mode and refuses anything else.

    It sits in the downloader chain so that redirects, which Scrapy schedules
    as new requests, are held to the same rule as links the spider follows.
    """

    def __init__(self, crawler):
        if crawler.settings.getbool("LNV_TOOL"):
            # `scrapy shell`/`fetch`/`parse` fetch exactly the URL the user typed.
            raise NotConfigured
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request) -> Request | None:
        base_url = getattr(self.crawler.spider, "base_url", None)
        parts = urlsplit(request.url)
        canonical = urls.canonicalize(request.url)
        if base_url:
            if canonical is not None:
                # Rescheduled once, on the mirror; redirect counts travel in meta.
                mirrored = urls.to_fetch_url(canonical, base_url)
                return request.replace(url=mirrored, dont_filter=True)
            base = urlsplit(base_url)
            if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
                return None
        elif canonical is not None:
            return None
        self.crawler.stats.inc_value("lnv/offsite_blocked")
        logger.warning("request off the site refused: %.200s", request.url)
        raise RefusedRequest(f"off-site URL {request.url[:200]}")


class IncrementalStateMiddleware:
    """Skips articles that earlier runs wrote and links that answered 404/410 less
    than LNV_DEAD_LINK_DAYS ago; makes re-checks conditional (If-None-Match /
    If-Modified-Since) and ends a 304 there, bodiless; records this run's articles,
    recheck data and dead links once the output file holding them is complete
    (contract: one write per article)."""

    def __init__(self, crawler):
        if not crawler.settings.get("LNV_STATE_DIR"):
            raise NotConfigured  # a run without state (runs.py): nothing skipped or recorded
        self.crawler = crawler
        self.run = incremental.of(crawler)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)
        self.recorded = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        url = request.meta.get("lnv_canonical")
        if not url:
            return
        # A start page is always asked: a run that could not fetch it fails (extensions.py).
        if not request.meta.get("lnv_start") and self.run.dead_recently(url):
            self.crawler.stats.inc_value("lnv/skipped/dead_link")
            raise RefusedRequest(f"dead link, not asked again yet: {url}")
        if request.meta.get("lnv_recheck"):
            check = self.run.recent.get(url)
            if check and check.etag:
                request.headers.setdefault("If-None-Match", check.etag)
            if check and check.last_modified:
                request.headers.setdefault("If-Modified-Since", check.last_modified)
            return
        refresh = getattr(self.crawler.spider, "refresh", False)
        explicit = request.meta.get("lnv_explicit", False)  # a start URL given by name
        if not refresh and not explicit and url in self.run.store:
            self.crawler.stats.inc_value("lnv/skipped/seen_before")
            raise RefusedRequest(f"written by an earlier run: {url}")

    def process_response(self, request: Request, response: Response) -> Response:
        url = request.meta.get("lnv_canonical")
        if not url:
            return response
        if request.meta.get("lnv_recheck"):
            self.crawler.stats.inc_value("lnv/recheck/rechecked")
            if response.status == 304:
                self.crawler.stats.inc_value("lnv/recheck/not_modified")
                self.crawler.stats.inc_value("lnv/recheck/unchanged")
                raise RefusedRequest(f"not modified since last fetched: {url}")
        if response.status in incremental.DEAD_STATUSES:
            self.run.dead[url] = response.status
            self.crawler.stats.inc_value("lnv/dead_links/found")
        if response.status == 200 and urls.is_article_url(url):
            header = response.headers.get
            self.run.validators[url] = (_header_text(header("ETag")),
                                        _header_text(header("Last-Modified")))
        return response

    def item_scraped(self, item) -> None:
        adapter = ItemAdapter(item)
        self.run.written[adapter["url"]] = adapter["article_id"]

    def feed_slot_closed(self, slot) -> None:
        if getattr(slot.storage, "completed", False):
            self._record(str(slot.storage.final))

    def _record(self, output_file: str) -> None:
        try:
            count = self.run.record(output_file)
        except (sqlite3.Error, OSError) as error:  # e.g. the disk is full
            # The file is out, but the next run will write these articles again.
            state_dir = self.crawler.settings.get("LNV_STATE_DIR")
            message = f"cannot record the state in {state_dir}: {error}"
            logger.error(message)
            self.crawler.stats.set_value(WRITE_ERROR_STAT, message)
            return
        self.crawler.stats.set_value("lnv/state/recorded", count)
        self.recorded = True

    def engine_stopped(self) -> None:
        # A run that wrote no record publishes no file, so no feed slot closed: what it
        # learned (dead links, re-checked articles' validators) is recorded all the same,
        # unless it failed (a mistyped mirror's 404s are no dead links of the site).
        # A failed run that wrote records set its file aside (feeds.py): it records
        # nothing, as its new hashes would hide the edits it holds from the next run.
        if not self.recorded and not self.run.written and (
                failure_reason(self.crawler.stats.get_stats()) is None):
            self._record("")
        # The finish reason is known only now, after the feeds have closed.
        if self.recorded:
            self.run.finished(self.crawler.stats.get_value("finish_reason"))
        self.run.store.close()


def _header_text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries of 429/5xx, waiting first: what Retry-After asks, else an
    exponential backoff, both capped by RETRY_BACKOFF_MAX seconds."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX")

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await asyncio.sleep(self.delay(response, result.meta.get("retry_times", 1)))
        return result

    def delay(self, response: Response, attempt: int) -> float:
        asked = retry_after_seconds(response.headers.get("Retry-After", b"").decode("latin-1"))
        wait = asked if asked is not None else self.backoff_base * 2 ** (attempt - 1)
        if asked is not None:
            self.crawler.stats.inc_value("lnv/retry_after_honoured")
        return min(wait, self.backoff_max)


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, with every hop let through the duplicate filter: a loop
    (/a -> /b -> /a) then ends at REDIRECT_MAX_TIMES as a counted failure instead
    of vanishing as a filtered duplicate."""

    def _redirect(self, redirected: Request, request: Request, reason) -> Request:
        redirected = super()._redirect(redirected, request, reason)
        redirected.dont_filter = True
        return redirected
