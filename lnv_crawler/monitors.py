"""Spidermon monitors run at the close of every crawl (contract §4).

A failed monitor is recorded in the crawl stats (`lnv/monitors/failed`), from
where RunOutcome writes it into the run summary and turns it into a non-zero
exit status: a changed template must make the next cron run fail loudly rather
than write empty fields.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import ErrorCountMonitor, FinishReasonMonitor
from spidermon.core.actions import Action

from . import history
from .extensions import download_errors_by_kind
from .items import COVERED_FIELDS
from .wording import plural

logger = logging.getLogger(__name__)

COVERAGE_STAT = "spidermon_field_coverage/dict/{field}"
HISTORY_FAILURES_STAT = "lnv/history/failures"


def share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


class LnvMonitor(Monitor):
    """Base: settings and stats of the crawl being monitored."""

    longMessage = False  # our messages say it all; unittest's prefix repeats the numbers

    @property
    def stats(self) -> dict:
        return self.data.stats

    @property
    def settings(self):
        return self.data.crawler.settings

    @property
    def written(self) -> int:
        return self.stats.get("item_scraped_count", 0)


@monitors.name("Item count")
class ItemCountMonitor(LnvMonitor):
    @monitors.name("at least LNV_MONITOR_MIN_ITEMS articles written")
    def test_item_count(self):
        written = self.written
        minimum = self.settings.getint("LNV_MONITOR_MIN_ITEMS")
        self.assertGreaterEqual(written, minimum,
                                msg=f"{plural(written, 'article')} written, fewer than {minimum}")


@monitors.name("Failed requests")
class FailedRequestsMonitor(LnvMonitor):
    @monitors.name("5xx, timeouts and connection errors under their share of requests")
    def test_failed_request_share(self):
        requests = self.stats.get("downloader/request_count", 0)
        server_errors = sum(v for k, v in self.stats.items()
                            if k.startswith("downloader/response_status_count/5"))
        download_errors = sum(download_errors_by_kind(self.stats).values())
        failed = share(server_errors + download_errors, requests)
        limit = self.settings.getfloat("LNV_MONITOR_MAX_FAILED_SHARE")
        self.assertLessEqual(failed, limit, msg=(
            f"{server_errors} 5xx and {plural(download_errors, 'download error')} in "
            f"{plural(requests, 'request')}: {failed:.0%} > {limit:.0%}"))


@monitors.name("Template drift")
class TemplateDriftMonitor(LnvMonitor):
    @monitors.name("article pages that gave no record under their share")
    def test_article_pages_gave_records(self):
        pages = self.stats.get("lnv/responses/article", 0)
        if pages < self.settings.getint("LNV_MONITOR_DRIFT_MIN_PAGES"):
            return  # a share of a handful of pages is noise (one soft 404 in 4 new pages)
        # Video pages and "not found" pages are expected to give no record.
        empty = (self.stats.get("lnv/skipped/unparsed", 0)
                 + self.stats.get("lnv/dropped/schema", 0))
        limit = self.settings.getfloat("LNV_MONITOR_MAX_EMPTY_ARTICLE_SHARE")
        self.assertLessEqual(share(empty, pages), limit, msg=(
            f"{empty} of {plural(pages, 'article page')} answered 200 gave no record: "
            f"{share(empty, pages):.0%} > {limit:.0%} (has the template changed?)"))


@monitors.name("Field coverage")
class FieldCoverageMonitor(LnvMonitor):
    """Absolute floors, for the fields every article has (LNV_FIELD_COVERAGE)."""

    @monitors.name("share of records with each field filled")
    def test_field_coverage(self):
        if self.written < self.settings.getint("LNV_MONITOR_COVERAGE_MIN_ITEMS"):
            return  # too few records for a share to mean anything
        low = []
        for field, minimum in self.settings.getdict("LNV_FIELD_COVERAGE").items():
            coverage = self.stats.get(COVERAGE_STAT.format(field=field), 0.0)
            if coverage < float(minimum):
                low.append(f"{field} {coverage:.0%} < {float(minimum):.0%}")
        self.assertFalse(low, msg="field coverage under threshold: " + ", ".join(low))


def run_coverage(stats: dict) -> dict[str, float]:
    return {field: stats.get(COVERAGE_STAT.format(field=field), 0.0) for field in COVERED_FIELDS}


def run_shape(stats: dict) -> dict[str, float]:
    figures = {name: stats.get(history.SHAPE_STAT.format(figure=name))
               for name in history.SHAPE_FIGURES}
    return {name: value for name, value in figures.items() if value is not None}


def baseline_of(crawler) -> history.Baseline | None:
    """The site's history of this run's state folder; None without one (no state folder,
    or no healthy run yet): then only the absolute floors judge the run."""
    state_dir = crawler.settings.get("LNV_STATE_DIR")
    if not state_dir:
        return None
    try:
        with history.History(Path(state_dir)) as runs:
            return runs.baseline(crawler.settings.getint("LNV_HISTORY_RUNS"))
    except sqlite3.Error as error:
        logger.error("history of %s unreadable, only the absolute floors judge this run: %s",
                     state_dir, error)
        return None


class HistoryMonitor(LnvMonitor):
    """Base: this run against the median of the site's last healthy runs."""

    def baseline(self) -> history.Baseline | None:
        if self.written < self.settings.getint("LNV_MONITOR_COVERAGE_MIN_ITEMS"):
            return None  # too few records for a share or a median to mean anything
        if self.settings.getbool("LNV_ACCEPT_BASELINE"):
            return None  # this run is the new baseline, judged by the absolute floors only
        return baseline_of(self.data.crawler)

    def judge(self, kind: str, fallen: list[tuple[str, float, float]],
              baseline: history.Baseline, shown) -> None:
        """Fails with each fallen figure, its value and baseline, also kept structured
        for the run summary."""
        stats = self.data.crawler.stats
        failures = stats.get_value(HISTORY_FAILURES_STAT, [])
        stats.set_value(HISTORY_FAILURES_STAT, failures + [
            {"monitor": kind, "field": name, "value": round(value, 4),
             "baseline": round(base, 4)} for name, value, base in fallen])
        runs = "the last healthy run" if baseline.runs == 1 else \
            f"the last {baseline.runs} healthy runs"
        self.assertFalse(fallen, msg=(
            ", ".join(f"{name} {shown(value)} (baseline {shown(base)})"
                      for name, value, base in fallen)
            + f"; baseline: median of {runs}"))


@monitors.name(history.COVERAGE_MONITOR)
class CoverageHistoryMonitor(HistoryMonitor):
    @monitors.name("fields far under their baseline")
    def test_coverage_against_history(self):
        baseline = self.baseline()
        if baseline is None:
            return
        chance = self.settings.getfloat("LNV_MONITOR_COVERAGE_CHANCE")
        coverage = run_coverage(self.stats)
        fallen = [(field, coverage[field], base) for field, base in baseline.coverage.items()
                  if field in coverage
                  and history.coverage_fell(coverage[field], self.written, base, chance)]
        self.judge("coverage", fallen, baseline, history.percent)


@monitors.name(history.SHAPE_MONITOR)
class ShapeHistoryMonitor(HistoryMonitor):
    @monitors.name("median body length or list links per article under half their baseline")
    def test_shape_against_history(self):
        baseline = self.baseline()
        if baseline is None:
            return
        shape = run_shape(self.stats)
        fallen = [(name, shape[name], baseline.shape[name]) for name in history.JUDGED_SHAPE
                  if name in shape and name in baseline.shape
                  and history.shape_fell(shape[name], baseline.shape[name])]
        self.judge("shape", fallen, baseline, lambda value: f"{value:.0f}")


def failure_messages(result) -> list[str]:
    return [f"{r.monitor.name}: {r.reason}" for r in result.monitors_failed_results]


class RecordHistory(Action):
    """Adds a run of LNV_MONITOR_COVERAGE_MIN_ITEMS articles or more to the state
    folder's history, as healthy only when every monitor passed (a failed run never
    joins the baseline), and puts what it was judged against into the run summary."""

    def run_action(self):
        crawler = self.data.crawler
        stats, settings = crawler.stats, crawler.settings
        written = stats.get_value("item_scraped_count", 0)
        if (not settings.get("LNV_STATE_DIR") or not written
                or written < settings.getint("LNV_MONITOR_COVERAGE_MIN_ITEMS")):
            return
        failed = failure_messages(self.result)
        accepted = settings.getbool("LNV_ACCEPT_BASELINE")
        if accepted and failed:
            logger.warning("LNV_ACCEPT_BASELINE: this run failed a monitor, so it is not "
                           "the new baseline")
        baseline = baseline_of(crawler)
        run = history.Run(history.now_utc(), written, run_coverage(stats.get_stats()),
                          run_shape(stats.get_stats()), not failed, accepted, failed)
        try:
            with history.History(Path(settings.get("LNV_STATE_DIR"))) as runs:
                runs.add(run)
        except sqlite3.Error as error:
            # The output is complete and good: one run missing from the history is no
            # reason to fail it, but the operator must hear of it.
            logger.error("run not recorded in the history of %s: %s",
                         settings.get("LNV_STATE_DIR"), error)
            stats.set_value("lnv/history", {"error": str(error)})
            return
        stats.set_value("lnv/history", {
            "accepted_as_baseline": accepted and not failed,
            "failures": stats.get_value(HISTORY_FAILURES_STAT, []),
            "this_run": {"coverage": history.rounded(run.coverage),
                         "shape": history.rounded(run.shape)},
            "baseline": baseline.as_dict() if baseline else None,
        })


class RecordFailures(Action):
    """Puts the failed monitors' messages into the stats for the run summary."""

    def run_action(self):
        self.data.crawler.stats.set_value("lnv/monitors/failed", failure_messages(self.result))


class RecordPasses(Action):
    def run_action(self):
        self.data.crawler.stats.set_value("lnv/monitors/failed", [])


class CloseSuite(MonitorSuite):
    monitors = [  # noqa: RUF012 (spidermon's declarative API)
        ItemCountMonitor,
        FinishReasonMonitor,
        ErrorCountMonitor,
        FailedRequestsMonitor,
        TemplateDriftMonitor,
        FieldCoverageMonitor,
        CoverageHistoryMonitor,
        ShapeHistoryMonitor,
    ]
    monitors_finished_actions = [RecordHistory]  # noqa: RUF012
    monitors_failed_actions = [RecordFailures]  # noqa: RUF012
    monitors_passed_actions = [RecordPasses]  # noqa: RUF012
