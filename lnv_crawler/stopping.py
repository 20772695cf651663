"""Stops of a crawl by SIGINT (Ctrl-C) or SIGTERM (cron, systemd, kill).

The first signal ends the run within seconds: requests waiting in the downloader
for their turn are dropped (Scrapy's own graceful stop would fetch them all first,
at DOWNLOAD_DELAY/AutoThrottle pace), the requests already on the wire finish, and
what was collected is written, published and recorded as usual; the summary says
`stopped: true`. A second signal abandons the run: the partial files are removed,
nothing is published or recorded, and the process exits 130 at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from contextlib import suppress
from types import FrameType

from scrapy.crawler import Crawler
from scrapy.extensions.closespider import CloseSpider
from scrapy.utils.defer import deferred_from_coro
from twisted.python.failure import Failure

from .feeds import OPEN_PARTIALS
from .middlewares import RefusedRequest
from .wording import plural

logger = logging.getLogger(__name__)

EXIT_ABANDONED = 130  # 128 + SIGINT, what shells report for a Ctrl-C
SIGNALS = (signal.SIGINT, signal.SIGTERM)


def drop_queued_requests(crawler: Crawler) -> int:
    """Take back the requests waiting in the downloader's slots (not yet sent): they go
    back to the scheduler, which keeps them for a resumed run when JOBDIR is set."""
    engine = crawler.engine
    dropped = 0
    if engine is None:
        return 0
    for slot in list(engine.downloader.slots.values()):
        while slot.queue:
            request, deferred = slot.queue.popleft()
            engine.crawl(request.replace(dont_filter=True))  # past the duplicate filter
            deferred.errback(Failure(RefusedRequest(f"run stopped: {request.url}")))
            dropped += 1
    return dropped


class Stopper:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.signalled = False

    def install(self) -> None:
        for signum in SIGNALS:
            signal.signal(signum, self.on_signal)

    def settle(self) -> None:
        """The run is over, its files published: a signal now has nothing to stop or
        abandon (abandon() would say "nothing written" of a written run), and during the
        interpreter's teardown Python's default handler would kill the process, which
        then reports -SIGTERM for a run that succeeded. It exits with the run's status."""
        for signum in SIGNALS:
            signal.signal(signum, signal.SIG_IGN)

    def on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if self.signalled:
            abandon(signum)
        self.signalled = True
        from twisted.internet import reactor  # the one Scrapy installed, imported late

        # Logging or touching the engine cannot happen in a signal handler: the
        # interrupted code may be in the middle of the same work.
        reactor.callFromThread(self.stop, signal.Signals(signum).name)

    def stop(self, name: str) -> None:
        self.crawler.stats.set_value("lnv/stopped_by", name)
        dropped = drop_queued_requests(self.crawler)
        logger.info("received %s: stopping; %s dropped, what was collected is written; "
                    "send it again to abandon the run", name, plural(dropped, "queued request"))
        deferred_from_coro(self.crawler.stop_async())


class PromptCloseSpider(CloseSpider):
    """Scrapy's CLOSESPIDER_* limits (LNV_MAX_RUN_MINUTES among them) stop as a first
    signal does: the requests waiting in the downloader are dropped, where Scrapy's own
    close would fetch them at the polite pace (CLOSESPIDER_ITEMCOUNT=5 wrote 17 articles
    of the sample site, and a time budget ran over by that many delays)."""

    def _close_spider(self, reason: str) -> None:
        deferred_from_coro(self._close(reason))

    async def _close(self, reason: str) -> None:
        engine = self.crawler.engine
        assert engine is not None
        closing = asyncio.ensure_future(engine.close_spider_async(reason=reason))
        # One turn of the loop: the close has begun and the engine sends nothing more;
        # dropped before that, the requests were taken from the scheduler again.
        await asyncio.sleep(0)
        dropped = drop_queued_requests(self.crawler)
        logger.info("%s: stopping; %s dropped", reason, plural(dropped, "queued request"))
        await closing


def abandon(signum: int) -> None:
    """Second signal: remove what this run was writing and exit now."""
    for path in list(OPEN_PARTIALS):
        with suppress(OSError):  # else the next run removes it (it names a dead process)
            path.unlink(missing_ok=True)
    name = signal.Signals(signum).name
    os.write(2, f"lnv: {name} twice: the run was abandoned, nothing written\n".encode())
    os._exit(EXIT_ABANDONED)
