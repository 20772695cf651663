"""Fault injection: real `scrapy crawl lnv` runs in mirror mode against a loopback
server that misbehaves on purpose (tests/faultserver.py).

Four crawls, each started once per module:
- `faults`: the listing /khuyen-cong links many good articles and one article path
  per fault (retries, hangs, broken bodies, huge pages, encodings, broken HTML,
  off-site links and redirects, a 10,000-character URL); /bay is a pager without end.
- `bomb` and `loop`: a gzip bomb; a redirect loop and an endless redirect chain.
  They are alone among good articles, so that the summary's counts can be laid at
  their door.
- `many_links`: a listing of 10,000 dead links.
Each test then checks one fault: the run completed, kept every good article,
bounded and counted the fault, and the crawler's own code never crashed.
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
    Fault,
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
CATEGORY = "/khuyen-cong"
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
DEAD_LINKS = 10_000
SETTINGS = {
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": str(RETRY_TIMES),
    "RETRY_BACKOFF_BASE": "0.1",
    "LNV_MAX_LISTING_PAGES": str(MAX_LISTING_PAGES),
    "CLOSESPIDER_TIMEOUT": "150",  # a safety net: a run that hangs ends, and fails the tests
}

# Good articles: enough of them that the injected failures stay a small share of
# the requests, as on a real site (a share over 20 % fails the run, contract §4).
GOOD = {f"/lang-nghe-bai-tot-so-{n}-{9100 + n}.html":
        f"Bài tốt số {n}: Làng nghề gốm Bát Tràng giữ lửa nghề truyền thống" for n in range(1, 49)}
FEW_GOOD = dict(list(GOOD.items())[:8])

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
CHAIN = "/chuyen-tiep-{}.html"
TO_ELSEWHERE = "/bai-chuyen-sang-may-khac-9018.html"
TO_METADATA = "/bai-chuyen-sang-metadata-9019.html"
LONG = "/" + "dai" * 3400 + "-9020.html"
METADATA = "http://169.254.169.254/latest/meta-data/"
PASSWD = "file:///etc/passwd"
TRAP = "/bay"
MANY = "/mot-van-lien-ket"
DEAD = "/lien-ket-chet-so-"  # + n-<id>.html: the 10,000 dead links of MANY

TITLES = {  # fault pages that must still give a record, and its title
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
# HTML end tags the parser may imply (HTML spec "optional tags")
_OPTIONAL_END_TAGS = re.compile(r"</(?:p|li|td|tr|option)>")


# -- pages --------------------------------------------------------------------------


@cache
def article_html(title: str) -> str:
    """The sample article page, with another headline."""
    return SAMPLE.read_text("utf-8").replace(SAMPLE_TITLE, escape(title, quote=False))


def article(title: str) -> bytes:
    return article_html(title).encode()


def without_charset(title: str) -> bytes:
    return article_html(title).replace(SAMPLE_META_CHARSET, "").encode()


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
            f'<title>Khuyến công</title></head><body><nav class="menu">{nav}</nav>'
            f"<h1>Khuyến công</h1><ul>{items}</ul>{pager}</body></html>").encode()


def site(goods: dict[str, str], faults: dict[str, Fault], links: Iterable[str],
         menu: Iterable[str] = ()) -> dict[str, Fault]:
    """Routes: the good articles, the faults, and a listing linking goods and `links`."""
    articles = {path: page(article(title)) for path, title in goods.items()}
    return {**articles, **faults, CATEGORY: page(listing([*goods, *links], menu=menu))}


def pager_trap(handler: FaultHandler) -> None:
    """/bay, /bay/p2, /bay/p3...: every page links the next one, for ever."""
    match = re.fullmatch(rf"{TRAP}(?:/p(\d+))?", urlsplit(handler.path).path)
    if match is None:
        not_found(handler)
        return
    number = int(match.group(1) or 1)
    page(listing([], next_href=f"{TRAP}/p{number + 1}"))(handler)


def endless_redirects(handler: FaultHandler) -> None:
    """/chuyen-tiep-1.html redirects to -2, -2 to -3... for ever."""
    match = re.fullmatch(CHAIN.format(r"(\d+)"), urlsplit(handler.path).path)
    if match is None:
        not_found(handler)
        return
    redirect(CHAIN.format(int(match.group(1)) + 1))(handler)


def retried_routes() -> dict[str, Fault]:
    """A 503 and a 429 (Retry-After: 1) answer, each before the article."""
    return {
        RETRY_503: first_then(page(b"Service Unavailable", "text/plain", 503),
                              page(article(TITLES[RETRY_503]))),
        RETRY_429: first_then(page(b"Too Many Requests", "text/plain", 429,
                                   [("Retry-After", "1")]),
                              page(article(TITLES[RETRY_429]))),
    }


def fault_routes(elsewhere: str) -> dict[str, Fault]:
    """The main crawl's site; `elsewhere` is another loopback server, off the mirror."""
    off_site = [f"{elsewhere}/x-1.html", METADATA, PASSWD]
    faults = {
        **retried_routes(),
        HANG: hang_after_headers,
        SILENT: silence,
        RESET: reset_mid_body(article("Bài bị ngắt kết nối giữa chừng")),
        SHORT: short_body(article("Bài thiếu byte so với Content-Length")),
        HUGE: huge_page(30 << 20, declare_length=True),
        HUGE_UNDECLARED: huge_page(30 << 20, declare_length=False),
        CP1258: page(windows_1258(article_html(TITLES[CP1258]).replace(
            SAMPLE_META_CHARSET, '<meta charset="windows-1258" />')),
            "text/html; charset=windows-1258"),
        BOM: page(b"\xef\xbb\xbf" + without_charset(TITLES[BOM]), "text/html"),
        NO_CHARSET: page(without_charset(TITLES[NO_CHARSET]), "text/html"),
        BAD_UTF8: page(article(TITLES[BAD_UTF8]).replace(b"Theo b", b"Theo \xff\xfe\xc3\x28 b")),
        UNCLOSED: page(_OPTIONAL_END_TAGS.sub("", article_html(TITLES[UNCLOSED])).encode()),
        CUT: page(article_html(TITLES[CUT]).split(FIRST_PARAGRAPH_END)[0].encode()
                  + FIRST_PARAGRAPH_END.encode() + b'<div class="x'),
        TO_ELSEWHERE: redirect(f"{elsewhere}/x-1.html"),
        TO_METADATA: redirect(METADATA),
    }
    return site(GOOD, faults, [*faults, *off_site, LONG], menu=off_site)


# -- runs ---------------------------------------------------------------------------


@dataclass
class Run:
    result: CrawlResult
    summary: dict[str, Any]
    server: FaultServer
    goods: dict[str, str]
    max_rss_mb: float  # an upper bound on the crawl's peak RSS

    def record(self, path: str) -> dict[str, Any] | None:
        return next((r for r in self.result.records if r["url"] == SITE + path), None)

    def hits(self, path: str) -> int:
        return len(self.server.times(path))

    def stat(self, name: str) -> int:
        """A counter of Scrapy's stats dump at the end of the log."""
        match = re.search(rf"'{re.escape(name)}': (\d+)", self.result.stderr)
        return int(match.group(1)) if match else 0

    def download_errors(self, kind: str) -> int:
        """Download errors in the summary whose exception name contains `kind`."""
        return sum(n for name, n in self.summary["download_errors"].items() if kind in name)

    def failures_counted(self) -> int:
        """Every failure the summary reports, dead links (404) aside."""
        summary = self.summary
        return (sum(n for status, n in summary["http_errors"].items() if status != "404")
                + sum(summary["download_errors"].values()) + summary["retries_given_up"]
                + summary["requests_refused_off_site"]
                + sum(summary["records_dropped"].values())
                + sum(n for kind, n in summary["failed_requests"].items() if kind != "http_404"))


def crawl(tmp_path: Path, server: FaultServer, goods: dict[str, str], *starts: str,
          settings: dict[str, str] | None = None) -> Run:
    start_urls = ",".join(SITE + path for path in starts)
    result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}",
                       "-a", f"start_urls={start_urls}", settings={**SETTINGS, **(settings or {})})
    summary_file = result.output.with_name(result.output.stem + ".summary.json")
    summary = json.loads(summary_file.read_text("utf-8")) if summary_file.exists() else {}
    # The largest peak RSS among the children reaped so far, this crawl's included.
    max_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return Run(result, summary, server, goods, max_rss_mb)


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[FaultServer]:
    """Another loopback server, off the mirror: nothing may reach it."""
    with serving() as server:
        yield server


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory, elsewhere: FaultServer) -> Iterator[Run]:
    with serving(fallback=pager_trap) as server:
        server.routes.update(fault_routes(elsewhere.base_url))
        # The trap's pages show no article, which ends an incremental walk at once:
        # walk it as a backfill does, to LNV_MAX_LISTING_PAGES.
        yield crawl(tmp_path_factory.mktemp("faults"), server, GOOD, CATEGORY, TRAP,
                    settings={"LNV_LISTING_STOP_AFTER": "0"})


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    with serving(site(FEW_GOOD, {BOMB: gzip_bomb(1024)}, [BOMB])) as server:
        yield crawl(tmp_path_factory.mktemp("bomb"), server, FEW_GOOD, CATEGORY)


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    loop_routes = {LOOP_A: redirect(LOOP_B), LOOP_B: redirect(LOOP_A)}
    routes = site(FEW_GOOD, loop_routes, [LOOP_A, CHAIN.format(1)])
    with serving(routes, fallback=endless_redirects) as server:
        yield crawl(tmp_path_factory.mktemp("loop"), server, FEW_GOOD, CATEGORY)


@pytest.fixture(scope="module")
def many_links(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    links = [f"{DEAD}{n}-{100_000 + n}.html" for n in range(DEAD_LINKS)]
    routes = {**site(FEW_GOOD, {}, []), MANY: page(listing([*links, *FEW_GOOD]))}
    with serving(routes) as server:
        # Scrapy starts CONCURRENT_ITEMS (100) asyncio tasks per response to process its
        # output: 10 cut this crawl of 10,000 empty outputs from ~55 s to ~35 s.
        yield crawl(tmp_path_factory.mktemp("many"), server, FEW_GOOD, MANY,
                    settings={"CONCURRENT_ITEMS": "10", "LNV_MAX_LINKS_PER_PAGE": "0"})


def crashes(stderr: str) -> list[str]:
    """Signs that the crawler's own code failed: callback, pipeline or signal handler
    errors, and tracebacks through lnv_crawler (Scrapy's own, for a fault, are fine)."""
    markers = ("Spider error processing", "Error processing", "Error caught on signal handler",
               "Unhandled error", "Unhandled Error")
    lines = [line for line in stderr.splitlines() if any(m in line for m in markers)]
    tracebacks = re.findall(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)*", stderr)
    return lines + [tb for tb in tracebacks if "lnv_crawler" in tb]


# -- every run --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["faults", "bomb", "loop", "many_links"])
def test_the_run_completes_keeps_every_good_article_and_never_crashes(
        request: pytest.FixtureRequest, name: str):
    run: Run = request.getfixturevalue(name)
    assert run.result.status == 0, run.result.stderr[-3000:]
    assert run.summary["exit_status"] == 0
    assert run.summary["finish_reason"] == "finished"
    assert crashes(run.result.stderr) == []
    for path, title in run.goods.items():
        record = run.record(path)
        assert record is not None, path
        assert record["title"] == title
    urls = [r["url"] for r in run.result.records]
    assert len(urls) == len(set(urls))
    assert run.summary["articles_written"] == len(urls)


# -- one fault each -----------------------------------------------------------------------


def test_503_then_200_is_retried_and_collected(faults: Run):
    assert faults.record(RETRY_503)["title"] == TITLES[RETRY_503]
    assert faults.hits(RETRY_503) == 2
    assert faults.summary["http_errors"]["503"] == 1
    assert faults.summary["retries"] >= 1


def test_429_waits_as_long_as_retry_after_asks(faults: Run):
    assert faults.record(RETRY_429)["title"] == TITLES[RETRY_429]
    first, second = faults.server.times(RETRY_429)
    assert second - first >= 0.9
    assert faults.summary["http_errors"]["429"] == 1
    assert faults.summary["retries"] >= 2  # this one and the 503's
    assert faults.stat("lnv/retry_after_honoured") == 1


@pytest.mark.parametrize("path", [HANG, SILENT])
def test_a_response_that_never_comes_times_out(faults: Run, path: str):
    assert faults.hits(path) == RETRY_TIMES + 1  # retried, then given up
    assert faults.record(path) is None
    assert f"Gave up retrying <GET {faults.server.base_url}{path}>" in faults.result.stderr
    assert faults.download_errors("Timeout") >= 2 * (RETRY_TIMES + 1)  # this one and the other


@pytest.mark.parametrize("path", [RESET, SHORT])
def test_a_broken_body_is_retried_then_given_up(faults: Run, path: str):
    assert faults.hits(path) == RETRY_TIMES + 1
    assert faults.record(path) is None
    assert f"Gave up retrying <GET {faults.server.base_url}{path}>" in faults.result.stderr
    assert faults.download_errors("DataLoss") >= 2 * (RETRY_TIMES + 1)  # this one and the other


def test_every_request_that_failed_for_good_is_given_up_in_the_summary(faults: Run):
    assert faults.summary["retries_given_up"] >= 4  # the two hangs, the two broken bodies


@pytest.mark.parametrize("path", [HUGE, HUGE_UNDECLARED])
def test_a_30_mb_page_is_cancelled_at_the_size_limit(faults: Run, path: str):
    assert faults.hits(path) == 1  # not retried: it would be as large again
    assert faults.record(path) is None
    assert re.search(rf"larger than download max size \(16777216\) in request "
                     rf"<GET {re.escape(faults.server.base_url + path)}>", faults.result.stderr)
    assert faults.download_errors("Cancelled") >= 2  # this one and the other


def test_a_gzip_bomb_is_stopped_by_the_size_limit_in_little_memory(bomb: Run):
    assert bomb.hits(BOMB) == 1
    assert bomb.record(BOMB) is None
    assert "exceeded DOWNLOAD_MAXSIZE (16777216 B) during decompression" in bomb.result.stderr
    assert bomb.max_rss_mb < MAX_RSS_MB


def test_a_gzip_bomb_is_counted_in_the_summary(bomb: Run):
    assert bomb.failures_counted() >= 1


@pytest.mark.parametrize("path", [CP1258, BOM, NO_CHARSET, BAD_UTF8])
def test_every_encoding_gives_the_headline_in_nfc_vietnamese(faults: Run, path: str):
    record = faults.record(path)
    assert record is not None
    assert record["title"] == TITLES[path]
    assert unicodedata.is_normalized("NFC", record["title"])
    assert record["body"]


@pytest.mark.parametrize("path", [CP1258, BOM, NO_CHARSET])
def test_a_declared_or_detected_encoding_keeps_the_body_intact(faults: Run, path: str):
    good = faults.record(next(iter(GOOD)))
    assert faults.record(path)["body"] == good["body"]


def test_unclosed_optional_tags_change_nothing_in_the_record(faults: Run):
    good, broken = faults.record(next(iter(GOOD))), faults.record(UNCLOSED)
    for field in ("sapo", "body", "images", "byline", "published_at", "tags"):
        assert broken[field] == good[field], field
    # Link titles differ where a list names the page itself: compare where they lead.
    assert link_targets(broken) == link_targets(good)


def link_targets(record: dict[str, Any]) -> list[tuple[str, str]]:
    return [(link["section"], link["url"]) for link in record["links"]]


def test_a_page_cut_mid_tag_gives_what_came_before_the_cut(faults: Run):
    good, cut = faults.record(next(iter(GOOD))), faults.record(CUT)
    assert cut["title"] == TITLES[CUT]
    assert cut["sapo"] == good["sapo"]
    assert cut["body"] == good["body"][:1]


def test_a_redirect_loop_is_bounded(loop: Run):
    assert 2 <= loop.hits(LOOP_A) + loop.hits(LOOP_B) <= REDIRECT_MAX_TIMES + 1
    assert loop.record(LOOP_A) is None


def test_an_endless_redirect_chain_stops_at_redirect_max_times(loop: Run):
    chain = [p for p in loop.server.paths() if re.fullmatch(CHAIN.format(r"\d+"), p)]
    assert chain == [CHAIN.format(n) for n in range(1, REDIRECT_MAX_TIMES + 2)]
    assert loop.record(CHAIN.format(1)) is None


def test_redirects_that_never_end_are_counted_in_the_summary(loop: Run):
    assert loop.failures_counted() >= 2


def test_a_pager_trap_stops_at_the_listing_page_limit(faults: Run):
    pages = [p for p in faults.server.paths() if p == TRAP or p.startswith(TRAP + "/")]
    assert 2 <= len(pages) <= MAX_LISTING_PAGES
    assert len(set(pages)) == len(pages)
    assert faults.summary["pages_skipped"]["listing_page_limit"] == 1


def test_10000_links_on_one_page_are_each_requested_once(many_links: Run):
    dead = [p for p in many_links.server.paths() if p.startswith(DEAD)]
    assert len(dead) == len(set(dead)) == DEAD_LINKS
    assert many_links.summary["http_errors"]["404"] >= DEAD_LINKS


def test_nothing_off_the_site_is_ever_requested(faults: Run, elsewhere: FaultServer):
    assert elsewhere.hits == []
    stderr = faults.result.stderr
    for target in (METADATA, PASSWD, elsewhere.base_url):
        assert f"<GET {target}" not in stderr  # no request was logged as crawled or failed
    # The two redirects off the site were refused before they left: the refusals are
    # the only lines of the log that name those targets (no download error for them).
    assert faults.summary["requests_refused_off_site"] == 2
    refused = re.findall(r"request off the site refused: (\S+)", stderr)
    assert sorted(refused) == sorted([METADATA, f"{elsewhere.base_url}/x-1.html"])
    for target in (METADATA, PASSWD, elsewhere.base_url):
        lines = [line for line in stderr.splitlines() if target in line]
        assert all("request off the site refused" in line for line in lines), lines


def test_a_10000_character_url_is_never_requested(faults: Run):
    assert max(len(p) for p in faults.server.paths()) <= URLLENGTH_LIMIT
    assert LONG not in faults.server.paths()
    assert faults.stat("urllength/request_ignored_count") >= 1
