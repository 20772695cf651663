"""Downloader middleware that keeps every request on the site (or its mirror)."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from . import urls

logger = logging.getLogger(__name__)


class SiteOnlyMiddleware:
    """Sends site URLs to the mirror in mirror mode and refuses anything else.

    It sits in the downloader chain so that redirects, which Scrapy schedules
    as new requests, are held to the same rule as links the spider follows.
    """

    def __init__(self, crawler):
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
        raise IgnoreRequest(f"off-site URL {request.url[:200]}")
