"""RunOutcome: a run's exit status (contract §4) and its summary file.

Beside each output file `lnv-X.jsonl` it writes `lnv-X.summary.json`: times,
finish reason, pages, articles written and skipped, drops, HTTP and download
errors, retries and the exit status, for cron operators and monitoring.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import signals

from .feeds import atomic_write_text

logger = logging.getLogger(__name__)

EXIT_FAILED = 1
# Requests declined on purpose (off the site, written before), not download errors.
_DECLINED = frozenset({"scrapy.exceptions.IgnoreRequest",
                       "lnv_crawler.middlewares.RefusedRequest"})


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
    requests = stats.get("downloader/request_count", 0)
    if requests and not stats.get("downloader/response_count", 0):
        errors = download_errors_by_kind(stats)
        kinds = ", ".join(f"{k.rsplit('.', 1)[-1]} x{v}" for k, v in errors.items())
        return f"the site could not be reached ({kinds or 'no response'})"
    failed = stats.get("lnv/failed_article_requests", 0)
    if failed and not stats.get("lnv/responses/article", 0):
        return f"every article request failed ({failed} failed)"
    monitors = stats.get("lnv/monitors/failed")
    if monitors:
        return "monitor failed: " + "; ".join(monitors)
    return None


def summary(stats: dict[str, Any], outputs: list[str]) -> dict[str, Any]:
    statuses = _grouped(stats, "downloader/response_status_count/")
    return {
        "started_at": _iso(stats.get("start_time")),
        "finished_at": _iso(stats.get("finish_time")),
        "finish_reason": stats.get("finish_reason"),
        "stopped": stats.get("finish_reason") == "shutdown",
        "output_files": outputs,
        "archive_file": stats.get("lnv/warc/file"),  # the run's WARC (lnv_crawler/warc.py)
        "pages_fetched": stats.get("response_received_count", 0),
        "articles_written": stats.get("item_scraped_count", 0),
        "articles_skipped_seen_before": stats.get("lnv/skipped/seen_before", 0),
        "records_dropped": {**_grouped(stats, "item_dropped_reasons_count/"),
                            **_grouped(stats, "lnv/dropped/")},
        "http_errors": {k: v for k, v in statuses.items() if k.isdigit() and int(k) >= 400},
        "retries": stats.get("retry/count", 0),
        "retries_given_up": stats.get("retry/max_reached", 0),
        "download_errors": download_errors_by_kind(stats),
        "failed_requests": _grouped(stats, "lnv/failed/"),  # after retries, by kind
        "requests_refused_off_site": stats.get("lnv/offsite_blocked", 0),
        "pages_that_failed_to_parse": stats.get("spider_exceptions/count", 0),
        "pages_skipped": _grouped(stats, "lnv/skipped/"),  # seen_before, media, error, unparsed…
        "monitors_failed": stats.get("lnv/monitors/failed"),
        "field_coverage": {k: round(v, 4) for k, v in
                           _grouped(stats, "spidermon_field_coverage/dict/").items()},
        "exit_status": stats.get("lnv/exit_status", 0),
        "exit_reason": stats.get("lnv/exit_reason"),
    }


class RunOutcome:
    def __init__(self, crawler):
        self.crawler = crawler
        self.outputs: list[Path] = []
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def feed_slot_closed(self, slot) -> None:
        if getattr(slot.storage, "completed", False):
            self.outputs.append(slot.storage.final)

    def engine_stopped(self) -> None:
        stats = self.crawler.stats
        failure = failure_reason(stats.get_stats())
        stats.set_value("lnv/exit_status", EXIT_FAILED if failure else 0)
        if failure:
            stats.set_value("lnv/exit_reason", failure)
            logger.error("run failed: %s", failure)
        record = summary(stats.get_stats(), [str(p) for p in self.outputs])
        text = json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n"
        for path in self.summary_paths():
            atomic_write_text(path, text)
            logger.info("run summary: %s", path)

    def summary_paths(self) -> list[Path]:
        """Beside each output file; beside the default one when no file was written."""
        if self.outputs:
            return [p.with_name(p.name.removesuffix(".jsonl") + ".summary.json")
                    for p in self.outputs]
        spider = self.crawler.spider
        default = self.crawler.settings.get("LNV_DEFAULT_FEED") % {
            "run_id": getattr(spider, "run_id", "unknown")}
        return [Path(default).with_name(Path(default).stem + ".summary.json")]
