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
    next run starts fresh.
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

logger = logging.getLogger(__name__)

KEY_PREFIX = "%(spider)s"
REQUESTS_KEY = KEY_PREFIX + ":requests"
DUPEFILTER_KEY = KEY_PREFIX + ":dupefilter"
SEEDED_KEY = KEY_PREFIX + ":seeded"
WORKERS_KEY = KEY_PREFIX + ":workers"
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
            self.server.delete(self.key(SEEDED_KEY), self.key(DUPEFILTER_KEY))
        seeds = self.server.set(self.key(SEEDED_KEY), self.worker, nx=True)
        spider.seeds_start_urls = bool(seeds)
        logger.info("worker %s %s", self.worker,
                    "seeds the start URLs" if seeds else "joins a crawl already seeded")

    def heartbeat(self) -> None:
        self.server.hset(self.key(WORKERS_KEY), self.worker, time.time())

    def queue_length(self) -> int:
        return self.server.zcard(self.key(REQUESTS_KEY))

    def spider_idle(self, spider) -> None:
        """Stay open while the shared queue may still fill from other workers."""
        self.heartbeat()
        if self.queue_length():
            self.empty_since = None
            raise DontCloseSpider
        now = time.monotonic()
        self.empty_since = self.empty_since or now
        if now - self.empty_since < self.idle_seconds:
            raise DontCloseSpider

    def others_alive(self) -> bool:
        """Another worker's heartbeat is recent (a dead worker falls silent)."""
        beats = self.server.hgetall(self.key(WORKERS_KEY))
        horizon = time.time() - 3 * HEARTBEAT_SECONDS
        return any(float(beat) > horizon for worker, beat in beats.items()
                   if _text(worker) != self.worker)

    def spider_closed(self, spider, reason: str) -> None:
        self.beating.stop()
        self.server.hdel(self.key(WORKERS_KEY), self.worker)
        if reason == "finished" and not self.queue_length() and not self.others_alive():
            self.server.delete(self.key(SEEDED_KEY), self.key(DUPEFILTER_KEY),
                               self.key(WORKERS_KEY), self.key(REQUESTS_KEY))
            logger.info("last worker out: the shared crawl's keys are cleared")


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
