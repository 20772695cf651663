"""A run that fails a monitor does not publish as if it succeeded (issue 10): the
monitors are judged before the feed is stored; a failed run's records go to
`<output>.failed` beside the output, an earlier file at the same -O path is left as it
was, the state does not record them, and the next healthy run writes them all."""

from __future__ import annotations

import json

from conftest import run_crawl
from scrapy.utils.conf import build_component_list
from scrapy.utils.project import get_project_settings
from test_failures import FAST, recorded, scrapy_in
from test_monitors import TIME_MARKUP, drifted_site

from lnv_crawler.samplesite import expected_records
from lnv_crawler.samplesite.server import serving

EXPECTED = sorted(expected_records())


def test_monitors_run_after_the_finish_reason_and_before_the_feed_is_stored():
    # spider_closed handlers run in the order the extensions were built.
    order = build_component_list(get_project_settings().getwithbase("EXTENSIONS"))
    assert (order.index("scrapy.extensions.corestats.CoreStats")
            < order.index("spidermon.contrib.scrapy.extensions.Spidermon")
            < order.index("scrapy.extensions.feedexport.FeedExporter"))


def test_a_failed_monitor_keeps_the_good_file_and_the_records_aside(tmp_path):
    with serving() as server:  # a good run into out.jsonl, with a state of its own
        good = run_crawl(tmp_path, "-a", f"base_url={server.base_url}",
                         settings={"LNV_STATE_DIR": str(tmp_path / "earlier-state")})
    assert good.status == 0, good.stderr[-2000:]
    before = good.output.read_bytes()

    with serving(root=drifted_site(tmp_path, TIME_MARKUP)) as server:
        failed = run_crawl(tmp_path, "-a", f"base_url={server.base_url}")
    assert failed.status == 1
    assert "monitor failed: Field coverage" in failed.stderr.strip().splitlines()[-1]
    assert good.output.read_bytes() == before
    aside = tmp_path / "out.jsonl.failed"
    kept = [json.loads(line) for line in aside.read_text("utf-8").splitlines()]
    assert sorted(record["url"] for record in kept) == EXPECTED
    assert not any(record["published_at"] for record in kept)  # the drifted run's records
    assert not list(tmp_path.glob(".*.part"))
    assert recorded(tmp_path / "state") == set()
    summary = json.loads((tmp_path / "out.summary.json").read_text("utf-8"))
    assert (summary["exit_status"], summary["output_files"]) == (1, [])
    assert summary["failed_output_files"] == [str(aside)]

    with serving() as server:  # the site is healthy again: nothing was lost
        rerun = run_crawl(tmp_path, "-a", f"base_url={server.base_url}")
    assert rerun.status == 0, rerun.stderr[-2000:]
    assert sorted(record["url"] for record in rerun.records) == EXPECTED
    assert recorded(tmp_path / "state") == set(EXPECTED)
    summary = json.loads((tmp_path / "out.summary.json").read_text("utf-8"))
    assert (summary["output_files"], summary["failed_output_files"]) == ([str(good.output)], [])


def test_a_failed_default_output_run_publishes_no_jsonl(tmp_path):
    with serving(root=drifted_site(tmp_path, TIME_MARKUP)) as server:
        proc = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={server.base_url}", *FAST)
    assert proc.returncode == 1, proc.stderr[-2000:]
    mirror = tmp_path / "output" / "mirror"
    assert not list(mirror.glob("*.jsonl"))
    aside = list(mirror.glob("lnv-*.jsonl.failed"))
    assert len(aside) == 1 and len(aside[0].read_text("utf-8").splitlines()) == len(EXPECTED)
    assert recorded(mirror / ".state") == set()
    summary = json.loads(next(mirror.glob("lnv-*.summary.json")).read_text("utf-8"))
    assert summary["failed_output_files"] == [str(aside[0].relative_to(tmp_path))]


def test_a_failed_append_run_leaves_the_file_it_appends_to_untouched(tmp_path):
    earlier = tmp_path / "all.jsonl"
    earlier.write_text('{"earlier": "run"}\n', "utf-8")
    with serving(root=drifted_site(tmp_path, TIME_MARKUP)) as server:
        proc = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={server.base_url}",
                         "-o", str(earlier), *FAST)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert earlier.read_text("utf-8") == '{"earlier": "run"}\n'
    # The complete file as it would have been published: the earlier content, then the run's.
    kept = (tmp_path / "all.jsonl.failed").read_text("utf-8").splitlines()
    assert kept[0] == '{"earlier": "run"}' and len(kept) == 1 + len(EXPECTED)
