"""Reading the crawler's JSON Lines output (contract §3): every command that takes output
files (validate, stats, merge, export) reads them here, with one definition of a bad
line: anything `validate` reports. The commands that build on records skip such lines,
so what they write always validates.

A file named `-` is standard input; a name ending in `.gz` is read through gzip."""

from __future__ import annotations

import contextlib
import gzip
import io
import itertools
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

from .schema import violations
from .text import normalize_text
from .wording import plural

STDIN = Path("-")
# A \uXXXX escape in the raw line. The escape's backslash must not itself be
# escaped: `\\u1ec7` is a literal backslash followed by the letters "u1ec7".
_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u([0-9a-fA-F]{4})")


class Line(NamedTuple):
    """One line of an input file: its record if it parsed, and what is wrong with it."""

    path: Path
    number: int
    record: dict[str, Any] | None
    problems: list[str]


def open_input(path: Path) -> contextlib.AbstractContextManager[IO[bytes]]:
    """The file's bytes: binary, so that invalid UTF-8 is one bad line rather than an
    unreadable file; standard input is left open for a later `-`."""
    if path == STDIN:
        return contextlib.nullcontext(sys.stdin.buffer)
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")


def read_lines(paths: Iterable[Path]) -> Iterator[Line]:
    """Every line of every file, checked; a final newline does not make an empty line."""
    for path in paths:
        with open_input(path) as file:
            yield from lines_of(path, file)


def lines_of(path: Path, file: IO[bytes]) -> Iterator[Line]:
    """The checked lines of one file; a file that holds one JSON document instead of JSON
    Lines is one bad line numbered 0 (the whole file), not one per line of the document."""
    number = 0
    try:
        document, raws = sniff(file)
        if document is not None:
            yield Line(path, 0, None, [not_json_lines(document)])
            return
        for number, raw in enumerate(raws, 1):
            yield Line(path, number, *parse_line(raw))
    except (OSError, EOFError) as error:
        # A truncated or corrupt .gz (or a failing disk): one bad line, not a traceback.
        yield Line(path, number + 1, None, [f"unreadable from here on: {error}"])


def where(line: Line) -> str:
    return f"{line.path}:{line.number}" if line.number else str(line.path)


def sniff(file: IO[bytes]) -> tuple[list[Any] | dict[str, Any] | None, Iterable[bytes]]:
    """The document, when the file holds one JSON document (a JSON array, or an object
    printed over several lines) rather than JSON Lines, and the file's lines either way.

    Only a first line that opens such a document makes the whole file be read: a JSON
    Lines line is a whole object, so `[` or an unfinished `{` cannot start one."""
    first = file.readline()
    opening = first.lstrip()[:1]
    if opening != b"[" and not (opening == b"{" and parse_line(first)[0] is None):
        return None, itertools.chain([first] if first else [], file)
    data = first + file.read()
    try:
        return json.loads(data), []
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, io.BytesIO(data)


def not_json_lines(document: list[Any] | dict[str, Any]) -> str:
    if isinstance(document, list):
        return (f"a JSON array of {plural(len(document), 'item')}, not JSON Lines (one JSON "
                "object a line); `jq -c '.[]'` converts it")
    return ("one JSON object printed over several lines, not JSON Lines (one JSON object a "
            "line); `jq -c .` converts it")


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
    if "\\u" not in text:  # the usual line: a substring test instead of the regex's scan
        return []
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
            print(f"warning: skipped {where(line)}: {line.problems[0]}",
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


def newest_articles(paths: Iterable[Path], tally: Counter[str]) -> list[dict[str, Any]]:
    """One record per article over all files (the newest fetch), ordered by article id."""
    newest = newest_by_url(good_records(paths, tally))
    return sorted(newest.values(), key=lambda record: (int(record["article_id"]), record["url"]))
