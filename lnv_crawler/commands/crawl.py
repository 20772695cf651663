"""`scrapy crawl` with the contract's exit status (§4): arguments and settings checked
and the output folder proven writable before anything runs (2 otherwise), one run per
state folder (75 when another run holds it), stops by signal (stopping.py), and the
run's outcome, as decided by the RunOutcome extension, as the process's exit code."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from .. import arguments, runs
from ..feeds import describe, prepare_folder, remove_stale_partials
from ..state import RunLock, SeenArticles, StateLocked
from ..stopping import EXIT_ABANDONED, Stopper

EXIT_FAILED = 1
EXIT_USAGE = 2  # nothing was done: fix the command line, settings or folders
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


class CannotRun(Exception):
    """A check before the crawl failed; the message is the one line shown."""

    def __init__(self, message: str, status: int = EXIT_USAGE):
        super().__init__(message)
        self.status = status


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("run one spider: scrapy crawl lnv [options]")
        assert self.crawler_process and self.settings is not None
        settings = self.crawler_process.settings
        try:
            check_before_crawl(settings, self.crawler_process.spider_loader.load(args[0]),
                               opts.spargs)
            lock = open_state(settings.get("LNV_STATE_DIR"))
        except CannotRun as problem:
            print(f"lnv: {problem}; nothing was done", file=sys.stderr)
            self.exitcode = problem.status
            return
        except KeyboardInterrupt:  # Ctrl-C during the checks (Redis may take seconds)
            print("lnv: interrupted before the crawl; nothing was done", file=sys.stderr)
            self.exitcode = EXIT_ABANDONED
            return
        try:
            self.exitcode = self._crawl(args[0], opts)
        finally:
            if lock is not None:
                lock.release()

    def _crawl(self, spider_name: str, opts: argparse.Namespace) -> int:
        crawler = self._create_crawler(spider_name)
        stopper = Stopper(crawler)
        stopper.install()
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start(install_signal_handlers=False)
        stopper.settle()
        if self.crawler_process.bootstrap_failed:
            return EXIT_FAILED
        status = crawler.stats.get_value("lnv/exit_status") or 0
        if status:
            reason = crawler.stats.get_value("lnv/exit_reason") or "the run failed"
            print(f"lnv: {reason}", file=sys.stderr)
        return status


def check_before_crawl(settings: BaseSettings, spidercls: type, spargs: dict[str, str]) -> None:
    try:
        arguments.check_spider_arguments(spidercls, spargs)
        arguments.check_settings(settings)
    except arguments.InvalidArgument as problem:
        raise CannotRun(str(problem)) from None
    runs.configure_crawl(settings, spargs)
    for path in runs.feed_paths(settings):
        try:
            prepare_folder(path.parent)
        except OSError as error:
            raise CannotRun(f"cannot write {path}: {describe(error)}") from None
    archive = settings.get("LNV_WARC_DIR")
    if archive and Path(archive).is_dir():
        remove_stale_partials(Path(archive))  # archives of dead runs
    if settings.get("REDIS_URL"):
        check_redis(settings.get("REDIS_URL"))


def check_redis(url: str) -> None:
    import redis  # only needed with REDIS_URL

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=5).ping()
    except (redis.RedisError, ValueError, OSError) as error:
        raise CannotRun(f"cannot reach Redis at {url} (REDIS_URL): {error}",
                        EXIT_FAILED) from None


def open_state(folder: str) -> RunLock | None:
    """The run lock of the state folder, the state proven usable; None for a run
    without state."""
    if not folder:
        return None
    lock = RunLock(Path(folder))
    try:
        lock.acquire()
    except StateLocked as held:
        raise CannotRun(str(held), EXIT_LOCKED) from None
    except OSError as error:
        raise CannotRun(f"cannot write the state folder {folder}: {describe(error)}") from None
    try:
        SeenArticles(Path(folder)).close()
    except (sqlite3.Error, OSError) as error:
        lock.release()
        raise CannotRun(f"cannot open the state in {folder}: {error}") from None
    return lock
