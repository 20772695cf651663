"""The baseline: a bare Scrapy spider that follows what lnv follows and parses nothing.

Every article-shaped link (/<slug>-<id>.html) and listing link (/<category>,
/<category>/p2) on a page is fetched from the mirror, each once per page as lnv
does (the dupefilter drops those seen on earlier pages); each page yields only
{"url": ...}. Run it from a folder outside the project, so that the project's
settings do not apply:
    scrapy runspider /path/to/bench/bare_spider.py -a base_url=http://127.0.0.1:PORT
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response

SITE = "https://langngheviet.com.vn"
_ARTICLE = re.compile(r"^/[\w%.-]*-\d+\.html$")
_LISTING = re.compile(r"^/[a-z0-9][a-z0-9-]*(?:/p\d+)?$")


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, base_url: str, start_urls: str = SITE + "/", **kwargs: Any):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")
        self.start_pages = [u.strip() for u in start_urls.split(",") if u.strip()]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.start_pages:
            yield scrapy.Request(self.base_url + (urlsplit(url).path or "/"), dont_filter=True)

    def mirror_url(self, href: str) -> str | None:
        """The mirror URL of a site link worth following, else None."""
        parts = urlsplit(urljoin(SITE + "/", href.strip()))
        if parts.netloc != "langngheviet.com.vn" or not (
                _ARTICLE.match(parts.path) or _LISTING.match(parts.path)):
            return None
        return self.base_url + parts.path

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        yield {"url": response.url}
        found = (self.mirror_url(href) for href in response.xpath("//a/@href").getall())
        for url in dict.fromkeys(u for u in found if u):
            yield scrapy.Request(url)
