"""Micro-benchmarks: the article page object against bare lxml and trafilatura,
and parse_date against dateparser, on the same inputs for each contestant."""

from __future__ import annotations

import statistics
import sys
import time
import timeit
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from types import ModuleType

import dateparser
import lxml.html

from lnv_crawler.dates import VN, parse_date
from lnv_crawler.pages.article import ArticlePage

from .markup import SITE

ABSOLUTE_DATES = (
    "15/03/2022 08:30",
    "Thứ Năm, 15/03/2022, 08:30 (GMT+7)",
    "ngày 15 tháng 3 năm 2022",
    "11h00 ngày 15/3/2022",
    "15/03/2022",
    "2022-03-15 08:30",
    "Thứ hai, 02/01/2023 - 14:05",
    "15-03-2022 | 08:30",
    "Cập nhật: 08:30 15/03/2022",
    "17 giờ 30 ngày 15/03/2022",
    "3:06 PM 15/03/2022",
    "Chiều ngày 3/12/2025",
)
OTHER_DATES = (
    "3 giờ trước",
    "5 phút trước",
    "cách đây 2 ngày",
    "1 tuần trước",
    "2 tháng trước",
    "Hôm qua lúc 10:20",
    "Sáng nay",
    "vừa xong",
    "Chiều 23/12",
    "23/12 lúc 15:30",
    "tuần trước",
    "Lượt xem: 4186",
    "Số: 2646/QĐ-BCT",
    "Giá: 27.000 đồng",
    "Hotline: 0243.123.4567",
)
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=VN)
_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "RELATIVE_BASE": NOW.replace(tzinfo=None),
    "PREFER_DATES_FROM": "past",
}
_REPEAT = 3
_ROUNDS = 5  # of lxml and ArticlePage, page by page in turn


def _seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


# -- page parsing --------------------------------------------------------------------


def _each(parse: Callable[[str, str], object], pages: Sequence[tuple[str, str]]) -> None:
    """One pass: every page parsed and its result dropped before the next one, as in a
    crawl and as ArticlePage drops its tree. (A pass that keeps its 200 lxml trees to the
    end times the allocator and the cache as well: lxml.html.fromstring alone, in a
    process of its own, takes about 1.2 ms a page so and 0.7 ms this way.)"""
    for html, url in pages:
        parse(html, url)


def _kept(parse: Callable[[str, str], object], pages: Sequence[tuple[str, str]]) -> None:
    """One pass as earlier versions of this bench timed it: every result kept to its end."""
    [parse(html, url) for html, url in pages]


def _rounds(contestants: dict[str, Callable[[str, str], object]],
            pages: Sequence[tuple[str, str]]) -> dict[str, list[float]]:
    """Seconds each contestant spent on the pages in each round, taking the pages one by
    one and each page's parses in turn (their order swapped between rounds). A shared
    machine's speed drifts within a second (lxml's figure moved 0.48-0.87 ms a page
    between runs of separate passes): two parses of one page side by side see one speed."""
    names = list(contestants)
    times: dict[str, list[float]] = {name: [] for name in names}
    for turn in range(_ROUNDS):
        order = names if turn % 2 == 0 else names[::-1]
        spent = dict.fromkeys(names, 0.0)
        for html, url in pages:
            for name in order:
                started = time.perf_counter()
                contestants[name](html, url)  # the result dropped at once, as in _each
                spent[name] += time.perf_counter() - started
        for name in names:
            times[name].append(spent[name])
    return times


def parse_bench(files: Sequence[Path], trafilatura: ModuleType | None) -> dict:
    """Mean milliseconds per page of each parser over the same pages (str, as Scrapy's
    response.text): lxml and ArticlePage page by page in turn, in a few rounds, each
    figure its best round and their ratio the median of the rounds' own ratios;
    trafilatura gets one pass, being slow. lxml is also timed the earlier way
    (`lxml_fromstring_kept_ms`), for comparison with figures measured so."""
    pages = [(f.read_text("utf-8"), f"{SITE}/{f.name}") for f in files]
    contestants: dict[str, Callable[[str, str], object]] = {
        "lxml_fromstring": lambda html, url: lxml.html.fromstring(html),
        "lnv_article_page": lambda html, url: ArticlePage(html, url).to_item(),
    }
    for parse in contestants.values():
        parse(*pages[0])  # warm-up: imports, caches
    times = _rounds(contestants, pages)
    result: dict = {"pages": len(pages), "page_objects": _how_page_objects_run()}
    for name, passes in times.items():
        result[f"{name}_ms"] = round(min(passes) / len(pages) * 1000, 3)
    ratios = sorted(a / b for a, b in zip(times["lnv_article_page"], times["lxml_fromstring"],
                                          strict=True))
    result["parse_ratio_rounds"] = [round(r, 2) for r in ratios]
    result["parse_ratio"] = round(statistics.median(ratios), 2)
    if trafilatura is not None:
        trafilatura.extract(pages[0][0], url=pages[0][1])
        seconds = _seconds(lambda: _each(lambda h, u: trafilatura.extract(h, url=u), pages))
        result["trafilatura_extract_ms"] = round(seconds / len(pages) * 1000, 3)
    lxml_parse = contestants["lxml_fromstring"]
    kept = min(_seconds(lambda: _kept(lxml_parse, pages)) for _ in range(_REPEAT))
    result["lxml_fromstring_kept_ms"] = round(kept / len(pages) * 1000, 3)
    records = [ArticlePage(html, url).to_item() for html, url in pages]
    result["lnv_records"] = sum(1 for r in records if r is not None)
    return result


def _how_page_objects_run() -> str:
    """"compiled" (setup.py built them and their sources are unchanged) or "source"."""
    return "source" if sys.modules[ArticlePage.__module__].__file__.endswith(".py") else "compiled"


# -- dates ---------------------------------------------------------------------------


def _dateparser(text: str) -> datetime | None:
    return dateparser.parse(text, languages=["vi"], settings=_DATEPARSER_SETTINGS)


def _per_call(func: Callable[[str], object], text: str, number: int) -> float:
    timer = timeit.Timer(lambda: func(text))
    return min(timer.repeat(repeat=_REPEAT, number=number)) / number


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _shape(text: str) -> dict:
    ours = _per_call(lambda t: parse_date(t, now=NOW), text, 300)
    theirs = _per_call(_dateparser, text, 30)
    return {"text": text, "parse_date_us": round(ours * 1e6, 1),
            "dateparser_us": round(theirs * 1e6, 1), "speedup": round(theirs / ours, 1),
            "parse_date": _iso(parse_date(text, now=NOW)), "dateparser": _iso(_dateparser(text))}


def _group(shapes: Sequence[str]) -> dict:
    rows = [_shape(text) for text in shapes]
    ours = sum(r["parse_date_us"] for r in rows)
    theirs = sum(r["dateparser_us"] for r in rows)
    slowest = min(rows, key=lambda r: r["speedup"])
    return {"speedup": round(theirs / ours, 1), "min_speedup": slowest["speedup"],
            "slowest_shape": slowest["text"], "parse_date_us_mean": round(ours / len(rows), 1),
            "dateparser_us_mean": round(theirs / len(rows), 1), "shapes": rows}


def dates_bench() -> dict:
    """parse_date against dateparser, per shape and per group (absolute / the rest)."""
    for text in (*ABSOLUTE_DATES, *OTHER_DATES):  # warm-up: language data, lazy imports
        parse_date(text, now=NOW)
        _dateparser(text)
    return {"absolute": _group(ABSOLUTE_DATES), "other": _group(OTHER_DATES)}
