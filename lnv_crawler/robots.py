"""Scrapy's robots.txt middleware, with a robots.txt that could not be fetched said in one
warning line instead of an ERROR with a traceback.

Scrapy logs that failure (a connection refused, a timeout, a reset) at ERROR with the
whole traceback, once per host, and then crawls the host as if robots.txt allowed
everything; the pages' own requests then meet the same fault, and the run's outcome
says it in its `lnv:` line. The traceback told nothing more and counted as an ERROR for
the monitors (`SPIDERMON_MAX_ERRORS`). What the middleware does is unchanged.
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares import robotstxt

logger = logging.getLogger(__name__)


class _NoTraceback(logging.Filter):
    """Drops the middleware's "Error downloading" record, said by `_robots_error`."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno >= logging.ERROR and record.exc_info)


_FILTER = _NoTraceback()


class RobotsTxtMiddleware(robotstxt.RobotsTxtMiddleware):
    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        robotstxt.logger.addFilter(_FILTER)  # once: a filter added twice is kept once

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if not isinstance(exc, robotstxt.IgnoreRequest):
            detail = str(exc).strip().rstrip(".")
            logger.warning("robots.txt of %s not fetched (%s): its pages are crawled as if "
                           "it allowed everything", netloc,
                           f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__)
        super()._robots_error(exc, netloc)
