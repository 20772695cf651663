"""RunOutcome: a run's exit status (contract §4) and its summary file.

Beside each output file `lnv-X.jsonl` it writes `lnv-X.summary.json`: the run's
arguments, mode and crawler version, times, finish reason, pages, articles written
and skipped, drops, HTTP and download errors, retries and the exit status, for cron
operators and monitoring. The summary is written even when no file was published
(nothing new, or a failed run).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from .feeds import TARGETS_STAT, WRITE_ERROR_STAT, atomic_write_text, describe, failed_path

logger = logging.getLogger(__name__)

EXIT_FAILED = 1
# Requests declined on purpose (off the site, written before), not download errors.
_DECLINED = frozenset({"scrapy.exceptions.IgnoreRequest",
                       "lnv_crawler.middlewares.RefusedRequest"})
# Graceful stops: SIGTERM/Ctrl-C, the LNV_MAX_RUN_MINUTES time budget.
STOPPED_REASONS = frozenset({"shutdown", "closespider_timeout"})
# The run's start pages (home page or -a start_urls): answered 2xx, and failed for good
# ({URL asked: kind}): a run that fetched none of them collected nothing (a wrong base_url).
START_FETCHED_STAT = "lnv/start_pages/fetched"
START_FAILED_STAT = "lnv/start_pages/failed"
# Sent when a start page is answered: url (canonical); for one that failed, also asked
# (the URL asked) and failed (its kind). A shared crawl's workers pool the answers
# (distributed.py): any of them may have taken any start page from the shared queue.
start_page_answered = object()


def _grouped(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    """{suffix: value} of the stats whose keys start with prefix."""
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def download_errors_by_kind(stats: dict[str, Any]) -> dict[str, int]:
    """Exceptions of the downloader, without the requests we refused on purpose."""
    errors = _grouped(stats, "downloader/exception_type_count/")
    return {kind: n for kind, n in errors.items() if kind not in _DECLINED}


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else value


def failure_reason(stats: dict[str, Any]) -> str | None:
    """Why the run failed, or None when it completed (an empty incremental run did)."""
    if stats.get(WRITE_ERROR_STAT):
        return stats[WRITE_ERROR_STAT]
    requests = stats.get("downloader/request_count", 0)
    if requests and not stats.get("downloader/response_count", 0):
        errors = download_errors_by_kind(stats)
        kinds = ", ".join(f"{k.rsplit('.', 1)[-1]} x{v}" for k, v in errors.items())
        return f"the site could not be reached ({kinds or 'no response'})"
    starts = stats.get(START_FAILED_STAT)
    if starts and not stats.get(START_FETCHED_STAT, 0):
        url, kind = next(iter(starts.items()))
        more = f" and {len(starts) - 1} more" if len(starts) > 1 else ""
        return f"no start page could be fetched ({kind}: {url}{more})"
    failed = stats.get("lnv/failed_article_requests", 0)
    if failed and not stats.get("lnv/responses/article", 0):
        return f"every article request failed ({failed} failed)"
    monitors = stats.get("lnv/monitors/failed")
    if monitors:
        return "monitor failed: " + "; ".join(monitors)
    return None


def summary(stats: dict[str, Any], outputs: list[str], run: dict[str, Any],
            failed_outputs: list[str] | None = None) -> dict[str, Any]:
    statuses = _grouped(stats, "downloader/response_status_count/")
    return {
        **run,  # arguments, mode (live or mirror), crawler_version, state_dir
        "started_at": _iso(stats.get("start_time")),
        "finished_at": _iso(stats.get("finish_time")),
        "finish_reason": stats.get("finish_reason"),
        "stopped": stats.get("finish_reason") in STOPPED_REASONS,
        "stopped_reason": (stats.get("finish_reason")
                           if stats.get("finish_reason") in STOPPED_REASONS else None),
        "stopped_by": stats.get("lnv/stopped_by"),  # SIGINT, SIGTERM
        "output_files": outputs,  # published; none when nothing was written or it failed
        "failed_output_files": failed_outputs or [],  # a failed run's records, <name>.failed
        "write_error": stats.get(WRITE_ERROR_STAT),
        "archive_file": stats.get("lnv/warc/file"),  # the run's WARC (lnv_crawler/warc.py)
        "pages_fetched": stats.get("response_received_count", 0),
        "articles_written": stats.get("item_scraped_count", 0),
        "articles_skipped_seen_before": stats.get("lnv/skipped/seen_before", 0),
        "records_dropped": {**{k: v for k, v in
                               _grouped(stats, "item_dropped_reasons_count/").items()
                               if k != "UnchangedArticle"},  # counted under recheck
                            **_grouped(stats, "lnv/dropped/")},
        "http_errors": {k: v for k, v in statuses.items() if k.isdigit() and int(k) >= 400},
        "retries": stats.get("retry/count", 0),
        "retries_given_up": stats.get("retry/max_reached", 0),
        "download_errors": download_errors_by_kind(stats),
        "failed_requests": _grouped(stats, "lnv/failed/"),  # after retries, by kind
        "start_pages_failed": stats.get(START_FAILED_STAT, {}),  # {URL asked: kind}
        "requests_refused_off_site": stats.get("lnv/offsite_blocked", 0),
        "pages_that_failed_to_parse": stats.get("spider_exceptions/count", 0),
        "pages_skipped": _grouped(stats, "lnv/skipped/"),  # seen_before, media, error, unparsed…
        "monitors_failed": stats.get("lnv/monitors/failed"),
        "monitors_history": stats.get("lnv/history"),  # this run, its baseline, what fell
        "field_coverage": {k: round(v, 4) for k, v in
                           _grouped(stats, "spidermon_field_coverage/dict/").items()},
        # Cron runs cost what changed (contract §6).
        "listing_pages_fetched": stats.get("lnv/listing_pages", 0),
        "listings_stopped": stats.get("lnv/listings_stopped", {}),
        "listings_walked_in_full": stats.get("lnv/listings_walked_in_full", False),
        "dead_links_found": stats.get("lnv/dead_links/found", 0),
        "dead_links_skipped": stats.get("lnv/skipped/dead_link", 0),
        "links_capped": stats.get("lnv/links_capped", 0),
        "recheck": _grouped(stats, "lnv/recheck/"),  # scheduled, rechecked, not_modified…
        "exit_status": stats.get("lnv/exit_status", 0),
        "exit_reason": stats.get("lnv/exit_reason"),
    }


class RunOutcome:
    def __init__(self, crawler):
        if crawler.settings.getbool("LNV_TOOL"):
            raise NotConfigured("debugging tools write no summary")
        self.crawler = crawler
        self.outputs: list[Path] = []
        self.failed_outputs: list[Path] = []
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def feed_slot_closed(self, slot) -> None:
        if getattr(slot.storage, "completed", False):
            self.outputs.append(slot.storage.final)
        elif getattr(slot.storage, "set_aside", False):
            self.failed_outputs.append(failed_path(slot.storage.final))

    def engine_stopped(self) -> None:
        stats = self.crawler.stats
        failure = failure_reason(stats.get_stats())
        self.conclude(failure)
        run = {**self.crawler.settings.getdict("LNV_RUN"),
               "state_dir": self.crawler.settings.get("LNV_STATE_DIR") or None}
        record = summary(stats.get_stats(), [str(p) for p in self.outputs], run,
                         [str(p) for p in self.failed_outputs])
        text = json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n"
        for path in self.summary_paths():
            try:
                atomic_write_text(path, text)
            except OSError as error:
                if not failure:
                    self.conclude(f"cannot write {path}: {describe(error)}")
                logger.error("cannot write the run summary %s: %s", path, describe(error))
            else:
                logger.info("run summary: %s", path)

    def conclude(self, failure: str | None) -> None:
        stats = self.crawler.stats
        stats.set_value("lnv/exit_status", EXIT_FAILED if failure else 0)
        if failure:
            stats.set_value("lnv/exit_reason", failure)
            logger.error("run failed: %s", failure)

    def summary_paths(self) -> list[Path]:
        """Beside each output file of the run, whether it was published or not."""
        targets = self.crawler.stats.get_value(TARGETS_STAT) or []
        return [Path(p).with_name(Path(p).name.removesuffix(".jsonl") + ".summary.json")
                for p in targets]
