"""`lnv-cron`: run `scrapy crawl lnv` the way cron should.

It runs from the project folder (where scrapy.cfg is, whatever cron's working
directory), writes the crawl's log to a rotating file, forwards SIGTERM/SIGINT
to the crawl so Scrapy stops gracefully, and exits with the crawl's status. The
crawl's final `lnv: ...` line (why it failed) is repeated on stderr, so that cron's
mail says why, not only the status.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path


def project_dir(start: Path | None = None) -> Path:
    """The folder holding scrapy.cfg: $LNV_PROJECT_DIR, else above this package."""
    if os.environ.get("LNV_PROJECT_DIR"):
        return Path(os.environ["LNV_PROJECT_DIR"])
    here = (start or Path(__file__)).resolve()
    for folder in here.parents:
        if (folder / "scrapy.cfg").is_file():
            return folder
    return Path.cwd()


def rotating_logger(path: Path, max_bytes: int, backups: int) -> logging.Logger:
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                  encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("lnv_cron")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lnv-cron", description=__doc__)
    parser.add_argument("--log", default="output/logs/lnv-cron.log",
                        help="log file, relative to the project folder")
    parser.add_argument("--log-max-bytes", type=int, default=10 * 1024 * 1024)
    parser.add_argument("--log-backups", type=int, default=5)
    args, crawl_args = parser.parse_known_args(argv)
    folder = project_dir()
    log = rotating_logger(folder / args.log, args.log_max_bytes, args.log_backups)
    command = [sys.executable, "-m", "scrapy", "crawl", "lnv", *crawl_args]
    log.info("lnv-cron: starting %s in %s", " ".join(command), folder)
    # Its own session: a Ctrl-C on a terminal reaches the crawl once, forwarded from
    # here, not twice (twice abandons the run).
    child = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, errors="replace",
                             start_new_session=True)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, _frame: child.send_signal(signum))
    assert child.stdout is not None
    reason = None
    for line in child.stdout:
        log.info(line.rstrip("\n"))
        if line.startswith("lnv: "):
            reason = line.rstrip("\n")
    status = child.wait()
    log.info("lnv-cron: crawl exited with status %d", status)
    if reason:
        print(reason, file=sys.stderr)
    elif status:
        print(f"lnv-cron: the crawl exited with status {status}; see {folder / args.log}",
              file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
