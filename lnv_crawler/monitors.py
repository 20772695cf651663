"""Spidermon monitors run at the close of every crawl (contract §4).

A failed monitor is recorded in the crawl stats (`lnv/monitors/failed`), from
where RunOutcome writes it into the run summary and turns it into a non-zero
exit status: a changed template must make the next cron run fail loudly rather
than write empty fields.
"""

from __future__ import annotations

from spidermon import Monitor, MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors import ErrorCountMonitor, FinishReasonMonitor
from spidermon.core.actions import Action

from .extensions import download_errors_by_kind

COVERAGE_STAT = "spidermon_field_coverage/dict/{field}"


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


@monitors.name("Item count")
class ItemCountMonitor(LnvMonitor):
    @monitors.name("at least LNV_MONITOR_MIN_ITEMS articles written")
    def test_item_count(self):
        written = self.stats.get("item_scraped_count", 0)
        minimum = self.settings.getint("LNV_MONITOR_MIN_ITEMS")
        self.assertGreaterEqual(written, minimum,
                                msg=f"{written} articles written, fewer than {minimum}")


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
            f"{server_errors} 5xx and {download_errors} download errors in {requests} "
            f"requests: {failed:.0%} > {limit:.0%}"))


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
            f"{empty} of {pages} article pages answered 200 gave no record: "
            f"{share(empty, pages):.0%} > {limit:.0%} (has the template changed?)"))


@monitors.name("Field coverage")
class FieldCoverageMonitor(LnvMonitor):
    @monitors.name("share of records with each field filled")
    def test_field_coverage(self):
        written = self.stats.get("item_scraped_count", 0)
        if written < self.settings.getint("LNV_MONITOR_COVERAGE_MIN_ITEMS"):
            return  # too few records for a share to mean anything
        low = []
        for field, minimum in self.settings.getdict("LNV_FIELD_COVERAGE").items():
            coverage = self.stats.get(COVERAGE_STAT.format(field=field), 0.0)
            if coverage < float(minimum):
                low.append(f"{field} {coverage:.0%} < {float(minimum):.0%}")
        self.assertFalse(low, msg="field coverage under threshold: " + ", ".join(low))


class RecordFailures(Action):
    """Puts the failed monitors' messages into the stats for the run summary."""

    def run_action(self):
        failed = [f"{r.monitor.name}: {r.reason}" for r in self.result.monitors_failed_results]
        self.data.crawler.stats.set_value("lnv/monitors/failed", failed)


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
    ]
    monitors_failed_actions = [RecordFailures]  # noqa: RUF012
    monitors_passed_actions = [RecordPasses]  # noqa: RUF012
