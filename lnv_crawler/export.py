"""`lnv-crawler export`: output files as one table of articles (the newest fetch of each,
as `merge` keeps it), filtered, for spreadsheets, pandas, R or DuckDB.

- CSV: UTF-8 with a BOM (Excel reads Vietnamese right only then), RFC 4180 quoting and
  CRLF rows; body paragraphs joined by a blank line, authors and tags by "; ", images
  and links as JSON text beside their counts.
- Parquet (pyarrow, the optional extra `lnv_crawler[parquet]`): timestamps with their
  time zone, lists of strings, lists of structs.
- JSON Lines: the records as they are, in contract order (what `merge` writes).

Records of schema_version 1 have no `modified_at`: its cell is empty (null)."""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from .dates import VN
from .feeds import written_aside
from .records import fetch_time, newest_articles
from .text import normalize_text
from .wording import plural

# The record's fields in contract order, modified_at of schema_version 2 included (so
# tables made from v1 and v2 files have the same columns); a test checks ARTICLE_FIELDS.
COLUMNS = ("schema_version", "url", "article_id", "title", "sapo", "source_tag", "body",
           "images", "byline", "authors", "published_at", "modified_at", "category", "tags",
           "links", "more_url", "fetched_at")  # fmt: skip
CSV_COLUMNS = tuple(column for name in COLUMNS
                    for column in ((name, f"n_{name}") if name in ("images", "links") else (name,)))
PARQUET_ROW_GROUP = 2000  # rows
FORMATS = {".csv": "csv", ".parquet": "parquet", ".jsonl": "jsonl"}
MISSING_PYARROW = ("lnv-crawler: Parquet export needs pyarrow: "
                   "pip install 'lnv_crawler[parquet]' (or pip install pyarrow)")


def day(text: str) -> date:
    """A command-line date: YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date as YYYY-MM-DD: {text!r}") from None


def folded(text: str) -> str:
    """Names compared as a person means them: case, spacing and Unicode form aside (a Mac
    terminal types decomposed Vietnamese)."""
    return normalize_text(text).casefold()


@dataclass(frozen=True)
class Filters:
    """Which articles to keep. Dates are days in Vietnam time, both ends included; a value
    list keeps an article that matches any of its values."""

    since: date | None = None
    until: date | None = None
    categories: tuple[str, ...] = ()
    source_tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    fetched_since: date | None = None

    def keep(self, record: dict[str, Any]) -> bool:
        published = record["published_at"]
        # published_at is Vietnam time (+07:00), so its first ten characters are its day.
        if (self.since or self.until) and published is None:
            return False
        if self.since and published[:10] < self.since.isoformat():
            return False
        if self.until and published[:10] > self.until.isoformat():
            return False
        if self.fetched_since and fetch_time(record)[0] < utc_start(self.fetched_since):
            return False
        return (matches(self.categories, [record["category"]])
                and matches(self.source_tags, [record["source_tag"]])
                and matches(self.authors, record["authors"]))


def matches(wanted: tuple[str, ...], values: list[str | None]) -> bool:
    if not wanted:
        return True
    names = {folded(name) for name in wanted}
    return any(value is not None and folded(value) in names for value in values)


def utc_start(vietnam_day: date) -> str:
    """The UTC time, as fetch_time()'s text, at which a Vietnam day begins."""
    start = datetime.combine(vietnam_day, time(0), VN).astimezone(timezone.utc)
    return start.strftime("%Y-%m-%dT%H:%M:%S")


# --- the three formats --------------------------------------------------------------------

def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> None:
    """One record a line in contract field order; a field a record lacks (modified_at of a
    schema_version 1 record) stays absent, so the record stays valid in its version."""
    with path.open("w", encoding="utf-8", newline="\n") as file:
        for record in records:
            fields = {name: record[name] for name in COLUMNS if name in record}
            file.write(json.dumps(fields, ensure_ascii=False) + "\n")


def write_csv(records: Iterable[dict[str, Any]], path: Path, bom: bool = True) -> None:
    # The csv module's default dialect is RFC 4180: CRLF rows, fields holding a quote, a
    # comma or a line break quoted, quotes doubled.
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_row(record) for record in records)


def csv_row(record: dict[str, Any]) -> list[Any]:
    cells = {
        **record,
        "modified_at": record.get("modified_at"),
        "body": "\n\n".join(record["body"]),
        "authors": "; ".join(record["authors"]),
        "tags": "; ".join(record["tags"]),
        "images": json.dumps(record["images"], ensure_ascii=False),
        "n_images": len(record["images"]),
        "links": json.dumps(record["links"], ensure_ascii=False),
        "n_links": len(record["links"]),
    }
    return ["" if cells[name] is None else cells[name] for name in CSV_COLUMNS]


def write_parquet(records: Iterable[dict[str, Any]], path: Path) -> None:
    # Imported here: pyarrow is an optional extra, needed only for this format.
    import pyarrow as pa
    import pyarrow.parquet as pq

    text = pa.string()
    texts = pa.list_(text)
    vietnam_time = pa.timestamp("ms", tz="+07:00")  # Parquet has no unit of seconds
    types = {
        "schema_version": pa.int16(), "body": texts, "authors": texts, "tags": texts,
        "images": pa.list_(pa.struct([("url", text), ("caption", text)])),
        "links": pa.list_(pa.struct([("section", text), ("url", text), ("title", text),
                                     ("summary", text)])),
        "published_at": vietnam_time, "modified_at": vietnam_time,
        "fetched_at": pa.timestamp("us", tz="UTC"),
    }  # fmt: skip
    schema = pa.schema([(name, types.get(name, text)) for name in COLUMNS])
    rows = iter(records)
    with pq.ParquetWriter(path, schema) as writer:
        # A row group at a time: the converted copy of the rows never holds them all.
        while batch := list(itertools.islice(rows, PARQUET_ROW_GROUP)):
            writer.write_table(pa.Table.from_pylist([{
                **record,
                "published_at": vietnam(record["published_at"]),
                "modified_at": vietnam(record.get("modified_at")),
                "fetched_at": utc(record),
            } for record in batch], schema=schema))


def vietnam(stamp: str | None) -> datetime | None:
    """published_at / modified_at: the schema allows only "YYYY-MM-DDTHH:MM:SS+07:00",
    which every supported Python's fromisoformat reads."""
    return None if stamp is None else datetime.fromisoformat(stamp)


def utc(record: dict[str, Any]) -> datetime:
    seconds, fraction = fetch_time(record)
    start = datetime.strptime(seconds, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return start + timedelta(microseconds=round(fraction * 1_000_000))


def has_pyarrow() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401 (only whether it imports)
    except ImportError:
        return False
    return True


# --- the command --------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="output files (.jsonl, .jsonl.gz, - for standard input)")
    parser.add_argument("-o", "--output", type=Path, required=True, help="the table to write")
    parser.add_argument("--format", choices=sorted(set(FORMATS.values())),
                        help="default: from the extension of -o (.csv, .parquet, .jsonl)")
    parser.add_argument("--since", type=day, metavar="YYYY-MM-DD",
                        help="published on or after this day (Vietnam time)")
    parser.add_argument("--until", type=day, metavar="YYYY-MM-DD",
                        help="published on or before this day (Vietnam time)")
    parser.add_argument("--category", action="append", default=[], metavar="NAME",
                        help="in this category (repeat for any of several; case ignored)")
    parser.add_argument("--source-tag", action="append", default=[], metavar="TAG",
                        help="with this agency code, e.g. LNV (repeatable)")
    parser.add_argument("--author", action="append", default=[], metavar="NAME",
                        help="with this person among its authors (repeatable)")
    parser.add_argument("--fetched-since", type=day, metavar="YYYY-MM-DD",
                        help="fetched on or after this day (Vietnam time)")
    parser.add_argument("--no-bom", dest="bom", action="store_false",
                        help="CSV without the UTF-8 byte order mark")
    parser.add_argument("--force", action="store_true", help="replace an existing output file")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    filters = Filters(args.since, args.until, tuple(args.category), tuple(args.source_tag),
                      tuple(args.author), args.fetched_since)
    return export(args.files, args.output, args.format, filters, force=args.force,
                  bom=args.bom)


def export(paths: list[Path], output: Path, kind: str | None, filters: Filters, *,
           force: bool = False, bom: bool = True) -> int:
    """Write the table; 2 (and nothing written) for a usage problem, 1 when writing fails."""
    kind = kind or FORMATS.get(output.suffix.lower())
    # Checked before anything is read, so that a long read does not end in a refusal.
    problem = output_problem(output, kind, force)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    tally: Counter[str] = Counter()
    articles = newest_articles(paths, tally)
    rows = [article for article in articles if filters.keep(article)]
    try:
        with written_aside(output) as partial:
            if kind == "csv":
                write_csv(rows, partial, bom)
            elif kind == "parquet":
                write_parquet(rows, partial)
            else:
                write_jsonl(rows, partial)
    except OSError as error:
        # strerror and filename: "File exists: out" says more than the errno's whole repr.
        reason = ": ".join(str(part) for part in (error.strerror, error.filename) if part)
        print(f"lnv-crawler: cannot write {output}: {reason or error}", file=sys.stderr)
        return 1
    print(f"read {plural(tally['read'], 'line')} ({tally['bad']} bad, skipped), "
          f"{plural(len(articles), 'article')}; wrote {plural(len(rows), 'row')} ({kind}) "
          f"to {output}")
    return 0


def output_problem(output: Path, kind: str | None, force: bool) -> str | None:
    if output.is_dir():
        return f"lnv-crawler: {output} is a folder"
    if kind is None:
        return (f"lnv-crawler: cannot tell the format from {output.name}: "
                "give --format csv, parquet or jsonl")
    if output.exists() and not force:
        return f"lnv-crawler: {output} exists: add --force to replace it"
    if kind == "parquet" and not has_pyarrow():
        return MISSING_PYARROW
    return None
