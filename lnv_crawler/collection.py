"""Python's garbage collector set for a crawl, from the engine's start to its stop.

A crawl allocates thousands of containers a page (requests, responses, lxml element
proxies, records), nearly all freed by reference counting; the collector still runs
every 700 net allocations, and every so often walks all the objects of Scrapy, Twisted
and lxml loaded at startup, which never become garbage. Frozen after startup, those
are never walked again; a higher first threshold runs the collector a seventh as often.
On the bench corpus (2,106 pages): 1.5-2 s of a 20 s crawl went to the collector, about
0.2 s after; peak memory is unchanged (108 MB; 118 MB on the 8,000-article corpus).
"""

from __future__ import annotations

import gc

from scrapy import signals
from scrapy.crawler import Crawler

FIRST_THRESHOLD = 5000  # Python's default: 700


class CrawlCollection:
    def __init__(self, crawler: Crawler):
        self.defaults = gc.get_threshold()
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlCollection:
        return cls(crawler)

    def engine_started(self) -> None:
        gc.collect()  # what startup left as garbage is not frozen with the rest
        gc.freeze()
        gc.set_threshold(FIRST_THRESHOLD, *self.defaults[1:])

    def engine_stopped(self) -> None:
        # A process that goes on after the crawl (a test, a tool) gets the defaults back.
        gc.set_threshold(*self.defaults)
        gc.unfreeze()
