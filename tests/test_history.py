"""The rules of the monitors that know the site, and the history they read: the
coverage rule calibrated on random runs, the baseline window, `lnv-crawler history`.
(The crawls that exercise them are in test_monitors.py.)"""

from __future__ import annotations

import json
import random
import sqlite3

import pytest
from conftest import run_crawl

from lnv_crawler import cli
from lnv_crawler.history import (
    History,
    Run,
    binomial_cdf,
    coverage_fell,
    render_history,
    shape_fell,
    trend,
)
from lnv_crawler.samplesite.server import serving
from lnv_crawler.settings import LNV_MONITOR_COVERAGE_CHANCE as CHANCE


def test_binomial_cdf():
    assert binomial_cdf(0, 20, 1 / 6) == pytest.approx((5 / 6) ** 20)
    assert binomial_cdf(1, 20, 1 / 6) == pytest.approx((5 / 6) ** 20 + 20 / 6 * (5 / 6) ** 19)
    assert binomial_cdf(20, 20, 0.3) == 1.0
    assert binomial_cdf(19, 20, 1.0) == 0.0
    assert binomial_cdf(0, 20, 0.0) == 1.0
    assert binomial_cdf(100, 5000, 0.5) < 1e-300  # far in the tail, no overflow


@pytest.mark.parametrize("records", [20, 22, 40, 100, 500])
def test_healthy_runs_with_rare_bylines_do_not_fail(records):
    """Bylines on 1 article in 6: 2,000 random runs judged against a baseline taken from
    earlier random runs give (next to) no false alarm."""
    rng = random.Random(records)
    rate = 1 / 6

    def coverage() -> float:
        return sum(rng.random() < rate for _ in range(records)) / records

    alarms = 0
    for _ in range(2000):
        baseline = sorted(coverage() for _ in range(5))[2]  # median of 5 healthy runs
        alarms += coverage_fell(coverage(), records, baseline, CHANCE)
    assert alarms <= 2000 * 0.01


def test_run_to_run_variation_of_a_rare_field_passes():
    for covered in range(2, 6):  # 10-25 % of a 20-article run, baseline 17 %
        assert not coverage_fell(covered / 20, 20, 1 / 6, CHANCE)
    # None in 20 happens by chance once in 40 runs: no alarm on so small a run ...
    assert not coverage_fell(0.0, 20, 1 / 6, CHANCE)
    # ... but none in 22 at 23 %, or in 60 at 17 %, is a template change.
    assert coverage_fell(0.0, 22, 5 / 22, CHANCE)
    assert coverage_fell(0.0, 60, 1 / 6, CHANCE)


def test_far_under_the_baseline():
    assert coverage_fell(0.60, 100, 0.95, CHANCE)  # 35 points under
    assert not coverage_fell(0.70, 100, 0.95, CHANCE)  # 25 points under, over half
    assert coverage_fell(0.05, 1000, 0.12, CHANCE)  # under half of a 12 % baseline
    assert not coverage_fell(0.0, 1000, 0.08, CHANCE)  # a baseline under 10 %: noise
    assert coverage_fell(0.95, 100, 1.0, CHANCE) is False  # 95 % of always: the floors judge
    assert shape_fell(400, 922) and not shape_fell(500, 922)


def run(coverage: float, healthy: bool = True, accepted: bool = False) -> Run:
    return Run("2026-01-01T00:00:00Z", 30, {"authors": coverage}, {"body_chars": 900.0},
               healthy, accepted, [] if healthy else ["Field coverage against history: x"])


def test_baseline_is_the_median_of_the_last_healthy_runs_since_the_last_accepted(tmp_path):
    with History(tmp_path) as history:
        assert history.baseline(10) is None
        for value in (0.3, 0.2, 0.1, 0.25):
            history.add(run(value))
        history.add(run(0.0, healthy=False))  # a failed run is no part of the baseline
        assert history.baseline(10).coverage == {"authors": 0.225}
        assert history.baseline(3).coverage == {"authors": 0.2}
        assert history.baseline(3).runs == 3
        history.add(run(0.0, accepted=True))
        history.add(run(0.02))
        assert history.baseline(10).coverage == {"authors": 0.01}
        assert history.baseline(10).runs == 2
        history.add(run(0.5, healthy=False, accepted=True))  # failed: not accepted
        assert history.baseline(10).runs == 2
        assert len(history.runs()) == 8 and len(history.runs(3)) == 3


def test_trend_says_since_when_a_field_holds_its_level():
    assert trend([]) == "no data"
    assert trend([("d1", 0.2), ("d2", 0.22), ("d3", 0.21)]) == "steady at 21% over 3 runs"
    assert trend([("d1", 0.2), ("d2", 0.2), ("d3", 0.0), ("d4", 0.01)]) == (
        "fell from 20% to 1%; at this level since d3")


def test_history_command_without_a_state_folder(tmp_path, capsys):
    assert cli.main(["history", "--state", str(tmp_path / "nothing")]) == 2
    assert "no state folder" in capsys.readouterr().err
    assert not (tmp_path / "nothing").exists()


def test_history_command_on_an_empty_history(tmp_path, capsys):
    History(tmp_path).db.close()
    assert cli.main(["history", "--state", str(tmp_path)]) == 0
    assert "no runs recorded" in capsys.readouterr().out


def test_render_history_names_failed_runs():
    text = render_history([run(0.2), run(0.0, healthy=False)])
    header, first, second = (line.split() for line in text.splitlines()[:3])
    assert header[:4] == ["date", "(UTC)", "records", "status"]
    authors = header.index("authors")
    assert (first[3], first[authors]) == ("ok", "20%")
    assert (second[3], second[authors]) == ("FAILED", "0%")
    assert first[header.index("title")] == "-"  # not recorded
    assert "Field coverage against history: x" in text.splitlines()[-1]


def test_unwritable_history_keeps_the_run_and_says_so(tmp_path):
    """A state folder whose runs table is not ours: the crawl still completes with its
    output and exit 0 (only the absolute floors judge it) and logs why."""
    state = tmp_path / "state"
    state.mkdir()
    with sqlite3.connect(state / "articles.sqlite") as db:
        db.execute("CREATE TABLE runs (something TEXT)")
    with serving() as server:
        result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}")
    summary = json.loads((tmp_path / "out.summary.json").read_text("utf-8"))
    assert result.status == 0, result.stderr[-2000:]
    assert len(result.records) == 22
    assert "run not recorded in the history" in result.stderr
    assert "only the absolute floors judge this run" in result.stderr
    assert "error" in summary["monitors_history"]


def test_history_accept_makes_the_newest_run_the_baseline(tmp_path, capsys):
    accept = ["history", "--state", str(tmp_path), "--accept"]
    with History(tmp_path) as history:
        history.add(run(0.23))
    with History(tmp_path) as history:
        history.add(run(0.0, healthy=False))  # failed against history only
    assert cli.main(accept) == 0
    assert "is the new baseline" in capsys.readouterr().out
    with History(tmp_path) as history:
        assert history.baseline(10).coverage == {"authors": 0.0}
        assert history.baseline(10).runs == 1
        history.add(Run("2026-01-02T00:00:00Z", 30, {"authors": 0.5}, {}, False, False,
                        ["Template drift/article pages: 9 of 22 gave no record"]))
    assert cli.main(accept) == 1
    assert "not accepted, it failed another monitor: Template drift" in capsys.readouterr().err
    with History(tmp_path) as history:
        assert history.baseline(10).coverage == {"authors": 0.0}


def test_history_accept_without_runs(tmp_path, capsys):
    History(tmp_path).db.close()
    assert cli.main(["history", "--state", str(tmp_path), "--accept"]) == 1
    assert "no run to accept" in capsys.readouterr().err
