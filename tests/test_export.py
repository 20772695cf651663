"""`lnv-crawler export`: CSV, Parquet and JSON Lines read back by real readers (the csv
module, DuckDB, pyarrow), each filter, and what is left on disk after every refusal."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from records import article, line, write

from lnv_crawler import cli, export
from lnv_crawler.items import ARTICLE_FIELDS
from lnv_crawler.wording import plural

PROJECT = Path(__file__).resolve().parent.parent
VIETNAM = timezone(timedelta(hours=7))


@pytest.fixture
def runs(tmp_path) -> list[Path]:
    """Two cron files: article 1 fetched twice (its newer copy changed), 2 and 3 once."""
    first = write(tmp_path / "run1.jsonl",
                  line(article("1", title="Bản cũ", category="OCOP",
                               fetched_at="2026-11-20T10:00:00Z")),
                  line(article("2", title='Gốm "Bát Tràng", men rạn', category="OCOP",
                               source_tag="OVN", authors=["Minh Anh", "Công Du"],
                               published_at="2024-01-01T00:00:00+07:00",
                               fetched_at="2026-11-20T16:59:59Z")))
    second = write(tmp_path / "run2.jsonl",
                   line(article("3", authors=[], tags=[], images=[], links=[], sapo=None,
                                published_at=None, category=None, source_tag=None,
                                fetched_at="2026-11-26T10:00:00.25Z")),
                   line(article("1", title="Bản mới", published_at="2024-12-31T23:59:59+07:00",
                                fetched_at="2026-11-20T17:00:00Z")),
                   b"{")
    return [first, second]


def run_export(runs: list[Path], output: Path, *options: str) -> int:
    return cli.main(["export", *map(str, runs), "-o", str(output), *options])


def csv_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"), newline="")))


def parts_left(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".part"))


# --- CSV ----------------------------------------------------------------------------------

def test_csv_reads_back_with_the_csv_module(runs, tmp_path, capsys):
    output = tmp_path / "articles.csv"
    assert run_export(runs, output) == 0
    out = capsys.readouterr().out
    assert f"read 5 lines (1 bad, skipped), 3 articles; wrote 3 rows (csv) to {output}" in out
    raw = output.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfschema_version,url,")  # Excel needs the BOM
    assert raw.count(b"\r\n") == 4  # RFC 4180: CRLF after the header and each row
    assert b'"Gom' not in raw and '"Gốm ""Bát Tràng"", men rạn"'.encode() in raw
    rows = csv_rows(output)
    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert [row["article_id"] for row in rows] == ["1", "2", "3"]
    newest, two, bare = rows
    assert newest["title"] == "Bản mới"  # the newest fetch wins, as in merge
    assert two["title"] == 'Gốm "Bát Tràng", men rạn'
    assert two["body"] == "Đoạn thứ nhất về làng nghề.\n\nĐoạn thứ hai về khuyến công."
    assert (two["authors"], two["tags"]) == ("Minh Anh; Công Du", "Bát Tràng; OCOP")
    assert json.loads(two["images"]) == article()["images"] and two["n_images"] == "1"
    assert json.loads(two["links"]) == article()["links"] and two["n_links"] == "1"
    assert (two["published_at"], two["fetched_at"]) == ("2024-01-01T00:00:00+07:00",
                                                        "2026-11-20T16:59:59Z")
    # null is an empty cell; empty lists are empty text and "[]" with a count of 0.
    assert [bare[name] for name in ("sapo", "published_at", "modified_at", "category",
                                    "authors", "images", "n_images", "n_links")] == [
        "", "", "", "", "", "[]", "0", "0"]


def test_csv_reads_back_with_duckdb(runs, tmp_path):
    output = tmp_path / "articles.csv"
    assert run_export(runs, output) == 0
    rows = duckdb.sql(f"SELECT article_id, title, body, n_links, published_at, category "
                      f"FROM read_csv('{output}') ORDER BY article_id").fetchall()
    assert [row[:2] for row in rows] == [(1, "Bản mới"), (2, 'Gốm "Bát Tràng", men rạn'),
                                         (3, "Làng gốm Bát Tràng vào mùa Tết")]
    assert rows[1][2] == "\n\n".join(article()["body"]) and rows[1][3] == 1
    assert rows[1][4] == datetime(2024, 1, 1, tzinfo=VIETNAM)
    assert rows[2][4:] == (None, None)


def test_csv_no_bom(runs, tmp_path):
    output = tmp_path / "articles.csv"
    assert run_export(runs, output, "--no-bom") == 0
    raw = output.read_bytes()
    assert raw.startswith(b"schema_version,") and b"\xef\xbb\xbf" not in raw
    assert len(csv_rows(output)) == 3


def test_modified_at_of_schema_version_2_is_a_column(tmp_path):
    version_1 = {k: v for k, v in article("1", schema_version=1).items() if k != "modified_at"}
    records = [version_1, article("2", modified_at="2024-05-02T09:15:00+07:00")]
    export.write_csv(records, tmp_path / "a.csv")
    assert [row["modified_at"] for row in csv_rows(tmp_path / "a.csv")] == [
        "", "2024-05-02T09:15:00+07:00"]
    export.write_parquet(records, tmp_path / "a.parquet")
    assert pq.read_table(tmp_path / "a.parquet").column("modified_at").to_pylist() == [
        None, datetime(2024, 5, 2, 9, 15, tzinfo=VIETNAM)]
    export.write_jsonl(records, tmp_path / "a.jsonl")
    first, second = (json.loads(raw) for raw in (tmp_path / "a.jsonl").read_text().splitlines())
    assert "modified_at" not in first and second["modified_at"] == "2024-05-02T09:15:00+07:00"


def test_every_record_field_is_a_column():
    assert set(ARTICLE_FIELDS) <= set(export.COLUMNS)


# --- Parquet ------------------------------------------------------------------------------

def test_parquet_types_and_values(runs, tmp_path):
    output = tmp_path / "articles.parquet"
    assert run_export(runs, output) == 0
    table = pq.read_table(output)
    schema = table.schema
    texts = pa.list_(pa.string())
    assert schema.names == list(export.COLUMNS)
    assert schema.field("schema_version").type == pa.int16()
    assert schema.field("title").type == pa.string()
    assert schema.field("body").type == texts
    assert schema.field("authors").type == texts and schema.field("tags").type == texts
    assert schema.field("images").type == pa.list_(pa.struct([("url", pa.string()),
                                                              ("caption", pa.string())]))
    assert schema.field("links").type == pa.list_(pa.struct(
        [(name, pa.string()) for name in ("section", "url", "title", "summary")]))
    assert schema.field("published_at").type == pa.timestamp("ms", tz="+07:00")
    assert schema.field("modified_at").type == pa.timestamp("ms", tz="+07:00")
    assert schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    rows = table.to_pylist()
    assert [row["article_id"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["title"] == "Bản mới"
    assert rows[0]["published_at"] == datetime(2024, 12, 31, 23, 59, 59, tzinfo=VIETNAM)
    assert rows[2]["fetched_at"] == datetime(2026, 11, 26, 10, 0, 0, 250000, tzinfo=timezone.utc)
    assert rows[1]["authors"] == ["Minh Anh", "Công Du"]
    assert rows[1]["images"] == article()["images"] and rows[1]["links"] == article()["links"]
    assert rows[2]["published_at"] is None and rows[2]["links"] == []


def test_parquet_row_groups_and_no_rows(runs, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "PARQUET_ROW_GROUP", 2)
    output = tmp_path / "articles.parquet"
    assert run_export(runs, output) == 0
    assert pq.ParquetFile(output).num_row_groups == 2
    assert pq.read_table(output).column("article_id").to_pylist() == ["1", "2", "3"]
    assert run_export(runs, output, "--force", "--author", "Không Ai") == 0
    empty = pq.read_table(output)
    assert empty.num_rows == 0 and empty.schema.names == list(export.COLUMNS)


def test_parquet_reads_back_with_duckdb(runs, tmp_path):
    output = tmp_path / "articles.parquet"
    assert run_export(runs, output) == 0
    rows = duckdb.sql(f"SELECT article_id, len(body), images[1].caption, links[1].section, "
                      f"published_at FROM '{output}' ORDER BY article_id").fetchall()
    assert rows == [("1", 2, "Gốm Bát Tràng", "related", datetime(2024, 12, 31, 23, 59, 59,
                                                                  tzinfo=VIETNAM)),
                    ("2", 2, "Gốm Bát Tràng", "related", datetime(2024, 1, 1, tzinfo=VIETNAM)),
                    ("3", 2, None, None, None)]


def test_parquet_without_pyarrow_says_so_in_one_line(runs, tmp_path):
    output = tmp_path / "articles.parquet"
    # pyarrow is installed here: a None in sys.modules makes importing it fail, as when absent.
    code = ("import sys; sys.modules['pyarrow'] = None; from lnv_crawler.cli import main; "
            f"sys.exit(main(['export', '{runs[0]}', '-o', '{output}']))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == export.MISSING_PYARROW + "\n" and proc.stdout == ""
    assert sorted(path.name for path in tmp_path.iterdir()) == ["run1.jsonl", "run2.jsonl"]


# --- JSON Lines ---------------------------------------------------------------------------

def test_jsonl_export_is_the_merge_of_the_kept_articles(runs, tmp_path):
    exported, merged = tmp_path / "export.jsonl", tmp_path / "merged.jsonl"
    assert run_export(runs, exported) == 0
    assert cli.main(["merge", *map(str, runs), "-o", str(merged)]) == 0
    assert exported.read_bytes() == merged.read_bytes()
    assert cli.main(["validate", str(exported)]) == 0
    assert run_export(runs, tmp_path / "ocop.txt", "--format", "jsonl", "--category", "ocop") == 0
    assert [json.loads(raw)["article_id"]
            for raw in (tmp_path / "ocop.txt").read_text("utf-8").splitlines()] == ["2"]


# --- filters ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("options", "kept"),
    [
        pytest.param([], ["1", "2", "3"], id="none"),
        # Publication days in Vietnam time, both ends included; undated articles drop out.
        pytest.param(["--since", "2024-01-01"], ["1", "2"], id="since-first-second"),
        pytest.param(["--since", "2024-01-02"], ["1"], id="since"),
        pytest.param(["--until", "2024-01-01"], ["2"], id="until-inclusive"),
        pytest.param(["--since", "2024-12-31", "--until", "2024-12-31"], ["1"],
                     id="one-day-last-second"),
        # Article 1's newest copy is in the default category: filters see only the newest.
        pytest.param(["--category", "OCOP"], ["2"], id="category-newest-copy"),
        pytest.param(["--category", "làng NGHỀ"], ["1"], id="category-case"),
        pytest.param(["--category", "OCOP", "--category", "Làng nghề"], ["1", "2"],
                     id="category-any"),
        pytest.param(["--source-tag", "ovn"], ["2"], id="source-tag"),
        pytest.param(["--author", "Minh Anh"], ["2"], id="author"),
        pytest.param(["--author", "công du"], ["1", "2"], id="author-case"),
        pytest.param(["--author", "Công"], [], id="author-whole-name"),
        # 2026-11-21 00:00 in Vietnam is 2026-11-20T17:00:00Z.
        pytest.param(["--fetched-since", "2026-11-21"], ["1", "3"], id="fetched-since"),
        pytest.param(["--fetched-since", "2026-11-27"], [], id="fetched-since-none"),
        pytest.param(["--category", "OCOP", "--source-tag", "LNV"], [], id="all-must-hold"),
    ],
)
def test_filters(runs, tmp_path, capsys, options, kept):
    output = tmp_path / "articles.csv"
    assert run_export(runs, output, *options) == 0
    assert [row["article_id"] for row in csv_rows(output)] == kept
    assert f"wrote {plural(len(kept), 'row')} (csv)" in capsys.readouterr().out


def test_author_filter_matches_decomposed_input(runs, tmp_path):
    output = tmp_path / "articles.csv"
    assert run_export(runs, output, "--author", unicodedata.normalize("NFD", "Minh Anh")) == 0
    assert [row["article_id"] for row in csv_rows(output)] == ["2"]


# --- refusals and failures ----------------------------------------------------------------

def test_existing_output_is_replaced_only_with_force(runs, tmp_path, capsys):
    output = tmp_path / "articles.csv"
    output.write_text("keep me", "utf-8")
    assert run_export(runs, output) == 2
    assert capsys.readouterr().err == (f"lnv-crawler: {output} exists: "
                                       "add --force to replace it\n")
    assert output.read_text("utf-8") == "keep me"
    assert run_export(runs, output, "--force") == 0
    assert len(csv_rows(output)) == 3
    assert parts_left(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        pytest.param("articles.xlsx", [], "cannot tell the format from articles.xlsx: give "
                     "--format csv, parquet or jsonl", id="unknown-extension"),
        pytest.param("folder", [], "is a folder", id="output-folder"),
    ],
)
def test_usage_problems_write_nothing(runs, tmp_path, capsys, name, options, message):
    (tmp_path / "folder").mkdir()
    assert run_export(runs, tmp_path / name, *options) == 2
    assert message in capsys.readouterr().err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["folder", "run1.jsonl",
                                                               "run2.jsonl"]
    assert list((tmp_path / "folder").iterdir()) == []


@pytest.mark.parametrize("value", ["2024-13-01", "01/02/2024", "yesterday"])
def test_a_bad_date_is_a_usage_error(runs, tmp_path, capsys, value):
    with pytest.raises(SystemExit) as exit_info:
        run_export(runs, tmp_path / "a.csv", "--since", value)
    assert exit_info.value.code == 2
    assert "not a date as YYYY-MM-DD" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()


@pytest.mark.parametrize("name", ["a.csv", "a.parquet", "a.jsonl"])
def test_a_write_failure_exits_1_and_leaves_nothing(runs, tmp_path, capsys, name):
    # A file where the output's folder should be: fails for root as well (CI runs as root).
    blocker = tmp_path / "blocker"
    blocker.write_text("", "utf-8")
    assert run_export(runs, blocker / name) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last == f"lnv-crawler: cannot write {blocker / name}: File exists: {blocker}"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["blocker", "run1.jsonl",
                                                               "run2.jsonl"]


def test_a_writer_error_removes_the_partial_file(runs, tmp_path, monkeypatch):
    output = tmp_path / "articles.csv"
    output.write_text("old", "utf-8")

    def failing(records, path, bom):
        path.write_text("half", "utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_csv", failing)
    assert run_export(runs, output, "--force") == 1
    assert output.read_text("utf-8") == "old" and parts_left(tmp_path) == []
