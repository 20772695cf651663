"""The `lnv-crawler` console script: validate, stats, merge and demo on real files."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from records import article, line, write

from lnv_crawler import cli, stats
from lnv_crawler.items import ARTICLE_FIELDS
from lnv_crawler.schema import violations

PROJECT = Path(__file__).resolve().parent.parent
STATS_KEYS = {"files", "lines", "bad_lines", "records", "articles", "published_at", "fetched_at",
              "per_month", "per_category", "field_coverage", "body_length", "body_words",
              "source_tags", "authors", "tags"}  # fmt: skip


def without(record: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != name}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(raw) for raw in path.read_text("utf-8").splitlines()]


def test_factory_record_is_valid():
    assert violations(article()) == []


# --- validate -----------------------------------------------------------------------------

def test_validate_good_file(tmp_path, capsys):
    path = write(tmp_path / "good.jsonl", line(article("1")), line(article("2")))
    assert cli.main(["validate", str(path)]) == 0
    assert f"{path}: 2 records, 2 valid, 0 invalid" in capsys.readouterr().out


def test_validate_accepts_a_last_line_without_newline(tmp_path):
    path = tmp_path / "good.jsonl"
    path.write_bytes(line(article("1")) + b"\n" + line(article("2")))
    assert cli.main(["validate", str(path)]) == 0


def test_validate_empty_file_is_valid_and_says_so(tmp_path, capsys):
    path = tmp_path / "empty.jsonl"
    path.touch()
    assert cli.main(["validate", str(path)]) == 0
    assert f"{path}: 0 records, 0 valid, 0 invalid (empty file)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        pytest.param(b'{"url": "https://langngheviet.com.vn/a-1.html", ', "not JSON", id="json"),
        pytest.param(b"[1, 2]", "not a JSON object", id="not-object"),
        pytest.param(b"", "empty line", id="empty-line"),
        pytest.param(line(without(article(), "title")), "'title' is a required property",
                     id="missing-field"),
        pytest.param(line(article(article_id="12a")), "article_id: '12a' does not match",
                     id="schema"),
        pytest.param(line(article(title=unicodedata.normalize("NFD", "Làng gốm"))),
                     "title: breaks the text rules", id="not-nfc"),
        pytest.param(line(article(links=[{**article()["links"][0], "title": "OCOP\u200b"}])),
                     "links/0/title: breaks the text rules", id="zero-width-nested"),
        pytest.param(line(article(category="Làng  nghề ")), "category: breaks the text rules",
                     id="whitespace"),
        pytest.param(json.dumps(article()).encode("ascii"), "\\u escapes", id="u-escape"),
        pytest.param(line(article()).replace("Làng".encode(), b"L\xe0ng"), "not UTF-8",
                     id="invalid-utf8"),
    ],
)
def test_validate_reports_bad_line(tmp_path, capsys, bad, reason):
    path = write(tmp_path / "bad.jsonl", line(article("1")), bad, line(article("3")))
    assert cli.main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}: 3 records, 2 valid, 1 invalid" in out
    assert f"{path}:2: " in out
    assert reason in out


def test_validate_accepts_ascii_escapes_and_escaped_backslashes(tmp_path):
    # "\u0041" is ASCII and "\\u1ec7" is a backslash followed by letters: neither hides UTF-8.
    raw = line(article(title="A C:\\u1ec7")).replace(b'"A ', b'"\\u0041 ')
    assert json.loads(raw)["title"] == "A C:\\u1ec7"
    assert cli.main(["validate", str(write(tmp_path / "ok.jsonl", raw))]) == 0


def test_validate_shows_the_first_ten_bad_lines_over_all_files(tmp_path, capsys):
    first = write(tmp_path / "a.jsonl", *[b"{"] * 7)
    second = write(tmp_path / "b.jsonl", line(article()), *[b"{"] * 5)
    assert cli.main(["validate", str(first), str(second)]) == 1
    out = capsys.readouterr().out
    assert f"{first}: 7 records, 0 valid, 7 invalid" in out
    assert f"{second}: 6 records, 1 valid, 5 invalid" in out
    assert f"{second}:4: not JSON" in out and f"{second}:5: " not in out
    assert "... and 2 more invalid lines" in out


def test_validate_missing_file(tmp_path, capsys):
    assert cli.main(["validate", str(tmp_path / "nope.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_validate_as_a_subprocess(tmp_path):
    good = write(tmp_path / "good.jsonl", line(article()))
    bad = write(tmp_path / "bad.jsonl", json.dumps(article()).encode("ascii"))
    command = [sys.executable, "-m", "lnv_crawler.cli", "validate", str(good), str(bad)]
    proc = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert f"{good}: 1 record, 1 valid, 0 invalid" in proc.stdout
    assert f"{bad}:1: non-ASCII written as \\u escapes" in proc.stdout


@pytest.mark.parametrize(
    ("content", "said"),
    [
        pytest.param(json.dumps([article("1"), article("2")], ensure_ascii=False, indent=2),
                     "a JSON array of 2 items, not JSON Lines", id="pretty-array"),
        pytest.param(json.dumps([article("1"), article("2")], ensure_ascii=False),
                     "a JSON array of 2 items, not JSON Lines", id="one-line-array"),
        pytest.param(json.dumps(article(), ensure_ascii=False, indent=2),
                     "one JSON object printed over several lines, not JSON Lines",
                     id="pretty-object"),
    ],
)
def test_validate_tells_a_json_document_in_one_line(tmp_path, capsys, content, said):
    path = tmp_path / "export.json"
    path.write_text(content + "\n", "utf-8")
    empty = tmp_path / "empty.jsonl"
    empty.touch()
    assert cli.main(["validate", str(path), str(empty)]) == 1
    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith(f"{path}: {said}") and "jq -c" in first
    assert second == f"{empty}: 0 records, 0 valid, 0 invalid (empty file)"
    # The readers that skip bad lines skip such a file with one warning, not one per line.
    assert cli.main(["stats", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("warning") == 1 and json.loads(captured.out)["records"] == 0


def test_validate_a_broken_document_is_reported_line_by_line(tmp_path, capsys):
    text = json.dumps(article(), ensure_ascii=False, indent=2)
    path = write(tmp_path / "cut.json", text[:len(text) // 2].encode())
    assert cli.main(["validate", str(path)]) == 1
    assert f"{path}:1: not JSON" in capsys.readouterr().out


def test_validate_reads_gzip(tmp_path, capsys):
    path = tmp_path / "run.jsonl.gz"
    path.write_bytes(gzip.compress(line(article("1")) + b"\n" + line(article("2")) + b"\n"))
    assert cli.main(["validate", str(path)]) == 0
    assert f"{path}: 2 records, 2 valid, 0 invalid" in capsys.readouterr().out


def test_validate_truncated_gzip_is_a_bad_line_not_a_traceback(tmp_path, capsys):
    packed = gzip.compress(b"".join(line(article(str(n))) + b"\n" for n in range(1, 200)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[:len(packed) // 2])
    not_gzip = write(tmp_path / "plain.jsonl.gz", line(article()))
    assert cli.main(["validate", str(path), str(not_gzip)]) == 1
    out = capsys.readouterr().out
    assert "unreadable from here on" in out and f"{not_gzip}:1: unreadable from here on" in out


def test_validate_and_stats_read_standard_input(tmp_path):
    data = line(article("1")) + b"\n" + b"{\n"
    command = [sys.executable, "-m", "lnv_crawler.cli", "validate", "-"]
    proc = subprocess.run(command, cwd=PROJECT, input=data, capture_output=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert b"-: 2 records, 1 valid, 1 invalid\n-:2: not JSON" in proc.stdout
    command = [sys.executable, "-m", "lnv_crawler.cli", "stats", "--json", "-"]
    proc = subprocess.run(command, cwd=PROJECT, input=data, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["articles"] == 1


def test_a_folder_is_named_as_one(tmp_path, capsys):
    good = write(tmp_path / "good.jsonl", line(article()))
    for verb in ("validate", "stats", "merge", "export"):
        output = ["-o", str(tmp_path / "out.jsonl")] if verb in ("merge", "export") else []
        assert cli.main([verb, str(good), str(tmp_path), *output]) == 2
        err = capsys.readouterr().err
        assert err == (f"lnv-crawler: is a folder: {tmp_path} "
                       f"(give its files, e.g. {tmp_path / '*.jsonl'})\n")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["good.jsonl"]


def test_usage_errors_exit_2(tmp_path):
    for argv in (["validate"], ["stats", "--bogus", str(tmp_path)], ["merge", str(tmp_path)]):
        with pytest.raises(SystemExit) as exit_info:
            cli.main(argv)
        assert exit_info.value.code == 2


# --- stats --------------------------------------------------------------------------------

@pytest.fixture
def two_runs(tmp_path) -> list[Path]:
    first = write(tmp_path / "run1.jsonl",
                  line(article("1", category="Cũ", fetched_at="2026-11-25T10:00:00Z")),
                  line(article("2", sapo=None, source_tag=None, body=["Ngắn."],
                               published_at="2023-01-02T07:00:00+07:00")))
    second = write(tmp_path / "run2.jsonl",
                   line(article("1", fetched_at="2026-11-26T10:00:00.5Z")), b"not json")
    return [first, second]


def test_stats_json(two_runs, capsys):
    assert cli.main(["stats", *map(str, two_runs), "--json"]) == 0
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    assert set(summary) == STATS_KEYS
    counts = [summary[name] for name in ("lines", "bad_lines", "records", "articles")]
    assert counts == [4, 1, 3, 2]
    assert summary["published_at"] == {"min": "2022-03-15T08:30:00+07:00",
                                       "max": "2023-01-02T07:00:00+07:00", "undated": 0}
    assert summary["per_month"] == {"2022-03": 1, "2023-01": 1}
    assert summary["per_category"] == {"Làng nghề": 2}  # article 1's newest record wins
    assert set(summary["field_coverage"]) == set(stats.COVERED_FIELDS)
    assert summary["field_coverage"]["title"] == 1.0
    assert summary["field_coverage"]["sapo"] == round(2 / 3, 4)
    assert summary["body_length"]["min"] == len("Ngắn.")
    assert summary["body_length"]["max"] == len("\n".join(article()["body"]))
    assert set(summary["body_length"]) == {"min", "p25", "median", "p75", "max", "mean"}
    assert summary["source_tags"] == {"LNV": 1, "(none)": 1}
    # Over every record: the first run's copy of article 1 is the earliest fetch.
    assert summary["fetched_at"] == {"min": "2026-11-25T10:00:00Z", "max": "2026-11-26T10:00:00.5Z"}
    assert summary["body_words"] == {"total": 13, "min": 1, "p25": 3.75, "median": 6.5,
                                   "p75": 9.25, "max": 12, "mean": 6.5}
    assert summary["authors"] == {"distinct": 1, "articles_without": 0, "top": {"Công Du": 2}}
    assert summary["tags"]["top"] == {"Bát Tràng": 2, "OCOP": 2}
    assert summary["files"] == list(map(str, two_runs))
    assert f"{two_runs[1]}:2" in captured.err


def test_stats_text(two_runs, capsys):
    assert cli.main(["stats", *map(str, two_runs)]) == 0
    out = capsys.readouterr().out
    for expected in ("records: 3", "articles: 2", "bad lines: 1", "field coverage:",
                     "  sapo: 0.6667", "body length:", "  LNV: 1", "fetched at:",
                     "  min: 2026-11-25T10:00:00Z", "body words:", "  total: 13",
                     "authors:\n  distinct: 1\n  articles_without: 0\n  top:\n    Công Du: 2\n"):
        assert expected in out
    # The file count, not the paths; one bar a month, the months between in one line.
    assert "files: 2\n" in out and str(two_runs[0]) not in out
    assert ("per month:\n  2022-03 " + "#" * stats.BAR_WIDTH + " 1\n"
            "  (9 months without articles)\n  2023-01 " + "#" * stats.BAR_WIDTH + " 1\n") in out


def test_stats_top_and_bar_scale(tmp_path, capsys):
    records = [article(str(n), authors=[f"Tác giả {n % 3}"], tags=["OCOP", f"Thẻ {n % 2}"],
                       published_at=f"2024-0{1 + n % 2}-10T08:00:00+07:00") for n in range(1, 7)]
    records.append(article("7", authors=[], tags=[], published_at=None))
    path = write(tmp_path / "run.jsonl", *map(line, records))
    assert cli.main(["stats", str(path), "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "authors:\n  distinct: 3\n  articles_without: 1\n  top:\n    Tác giả 1: 2\n" in out
    assert "tags:\n  distinct: 3\n  articles_without: 1\n  top:\n    OCOP: 6\n    Thẻ 1: 3\n" in out
    # Three articles each month: both bars full; the undated article has no bar.
    assert f"  2024-01 {'#' * stats.BAR_WIDTH} 3\n  2024-02 {'#' * stats.BAR_WIDTH} 3\n" in out
    assert stats.month_chart({"2024-01": 1, "2024-02": 4}) == [
        f"  2024-01 {'#' * (stats.BAR_WIDTH // 4)} 1", f"  2024-02 {'#' * stats.BAR_WIDTH} 4"]
    assert stats.month_chart({"2023-12": 2, "2024-02": 1})[1] == "  (1 month without articles)"


def test_stats_into_a_closed_pipe_is_quiet(two_runs):
    command = [sys.executable, "-m", "lnv_crawler.cli", "stats", *map(str, two_runs)]
    proc = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # as `| head` does once it has its lines
    try:
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 1
    finally:
        proc.kill()
        proc.stderr.close()
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_stats_empty_file(tmp_path, capsys):
    path = tmp_path / "empty.jsonl"
    path.touch()
    assert cli.main(["stats", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["records"], summary["articles"]) == (0, 0)
    assert summary["body_length"]["median"] is None
    assert summary["field_coverage"]["title"] is None


def test_stats_missing_file(tmp_path):
    assert cli.main(["stats", str(tmp_path / "nope.jsonl")]) == 2


# --- merge --------------------------------------------------------------------------------

def test_merge_keeps_the_newest_fetch_ordered_by_id(tmp_path, capsys):
    old = write(tmp_path / "old.jsonl",
                line(article("123", title="Tin cũ", fetched_at="2026-11-26T10:00:00.999Z")),
                line(article("45")))
    new = write(tmp_path / "new.jsonl",
                line(article("9")),
                line(article("123", title="Tin mới", fetched_at="2026-11-26T10:00:01+00:00")))
    output = tmp_path / "corpus.jsonl"
    assert cli.main(["merge", str(old), str(new), "-o", str(output)]) == 0
    assert "read 4 lines, wrote 3 records" in capsys.readouterr().out
    records = read_jsonl(output)
    assert [record["article_id"] for record in records] == ["9", "45", "123"]
    assert records[-1]["title"] == "Tin mới"
    assert cli.main(["validate", str(output)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["corpus.jsonl", "new.jsonl",
                                                               "old.jsonl"]


def test_merge_tie_goes_to_the_later_file(tmp_path):
    first = write(tmp_path / "a.jsonl", line(article(title="Bản một")))
    second = write(tmp_path / "b.jsonl", line(article(title="Bản hai")))
    output = tmp_path / "out" / "corpus.jsonl"
    assert cli.main(["merge", str(first), str(second), "-o", str(output)]) == 0
    assert [record["title"] for record in read_jsonl(output)] == ["Bản hai"]


def test_merge_skips_bad_lines_and_writes_utf8_in_contract_order(tmp_path, capsys):
    reordered = dict(reversed(article("7").items()))
    source = write(tmp_path / "in.jsonl", line(reordered), b"{", b"\xff",
                   line(article("8", schema_version=3)))
    output = tmp_path / "corpus.jsonl"
    assert cli.main(["merge", str(source), "-o", str(output)]) == 0
    captured = capsys.readouterr()
    assert "0 duplicates replaced, 3 bad lines skipped" in captured.out
    assert captured.err.count("warning: skipped") == 3
    raw = output.read_bytes()
    assert "Làng gốm".encode() in raw and b"\\u" not in raw
    assert list(json.loads(raw)) == list(ARTICLE_FIELDS)


def test_merge_counts_replaced_duplicates(tmp_path, capsys):
    runs = [write(tmp_path / f"run{n}.jsonl", line(article(fetched_at=f"2026-11-2{n}T10:00:00Z")))
            for n in range(1, 4)]
    output = tmp_path / "corpus.jsonl"
    assert cli.main(["merge", *map(str, runs), "-o", str(output)]) == 0
    out = capsys.readouterr().out
    assert "wrote 1 record to" in out and "2 duplicates replaced" in out
    assert read_jsonl(output)[0]["fetched_at"] == "2026-11-23T10:00:00Z"


def test_merge_missing_input_writes_nothing(tmp_path):
    output = tmp_path / "corpus.jsonl"
    assert cli.main(["merge", str(tmp_path / "nope.jsonl"), "-o", str(output)]) == 2
    assert not output.exists()


# --- demo ---------------------------------------------------------------------------------

def test_demo_passes_its_arguments_through(monkeypatch):
    calls = []
    monkeypatch.setattr("lnv_crawler.demo.main", lambda argv: calls.append(argv) or 7)
    assert cli.main(["demo", "-a", "follow=0", "-s", "LOG_LEVEL=INFO"]) == 7
    assert calls == [["-a", "follow=0", "-s", "LOG_LEVEL=INFO"]]


def run_demo_outside_the_project(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`lnv-crawler demo` as a user runs it from a folder of their own: no scrapy.cfg
    there, no SCRAPY_SETTINGS_MODULE in the environment."""
    env = {key: value for key, value in os.environ.items() if key != "SCRAPY_SETTINGS_MODULE"}
    return subprocess.run([sys.executable, "-m", "lnv_crawler.cli", "demo", *args], cwd=folder,
                          env=env, capture_output=True, text=True, timeout=240)


def test_demo_runs_from_any_folder_and_writes_under_it(tmp_path):
    result = run_demo_outside_the_project(tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    demo = tmp_path / "output" / "demo"
    written = list(demo.glob("lnv-*.jsonl"))
    assert len(written) == 1 and f"output: output/demo/{written[0].name}" in result.stdout
    assert len(read_jsonl(written[0])) == 22
    summary = written[0].with_suffix(".summary.json")
    assert f"run summary: output/demo/{summary.name}" in result.stdout
    assert json.loads(summary.read_text("utf-8"))["articles_written"] == 22
    assert len(list((demo / "warc").glob("lnv-*.warc.gz"))) == 1
    assert not (PROJECT / "output" / "demo" / written[0].name).exists()


def test_demo_from_any_folder_refuses_a_bad_argument_in_one_line(tmp_path):
    result = run_demo_outside_the_project(tmp_path, "-a", "folow=0")
    assert result.returncode == 2
    assert "lnv: unknown argument -a folow" in result.stderr
    assert "no active project" not in result.stderr + result.stdout
    assert "demo crawl wrote no output (exit status 2)" in result.stderr
    assert sorted(p.name for p in (tmp_path / "output").rglob("*")) == ["demo"]
