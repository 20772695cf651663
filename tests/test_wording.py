"""The commands' summaries count in good English ("1 record", "2 records"), through one
helper, and `stats` and `history` report the coverage of the same fields, in one order.
The commands run as subprocesses on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from records import article, line, write

from lnv_crawler.history import History, Run
from lnv_crawler.items import COVERED_FIELDS
from lnv_crawler.wording import plural

PROJECT = Path(__file__).resolve().parent.parent


def lnv_crawler(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lnv_crawler.cli", *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=60)


def test_plural():
    assert [plural(n, "row") for n in (0, 1, 2)] == ["0 rows", "1 row", "2 rows"]
    assert plural(1, "category", "categories") == "1 category"
    assert plural(3, "category", "categories") == "3 categories"


def test_one_of_everything_is_said_in_the_singular(tmp_path):
    one = write(tmp_path / "one.jsonl", line(article()))
    merged = lnv_crawler("merge", str(one), "-o", str(tmp_path / "merged.jsonl"))
    assert merged.returncode == 0, merged.stderr
    assert merged.stdout == (f"read 1 line, wrote 1 record to {tmp_path / 'merged.jsonl'}, "
                             "0 duplicates replaced, 0 bad lines skipped\n")
    exported = lnv_crawler("export", str(one), "-o", str(tmp_path / "one.csv"))
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == (f"read 1 line (0 bad, skipped), 1 article; wrote 1 row (csv) "
                               f"to {tmp_path / 'one.csv'}\n")
    checked = lnv_crawler("validate", str(one))
    assert checked.stdout == f"{one}: 1 record, 1 valid, 0 invalid\n"
    twice = write(tmp_path / "array.json", json.dumps([article()]).encode())
    assert "a JSON array of 1 item, not JSON Lines" in lnv_crawler("validate", str(twice)).stdout
    diffed = lnv_crawler("diff", str(one), str(one))
    assert diffed.stdout.splitlines()[:3] == [
        f"old: {one} (1 article)", f"new: {one} (1 article)",
        "1 article on both sides, 0 of them changed; 0 only in old, 0 only in new"]


def test_stats_and_history_cover_the_same_fields_in_the_same_order(tmp_path):
    one = write(tmp_path / "one.jsonl", line(article()))
    shown = lnv_crawler("stats", str(one), "--json")
    assert shown.returncode == 0, shown.stderr
    assert tuple(json.loads(shown.stdout)["field_coverage"]) == COVERED_FIELDS
    with History(tmp_path / "state") as history:
        history.add(Run("2026-12-01T08:00:00Z", 30, dict.fromkeys(COVERED_FIELDS, 1.0),
                        {"body_chars": 900.0}, True, False, []))
    table = lnv_crawler("history", "--state", str(tmp_path / "state"))
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert tuple(lines[0].split()[4:-2]) == COVERED_FIELDS  # between "status" and "body chars"
    assert [row.split()[0] for row in lines[3:3 + len(COVERED_FIELDS)]] == list(COVERED_FIELDS)
    assert lines[3].endswith("steady at 100% over 1 run")
