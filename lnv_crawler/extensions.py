"""RunOutcome: decides a run's exit status (contract §4) from its stats."""

from __future__ import annotations

import logging

from scrapy import signals

logger = logging.getLogger(__name__)

EXIT_FAILED = 1


class RunOutcome:
    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def failure_reason(self) -> str | None:
        """Why the run failed, or None when it completed."""
        stats = self.crawler.stats
        responses = stats.get_value("downloader/response_count", 0)
        requests = stats.get_value("downloader/request_count", 0)
        if requests and not responses:
            errors = {k.rsplit("/", 1)[-1]: v for k, v in stats.get_stats().items()
                      if k.startswith("downloader/exception_type_count/")}
            return f"the site could not be reached ({errors or 'no response'})"
        article_requests = stats.get_value("lnv/requests/article", 0)
        if article_requests and not stats.get_value("lnv/responses/article", 0):
            return f"every article request failed ({article_requests} requested)"
        return None

    def spider_closed(self, spider, reason: str) -> None:
        failure = self.failure_reason()
        stats = self.crawler.stats
        stats.set_value("lnv/exit_status", EXIT_FAILED if failure else 0)
        if failure:
            stats.set_value("lnv/exit_reason", failure)
            logger.error("run failed: %s", failure)
