"""Cron-grade runs, by real crawls: incremental state, one run per state folder,
graceful and hard stops. Figures are printed for the closing note (-s shows them)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from conftest import read_urls, run_crawl, start_crawl

from lnv_crawler import urls
from lnv_crawler.samplesite import SITE_DIR, expected_records, page_path
from lnv_crawler.samplesite.server import serving
from lnv_crawler.state import RunLock, SeenArticles

EXPECTED = expected_records()
HIDDEN = sorted(EXPECTED)[:3]  # articles that "appear" between two runs


def article_requests(paths: list[str]) -> int:
    return sum(1 for p in paths if urls.is_article_url("https://langngheviet.com.vn" + p))


def copy_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE_DIR, root)
    return root


def test_incremental_runs_write_only_new_articles(tmp_path):
    root = copy_site(tmp_path)
    hidden = {url: page_path(url.split(".vn", 1)[1], root) for url in HIDDEN}
    stash = {url: path.read_bytes() for url, path in hidden.items()}
    for path in hidden.values():
        path.unlink()
    figures = []
    with serving(root=root) as server:
        base = ["-a", f"base_url={server.base_url}"]
        first = run_crawl(tmp_path, *base, feed="run1.jsonl")
        figures.append((article_requests(server.requested_paths), len(first.records)))
        assert first.status == 0, first.stderr[-2000:]
        assert sorted(r["url"] for r in first.records) == sorted(set(EXPECTED) - set(HIDDEN))

        for url, path in hidden.items():
            path.write_bytes(stash[url])
        server.requested_paths.clear()
        # Run 1 met them as dead links (404): forget that, they are new now.
        second = run_crawl(tmp_path, *base, feed="run2.jsonl",
                           settings={"LNV_DEAD_LINK_DAYS": "0"})
        figures.append((article_requests(server.requested_paths), len(second.records)))
        assert second.status == 0, second.stderr[-2000:]
        assert sorted(r["url"] for r in second.records) == HIDDEN

        server.requested_paths.clear()
        third = run_crawl(tmp_path, *base, feed="run3.jsonl")
        figures.append((article_requests(server.requested_paths), len(third.records)))
        assert third.status == 0, third.stderr[-2000:]
        assert third.records == []
        assert article_requests(server.requested_paths) == 0
        summary = json.loads((tmp_path / "run3.summary.json").read_text())
        assert summary["articles_written"] == 0
        assert summary["articles_skipped_seen_before"] > 0

        server.requested_paths.clear()
        refreshed = run_crawl(tmp_path, *base, "-a", "refresh=1", feed="run4.jsonl")
        assert len(refreshed.records) == len(EXPECTED)
    print("\nincremental (article pages fetched, records written):", figures)


def test_a_second_run_on_the_same_state_exits_75(tmp_path):
    lock = RunLock(tmp_path / "state")
    lock.acquire()
    try:
        result = run_crawl(tmp_path, "-a", "base_url=http://127.0.0.1:9")
    finally:
        lock.release()
    assert result.status == 75
    assert result.stderr.strip().splitlines()[-1].startswith("lnv: another run")
    assert not result.output.exists()


def test_a_lock_left_by_a_dead_process_is_taken_over(tmp_path, sample_site):
    state = tmp_path / "state"
    state.mkdir()
    (state / "lock").write_text("999999")  # pid of no live process, no flock held
    first = sorted(EXPECTED)[0]
    result = run_crawl(tmp_path, "-a", f"base_url={sample_site.base_url}", "-a", "follow=0",
                       "-a", f"start_urls={first}")
    assert result.status == 0
    assert len(result.records) == 1


def start_slow_crawl(tmp_path: Path, base_url: str) -> subprocess.Popen:
    return start_crawl(tmp_path / "out.jsonl", "-a", f"base_url={base_url}", settings={
        "LNV_STATE_DIR": str(tmp_path / "state"), "CONCURRENT_REQUESTS_PER_DOMAIN": "1"})


def wait_for_articles(server, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while article_requests(server.requested_paths) < count:
        assert time.monotonic() < deadline, "the crawl did not get going"
        time.sleep(0.1)


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_graceful_stop_keeps_what_was_collected(tmp_path, stop):
    with serving(delay=0.2) as server:
        proc = start_slow_crawl(tmp_path, server.base_url)
        wait_for_articles(server, 4)
        proc.send_signal(stop)
        _, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr[-2000:]
        first = read_urls(tmp_path / "out.jsonl")
        summary = json.loads((tmp_path / "out.summary.json").read_text())
        assert summary["stopped"] is True and summary["finish_reason"] == "shutdown"
        assert 0 < len(first) < len(EXPECTED)

        rest = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", feed="rest.jsonl")
    second = [r["url"] for r in rest.records]
    assert sorted(first + second) == sorted(EXPECTED), "lost or written twice"


def test_hard_kill_leaves_no_partial_file_and_loses_nothing(tmp_path):
    with serving(delay=0.2) as server:
        proc = start_slow_crawl(tmp_path, server.base_url)
        wait_for_articles(server, 6)
        proc.kill()
        proc.communicate(timeout=60)
        visible = [p.name for p in tmp_path.glob("*.jsonl")]
        assert visible == [], "a killed run left a file where readers look"
        assert SeenArticles(tmp_path / "state").urls == set(), "the state recorded a lost run"

        rerun = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", feed="rerun.jsonl")
    assert rerun.status == 0
    assert sorted(r["url"] for r in rerun.records) == sorted(EXPECTED)
    assert os.path.exists(tmp_path / "rerun.summary.json")
