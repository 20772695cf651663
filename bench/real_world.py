"""Scores of authors_of and parse_date on tables of real strings: right / total, and the misses.

`python -m bench.real_world` scores the tables in tests/data; `--bylines FILE` and
`--dates FILE` score other tables of the same columns (a held-out set, for one).
"""

from __future__ import annotations

import argparse
import csv
from datetime import datetime
from pathlib import Path

from lnv_crawler.dates import VN, parse_date, to_iso
from lnv_crawler.pages.byline import authors_of

_DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
# The `now` of rows that give none, as in tests/test_dates.py.
_NOW = datetime(2026, 11, 26, 15, 0, tzinfo=VN)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _score(name: str, results: list[tuple[str, object, object]]) -> None:
    misses = [(text, want, got) for text, want, got in results if want != got]
    print(f"{name}: {len(results) - len(misses)} / {len(results)} right")
    for text, want, got in misses:
        print(f"  {text!r}: expected {want!r}, got {got!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bylines", type=Path, default=_DATA / "real_bylines.tsv")
    parser.add_argument("--dates", type=Path, default=_DATA / "real_dates.tsv")
    args = parser.parse_args(argv)
    _score("authors_of", [
        (r["byline"], [a for a in r["authors"].split(";") if a], authors_of(r["byline"]))
        for r in _rows(args.bylines)])
    dated = []
    for r in _rows(args.dates):
        found = parse_date(r["text"], datetime.fromisoformat(r["now"]) if r["now"] else _NOW)
        dated.append((r["text"], r["expected"] or None, found and to_iso(found)))
    _score("parse_date", dated)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
