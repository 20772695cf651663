"""Cron runs cost what changed (contract §6), the parts a fault server shows best:
dead links remembered for LNV_DEAD_LINK_DAYS, a page of 10,000 links capped at
LNV_MAX_LINKS_PER_PAGE with retries going first, and the LNV_MAX_RUN_MINUTES
time budget ending a run gracefully. Real crawls against tests/faultserver.py."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from conftest import CrawlResult, run_crawl
from faultserver import FaultHandler, not_found, page, serving
from test_faults import (
    CATEGORY,
    FEW_GOOD,
    RETRY_429,
    RETRY_503,
    SITE,
    TITLES,
    article,
    listing,
    retried_routes,
    site,
)

from lnv_crawler.incremental import RESUME_FLAG
from lnv_crawler.state import SeenArticles

GONE = "/bai-da-go-xuong-9101.html"  # 410
MISSING = "/bai-khong-con-9102.html"  # 404 (the server's fallback)
FLOOD = "/mot-van-bai"  # a listing of 10,000 article links
FLOOD_LINKS = 10_000
FLOOD_ARTICLE = re.compile(r"/bai-lu-so-(\d+)-\d+\.html")
CAP = 300  # LNV_MAX_LINKS_PER_PAGE's default
POLITE = {"AUTOTHROTTLE_ENABLED": "True", "DOWNLOAD_DELAY": "0.25"}  # the project's defaults


def flood_paths() -> list[str]:
    return [f"/bai-lu-so-{n}-{200_000 + n}.html" for n in range(FLOOD_LINKS)]


def flood_article(handler: FaultHandler) -> None:
    """Each of the 10,000 links is a real article."""
    match = FLOOD_ARTICLE.fullmatch(urlsplit(handler.path).path)
    if match is None:
        not_found(handler)
        return
    page(article(f"Bài số {match.group(1)}: Làng nghề gốm giữ lửa"))(handler)


def crawl(tmp_path: Path, base_url: str, *starts: str, feed: str = "out.jsonl",
          settings: dict[str, str] | None = None) -> tuple[CrawlResult, dict[str, Any]]:
    result = run_crawl(tmp_path, "-a", f"base_url={base_url}",
                       "-a", "start_urls=" + ",".join(SITE + s for s in starts),
                       settings=settings, feed=feed)
    summary_file = result.output.with_name(result.output.stem + ".summary.json")
    return result, json.loads(summary_file.read_text("utf-8"))


def age_dead_links(state: Path, days: float) -> None:
    """Pretend the dead links were last asked `days` days ago."""
    seen = (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with sqlite3.connect(state / "articles.sqlite") as db:
        db.execute("UPDATE dead_links SET seen_at = ?", (seen,))


def test_dead_links_are_not_asked_again_until_the_window_has_passed(tmp_path):
    routes = site(FEW_GOOD, {GONE: page(b"Gone", status=410)}, [GONE, MISSING])
    with serving(routes) as server:
        first, summary = crawl(tmp_path, server.base_url, CATEGORY, feed="run1.jsonl")
        assert first.status == 0, first.stderr[-2000:]
        # The listing's two, and the link lists of the articles (the sample site's).
        assert summary["dead_links_found"] >= 2
        assert len(first.records) == len(FEW_GOOD)
        assert (server.paths().count(GONE), server.paths().count(MISSING)) == (1, 1)

        second, summary = crawl(tmp_path, server.base_url, CATEGORY, feed="run2.jsonl")
        assert second.status == 0, second.stderr[-2000:]
        assert (server.paths().count(GONE), server.paths().count(MISSING)) == (1, 1)
        assert summary["dead_links_skipped"] == 2 and summary["dead_links_found"] == 0
        assert second.records == []  # nothing new: no file published (summary only)

        age_dead_links(tmp_path / "state", days=7.1)  # LNV_DEAD_LINK_DAYS is 7
        third, summary = crawl(tmp_path, server.base_url, CATEGORY, feed="run3.jsonl")
        assert third.status == 0, third.stderr[-2000:]
        assert (server.paths().count(GONE), server.paths().count(MISSING)) == (2, 2)
        assert summary["dead_links_found"] == 2 and summary["dead_links_skipped"] == 0
    dead = SeenArticles(tmp_path / "state").dead
    renewed = {url for url, when in dead.items()
               if datetime.now(timezone.utc) - when < timedelta(minutes=10)}
    assert renewed == {SITE + GONE, SITE + MISSING}, "the new answer renews the date"


def test_a_page_of_10000_links_ends_in_minutes_and_retries_go_first(tmp_path):
    routes = {**site({}, retried_routes(), [RETRY_503, RETRY_429]),
              FLOOD: page(listing(flood_paths()))}
    with serving(routes, fallback=flood_article) as server:
        started = time.monotonic()
        result, summary = crawl(tmp_path, server.base_url, FLOOD, CATEGORY, settings=POLITE)
        elapsed = time.monotonic() - started
        flood_hits = [hit.at for hit in server.hits if FLOOD_ARTICLE.fullmatch(hit.path)]
        retried = {path: server.times(path) for path in (RETRY_503, RETRY_429)}
    print(f"\n10,000 links at polite settings: {elapsed:.0f} s, {len(flood_hits)} of them "
          f"requested, {summary['links_capped']} capped")
    assert result.status == 0, result.stderr[-2000:]
    assert elapsed < 200
    assert len(flood_hits) == CAP
    assert summary["links_capped"] == FLOOD_LINKS - CAP
    urls = {r["url"]: r["title"] for r in result.records}
    for path, (first, second) in retried.items():
        assert urls[SITE + path] == TITLES[path]
        # Retried after its backoff, ahead of the flood's queue, not after it.
        assert second - first < 15 and second < max(flood_hits), path


def test_the_time_budget_ends_a_run_gracefully(tmp_path):
    routes = {FLOOD: page(listing(flood_paths()))}
    with serving(routes, fallback=flood_article) as server:
        started = time.monotonic()
        result, summary = crawl(tmp_path, server.base_url, FLOOD, settings={
            "LNV_MAX_RUN_MINUTES": "0.2", "LNV_MAX_LINKS_PER_PAGE": "0"})
        elapsed = time.monotonic() - started
    assert result.status == 0, result.stderr[-2000:]
    assert elapsed < 60
    assert summary["finish_reason"] == "closespider_timeout"
    assert summary["stopped"] is True and summary["stopped_reason"] == "closespider_timeout"
    assert summary["monitors_failed"] == [] and summary["exit_status"] == 0
    # Complete output, and the state knows what it holds.
    assert 0 < len(result.records) < FLOOD_LINKS
    assert summary["articles_written"] == len(result.records)
    assert result.output.exists() and not list(tmp_path.glob(".*.part"))
    state = SeenArticles(tmp_path / "state")
    assert state.urls == {r["url"] for r in result.records}
    # The unfinished walk makes the next run walk its listings in full.
    assert state.flag(RESUME_FLAG) == "closespider_timeout"
