"""Mirror runs over a folder of saved pages (`-a base_url=file:///folder`): the folder
answers like the sample site's server (a folder is its index.html, a page not saved is
a 404), so a crawl of it completes as the same crawl over HTTP does."""

from __future__ import annotations

import json
import shutil

from conftest import read_urls, run_crawl

from lnv_crawler.samplesite import SITE_DIR, expected_records

DEAD = "https://langngheviet.com.vn/quang-tri-tham-dinh-cac-de-an-ho-tro-kinh-phi-khuyen-cong-33350.html"


def summary_of(tmp_path) -> dict:
    return json.loads((tmp_path / "out.summary.json").read_text("utf-8"))


def test_the_sample_site_folder_crawls_like_the_served_site(tmp_path):
    result = run_crawl(tmp_path, "-a", f"base_url={SITE_DIR.as_uri()}")
    assert result.status == 0, result.stderr[-2000:]
    assert sorted(read_urls(result.output)) == sorted(expected_records())
    summary = summary_of(tmp_path)
    # Listings saved as folders were IsADirectoryError; the one page the sample site
    # lacks was a FileNotFoundError retried 3 times and counted as a failed request.
    assert summary["download_errors"] == {} and summary["failed_requests"] == {"http_404": 1}
    assert summary["dead_links_found"] == 1 and summary["exit_status"] == 0


def test_a_page_missing_from_the_folder_is_a_dead_link_not_a_failed_run(tmp_path):
    site = tmp_path / "saved"
    shutil.copytree(SITE_DIR, site)
    expected = sorted(expected_records())
    removed = expected[0]
    (site / removed.rsplit("/", 1)[1]).unlink()
    result = run_crawl(tmp_path, "-a", f"base_url={site.as_uri()}")
    assert result.status == 0, result.stderr[-2000:]
    assert "lnv:" not in result.stderr
    written = sorted(read_urls(result.output))
    assert removed not in written and DEAD not in written
    assert written == expected[1:]
    summary = summary_of(tmp_path)
    assert summary["output_files"] == [str(result.output)]
    assert summary["failed_requests"] == {"http_404": 2} and summary["dead_links_found"] == 2
