"""End to end: a real `scrapy crawl lnv` subprocess against the sample site served
on 127.0.0.1 in mirror mode, its whole output compared with the expected records."""

from __future__ import annotations

import re

from conftest import run_crawl

from lnv_crawler.items import ARTICLE_FIELDS
from lnv_crawler.samplesite import expected_records
from lnv_crawler.schema import violations


def stat(stderr: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", stderr)
    return int(match.group(1)) if match else 0


def test_mirror_crawl_writes_every_expected_article_once(sample_site, tmp_path):
    result = run_crawl(tmp_path, "-a", f"base_url={sample_site.base_url}")
    assert result.status == 0, result.stderr[-3000:]
    expected = expected_records()
    urls = [r["url"] for r in result.records]
    assert len(urls) == len(set(urls)), "an article was written twice"
    assert sorted(urls) == sorted(expected)
    for record in result.records:
        assert list(record) == list(ARTICLE_FIELDS)
        assert violations(record) == []
        want = expected[record["url"]]
        for field in ARTICLE_FIELDS:
            if field != "fetched_at":
                assert record[field] == want[field], (record["url"], field)
    assert stat(result.stderr, "lnv/dropped/schema") == 0
    # The spider schedules each URL once: nothing left for the dupefilter to drop.
    assert stat(result.stderr, "dupefilter/filtered") == 0
    # Every request the crawler made reached the sample site, and nothing else.
    assert stat(result.stderr, "downloader/request_count") == len(sample_site.requested_paths)
    assert "\\u" not in result.output.read_text("utf-8")


def test_follow_0_fetches_only_the_start_pages(sample_site, tmp_path):
    first = sorted(expected_records())[0]
    result = run_crawl(tmp_path, "-a", f"base_url={sample_site.base_url}", "-a", "follow=0",
                       "-a", f"start_urls={first}")
    assert result.status == 0, result.stderr[-3000:]
    assert [r["url"] for r in result.records] == [first]
    pages = [p for p in sample_site.requested_paths if p != "/robots.txt"]
    assert len(pages) == 1


def test_unreachable_site_exits_non_zero_with_a_reason(tmp_path):
    # A loopback port nobody listens on: the connection is refused at once.
    result = run_crawl(tmp_path, "-a", "base_url=http://127.0.0.1:9", settings={
        "RETRY_TIMES": "0"})
    assert result.status != 0
    assert "lnv: the site could not be reached" in result.stderr
