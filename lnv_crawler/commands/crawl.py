"""`scrapy crawl` with the contract's exit status (§4): one run per state folder
(75 when another run holds it), and the run's outcome, as decided by the
RunOutcome extension, as the process's exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from ..state import RunLock, StateLocked

EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("run one spider: scrapy crawl lnv [options]")
        assert self.crawler_process and self.settings is not None
        lock = RunLock(Path(self.settings.get("LNV_STATE_DIR")))
        try:
            lock.acquire()
        except StateLocked as held:
            print(f"lnv: {held}; nothing was done", file=sys.stderr)
            self.exitcode = EXIT_LOCKED
            return
        try:
            self.exitcode = self._crawl(args[0], opts)
        finally:
            lock.release()

    def _crawl(self, spider_name: str, opts: argparse.Namespace) -> int:
        crawler = self._create_crawler(spider_name)
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            return 1
        status = crawler.stats.get_value("lnv/exit_status") or 0
        if status:
            reason = crawler.stats.get_value("lnv/exit_reason") or "the run failed"
            print(f"lnv: {reason}", file=sys.stderr)
        return status
