"""`lnv-crawler`: check, summarize, merge and export the crawler's JSON Lines output
(contract §3), and run the demo.

validate, stats, merge and export share one reader and one definition of a bad line
(records.py): anything `validate` reports. The others skip such lines, so a merged
corpus always validates."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from . import demo, diff, export, history, reparse
from .export import write_jsonl
from .feeds import written_aside
from .records import STDIN, Line, newest_articles, read_lines, where
from .stats import TOP, stats
from .wording import plural

SHOWN_BAD_LINES = 10


# --- validate -----------------------------------------------------------------------------

def validate(paths: list[Path]) -> int:
    shown: list[Line] = []
    invalid_total = 0
    documents = 0  # files that are one JSON document, each said in its one line
    for path in paths:
        counts: Counter[str] = Counter()
        for line in read_lines([path]):
            if line.number == 0:
                counts["document"] += 1
                print(f"{path}: {line.problems[0]}")
                continue
            counts["invalid" if line.problems else "valid"] += 1
            if line.problems and len(shown) < SHOWN_BAD_LINES:
                shown.append(line)
        records = counts["valid"] + counts["invalid"]
        if not counts["document"]:
            note = " (empty file)" if records == 0 else ""
            print(f"{path}: {plural(records, 'record')}, {counts['valid']} valid, "
                  f"{counts['invalid']} invalid{note}")
        invalid_total += counts["invalid"]
        documents += counts["document"]
    for line in shown:
        print(f"{where(line)}: {'; '.join(line.problems)}")
    if invalid_total > len(shown):
        print(f"... and {plural(invalid_total - len(shown), 'more invalid line')}")
    return 1 if invalid_total or documents else 0


# --- merge --------------------------------------------------------------------------------

def merge(paths: list[Path], output: Path) -> int:
    tally: Counter[str] = Counter()
    ordered = newest_articles(paths, tally)
    with written_aside(output) as partial:
        write_jsonl(ordered, partial)
    replaced = tally["read"] - tally["bad"] - len(ordered)
    print(f"read {plural(tally['read'], 'line')}, wrote {plural(len(ordered), 'record')} "
          f"to {output}, {plural(replaced, 'duplicate')} replaced, "
          f"{plural(tally['bad'], 'bad line')} skipped")
    return 0


# --- command line -------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lnv-crawler",
        description="Check, summarize, merge, export and compare lnv_crawler JSON Lines "
                    "output (FILE may be .jsonl, .jsonl.gz or - for standard input); rebuild "
                    "it from WARC archives; run the demo.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("validate", help="check files against the output contract")
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.set_defaults(run=lambda args: validate(args.files))

    summary = commands.add_parser("stats", help="summarize crawl output")
    summary.add_argument("files", nargs="+", type=Path, metavar="FILE")
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    summary.add_argument("--top", type=int, default=TOP, metavar="N",
                         help=f"authors and tags listed (default {TOP})")
    summary.set_defaults(run=lambda args: stats(args.files, args.json, args.top))

    corpus = commands.add_parser("merge", help="merge runs into one record per article")
    corpus.add_argument("files", nargs="+", type=Path, metavar="FILE")
    corpus.add_argument("-o", "--output", type=Path, required=True, help="the merged file")
    corpus.set_defaults(run=lambda args: merge(args.files, args.output))

    export.add_arguments(commands.add_parser(
        "export", help="one row per article as CSV, Parquet or JSON Lines, filtered"))
    history.add_arguments(commands.add_parser(
        "history", help="the runs kept in a state folder, with a trend per field"))
    reparse.add_parser(commands)
    diff.add_parser(commands)

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
    unreadable = [f"is a folder: {path} (give its files, e.g. {path / '*.jsonl'})"
                  if path.is_dir() else f"no such file: {path}"
                  # exists(), not is_file(): a pipe (`<(zcat run.jsonl.gz)`) is readable too.
                  for path in args.files if path != STDIN and (path.is_dir() or not path.exists())]
    if unreadable:
        # Checked up front so that nothing is printed or written for a partial input.
        for problem in unreadable:
            print(f"lnv-crawler: {problem}", file=sys.stderr)
        return 2
    try:
        status = args.run(args)
        sys.stdout.flush()  # here, so that a closed pipe is met inside the try
    except BrokenPipeError:
        # The reader stopped (`lnv-crawler stats … | head`): no traceback. Python flushes
        # stdout again at exit, so it is pointed at /dev/null first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
