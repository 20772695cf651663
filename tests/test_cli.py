"""The `lnv-crawler` console script: validate, stats, merge and demo on real files."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from lnv_crawler import cli
from lnv_crawler.items import ARTICLE_FIELDS
from lnv_crawler.schema import violations

PROJECT = Path(__file__).resolve().parent.parent
STATS_KEYS = {"files", "lines", "bad_lines", "records", "articles", "published_at", "per_month",
              "per_category", "field_coverage", "body_length", "source_tags"}  # fmt: skip


def article(article_id: str = "123", **changes: Any) -> dict[str, Any]:
    """A valid record (contract §3), with some fields replaced."""
    record = {
        "schema_version": 2,
        "url": f"https://langngheviet.com.vn/lang-gom-bat-trang-vao-mua-tet-{article_id}.html",
        "article_id": article_id,
        "title": "Làng gốm Bát Tràng vào mùa Tết",
        "sapo": "Những ngày cuối năm, các lò gốm tất bật chuẩn bị hàng.",
        "source_tag": "LNV",
        "body": ["Đoạn thứ nhất về làng nghề.", "Đoạn thứ hai về khuyến công."],
        "images": [{"url": "https://langngheviet.com.vn/stores/news_dataimages/gom.jpg",
                    "caption": "Gốm Bát Tràng"}],
        "byline": "Bài, ảnh: Công Du",
        "authors": ["Công Du"],
        "published_at": "2022-03-15T08:30:00+07:00",
        "modified_at": None,
        "category": "Làng nghề",
        "tags": ["Bát Tràng", "OCOP"],
        "links": [{"section": "related", "url": "https://langngheviet.com.vn/ocop-ha-noi-456.html",
                   "title": "OCOP Hà Nội", "summary": None}],
        "more_url": "https://langngheviet.com.vn/lang-nghe",
        "fetched_at": "2026-11-26T10:00:00Z",
    }
    return {**record, **changes}


def line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def write(path: Path, *lines: bytes) -> Path:
    path.write_bytes(b"".join(raw + b"\n" for raw in lines))
    return path


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
    assert f"{good}: 1 records, 1 valid, 0 invalid" in proc.stdout
    assert f"{bad}:1: non-ASCII written as \\u escapes" in proc.stdout


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
    stats = json.loads(captured.out)
    assert set(stats) == STATS_KEYS
    assert (stats["lines"], stats["bad_lines"], stats["records"], stats["articles"]) == (4, 1, 3, 2)
    assert stats["published_at"] == {"min": "2022-03-15T08:30:00+07:00",
                                     "max": "2023-01-02T07:00:00+07:00", "undated": 0}
    assert stats["per_month"] == {"2022-03": 1, "2023-01": 1}
    assert stats["per_category"] == {"Làng nghề": 2}  # article 1's newest record wins
    assert set(stats["field_coverage"]) == set(cli.COVERED_FIELDS)
    assert stats["field_coverage"]["title"] == 1.0
    assert stats["field_coverage"]["sapo"] == round(2 / 3, 4)
    assert stats["body_length"]["min"] == len("Ngắn.")
    assert stats["body_length"]["max"] == len("\n".join(article()["body"]))
    assert set(stats["body_length"]) == {"min", "p25", "median", "p75", "max", "mean"}
    assert stats["source_tags"] == {"LNV": 1, "(none)": 1}
    assert f"{two_runs[1]}:2" in captured.err


def test_stats_text(two_runs, capsys):
    assert cli.main(["stats", *map(str, two_runs)]) == 0
    out = capsys.readouterr().out
    for expected in ("records: 3", "articles: 2", "bad lines: 1", "per month:", "  2022-03: 1",
                     "field coverage:", "  sapo: 0.6667", "body length:", "  LNV: 1"):
        assert expected in out


def test_stats_empty_file(tmp_path, capsys):
    path = tmp_path / "empty.jsonl"
    path.touch()
    assert cli.main(["stats", str(path), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["records"], stats["articles"]) == (0, 0)
    assert stats["body_length"]["median"] is None
    assert stats["field_coverage"]["title"] is None


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
    assert "wrote 1 records to" in out and "2 duplicates replaced" in out
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
