"""Fault injection: real `scrapy crawl lnv` runs in mirror mode against a loopback
server that misbehaves on purpose (tests/faultserver.py).

One crawl meets most faults at once: the listing /khuyen-cong links good articles
and one article path per fault, and /bay is a pager without end. A second crawl
meets a listing of 10,000 dead links. Each test then checks one fault: the run
completed, kept every good article, bounded and counted the fault, and the
crawler's own code never crashed.
"""

from __future__ import annotations

import json
import re
import resource
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import CrawlResult, run_crawl
from faultserver import (
    FaultHandler,
    FaultServer,
    first_then,
    gzip_bomb,
    hang_after_headers,
    huge_page,
    not_found,
    page,
    redirect,
    reset_mid_body,
    serving,
    short_body,
    silence,
)

from lnv_crawler.samplesite import SITE_DIR

SITE = "https://langngheviet.com.vn"
SAMPLE = SITE_DIR / ("khuyen-cong-hai-duong-ho-tro-cac-co-so-cong-nghiep-nong-thon-"
                     "phuc-hoi-hau-dai-dich-covid-19-24917.html")
SAMPLE_TITLE = ("Khuyến công Hải Dương: Hỗ trợ các cơ sở công nghiệp nông thôn "
                "phục hồi hậu đại dịch Covid-19")
SAMPLE_META_CHARSET = '<meta charset="utf-8" />'
FIRST_PARAGRAPH_END = "thiếu nguồn vốn.</p>"

RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5  # the project's setting
MAX_LISTING_PAGES = 5
URLLENGTH_LIMIT = 2083  # Scrapy's default
MAX_RSS_MB = 500
SETTINGS = {
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": str(RETRY_TIMES),
    "RETRY_BACKOFF_BASE": "0.1",
    "LNV_MAX_LISTING_PAGES": str(MAX_LISTING_PAGES),
    "CLOSESPIDER_TIMEOUT": "60",  # a safety net: a run that hangs ends, and fails the tests
}

GOOD = {f"/lang-nghe-bai-tot-so-{n}-{9100 + n}.html":
        f"Bài tốt số {n}: Làng nghề gốm Bát Tràng giữ lửa nghề truyền thống" for n in range(1, 9)}
RETRY_503 = "/bai-503-roi-200-9001.html"
RETRY_429 = "/bai-429-retry-after-9002.html"
HANG = "/bai-treo-sau-header-9003.html"
SILENT = "/bai-im-lang-9004.html"
RESET = "/bai-reset-giua-than-9005.html"
SHORT = "/bai-thieu-byte-9006.html"
BOMB = "/bai-bom-gzip-9007.html"
HUGE = "/bai-30mb-9008.html"
HUGE_UNDECLARED = "/bai-30mb-khong-do-dai-9009.html"
CP1258 = "/bai-windows-1258-9010.html"
BOM = "/bai-utf8-co-bom-9011.html"
NO_CHARSET = "/bai-khong-khai-bao-bang-ma-9012.html"
BAD_UTF8 = "/bai-utf8-hong-9013.html"
UNCLOSED = "/bai-the-khong-dong-9014.html"
CUT = "/bai-cat-giua-the-9015.html"
LOOP_A, LOOP_B = "/vong-lap-a-9016.html", "/vong-lap-b-9017.html"
TO_ELSEWHERE = "/bai-chuyen-sang-may-khac-9018.html"
TO_METADATA = "/bai-chuyen-sang-metadata-9019.html"
LONG = "/" + "dai" * 3400 + "-9020.html"
METADATA = "http://169.254.169.254/latest/meta-data/"
PASSWD = "file:///etc/passwd"
TRAP = "/bay"

TITLES = {  # fault pages that still make a record, with the title it must carry
    RETRY_503: "Lỗi 503 rồi 200: Hợp tác xã mây tre đan mở rộng thị trường",
    RETRY_429: "Lỗi 429 rồi 200: Nghề dệt thổ cẩm được khôi phục",
    CP1258: "Bảng mã Windows-1258: Nghề làm nón lá làng Chuông vươn xa",
    BOM: "UTF-8 có BOM: Sản phẩm OCOP của làng nghề đạt chuẩn bốn sao",
    NO_CHARSET: "Không khai báo bảng mã: Khuyến công hỗ trợ máy móc cho cơ sở nhỏ",
    BAD_UTF8: "UTF-8 hỏng: Gốm Phù Lãng giữ hồn đất Kinh Bắc",
    UNCLOSED: "Thẻ không đóng: Đề án khuyến công tiếp sức cơ sở nông thôn",
    CUT: "Trang bị cắt giữa thẻ: Nghề rèn Đa Sỹ giữ nghề cha ông",
}
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


# -- pages --------------------------------------------------------------------------


@cache
def article_html(title: str) -> str:
    """The sample article page, with another headline."""
    return SAMPLE.read_text("utf-8").replace(SAMPLE_TITLE, escape(title, quote=False))


def article(title: str) -> bytes:
    return article_html(title).encode()


def without_charset(title: str) -> str:
    return article_html(title).replace(SAMPLE_META_CHARSET, "")


def windows_1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: a base letter, then a combining tone mark."""
    letters = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        letters.append(base + "".join(c for c in parts if c in _TONE_MARKS))
    return "".join(letters).encode("cp1258", "xmlcharrefreplace")


def listing(hrefs: Iterable[str], next_href: str | None = None,
            menu: Iterable[str] = ()) -> bytes:
    items = "".join(f'<li><a class="article-image" href="{escape(h)}">Bài viết</a></li>\n'
                    for h in hrefs)
    nav = "".join(f'<a href="{escape(h)}">Chuyên mục</a>' for h in menu)
    pager = f'<a href="{escape(next_href)}">Trang sau</a>' if next_href else ""
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8" />'
            f"<title>Khuyến công</title></head><body><nav class=\"menu\">{nav}</nav>"
            f"<h1>Khuyến công</h1><ul>{items}</ul>{pager}</body></html>").encode()


def pager_trap(handler: FaultHandler) -> None:
    """/bay, /bay/p2, /bay/p3...: every page links the next one, for ever."""
    match = re.fullmatch(r"/bay(?:/p(\d+))?", urlsplit(handler.path).path)
    if match is None:
        not_found(handler)
        return
    number = int(match.group(1) or 1)
    page(listing([], next_href=f"{TRAP}/p{number + 1}"))(handler)


def fault_routes(elsewhere: str) -> dict[str, Any]:
    """Every fault page of the main crawl; `elsewhere` is another loopback server."""
    off_site = [f"{elsewhere}/x-1.html", METADATA, PASSWD]
    faults = {
        RETRY_503: first_then(page(b"Service Unavailable", "text/plain", 503),
                              page(article(TITLES[RETRY_503]))),
        RETRY_429: first_then(page(b"Too Many Requests", "text/plain", 429,
                                   [("Retry-After", "1")]),
                              page(article(TITLES[RETRY_429]))),
        HANG: hang_after_headers,
        SILENT: silence,
        RESET: reset_mid_body(article("Bài bị ngắt kết nối")),
        SHORT: short_body(article("Bài thiếu byte")),
        BOMB: gzip_bomb(1024),
        HUGE: huge_page(30 << 20, declare_length=True),
        HUGE_UNDECLARED: huge_page(30 << 20, declare_length=False),
        CP1258: page(windows_1258(article_html(TITLES[CP1258]).replace(
            SAMPLE_META_CHARSET, '<meta charset="windows-1258" />')),
            "text/html; charset=windows-1258"),
        BOM: page(b"\xef\xbb\xbf" + without_charset(TITLES[BOM]).encode(), "text/html"),
        NO_CHARSET: page(without_charset(TITLES[NO_CHARSET]).encode(), "text/html"),
        BAD_UTF8: page(article(TITLES[BAD_UTF8]).replace(
            b"Theo b", b"Theo \xff\xfe\xc3\x28 b")),
        UNCLOSED: page(re.sub(r"</(?:p|li|span|div|td|tr)>", "",
                              article_html(TITLES[UNCLOSED])).encode()),
        CUT: page(article_html(TITLES[CUT]).split(FIRST_PARAGRAPH_END)[0].encode()
                  + FIRST_PARAGRAPH_END.encode() + b'<div class="x'),
        LOOP_A: redirect(LOOP_B),
        LOOP_B: redirect(LOOP_A),
        TO_ELSEWHERE: redirect(f"{elsewhere}/x-1.html"),
        TO_METADATA: redirect(METADATA),
        "/khuyen-cong": page(listing([*GOOD, *faults_linked(), *off_site, LONG], menu=off_site)),
    }
    return {**faults, **{path: page(article(title)) for path, title in GOOD.items()}}


def faults_linked() -> list[str]:
    return [RETRY_503, RETRY_429, HANG, SILENT, RESET, SHORT, BOMB, HUGE, HUGE_UNDECLARED,
            CP1258, BOM, NO_CHARSET, BAD_UTF8, UNCLOSED, CUT, LOOP_A, TO_ELSEWHERE,
            TO_METADATA]


# -- runs ---------------------------------------------------------------------------


@dataclass
class Run:
    result: CrawlResult
    summary: dict[str, Any]
    server: FaultServer
    max_rss_mb: float  # an upper bound on the crawl's peak RSS

    def record(self, path: str) -> dict[str, Any] | None:
        return next((r for r in self.result.records if r["url"] == SITE + path), None)

    def hits(self, path: str) -> int:
        return len(self.server.times(path))

    def stat(self, name: str) -> int:
        """A counter of Scrapy's stats dump at the end of the log."""
        match = re.search(rf"'{re.escape(name)}': (\d+)", self.result.stderr)
        return int(match.group(1)) if match else 0


def crawl(tmp_path: Path, server: FaultServer, *starts: str,
          settings: dict[str, str] | None = None) -> Run:
    start_urls = ",".join(SITE + path for path in starts)
    result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}",
                       "-a", f"start_urls={start_urls}", settings={**SETTINGS, **(settings or {})})
    summary_file = result.output.with_name(result.output.stem + ".summary.json")
    summary = json.loads(summary_file.read_text("utf-8")) if summary_file.exists() else {}
    # The largest peak RSS among the children reaped so far, this crawl's included.
    max_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Run(result, summary, server, max_rss_mb)


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[FaultServer]:
    """Another loopback server, off the mirror: nothing may reach it."""
    with serving() as server:
        yield server


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory, elsewhere: FaultServer) -> Iterator[Run]:
    with serving(fallback=pager_trap) as server:
        server.routes.update(fault_routes(elsewhere.base_url))
        yield crawl(tmp_path_factory.mktemp("faults"), server, "/khuyen-cong", TRAP)


def crashes(stderr: str) -> list[str]:
    """Signs that the crawler's own code failed: callback, pipeline or signal handler
    errors, and tracebacks through lnv_crawler (Scrapy's own, for a fault, are fine)."""
    markers = ("Spider error processing", "Error processing", "Error caught on signal handler",
               "Unhandled error", "Unhandled Error")
    lines = [line for line in stderr.splitlines() if any(m in line for m in markers)]
    tracebacks = re.findall(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)*", stderr)
    return lines + [tb for tb in tracebacks if "lnv_crawler" in tb]


def download_errors(run: Run, kind: str) -> int:
    """Download errors in the summary whose exception name contains `kind`."""
    return sum(n for name, n in run.summary.get("download_errors", {}).items() if kind in name)


# -- the run as a whole ---------------------------------------------------------------


def test_the_run_completes_keeps_every_good_article_and_never_crashes(faults: Run):
    assert faults.result.status == 0, faults.result.stderr[-3000:]
    assert faults.summary["exit_status"] == 0
    assert faults.summary["finish_reason"] == "finished"
    assert crashes(faults.result.stderr) == []
    for path, title in GOOD.items():
        record = faults.record(path)
        assert record is not None, path
        assert record["title"] == title
    urls = [r["url"] for r in faults.result.records]
    assert len(urls) == len(set(urls))
    assert faults.summary["articles_written"] == len(urls)


# -- one test per fault ---------------------------------------------------------------


def test_503_then_200_is_retried_and_collected(faults: Run):
    assert faults.record(RETRY_503)["title"] == TITLES[RETRY_503]
    assert faults.hits(RETRY_503) == 2
    assert faults.summary["http_errors"].get("503", 0) >= 1
    assert faults.summary["retries"] >= 1


def test_429_waits_as_long_as_retry_after_asks(faults: Run):
    assert faults.record(RETRY_429)["title"] == TITLES[RETRY_429]
    first, second = faults.server.times(RETRY_429)
    assert second - first >= 0.9
    assert faults.summary["http_errors"].get("429", 0) >= 1
    assert faults.summary["retries"] >= 2  # this one and the 503's
    assert faults.stat("lnv/retry_after_honoured") >= 1


@pytest.mark.parametrize("path", [HANG, SILENT])
def test_a_response_that_never_comes_times_out(faults: Run, path: str):
    assert faults.hits(path) == RETRY_TIMES + 1  # retried, then given up
    assert download_errors(faults, "Timeout") >= 2 * (RETRY_TIMES + 1)
    assert faults.summary["retries_given_up"] >= 2
    assert faults.record(path) is None


@pytest.mark.parametrize("path", [RESET, SHORT])
def test_a_broken_body_is_retried_then_given_up(faults: Run, path: str):
    assert faults.hits(path) == RETRY_TIMES + 1
    assert f"Gave up retrying <GET {faults.server.base_url}{path}>" in faults.result.stderr
    assert faults.record(path) is None
    assert sum(faults.summary["download_errors"].values()) >= 2 * (RETRY_TIMES + 1)


def test_a_gzip_bomb_is_stopped_by_the_size_limit(faults: Run):
    assert faults.hits(BOMB) == 1
    assert faults.record(BOMB) is None
    assert "exceeded DOWNLOAD_MAXSIZE" in faults.result.stderr
    assert faults.max_rss_mb < MAX_RSS_MB


def test_a_gzip_bomb_is_counted_in_the_summary(faults: Run):
    assert download_errors(faults, "") >= 1  # placeholder to observe
