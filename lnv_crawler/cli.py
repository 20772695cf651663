"""`lnv-crawler`: check, summarize and merge the crawler's JSON Lines output
(contract §3), and run the demo.

validate, stats and merge share one reader and one definition of a bad line:
anything `validate` reports. stats and merge skip such lines, so a merged
corpus always validates."""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from . import demo
from .feeds import fsync_directory, partial_path
from .items import ARTICLE_FIELDS
from .schema import violations
from .text import normalize_text

SHOWN_BAD_LINES = 10
COVERED_FIELDS = ("title", "sapo", "body", "published_at", "authors", "links", "images", "tags",
                  "category", "byline")  # fmt: skip
# A \uXXXX escape in the raw line. The escape's backslash must not itself be
# escaped: `\\u1ec7` is a literal backslash followed by the letters "u1ec7".
_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u([0-9a-fA-F]{4})")


class Line(NamedTuple):
    """One line of an input file: its record if it parsed, and what is wrong with it."""

    path: Path
    number: int
    record: dict[str, Any] | None
    problems: list[str]


def read_lines(paths: Iterable[Path]) -> Iterator[Line]:
    """Every line of every file, checked; a final newline does not make an empty line."""
    for path in paths:
        # Binary, so that invalid UTF-8 is one bad line rather than an unreadable file.
        with path.open("rb") as file:
            for number, raw in enumerate(file, 1):
                yield Line(path, number, *parse_line(raw))


def parse_line(raw: bytes) -> tuple[dict[str, Any] | None, list[str]]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [f"not UTF-8: byte {raw[error.start]:#04x} at column {error.start + 1}"]
    if not text.strip():
        return None, ["empty line"]
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [f"not JSON: {error}"]
    if not isinstance(record, dict):
        return None, [f"not a JSON object but {type(record).__name__}"]
    return record, escape_problems(text) + violations(record) + text_problems(record)


def escape_problems(text: str) -> list[str]:
    """Non-ASCII characters written as \\u escapes: the contract wants them as UTF-8 (escapes
    of ASCII characters are left alone, JSON requires them for control characters)."""
    escapes = [match.group(0)[-6:] for match in _ESCAPE.finditer(text)
               if int(match.group(1), 16) > 0x7F]
    if not escapes:
        return []
    return [f"non-ASCII written as \\u escapes instead of UTF-8: {', '.join(escapes[:3])}"]


def text_problems(value: Any, path: tuple[str, ...] = ()) -> list[str]:
    """Strings at any depth that normalize_text would change (contract §3 text rules)."""
    if isinstance(value, str):
        clean = normalize_text(value)
        if clean == value:
            return []
        # The first character that normalizing changes (or the end of the shorter one).
        pairs = enumerate(zip(value, clean, strict=False))
        at = next((i for i, (old, new) in pairs if old != new), len(clean))
        excerpt = visible(value[max(at - 10, 0):at + 10])
        return [f"{'/'.join(path) or '<record>'}: breaks the text rules at character {at + 1}: "
                f"'{excerpt}'"]
    if isinstance(value, dict):
        children = value.items()
    elif isinstance(value, list):
        children = enumerate(value)
    else:
        return []
    return [problem for key, child in children
            for problem in text_problems(child, (*path, str(key)))]


def visible(text: str) -> str:
    """Escape what cannot be seen: invisible and control characters, and combining marks
    (decomposed, non-NFC text looks exactly like clean text)."""
    return "".join(ascii(char)[1:-1] if unicodedata.combining(char) or not char.isprintable()
                   else char for char in text)


def good_records(paths: Iterable[Path], tally: Counter[str]) -> Iterator[dict[str, Any]]:
    """Records of the lines that validate; the others are counted and reported on stderr."""
    for line in read_lines(paths):
        tally["read"] += 1
        if line.problems:
            tally["bad"] += 1
            print(f"warning: skipped {line.path}:{line.number}: {line.problems[0]}",
                  file=sys.stderr)
        else:
            yield line.record


def fetch_time(record: dict[str, Any]) -> tuple[str, float]:
    """Sort key of fetched_at. The schema allows only UTC with whole seconds and an optional
    fraction, so seconds compare as text and the fraction as a number (fromisoformat before
    Python 3.11 rejects "Z" and fractions that are not 3 or 6 digits)."""
    stamp = record["fetched_at"].removesuffix("Z").removesuffix("+00:00")
    seconds, _, fraction = stamp.partition(".")
    return seconds, float(f"0.{fraction or 0}")


def newest_by_url(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One record per article: the latest fetch; on a tie, the later file/line."""
    newest: dict[str, dict[str, Any]] = {}
    for record in records:
        held = newest.get(record["url"])
        if held is None or fetch_time(record) >= fetch_time(held):
            newest[record["url"]] = record
    return newest


# --- validate -----------------------------------------------------------------------------

def validate(paths: list[Path]) -> int:
    shown: list[Line] = []
    invalid_total = 0
    for path in paths:
        counts: Counter[str] = Counter()
        for line in read_lines([path]):
            counts["invalid" if line.problems else "valid"] += 1
            if line.problems and len(shown) < SHOWN_BAD_LINES:
                shown.append(line)
        records = counts["valid"] + counts["invalid"]
        note = " (empty file)" if records == 0 else ""
        print(f"{path}: {records} records, {counts['valid']} valid, {counts['invalid']} invalid"
              f"{note}")
        invalid_total += counts["invalid"]
    for line in shown:
        print(f"{line.path}:{line.number}: {'; '.join(line.problems)}")
    if invalid_total > len(shown):
        print(f"... and {invalid_total - len(shown)} more invalid lines")
    return 1 if invalid_total else 0


# --- stats --------------------------------------------------------------------------------

def corpus_stats(paths: list[Path]) -> dict[str, Any]:
    """Field coverage is per record; everything else per article (its newest record)."""
    tally: Counter[str] = Counter()
    records = list(good_records(paths, tally))
    articles = list(newest_by_url(records).values())
    # Every published_at carries the same +07:00 offset (schema), so text order is time order.
    dates = sorted(article["published_at"] for article in articles if article["published_at"])
    return {
        "files": [str(path) for path in paths],
        "lines": tally["read"],
        "bad_lines": tally["bad"],
        "records": len(records),
        "articles": len(articles),
        "published_at": {"min": dates[0] if dates else None, "max": dates[-1] if dates else None,
                         "undated": len(articles) - len(dates)},
        "per_month": dict(sorted(Counter(date[:7] for date in dates).items())),
        "per_category": counted(article["category"] for article in articles),
        "field_coverage": {name: coverage(records, name) for name in COVERED_FIELDS},
        "body_length": distribution([len("\n".join(article["body"])) for article in articles]),
        "source_tags": counted(article["source_tag"] for article in articles),
    }


def counted(values: Iterable[str | None]) -> dict[str, int]:
    """Counts, most frequent first; a missing value (null) is counted as "(none)"."""
    return dict(Counter("(none)" if value is None else value for value in values).most_common())


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


def render(stats: dict[str, Any]) -> str:
    """The stats as indented text: one line per scalar, one block per mapping."""
    lines = []
    for key, value in stats.items():
        label = key.replace("_", " ")
        if isinstance(value, dict):
            lines.append(f"{label}:" + ("" if value else " -"))
            lines += [f"  {name}: {count}" for name, count in value.items()]
        elif isinstance(value, list):
            lines.append(f"{label}: {', '.join(value)}")
        else:
            lines.append(f"{label}: {value}")
    return "\n".join(lines)


def stats(paths: list[Path], as_json: bool) -> int:
    summary = corpus_stats(paths)
    print(json.dumps(summary, ensure_ascii=False) if as_json else render(summary))
    return 0


# --- merge --------------------------------------------------------------------------------

def write_lines_atomically(final: Path, lines: Iterable[str]) -> None:
    """Write aside in the same folder and rename: readers see the old file or the whole new one."""
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = partial_path(final)
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as file:
            file.writelines(f"{line}\n" for line in lines)
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, final)
    finally:
        # A no-op after the rename; after a failure, it removes the half-written file.
        partial.unlink(missing_ok=True)
    fsync_directory(final.parent)


def merge(paths: list[Path], output: Path) -> int:
    tally: Counter[str] = Counter()
    newest = newest_by_url(good_records(paths, tally))
    ordered = sorted(newest.values(), key=lambda record: (int(record["article_id"]), record["url"]))
    write_lines_atomically(output, (
        # A schema_version 1 record has no modified_at: it is written as it was read.
        json.dumps({name: record[name] for name in ARTICLE_FIELDS if name in record},
                   ensure_ascii=False)
        for record in ordered
    ))
    replaced = tally["read"] - tally["bad"] - len(ordered)
    print(f"read {tally['read']} lines, wrote {len(ordered)} records to {output}, "
          f"{replaced} duplicates replaced, {tally['bad']} bad lines skipped")
    return 0


# --- command line -------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lnv-crawler",
        description="Check, summarize and merge lnv_crawler JSON Lines output; run the demo.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="check files against the output contract")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.set_defaults(run=lambda args: validate(args.files))

    summary = commands.add_parser("stats", help="summarize crawl output")
    summary.add_argument("files", nargs="+", type=Path, metavar="FILE")
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    summary.set_defaults(run=lambda args: stats(args.files, args.json))

    corpus = commands.add_parser("merge", help="merge runs into one record per article")
    corpus.add_argument("files", nargs="+", type=Path, metavar="FILE")
    corpus.add_argument("-o", "--output", type=Path, required=True, help="the merged file")
    corpus.set_defaults(run=lambda args: merge(args.files, args.output))

    # Its arguments go to `scrapy crawl` untouched, so they are collected as unknown ones.
    commands.add_parser("demo", help="crawl the bundled sample site",
                        usage="lnv-crawler demo [SCRAPY_CRAWL_ARGUMENT ...]")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "demo":
        return demo.main(extra)
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    missing = [path for path in args.files if not path.is_file()]
    if missing:
        # Checked up front so that nothing is printed or written for a partial input.
        for path in missing:
            print(f"lnv-crawler: no such file: {path}", file=sys.stderr)
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
