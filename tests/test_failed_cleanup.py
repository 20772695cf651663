"""The `.failed` files of failed runs do not pile up: a run that publishes its output
removes those that failed runs left for the same output (`out.jsonl.failed` for
`-O out.jsonl`; `lnv-<run id>.jsonl.failed` of any run id beside a default
`lnv-<run id>.jsonl`), and keeps their summaries and any other file. Failed runs
remove nothing."""

from __future__ import annotations

import json

from conftest import run_crawl
from test_failures import FAST, scrapy_in
from test_monitors import TIME_MARKUP, drifted_site

from lnv_crawler.samplesite.server import serving


def test_a_published_output_removes_its_failed_file(tmp_path):
    drifted = drifted_site(tmp_path, TIME_MARKUP)
    with serving(root=drifted) as server:
        failed = run_crawl(tmp_path, "-a", f"base_url={server.base_url}")
    assert failed.status == 1
    aside = tmp_path / "out.jsonl.failed"
    other = tmp_path / "other.jsonl.failed"  # another output's: not this run's business
    other.write_text("{}\n")
    assert aside.is_file()
    with serving() as server:
        good = run_crawl(tmp_path, "-a", f"base_url={server.base_url}")
    assert good.status == 0, good.stderr[-2000:]
    assert good.output.is_file() and not aside.exists() and other.is_file()
    assert json.loads((tmp_path / "out.summary.json").read_text())["exit_status"] == 0


def test_default_outputs_keep_failed_files_until_a_run_publishes(tmp_path):
    drifted = drifted_site(tmp_path, TIME_MARKUP)
    mirror = tmp_path / "output" / "mirror"
    for _ in range(2):
        with serving(root=drifted) as server:
            proc = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={server.base_url}",
                             *FAST)
        assert proc.returncode == 1, proc.stderr[-2000:]
    assert len(list(mirror.glob("lnv-*.jsonl.failed"))) == 2  # a failed run removes none
    kept = mirror / "lnv-by-hand.jsonl.failed"  # not a run id: not a run's file
    kept.write_text("{}\n")
    with serving() as server:
        proc = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={server.base_url}", *FAST)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert list(mirror.glob("*.failed")) == [kept]
    assert len(list(mirror.glob("lnv-*.jsonl"))) == 1
    assert len(list(mirror.glob("lnv-*.summary.json"))) == 3  # the failures' summaries stay
