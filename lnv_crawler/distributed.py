"""Distributed crawling on scrapy-redis: with the setting REDIS_URL, any number of
workers share one request queue and one seen-set in Redis.

scrapy-redis's own start-up waits on idle polling, and each worker that closes
would flush the shared queue under the others. So, instead:
  - the first worker to open seeds the start URLs (SET NX on a Redis key: exactly
    one worker wins, however many start together), the others wait for the queue;
  - a worker exits once the shared queue has stayed empty for LNV_REDIS_IDLE_SECONDS
    while it had nothing in flight;
  - the queue and seen-set persist while workers come and go; the last worker out,
    finding the queue empty and no other worker alive, clears the run's keys so the
    next run starts fresh;
  - the start pages' answers are pooled: whether the run fetched one (else it failed,
    extensions.failure_reason) is the run's, not each worker's, since any worker may
    take any start page. An idle worker waits until each start page is answered or
    one was fetched, while another worker is alive and not waiting itself (one that
    waits holds no request): else an unanswered one was lost with the worker that
    took it, and counts as failed ("unanswered").
"""

from __future__ import annotations

import logging
import os
import socket
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.settings import Settings
from twisted.internet import task

from . import urls
from .extensions import START_FAILED_STAT, START_FETCHED_STAT, start_page_answered

logger = logging.getLogger(__name__)

KEY_PREFIX = "%(spider)s"
REQUESTS_KEY = KEY_PREFIX + ":requests"
DUPEFILTER_KEY = KEY_PREFIX + ":dupefilter"
SEEDED_KEY = KEY_PREFIX + ":seeded"
WORKERS_KEY = KEY_PREFIX + ":workers"
STARTS_KEY = KEY_PREFIX + ":start_pages"  # canonical start URL -> pending, fetched, failed
STARTS_FAILED_KEY = KEY_PREFIX + ":start_pages_failed"  # URL asked -> kind
WAITING_KEY = KEY_PREFIX + ":waiting"  # the idle workers waiting for a start page's answer
_PENDING, _FETCHED, _FAILED = "pending", "fetched", "failed"
HEARTBEAT_SECONDS = 2.0


def enable(settings: Settings) -> None:
    """Switch a crawl to the shared scheduler when REDIS_URL is set; else change nothing."""
    if not settings.get("REDIS_URL"):
        return
    settings.set("SCHEDULER", "scrapy_redis.scheduler.Scheduler", priority="spider")
    settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter",
                 priority="spider")
    settings.set("SCHEDULER_QUEUE_KEY", REQUESTS_KEY, priority="spider")
    settings.set("SCHEDULER_DUPEFILTER_KEY", DUPEFILTER_KEY, priority="spider")
    # The last worker out clears the keys (DistributedRun), not every worker on close.
    settings.set("SCHEDULER_PERSIST", True, priority="spider")
    # A worker takes from the shared queue only what it can download at once, so
    # that it does not hoard requests the other workers could be fetching.
    settings.set("CONCURRENT_REQUESTS", settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                 priority="spider")
    extensions = settings.getdict("EXTENSIONS")
    extensions["lnv_crawler.distributed.DistributedRun"] = 400
    settings.set("EXTENSIONS", extensions, priority="spider")


class DistributedRun:
    """Seeding, idle exit and clean-up of one worker of a shared crawl."""

    def __init__(self, crawler):
        from scrapy_redis import connection  # only needed, and installed, with REDIS_URL

        self.crawler = crawler
        self.server = connection.from_settings(crawler.settings)
        self.idle_seconds = crawler.settings.getfloat("LNV_REDIS_IDLE_SECONDS")
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.empty_since: float | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.start_page_answered, signal=start_page_answered)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def key(self, template: str) -> str:
        return template % {"spider": self.crawler.spider.name}

    def spider_opened(self, spider) -> None:
        self.heartbeat()
        self.beating = task.LoopingCall(self.heartbeat)
        self.beating.start(HEARTBEAT_SECONDS, now=False)
        if not self.others_alive() and not self.queue_length():
            # Leftovers of a crawl whose workers all died: start afresh.
            self.server.delete(self.key(SEEDED_KEY), self.key(DUPEFILTER_KEY),
                               self.key(STARTS_KEY), self.key(STARTS_FAILED_KEY),
                               self.key(WAITING_KEY))
        seeds = self.server.set(self.key(SEEDED_KEY), self.worker, nx=True)
        spider.seeds_start_urls = bool(seeds)
        if seeds:
            self.server.hset(self.key(STARTS_KEY),
                             mapping=dict.fromkeys(spider.start_pages, _PENDING))
        logger.info("worker %s %s", self.worker,
                    "seeds the start URLs" if seeds else "joins a crawl already seeded")

    def heartbeat(self) -> None:
        self.server.hset(self.key(WORKERS_KEY), self.worker, time.time())

    def queue_length(self) -> int:
        return self.server.zcard(self.key(REQUESTS_KEY))

    def start_page_answered(self, url: str, asked: str | None = None,
                            failed: str | None = None) -> None:
        """Pools one start page's answer (one per start page: the dupefilter lets a
        start URL through once)."""
        self.server.hset(self.key(STARTS_KEY), url, _FETCHED if failed is None else _FAILED)
        if failed is not None:
            self.server.hset(self.key(STARTS_FAILED_KEY), asked or url, failed)

    def spider_idle(self, spider) -> None:
        """Stay open while the shared queue may still fill from other workers, and while
        another worker may still fetch a start page when none was fetched yet (the
        run's outcome); then take the run's start-page answers as this worker's."""
        self.heartbeat()
        if self.queue_length():
            self.empty_since = None
            self.server.srem(self.key(WAITING_KEY), self.worker)  # it has work again
            raise DontCloseSpider
        now = time.monotonic()
        self.empty_since = self.empty_since or now
        if now - self.empty_since < self.idle_seconds:
            raise DontCloseSpider
        states = _texts(self.server.hgetall(self.key(STARTS_KEY)))
        unanswered = [url for url, state in states.items() if state == _PENDING]
        fetched = sum(state == _FETCHED for state in states.values())
        answering = self.others_alive(waiting_too=False)
        if unanswered and not fetched and answering:
            self.server.sadd(self.key(WAITING_KEY), self.worker)
            raise DontCloseSpider
        # With no other worker that may answer it, an unanswered start page is lost with
        # the one that took it (this worker is idle, nothing in flight).
        lost = [] if answering else [urls.to_fetch_url(u, spider.base_url) for u in unanswered]
        self.adopt_start_pages(fetched, lost)

    def adopt_start_pages(self, fetched: int, lost: list[str]) -> None:
        """The run's start pages in this worker's stats, for its exit status and summary:
        fetched by any worker, failed in any, or lost unanswered (the URLs asked) with a
        stopped worker."""
        failed = _texts(self.server.hgetall(self.key(STARTS_FAILED_KEY)))
        failed.update(dict.fromkeys(lost, "unanswered"))
        stats = self.crawler.stats
        stats.set_value(START_FETCHED_STAT, fetched)
        if failed:
            stats.set_value(START_FAILED_STAT, failed)

    def others_alive(self, waiting_too: bool = True) -> bool:
        """Another worker's heartbeat is recent (a dead worker falls silent); with
        waiting_too False, of a worker not waiting for a start page's answer."""
        beats = self.server.hgetall(self.key(WORKERS_KEY))
        horizon = time.time() - 3 * HEARTBEAT_SECONDS
        skip = {self.worker}
        if not waiting_too:
            skip.update(map(_text, self.server.smembers(self.key(WAITING_KEY))))
        return any(float(beat) > horizon for worker, beat in beats.items()
                   if _text(worker) not in skip)

    def spider_closed(self, spider, reason: str) -> None:
        self.beating.stop()
        self.server.hdel(self.key(WORKERS_KEY), self.worker)
        self.server.srem(self.key(WAITING_KEY), self.worker)
        if reason == "finished" and not self.queue_length() and not self.others_alive():
            self.server.delete(self.key(SEEDED_KEY), self.key(DUPEFILTER_KEY),
                               self.key(WORKERS_KEY), self.key(REQUESTS_KEY),
                               self.key(STARTS_KEY), self.key(STARTS_FAILED_KEY),
                               self.key(WAITING_KEY))
            logger.info("last worker out: the shared crawl's keys are cleared")


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _texts(mapping: dict) -> dict[str, str]:
    """A Redis hash as str keys and values."""
    return {_text(k): _text(v) for k, v in mapping.items()}
