"""The spider builds a Request once per canonical URL per crawl (issue 13: most links
of a page were scheduled from earlier pages)."""

from __future__ import annotations

from lnv_crawler.spiders.lnv import LnvSpider

SITE = "https://langngheviet.com.vn"


def test_follow_yields_each_canonical_url_once():
    spider = LnvSpider(base_url="http://127.0.0.1:9")
    first = [r.meta["lnv_canonical"] for r in spider._follow([f"{SITE}/a-1.html",
                                                              f"{SITE}/b-2.html"])]
    again = [r.meta["lnv_canonical"] for r in spider._follow([f"{SITE}/b-2.html",
                                                              f"{SITE}/c-3.html",
                                                              f"{SITE}/c-3.html"])]
    assert first == [f"{SITE}/a-1.html", f"{SITE}/b-2.html"]
    assert again == [f"{SITE}/c-3.html"]


def test_follow_0_schedules_nothing_and_remembers_nothing():
    spider = LnvSpider(follow="0")
    assert list(spider._follow([f"{SITE}/a-1.html"])) == []
    assert not spider.followed
