"""Scrapy's CLOSESPIDER_* limits (and LNV_MAX_RUN_MINUTES, which is CLOSESPIDER_TIMEOUT)
stop as a first signal does: the requests waiting in the downloader are dropped, not
fetched at the polite pace, and what was collected is published; exit status 0."""

from __future__ import annotations

import json

from conftest import run_crawl


def test_an_item_count_limit_stops_without_fetching_the_queued_requests(tmp_path, sample_site):
    result = run_crawl(tmp_path, "-a", f"base_url={sample_site.base_url}",
                       settings={"DOWNLOAD_DELAY": "0.3", "CLOSESPIDER_ITEMCOUNT": "3"})
    assert result.status == 0, result.stderr[-2000:]
    assert "closespider_itemcount: stopping;" in result.stderr
    # 3, plus the page on the wire and those already downloaded (Scrapy's own close
    # fetched the whole downloader queue: 17 of the 22 sample articles for a limit of 5).
    assert 3 <= len(result.records) <= 6
    summary = json.loads((tmp_path / "out.summary.json").read_text("utf-8"))
    assert summary["finish_reason"] == "closespider_itemcount"
    assert summary["output_files"] == [str(result.output)] and summary["exit_status"] == 0
