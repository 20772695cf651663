"""Two lnv workers sharing one Redis queue against one worker alone, on the same
served corpus: the speed-up of distributed mode on this machine."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import PROJECT_DIR
from .crawl import SHARED_SETTINGS, _count_lines, _environment
from .server import StaticServer

IDLE_SECONDS = 3  # how long a worker waits on an empty shared queue before it exits


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """A throwaway redis-server on a free loopback port (Debian's package)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is missing (apt-get install redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(folder)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _worker(folder: Path, name: str, base_url: str, start_urls: list[str],
            redis_url: str) -> subprocess.Popen:
    # The archive off, as for the lnv engine: this compares crawling, one worker or two.
    settings = {**SHARED_SETTINGS, "REDIS_URL": redis_url, "LNV_STATE_DIR": folder / name,
                "LNV_REDIS_IDLE_SECONDS": IDLE_SECONDS, "LNV_WARC_DIR": ""}
    command = [sys.executable, "-m", "scrapy", "crawl", "lnv", "-a", f"base_url={base_url}",
               "-a", f"start_urls={','.join(start_urls)}", "-O", str(folder / f"{name}.jsonl"),
               *(arg for key, value in settings.items() for arg in ("-s", f"{key}={value}"))]
    log = (folder / f"{name}.log").open("wb")
    return subprocess.Popen(command, cwd=PROJECT_DIR, env=_environment(), stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def _urls(path: Path) -> Iterator[str]:
    """The url of each record, a line at a time: reading whole outputs here would grow
    this process, and every crawl forked after it would inherit that in its peak RSS."""
    if path.is_file():
        with path.open("rb") as lines:
            for line in lines:
                yield json.loads(line)["url"]


def _run(workers: int, server: StaticServer, corpus: str, start_urls: list[str],
         timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="lnv-bench-redis-") as tmp:
        folder = Path(tmp)
        with redis_server(folder) as redis_url:
            before = server.pages_served(corpus)
            started = time.perf_counter()
            names = [f"w{i}" for i in range(workers)]
            procs = [_worker(folder, n, server.base_url(corpus), start_urls, redis_url)
                     for n in names]
            codes = [p.wait(timeout=timeout) for p in procs]
            seconds = time.perf_counter() - started
        records = [_count_lines(folder / f"{n}.jsonl") for n in names]
        urls = [url for n in names for url in _urls(folder / f"{n}.jsonl")]
        pages = server.pages_served(corpus) - before
    return {"workers": workers, "seconds": round(seconds, 1), "pages": pages,
            "records_per_worker": records, "records": sum(records),
            "duplicates": len(urls) - len(set(urls)), "exit_codes": codes,
            # The last IDLE_SECONDS of every run are the workers waiting to exit.
            "pages_per_second": round(pages / max(seconds - IDLE_SECONDS, 0.001), 1)}


def compare(server: StaticServer, corpus: str, start_urls: list[str], timeout: float) -> dict:
    """One worker, then two, on the same corpus; the speed-up of two over one."""
    one = _run(1, server, corpus, start_urls, timeout)
    two = _run(2, server, corpus, start_urls, timeout)
    return {"one": one, "two": two,
            "speedup": round(two["pages_per_second"] / max(one["pages_per_second"], 0.001), 2)}
