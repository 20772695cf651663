"""One measured crawl: `scrapy crawl lnv` in mirror mode (`lnv` with the run's archive
off, `warc` with it on), or the bare spider.

Each crawl is its own process, with a fresh output file; its wall time runs from
spawn to exit, its peak RSS is its own high-water mark (VmHWM, read while it runs), and
its page count is what the server answered with 200 during the run. CPU time
per page is reported beside pages/s: it varies less when the machine is shared.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from . import BENCH_DIR, PROJECT_DIR
from .server import StaticServer

SHARED_SETTINGS = {
    "ROBOTSTXT_OBEY": "False",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "WARNING",
    "TELNETCONSOLE_ENABLED": "False",
}
_POLL_SECONDS = 0.02
_ERROR_TAIL = 1500


@dataclass(frozen=True)
class CrawlResult:
    engine: str
    corpus: str
    seconds: float
    pages: int  # pages the server answered with 200 during the crawl
    records: int  # lines of the crawl's output file
    peak_rss_mb: float
    cpu_seconds: float  # user + system time of the crawl process
    exit_code: int
    archive_bytes: int = 0  # size of the run's WARC file (engine warc)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return self.cpu_seconds * 1000 / self.pages if self.pages else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "pages_per_second": round(self.pages_per_second, 1),
                "cpu_ms_per_page": round(self.cpu_ms_per_page, 2)}


def _command(engine: str, base_url: str, start_urls: list[str], folder: Path) -> list[str]:
    settings = [arg for name, value in SHARED_SETTINGS.items() for arg in ("-s", f"{name}={value}")]
    args = ["-a", f"base_url={base_url}", "-a", f"start_urls={','.join(start_urls)}",
            "-O", str(folder / "out.jsonl"), *settings]
    if engine in ("lnv", "warc"):
        # A state folder of its own: a full crawl, and the project's output/.state untouched.
        archive = folder / "warc" if engine == "warc" else ""
        return [sys.executable, "-m", "scrapy", "crawl", "lnv", *args,
                "-s", f"LNV_STATE_DIR={folder / 'state'}", "-s", f"LNV_WARC_DIR={archive}"]
    return [sys.executable, "-m", "scrapy", "runspider", str(BENCH_DIR / "bare_spider.py"), *args]


def _environment() -> dict[str, str]:
    """The caller's environment without anything that would point Scrapy at a project."""
    return {k: v for k, v in os.environ.items()
            if k not in ("SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT", "PYTHONPATH")}


def run_measured(command: list[str], cwd: Path, log: Path,
                 timeout: float) -> tuple[float, int, os.struct_rusage, float]:
    """(wall seconds, exit code, resource usage, peak RSS in MB) of a child process,
    killed at timeout."""
    with log.open("wb") as sink:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=_environment(), stdout=sink,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        peak_kb = 0
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        while pid == 0 and time.monotonic() < deadline:
            peak_kb = max(peak_kb, _high_water_kb(child.pid))
            time.sleep(_POLL_SECONDS)
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == 0:
            os.kill(child.pid, signal.SIGKILL)
            pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss of a child counts the parent's memory at fork (the bench's own, some
    # 130 MB), so the child's own high-water mark, read while it runs, is the figure.
    return elapsed, child.returncode, usage, round((peak_kb or usage.ru_maxrss) / 1024, 1)


def _high_water_kb(pid: int) -> int:
    """VmHWM of a running process (its peak resident memory), 0 when unreadable."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "")
    return int(line.split()[1]) if line else 0


def _count_lines(path: Path) -> int:
    if not path.is_file():
        return 0
    with path.open("rb") as lines:
        return sum(1 for _ in lines)


def crawl(engine: str, corpus: str, server: StaticServer, start_urls: list[str],
          timeout: float, keep_archive: Path | None = None) -> CrawlResult:
    """Crawl a served corpus once with `lnv`, `warc` or `bare`, from a fresh folder; the
    archive of a `warc` crawl is moved to keep_archive when given."""
    with tempfile.TemporaryDirectory(prefix=f"lnv-bench-{engine}-") as tmp:
        folder = Path(tmp)
        command = _command(engine, server.base_url(corpus), start_urls, folder)
        cwd = folder if engine == "bare" else PROJECT_DIR
        before = server.pages_served(corpus)
        seconds, code, usage, peak_mb = run_measured(command, cwd, folder / "crawl.log",
                                                     timeout)
        pages = server.pages_served(corpus) - before
        if code != 0:
            tail = (folder / "crawl.log").read_text("utf-8", "replace")[-_ERROR_TAIL:]
            print(f"bench: {engine} crawl exited with {code}:\n{tail}", file=sys.stderr)
        archives = list((folder / "warc").glob("*.warc.gz"))
        size = sum(path.stat().st_size for path in archives)
        if keep_archive and archives:
            shutil.move(archives[0], keep_archive)
        return CrawlResult(engine, corpus, round(seconds, 3), pages,
                           _count_lines(folder / "out.jsonl"), peak_mb,
                           round(usage.ru_utime + usage.ru_stime, 3), code, size)
