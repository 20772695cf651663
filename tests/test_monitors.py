"""The drift alarm: when the article template loses its title and time markup, the
crawl exits non-zero and its summary names the failed monitors; the unchanged site
passes every monitor. The monitors that know the site: runs of copies of the sample
site judged against the history of earlier runs in the same state folder."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from conftest import PROJECT, read_records, run_crawl
from sitecopies import (
    all_ids,
    drop_byline,
    drop_images,
    drop_link_lists,
    edited_site,
    halve_body,
    site_copy,
)

from lnv_crawler.samplesite import SITE_DIR
from lnv_crawler.samplesite.server import serving

# Every signal of a title or a publication time that the sample pages carry.
TITLE_MARKUP = [
    (re.compile(r"<h1\b[^>]*>.*?</h1>", re.S), ""),
    (re.compile(r"<title>.*?</title>", re.S), ""),
    (re.compile(r'<meta[^>]+(?:og:title|twitter:title)[^>]*>'), ""),
    (re.compile(r'<script[^>]+ld\+json[^>]*>.*?</script>', re.S), ""),
    (re.compile(r'class="news-title"'), 'class="x"'),
    (re.compile(r"<font size=\"4\"[^>]*><b>.*?</b></font>", re.S), ""),
]
TIME_MARKUP = [
    (re.compile(r'<span class="article-date">.*?</span>\s*</span>', re.S), ""),
    (re.compile(r"<time\b[^>]*>.*?</time>", re.S), ""),
    (re.compile(r'<meta[^>]+(?:published_time|datePublished|modified_time)[^>]*>'), ""),
    (re.compile(r'<script[^>]+ld\+json[^>]*>.*?</script>', re.S), ""),
    (re.compile(r"(Thứ [^<]{2,12}, )?\d{1,2}/\d{1,2}/\d{4}[^<]{0,30}"), ""),
]


def drifted_site(tmp_path: Path, rules) -> Path:
    def drift(html: str, _article_id: str | None) -> str:
        for pattern, replacement in rules:
            html = pattern.sub(replacement, html)
        return html

    return site_copy(tmp_path, drift)


def crawl_summary(tmp_path: Path, root: Path | None = None, *args: str,
                  settings: dict[str, str] | None = None):
    with serving(root=root or SITE_DIR) as server:
        result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", *args,
                           settings=settings)
    return result, json.loads((tmp_path / "out.summary.json").read_text("utf-8"))


def test_unchanged_site_passes_every_monitor(tmp_path):
    result, summary = crawl_summary(tmp_path)
    assert result.status == 0, result.stderr[-2000:]
    assert summary["monitors_failed"] == []
    assert summary["exit_status"] == 0
    assert summary["output_files"] == [str(result.output)] and len(result.records) == 22
    assert summary["failed_output_files"] == [] and not list(tmp_path.glob("*.failed"))


def test_lost_title_and_time_markup_fails_the_run(tmp_path):
    result, summary = crawl_summary(tmp_path, drifted_site(tmp_path, TITLE_MARKUP + TIME_MARKUP))
    print("\ndrift summary:", json.dumps(summary, ensure_ascii=False, indent=1))
    assert result.status != 0
    assert any(m.startswith("Template drift") for m in summary["monitors_failed"])
    assert summary["exit_status"] != 0
    assert "monitor failed" in result.stderr.strip().splitlines()[-1]


def test_lost_time_markup_fails_field_coverage(tmp_path):
    result, summary = crawl_summary(tmp_path, drifted_site(tmp_path, TIME_MARKUP))
    assert result.status != 0
    assert summary["articles_written"] >= 20
    failed = " ".join(summary["monitors_failed"])
    assert "Field coverage" in failed and "published_at" in failed


# The healthy copy: bylines on 5 of the 22 articles (23 %, all with a person's name, as
# on the real site where bylines are rare), 5 articles without an image.
KEPT_BYLINES = {"24917", "3021", "30412", "33190", "33402"}
NO_IMAGE = {"33231", "33365", "33087", "27103", "3190"}
REFRESH = ("-a", "refresh=1")  # every run fetches every article again


def copy_of(tmp_path: Path, name: str, *extra, bylines: bool = True) -> Path:
    """The healthy copy, with `extra` edits on every article page, or no byline at all."""
    edits = {ident: [*([] if bylines and ident in KEPT_BYLINES else [drop_byline]),
                     *([drop_images] if ident in NO_IMAGE else []), *extra]
             for ident in all_ids()}
    return edited_site(tmp_path, edits, name)


def failed_history(summary: dict) -> dict[str, dict]:
    return {f["field"]: f for f in summary["monitors_history"]["failures"]}


def test_bylines_vanishing_fail_against_history_until_accepted(tmp_path):
    healthy = copy_of(tmp_path, "healthy")
    no_bylines = copy_of(tmp_path, "no-bylines", bylines=False)

    def run(root: Path, accept: bool = False) -> tuple[int, dict]:
        settings = {"LNV_ACCEPT_BASELINE": "1"} if accept else None
        result, summary = crawl_summary(tmp_path, root, *REFRESH, settings=settings)
        assert summary["articles_written"] == 22
        # A failed monitor keeps the run's records, set aside from the output.
        kept = result.output.with_name(result.output.name + ".failed")
        assert len(read_records(kept if result.status else result.output)) == 22
        assert summary["failed_output_files"] == ([str(kept)] if result.status else [])
        if result.status:
            print(f"\nfailed run: exit {result.status}:", summary["monitors_failed"],
                  json.dumps(summary["monitors_history"]["failures"]))
        return result.status, summary

    status, summary = run(healthy)  # the first run: only the absolute floors
    assert (status, summary["monitors_failed"]) == (0, [])
    assert summary["monitors_history"]["baseline"] is None
    assert summary["field_coverage"]["byline"] == summary["field_coverage"]["authors"] == 0.2273

    # After one healthy run, the bylines vanish: 23 % -> 0 %.
    status, summary = run(no_bylines)
    assert status != 0 and summary["exit_status"] == status
    failed = " ".join(summary["monitors_failed"])
    assert "Field coverage against history" in failed
    assert "authors 0% (baseline 23%)" in failed and "byline 0% (baseline 23%)" in failed
    assert failed_history(summary)["authors"] == {
        "monitor": "coverage", "field": "authors", "value": 0.0, "baseline": 0.2273}
    assert summary["monitors_history"]["baseline"]["runs"] == 1

    for _ in range(2):  # later healthy runs pass; the failed run is not in their baseline
        status, summary = run(healthy)
        assert (status, summary["monitors_failed"]) == (0, [])
    assert summary["monitors_history"]["baseline"]["runs"] == 2

    # After three healthy runs, again.
    status, summary = run(no_bylines)
    assert status != 0
    assert set(failed_history(summary)) == {"authors", "byline"}
    assert summary["monitors_history"]["baseline"]["runs"] == 3

    # The site really dropped its bylines: accepted, and the next such run passes.
    status, summary = run(no_bylines, accept=True)
    assert (status, summary["monitors_failed"]) == (0, [])
    assert summary["monitors_history"]["accepted_as_baseline"] is True
    status, summary = run(no_bylines)
    assert (status, summary["monitors_failed"]) == (0, [])
    assert summary["monitors_history"]["baseline"]["runs"] == 1
    assert summary["monitors_history"]["baseline"]["coverage"]["authors"] == 0.0

    history = subprocess.run(
        [sys.executable, "-m", "lnv_crawler.cli", "history", "--state", str(tmp_path / "state")],
        cwd=PROJECT, capture_output=True, text=True, timeout=60)
    print("\n" + history.stdout)
    assert history.returncode == 0, history.stderr
    table, trends = history.stdout.split("\n\n")[:2]
    rows = table.splitlines()[1:]
    assert [row.split()[3] for row in rows] == [
        "ok", "FAILED", "ok", "ok", "FAILED", "accepted", "ok"]
    assert all(row.split()[2] == "22" for row in rows)
    authors = next(line for line in trends.splitlines() if line.startswith("authors"))
    assert "fell from 23% to 0%" in authors


def test_halved_bodies_and_lost_link_lists_fail_the_shape_monitor(tmp_path):
    status_of = {}
    for name, edit in [("healthy", None), ("half-bodies", halve_body),
                       ("no-link-lists", drop_link_lists)]:
        root = copy_of(tmp_path, name, *([edit] if edit else []))
        result, summary = crawl_summary(tmp_path, root, *REFRESH)
        status_of[name] = result.status
        assert summary["articles_written"] >= 20, name
        print(f"\n{name}: exit {result.status}:", summary["monitors_failed"])
        if name == "healthy":
            assert summary["monitors_failed"] == []
            shape = summary["monitors_history"]["this_run"]["shape"]
            assert shape["body_chars"] > 800 and shape["links"] >= 14
        else:
            assert "Shape against history" in " ".join(summary["monitors_failed"])
    assert status_of["healthy"] == 0 and status_of["half-bodies"] != 0
    assert status_of["no-link-lists"] != 0
