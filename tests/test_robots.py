"""With ROBOTSTXT_OBEY on, a robots.txt that cannot be fetched is one warning line, no
ERROR with a traceback, and the run's outcome is what it would be without it."""

from __future__ import annotations

from urllib.parse import urlsplit

from conftest import run_crawl
from faultserver import FaultHandler, not_found, page, reset_mid_body
from faultserver import serving as fault_serving
from test_failures import EXPECTED, last_line

from lnv_crawler.samplesite import page_path

ROBOTS_LOGGER = "[scrapy.downloadermiddlewares.robotstxt]"


def sample_site(handler: FaultHandler) -> None:
    """The sample site's pages, a 404 for the rest."""
    file = page_path(urlsplit(handler.path).path)
    if file.is_file():
        page(file.read_bytes())(handler)
    else:
        not_found(handler)


def warnings_about_robots(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "robots.txt of " in line]


def test_a_robots_txt_cut_off_is_one_warning_and_the_run_collects_everything(tmp_path):
    routes = {"/robots.txt": reset_mid_body(b"User-agent: *\nDisallow:\n" * 50)}
    with fault_serving(routes, fallback=sample_site) as server:
        result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}",
                           settings={"RETRY_TIMES": "0", "ROBOTSTXT_OBEY": "True"})
    assert result.status == 0, result.stderr[-2000:]
    assert sorted(record["url"] for record in result.records) == EXPECTED
    assert "Traceback" not in result.stderr and ROBOTS_LOGGER not in result.stderr
    netloc = urlsplit(server.base_url).netloc
    [warning] = warnings_about_robots(result.stderr)
    assert warning.endswith(f" [lnv_crawler.robots] WARNING: robots.txt of {netloc} not fetched "
                            "(ResponseDataLossError): its pages are crawled as if it allowed "
                            "everything")


def test_an_unreachable_site_fails_as_before_with_one_robots_warning(tmp_path):
    result = run_crawl(tmp_path, "-a", "base_url=http://127.0.0.1:9",
                       settings={"RETRY_TIMES": "0", "ROBOTSTXT_OBEY": "True"})
    assert result.status == 1
    assert last_line(result.stderr) == (
        "lnv: the site could not be reached (DownloadConnectionRefusedError x2)")
    assert ROBOTS_LOGGER not in result.stderr
    [warning] = warnings_about_robots(result.stderr)
    assert ("robots.txt of 127.0.0.1:9 not fetched (DownloadConnectionRefusedError: "
            "Connection was refused by other side: 111: Connection refused): its pages are "
            "crawled as if it allowed everything") in warning
