"""The garbage collector is set for the crawl while its engine runs, and given back."""

from __future__ import annotations

import gc

from scrapy.utils.test import get_crawler

from lnv_crawler import settings
from lnv_crawler.collection import FIRST_THRESHOLD, CrawlCollection
from lnv_crawler.spiders.lnv import LnvSpider


def test_startup_objects_are_frozen_while_the_engine_runs_and_the_defaults_come_back():
    before = gc.get_threshold()
    collection = CrawlCollection.from_crawler(get_crawler(LnvSpider))
    collection.engine_started()
    try:
        assert gc.get_threshold() == (FIRST_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0
    finally:
        collection.engine_stopped()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_every_crawl_has_it():
    assert "lnv_crawler.collection.CrawlCollection" in settings.EXTENSIONS
