"""The drift alarm: when the article template loses its title and time markup, the
crawl exits non-zero and its summary names the failed monitors; the unchanged site
passes every monitor."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import run_crawl

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
    root = tmp_path / "site"
    shutil.copytree(SITE_DIR, root)
    for page in root.rglob("*.html*"):
        if page.name == "index.html":
            continue
        html = page.read_text("utf-8")
        for pattern, replacement in rules:
            html = pattern.sub(replacement, html)
        page.write_text(html, "utf-8")
    return root


def crawl_summary(tmp_path: Path, root: Path | None = None):
    with serving(root=root or SITE_DIR) as server:
        result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}")
    return result, json.loads((tmp_path / "out.summary.json").read_text("utf-8"))


def test_unchanged_site_passes_every_monitor(tmp_path):
    result, summary = crawl_summary(tmp_path)
    assert result.status == 0, result.stderr[-2000:]
    assert summary["monitors_failed"] == []
    assert summary["exit_status"] == 0


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
