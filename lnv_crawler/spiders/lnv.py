"""The lnv spider decides what to follow; page objects do all the parsing.

Followed, and only followed (contract §2): article links of an article's link
lists and its "Xem thêm" listing; article links and the next page of listings;
category links of the home page and of menus. Every URL is canonicalized
before it is scheduled, so each article is requested once per run whichever
variant leads to it, and nothing off the site is ever requested.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timezone
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.settings import Settings
from twisted.python.failure import Failure

from .. import distributed, incremental, urls
from ..arguments import flag
from ..extensions import START_FAILED_STAT, START_FETCHED_STAT, start_page_answered
from ..middlewares import RefusedRequest
from ..pages.article import ArticlePage
from ..pages.listing import ListingPage, listing_root, page_number

HOME = urls.SITE_ORIGIN + "/"
DEAD_LINK_KINDS = frozenset({"http_404", "http_410"})
ARTICLE_PRIORITY = 10  # articles before more listing pages: keeps the queue short


class LnvSpider(scrapy.Spider):
    name = "lnv"

    @classmethod
    def update_settings(cls, settings: Settings) -> None:
        super().update_settings(settings)
        distributed.enable(settings)
        incremental.apply_run_budget(settings)

    def __init__(self, start_urls: str | None = None, base_url: str | None = None,
                 follow: str = "1", refresh: str = "0", backfill: str = "0", **kwargs: Any):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/") if base_url else None
        self.follow = flag(follow)
        self.refresh = flag(refresh)
        self.backfill = flag(backfill)  # walk every listing page, not only the new ones
        self.listings_stopped: dict[str, dict[str, Any]] = {}  # listing -> where, why
        given = [u.strip() for u in (start_urls or "").split(",") if u.strip()]
        self.start_pages = self._canonical_starts(given) if given else [HOME]
        self.explicit_starts = bool(given)  # asked for by name: fetched whatever the state says
        # The pid keeps two runs started in the same second apart.
        self.run_id = f"{datetime.now(timezone.utc):%Y%m%dT%H%M%SZ}-{os.getpid()}"
        self.followed: set[str] = set()  # canonical URLs this worker has scheduled

    def _canonical_starts(self, given: list[str]) -> list[str]:
        starts = []
        for raw in given:
            url = urls.canonicalize(urls.from_fetch_url(raw, self.base_url))
            if url is None:
                self.logger.error("start URL off the site, ignored: %s", raw)
            else:
                starts.append(url)
        return starts

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if not getattr(self, "seeds_start_urls", True):
            return  # a shared crawl another worker has seeded
        for url in self.start_pages:
            # lnv_start: a run that fetched none of its start pages failed (extensions.py).
            yield self._request(url, meta={"lnv_explicit": self.explicit_starts,
                                           "lnv_start": True})
        if self.follow and not self.refresh:  # refresh fetches them all anyway
            recent = incremental.of(self.crawler).recent
            self.crawler.stats.set_value("lnv/recheck/scheduled", len(recent))
            for url in recent:
                yield self._request(url, recheck=True)

    # -- requests --------------------------------------------------------

    def _request(self, canonical: str, recheck: bool = False,
                 meta: dict[str, Any] | None = None) -> scrapy.Request:
        is_article = urls.is_article_url(canonical)
        return scrapy.Request(
            urls.to_fetch_url(canonical, self.base_url),
            callback=self.parse,
            errback=self.on_error,
            priority=ARTICLE_PRIORITY if is_article else 0,
            # A re-check is let through the duplicate filter: a listing may have linked
            # the article first, a request the state middleware refused as seen.
            dont_filter=recheck,
            meta={"lnv_canonical": canonical, "lnv_recheck": recheck, **(meta or {})},
        )

    def _follow(self, canonicals: Iterable[str]) -> Iterator[scrapy.Request]:
        """Requests for one page's links not scheduled before: at most
        LNV_MAX_LINKS_PER_PAGE of them (0: no limit), the rest counted, so that no page can
        hold a run. Most links of a page were scheduled from earlier pages: the dupefilter
        would drop them, after a Request, the middlewares and a fingerprint each."""
        if not self.follow:
            return
        new = [url for url in dict.fromkeys(canonicals) if url not in self.followed]
        limit = self.settings.getint("LNV_MAX_LINKS_PER_PAGE")
        if limit and len(new) > limit:
            # Not remembered as followed: another page may still lead to them.
            self.crawler.stats.inc_value("lnv/links_capped", len(new) - limit)
            del new[limit:]
        self.followed.update(new)
        for url in new:
            yield self._request(url)

    def canonical_url(self, response: Response) -> str:
        """The site URL a response stands for (after redirects and mirror mapping)."""
        fetched = urls.from_fetch_url(response.url, self.base_url)
        return urls.canonicalize(fetched) or response.meta.get("lnv_canonical") or fetched

    # -- callbacks -------------------------------------------------------

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if response.meta.get("lnv_start"):
            self.crawler.stats.inc_value(START_FETCHED_STAT)
            self.crawler.signals.send_catch_log(start_page_answered,
                                                url=response.meta["lnv_canonical"])
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("lnv/skipped/not_html")
            self.logger.info("not an HTML page, skipped: %s", response.url)
            return
        url = self.canonical_url(response)
        if urls.is_article_url(url):
            yield from self.parse_article(response, url)
        else:
            yield from self.parse_listing(response, url)

    def parse_article(self, response: TextResponse, url: str) -> Iterator[Any]:
        self.crawler.stats.inc_value("lnv/responses/article")
        page = ArticlePage(page_source(response), url, fetched_at=datetime.now(timezone.utc))
        rejection = page.rejection()
        if rejection is None:
            item = page.to_item()
            # Followed as the record has them: more_url() would look for the link again.
            links, more = item["links"], item["more_url"]
            yield item
        else:
            self.crawler.stats.inc_value(f"lnv/skipped/{rejection}")
            log = self.logger.warning if rejection == "unparsed" else self.logger.info
            log("article-shaped page gave no record (%s): %s", rejection, url)
            if page.root is None:
                return
            links, more = page.links(), page.more_url()
        yield from self._follow([*(link["url"] for link in links),
                                 *ListingPage(page.root, url, page.index).category_urls(),
                                 *([more] if more else [])])

    def parse_listing(self, response: TextResponse, url: str) -> Iterator[scrapy.Request]:
        self.crawler.stats.inc_value("lnv/responses/listing")
        page = ListingPage(page_source(response), url)
        is_home = urls.canonicalize(url) == HOME
        articles = [] if is_home else page.article_urls()
        yield from self._follow([*page.category_urls(everywhere=is_home), *articles])
        if is_home:
            return
        self.crawler.stats.inc_value("lnv/listing_pages")
        if not self.follow:
            return
        following = self._next_listing_page(response, url, page, articles)
        if following:
            yield following

    def _next_listing_page(self, response: TextResponse, url: str, page: ListingPage,
                           articles: list[str]) -> scrapy.Request | None:
        """The next page of a listing, or None where the walk stops: the last page,
        LNV_MAX_LISTING_PAGES, or (incremental runs) LNV_LISTING_STOP_AFTER pages in a
        row that showed no article the state did not know before this run."""
        following = page.next_page_url()
        limit = self.settings.getint("LNV_MAX_LISTING_PAGES")
        run = incremental.of(self.crawler)
        new = any(not run.known(article) for article in articles)
        quiet = 0 if new else response.meta.get("lnv_quiet_pages", 0) + 1
        if following is None:
            return self._listing_stopped(url, "last page")
        if limit and page_number(following) > limit:
            self.crawler.stats.inc_value("lnv/skipped/listing_page_limit")
            return self._listing_stopped(url, "LNV_MAX_LISTING_PAGES")
        stop_after = self.settings.getint("LNV_LISTING_STOP_AFTER")
        walk_all = self.backfill or self.refresh or run.walk_listings_in_full
        self.crawler.stats.set_value("lnv/listings_walked_in_full", walk_all)
        if stop_after and not walk_all and quiet >= stop_after:
            return self._listing_stopped(url, "nothing new")
        return self._request(following, meta={"lnv_quiet_pages": quiet})

    def _listing_stopped(self, url: str, reason: str) -> None:
        listing = urls.SITE_ORIGIN + listing_root(url)
        self.listings_stopped[listing] = {"page": page_number(url), "reason": reason}
        self.crawler.stats.set_value("lnv/listings_stopped", self.listings_stopped)

    def on_error(self, failure: Failure) -> None:
        """Count and log a failed request by kind; the run goes on."""
        request = failure.request
        kind = failure_kind(failure)
        if request.meta.get("lnv_start"):
            # A start page is never refused as seen or dead: refused, it left the site.
            why = "redirected_off_site" if failure.check(RefusedRequest) else kind
            first = request.meta.get("redirect_urls", [request.url])[0]  # the URL asked
            failed = self.crawler.stats.get_value(START_FAILED_STAT, {})
            self.crawler.stats.set_value(START_FAILED_STAT, {**failed, first: why})
            self.crawler.signals.send_catch_log(
                start_page_answered, url=request.meta["lnv_canonical"], asked=first, failed=why)
        if failure.check(RefusedRequest):
            return  # declined on purpose, counted where declined
        self.crawler.stats.inc_value(f"lnv/failed/{kind}")
        dead_link = kind in DEAD_LINK_KINDS  # normal on a news site, not a failure of the run
        if not dead_link and urls.is_article_url(request.meta.get("lnv_canonical", "")):
            self.crawler.stats.inc_value("lnv/failed_article_requests")
        log = self.logger.info if dead_link else self.logger.warning
        log("request failed (%s): %s", kind, request.url)


def page_source(response: TextResponse) -> str | bytes:
    """What the page objects parse: the body as it came when it is UTF-8, which lxml
    reads as is (parse_html would encode response.text back to those 70 KB of bytes);
    else the text decoded with the response's encoding. A U+FFFD in the text marks
    bytes that are not UTF-8 (lxml 5 builds a tree of them it then cannot read); the
    text is decoded already, MetaRefreshMiddleware reads it, so the check is a scan."""
    if response.encoding == "utf-8" and "\ufffd" not in response.text:
        return response.body
    return response.text


def failure_kind(failure: Failure) -> str:
    """http_<status>, max_redirects, too_large, or the exception's name."""
    status = getattr(getattr(failure.value, "response", None), "status", None)
    if status:
        return f"http_{status}"
    if failure.check(IgnoreRequest):
        message = str(failure.value).lower()
        if "redirect" in message:
            return "max_redirects"
        if "maxsize" in message or "exceeded" in message:
            return "too_large"
        return "ignored"
    return type(failure.value).__name__
