"""`scrapy crawl` with the contract's exit status (§4): the run's outcome, as
decided by the RunOutcome extension, becomes the process's exit code."""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("run one spider: scrapy crawl lnv [options]")
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        status = crawler.stats.get_value("lnv/exit_status") or 0
        if status:
            reason = crawler.stats.get_value("lnv/exit_reason") or "the run failed"
            print(f"lnv: {reason}", file=sys.stderr)
            self.exitcode = status
