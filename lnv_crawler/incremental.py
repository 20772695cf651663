"""One run's view of the incremental state (contract §6), shared by the pieces
that act on it: IncrementalStateMiddleware (skips, dead links, conditional
requests), RecheckPipeline (edits) and the spider (listing stops, rechecks).

The state is read once when the run opens; what the run learns is kept here and
written by the middleware once the output file is complete.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from .state import ArticleCheck, SeenArticles

DEAD_STATUSES = frozenset({404, 410})
# Set by a run that did not finish (SIGTERM, time budget): it may have left articles
# of deep listing pages unfetched behind pages it wrote, so the next run walks every
# listing page instead of stopping at the first one with nothing new.
RESUME_FLAG = "walk_listings_in_full"
_RUNS: WeakKeyDictionary[Crawler, IncrementalRun] = WeakKeyDictionary()


def content_hash(title: str | None, sapo: str | None, body: list[str] | None) -> str:
    """What an edit changes: title, sapo and body (link lists and sidebars change on
    every page whenever anything is published, and are no edit)."""
    text = json.dumps([title, sapo, body], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class IncrementalRun:
    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        state_dir = settings.get("LNV_STATE_DIR")  # empty: a one-off run (runs.py)
        self.store = SeenArticles(Path(state_dir) if state_dir else None)
        self.dead_link_days = settings.getfloat("LNV_DEAD_LINK_DAYS")
        # Recheck data of the recent articles, as the state held it before this run.
        self.recent: dict[str, ArticleCheck] = self.store.recent(
            settings.getfloat("LNV_RECHECK_DAYS"))
        self.written: dict[str, str] = {}  # url -> article_id, scraped but not yet recorded
        self.checks: dict[str, ArticleCheck] = {}  # articles parsed by this run
        self.validators: dict[str, tuple[str | None, str | None]] = {}  # url -> ETag, L-M
        self.dead: dict[str, int] = {}  # url -> 404/410, met by this run
        self.walk_listings_in_full = self.store.flag(RESUME_FLAG) is not None

    def dead_recently(self, url: str) -> bool:
        return bool(self.dead_link_days) and self.store.dead_since(
            url, self.dead_link_days) is not None

    def known(self, url: str) -> bool:
        """Written by an earlier run, or dead and not to be asked yet: nothing new."""
        return url in self.store or self.dead_recently(url)

    def parsed(self, url: str, published_at: str | None, digest: str) -> None:
        etag, last_modified = self.validators.get(url, (None, None))
        self.checks[url] = ArticleCheck(published_at, digest, etag, last_modified)

    def record(self, output_file: str) -> int:
        return self.store.record(self.written.items(), output_file, checks=self.checks,
                                 dead=self.dead)

    def finished(self, reason: str | None) -> None:
        """After a recorded run: whether the next one must walk its listings in full."""
        self.store.set_flag(RESUME_FLAG, None if reason == "finished" else reason or "unknown")


def of(crawler: Crawler) -> IncrementalRun:
    """The run of this crawler, opened on first use."""
    run = _RUNS.get(crawler)
    if run is None:
        run = _RUNS[crawler] = IncrementalRun(crawler)
    return run


class UnchangedArticle(DropItem):
    """A re-checked article whose title, sapo and body are as written before."""


class RecheckPipeline:
    """Writes a re-checked article again only when its title, sapo or body changed;
    notes every parsed article's hash for the state."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.run = of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecheckPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        url = adapter["url"]
        digest = content_hash(adapter.get("title"), adapter.get("sapo"), adapter.get("body"))
        self.run.parsed(url, adapter.get("published_at"), digest)
        before = self.run.recent.get(url)
        if before is None or getattr(self.crawler.spider, "refresh", False):
            return item
        stats = self.crawler.stats
        if before.content_hash == digest:
            stats.inc_value("lnv/recheck/unchanged")
            raise UnchangedArticle(f"unchanged since last written: {url}", log_level="DEBUG")
        stats.inc_value("lnv/recheck/changed")
        return item


def apply_run_budget(settings: Settings) -> None:
    """LNV_MAX_RUN_MINUTES as Scrapy's CLOSESPIDER_TIMEOUT (the smaller one wins when
    both are set): the run stops gracefully, with a complete output and state."""
    minutes = settings.getfloat("LNV_MAX_RUN_MINUTES")
    if minutes <= 0:
        return
    seconds = minutes * 60
    given = settings.getfloat("CLOSESPIDER_TIMEOUT")
    if not given or seconds < given:
        settings.set("CLOSESPIDER_TIMEOUT", seconds, priority="cmdline")
