"""`lnv-crawler stats`: what a set of output files holds, as text for a person or one JSON
object for a program. Field coverage is per record; everything else per article (its
newest record, as `merge` keeps it)."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .items import COVERED_FIELDS
from .records import fetch_time, good_records, newest_by_url
from .wording import plural

TOP = 10  # authors and tags listed by default
BAR_WIDTH = 40  # characters of the busiest month's bar


def corpus_stats(paths: list[Path], top: int = TOP) -> dict[str, Any]:
    tally: Counter[str] = Counter()
    records = list(good_records(paths, tally))
    articles = list(newest_by_url(records).values())
    # Every published_at carries the same +07:00 offset (schema), so text order is time order.
    dates = sorted(article["published_at"] for article in articles if article["published_at"])
    first_fetch = min(records, key=fetch_time, default=None)
    last_fetch = max(records, key=fetch_time, default=None)
    words = [word_count(article) for article in articles]
    return {
        "files": [str(path) for path in paths],
        "lines": tally["read"],
        "bad_lines": tally["bad"],
        "records": len(records),
        "articles": len(articles),
        "published_at": {"min": dates[0] if dates else None, "max": dates[-1] if dates else None,
                         "undated": len(articles) - len(dates)},
        "fetched_at": {"min": first_fetch and first_fetch["fetched_at"],
                       "max": last_fetch and last_fetch["fetched_at"]},
        "per_month": dict(sorted(Counter(date[:7] for date in dates).items())),
        "per_category": counted(article["category"] for article in articles),
        "field_coverage": {name: coverage(records, name) for name in COVERED_FIELDS},
        "body_length": distribution([len("\n".join(article["body"])) for article in articles]),
        "body_words": {"total": sum(words), **distribution(words)},
        "source_tags": counted(article["source_tag"] for article in articles),
        "authors": ranked((article["authors"] for article in articles), top),
        "tags": ranked((article["tags"] for article in articles), top),
    }


def counted(values: Iterable[str | None]) -> dict[str, int]:
    """Counts, most frequent first; a missing value (null) is counted as "(none)"."""
    return dict(Counter("(none)" if value is None else value for value in values).most_common())


def ranked(lists: Iterable[list[str]], top: int) -> dict[str, Any]:
    """How many articles name each value: the number of distinct values, the `top` most
    frequent (ties in first-seen order), and how many articles name none."""
    counts: Counter[str] = Counter()
    empty = 0
    for values in lists:
        counts.update(set(values))  # an author printed twice in one byline is one article
        empty += not values
    return {"distinct": len(counts), "articles_without": empty,
            "top": dict(counts.most_common(top))}


def word_count(article: dict[str, Any]) -> int:
    return sum(len(paragraph.split()) for paragraph in article["body"])


def coverage(records: list[dict[str, Any]], name: str) -> float | None:
    """Share of records with a non-empty value (not null, "" or [])."""
    if not records:
        return None
    return round(sum(1 for record in records if record[name]) / len(records), 4)


def distribution(values: list[int]) -> dict[str, float | None]:
    if not values:
        return dict.fromkeys(("min", "p25", "median", "p75", "max", "mean"))
    # quantiles() needs two data points; a single value is all of its own quartiles.
    p25, median, p75 = (statistics.quantiles(values, n=4, method="inclusive")
                        if len(values) > 1 else values * 3)
    return {"min": min(values), "p25": p25, "median": median, "p75": p75, "max": max(values),
            "mean": round(statistics.fmean(values), 1)}


def month_chart(per_month: dict[str, int]) -> list[str]:
    """One bar of '#' per month from the first to the last dated month; a run of months
    without articles is one line, so a sparse archive stays short but time stays true."""
    if not per_month:
        return ["  -"]
    peak = max(per_month.values())
    lines: list[str] = []
    gap = 0
    for month in months_between(min(per_month), max(per_month)):
        count = per_month.get(month, 0)
        if not count:
            gap += 1
            continue
        if gap:
            lines.append(f"  ({plural(gap, 'month')} without articles)")
            gap = 0
        bar = "#" * max(1, round(count * BAR_WIDTH / peak))
        lines.append(f"  {month} {bar} {count}")
    return lines


def months_between(first: str, last: str) -> Iterable[str]:
    """"YYYY-MM" from `first` to `last`, both included."""
    year, month = map(int, first.split("-"))
    while (current := f"{year:04d}-{month:02d}") <= last:
        yield current
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def render(stats: dict[str, Any]) -> str:
    """The stats as indented text: one line per scalar, one block per mapping; the file
    count rather than every path (months of cron files make thousands of them)."""
    lines = []
    for key, value in stats.items():
        label = key.replace("_", " ")
        if key == "files":
            lines.append(f"files: {len(value)}")
        elif key == "per_month":
            lines += [f"{label}:", *month_chart(value)]
        elif isinstance(value, dict):
            lines += block(label, value, "")
        else:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def block(label: str, mapping: dict[str, Any], indent: str) -> list[str]:
    lines = [f"{indent}{label}:" + ("" if mapping else " -")]
    for name, value in mapping.items():
        if isinstance(value, dict):
            lines += block(name, value, indent + "  ")
        else:
            lines.append(f"{indent}  {name}: {value}")
    return lines


def stats(paths: list[Path], as_json: bool, top: int = TOP) -> int:
    summary = corpus_stats(paths, top)
    print(json.dumps(summary, ensure_ascii=False) if as_json else render(summary))
    return 0
