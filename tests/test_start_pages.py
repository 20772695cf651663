"""A run that could not fetch any of its start pages failed (a mirror's base_url mistyped,
a start URL that is gone): exit 1 with one `lnv:` line, nothing published, the state as
it was; a run that fetched one of them, or fetched its home page and found nothing new,
completed. Real crawls against loopback servers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import run_crawl
from faultserver import FaultHandler, page, redirect
from faultserver import serving as fault_serving
from test_failures import EXPECTED, SAMPLE_ARTICLE, last_line, recorded

from lnv_crawler.samplesite import SITE_DIR
from lnv_crawler.samplesite.server import serving

REFUSED = "http://127.0.0.1:9"  # the discard port: nothing listens on loopback
FAST_RETRIES = {"RETRY_TIMES": "1", "RETRY_BACKOFF_BASE": "0.1"}
OTHER_ARTICLE = "gom-bat-trang-nang-tam-gia-tri-nho-chuong-trinh-ocop-29240.html"


def server_error(handler: FaultHandler) -> None:
    page(b"<html><body>Internal Server Error</body></html>", status=500)(handler)


def dead_links(state: Path) -> list[str]:
    with sqlite3.connect(state / "articles.sqlite") as db:
        return [row[0] for row in db.execute("SELECT url FROM dead_links")]


def lnv_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("lnv:")]


def assert_failed_and_left_nothing(tmp_path: Path, result, line: str) -> None:
    assert result.status == 1, result.stderr[-2000:]
    assert lnv_lines(result.stderr) == [line] and last_line(result.stderr) == line
    assert not result.output.exists()
    assert not list(tmp_path.glob("*.failed")) and not list(tmp_path.glob(".*.part"))
    summary = json.loads((tmp_path / "out.summary.json").read_text("utf-8"))
    assert (summary["exit_status"], summary["output_files"]) == (1, [])
    assert summary["exit_reason"] == line.removeprefix("lnv: ")
    assert recorded(tmp_path / "state") == set() and dead_links(tmp_path / "state") == []


@pytest.mark.parametrize("status", ["404", "500"])
def test_a_mirror_whose_home_page_fails_fails_the_run(tmp_path, status):
    with fault_serving(fallback=server_error if status == "500" else None) as server:
        result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}",
                           settings=FAST_RETRIES)
    assert_failed_and_left_nothing(
        tmp_path, result, f"lnv: no start page could be fetched (http_{status}: "
                          f"{server.base_url}/)")
    summary = json.loads((tmp_path / "out.summary.json").read_text("utf-8"))
    assert summary["start_pages_failed"] == {f"{server.base_url}/": f"http_{status}"}


def test_a_home_page_that_leaves_the_site_fails_the_run(tmp_path):
    with fault_serving({"/": redirect("http://example.org/")}) as server:
        result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}")
    assert_failed_and_left_nothing(
        tmp_path, result, f"lnv: no start page could be fetched (redirected_off_site: "
                          f"{server.base_url}/)")
    assert server.paths() == ["/robots.txt", "/"]


def test_a_mirror_that_refuses_connections_is_the_site_unreachable(tmp_path):
    result = run_crawl(tmp_path, "-a", f"base_url={REFUSED}", settings=FAST_RETRIES)
    assert_failed_and_left_nothing(
        tmp_path, result, "lnv: the site could not be reached (DownloadConnectionRefusedError x4)")


def test_a_mistyped_mirror_does_not_spoil_the_state_for_the_right_one(tmp_path):
    # Before: the 404 of the home page was kept as a dead link, and for 7 days the runs
    # with that state fetched nothing and exited 0.
    with fault_serving() as wrong:
        failed = run_crawl(tmp_path, "-a", f"base_url={wrong.base_url}")
    assert failed.status == 1, failed.stderr[-2000:]
    with serving() as right:
        good = run_crawl(tmp_path, "-a", f"base_url={right.base_url}")
        assert good.status == 0, good.stderr[-2000:]
        assert sorted(record["url"] for record in good.records) == EXPECTED
        good.output.unlink()
        # A healthy run that finds nothing new still completes, and publishes nothing.
        quiet = run_crawl(tmp_path, "-a", f"base_url={right.base_url}")
    assert quiet.status == 0, quiet.stderr[-2000:]
    assert lnv_lines(quiet.stderr) == [] and not quiet.output.exists()


def test_one_start_page_fetched_is_enough_and_a_dead_one_is_asked_again(tmp_path):
    served = {f"/{SAMPLE_ARTICLE}": page((SITE_DIR / SAMPLE_ARTICLE).read_bytes())}
    site = "https://langngheviet.com.vn"
    with fault_serving(served) as server:
        both = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", "-a", "follow=0", "-a",
                         f"start_urls={site}/{OTHER_ARTICLE},{site}/{SAMPLE_ARTICLE}")
        assert both.status == 0, both.stderr[-2000:]
        assert [record["url"] for record in both.records] == [f"{site}/{SAMPLE_ARTICLE}"]
        assert dead_links(tmp_path / "state") == [f"{site}/{OTHER_ARTICLE}"]
        # The page is back: a start URL is asked whatever the state says of it.
        server.routes[f"/{OTHER_ARTICLE}"] = page((SITE_DIR / OTHER_ARTICLE).read_bytes())
        again = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", "-a", "follow=0",
                          "-a", f"start_urls={site}/{OTHER_ARTICLE}", feed="again.jsonl")
    assert again.status == 0, again.stderr[-2000:]
    assert [record["url"] for record in again.records] == [f"{site}/{OTHER_ARTICLE}"]


def test_a_start_url_that_is_gone_fails_a_follow_0_run(tmp_path):
    with fault_serving() as server:
        result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", "-a", "follow=0",
                           "-a", f"start_urls=https://langngheviet.com.vn/{SAMPLE_ARTICLE}")
    assert_failed_and_left_nothing(
        tmp_path, result, f"lnv: no start page could be fetched (http_404: "
                          f"{server.base_url}/{SAMPLE_ARTICLE})")
