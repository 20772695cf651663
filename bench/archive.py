"""The run's archive in the benchmark: `lnv-crawler reparse` on the WARC of a crawl of
the corpus, with 1 and then 2 jobs. (The crawl with the archive on, engine `warc`,
alternates with the other crawls in run.py; its cost is a ratio within that run.)

Each reparse is its own process, timed from spawn to exit like a crawl, so its
pages/s include the start-up of Python and Scrapy (about a second)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from . import PROJECT_DIR
from .crawl import _count_lines, run_measured

JOBS = (1, 2)


def _reparse(warc: Path, jobs: int, folder: Path, articles: int, timeout: float) -> dict:
    output = folder / f"reparse-{jobs}.jsonl"
    command = [sys.executable, "-m", "lnv_crawler.cli", "reparse", str(warc), "-o", str(output),
               "--jobs", str(jobs)]
    seconds, code, usage, _ = run_measured(command, PROJECT_DIR, folder / f"reparse-{jobs}.log",
                                           timeout)
    return {"jobs": jobs, "seconds": round(seconds, 2), "records": _count_lines(output),
            "exit_code": code, "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            # Workers included: os.wait4 counts the children the reparse process reaped.
            "cpu_ms_per_page": round((usage.ru_utime + usage.ru_stime) * 1000 / articles, 2),
            "pages_per_second": round(articles / seconds, 1) if seconds else 0.0}


def reparse_bench(warc: Path, articles: int, timeout: float) -> dict:
    """Reparse pages/s with each number of jobs, and the speed-up of the last over 1."""
    with tempfile.TemporaryDirectory(prefix="lnv-bench-reparse-") as tmp:
        runs = [_reparse(warc, jobs, Path(tmp), articles, timeout) for jobs in JOBS]
    first, last = runs[0]["pages_per_second"], runs[-1]["pages_per_second"]
    return {"archive_bytes": warc.stat().st_size, "articles": articles, "runs": runs,
            "speedup": round(last / first, 2) if first else 0.0}
