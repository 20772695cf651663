"""The spider builds a Request once per canonical URL per crawl (issue 13: most links
of a page were scheduled from earlier pages)."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from lnv_crawler.spiders.lnv import LnvSpider

SITE = "https://langngheviet.com.vn"


def spider_of(**arguments: str) -> LnvSpider:
    """The spider as `scrapy crawl` builds it: with its crawler, stats and settings."""
    crawler = get_crawler(LnvSpider, {"LNV_MAX_LINKS_PER_PAGE": 2})
    return LnvSpider.from_crawler(crawler, **arguments)


def test_follow_yields_each_canonical_url_once():
    spider = spider_of(base_url="http://127.0.0.1:9")
    first = [r.meta["lnv_canonical"] for r in spider._follow([f"{SITE}/a-1.html",
                                                              f"{SITE}/b-2.html"])]
    again = [r.meta["lnv_canonical"] for r in spider._follow([f"{SITE}/b-2.html",
                                                              f"{SITE}/c-3.html",
                                                              f"{SITE}/c-3.html"])]
    assert first == [f"{SITE}/a-1.html", f"{SITE}/b-2.html"]
    assert again == [f"{SITE}/c-3.html"]


def test_follow_0_schedules_nothing_and_remembers_nothing():
    spider = spider_of(follow="0")
    assert list(spider._follow([f"{SITE}/a-1.html"])) == []
    assert not spider.followed


def test_links_over_the_cap_are_not_remembered_as_followed():
    spider = spider_of()
    first = [r.meta["lnv_canonical"] for r in spider._follow(
        [f"{SITE}/a-1.html", f"{SITE}/b-2.html", f"{SITE}/c-3.html"])]
    assert first == [f"{SITE}/a-1.html", f"{SITE}/b-2.html"]
    assert spider.crawler.stats.get_value("lnv/links_capped") == 1
    later = [r.meta["lnv_canonical"] for r in spider._follow([f"{SITE}/c-3.html"])]
    assert later == [f"{SITE}/c-3.html"]  # capped on one page, followed from another
