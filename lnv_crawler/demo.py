"""`make demo` / `lnv-crawler demo`: serve the sample site on 127.0.0.1, crawl it
with `scrapy crawl lnv` in mirror mode, print where the output went and a summary.

The demo writes under output/demo/ with a state of its own: the sample pages carry
real article URLs, and must never be mixed with a live crawl's output or state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .samplesite.server import serving
from .wording import plural

DEMO_DIR = Path("output/demo")


def newest_output(folder: Path, before: set[Path]) -> Path | None:
    fresh = sorted(set(folder.glob("lnv-*.jsonl")) - before, key=lambda p: p.stat().st_mtime)
    return fresh[-1] if fresh else None


def summarize(path: Path) -> str:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    links = sum(len(r["links"]) for r in records)
    dated = sum(1 for r in records if r["published_at"])
    categories = len({r["category"] for r in records})
    return (f"{plural(len(records), 'article')}, {dated} with a publication time, "
            f"{plural(links, 'list link')}, {plural(categories, 'category', 'categories')}")


def wait(child: subprocess.Popen) -> int:
    """The crawl's status. A Ctrl-C reaches the crawl too (same terminal), which stops
    by itself (a second one abandons it): here it only must not end in a traceback."""
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:
            continue


def main(argv: list[str] | None = None) -> int:
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    before = set(DEMO_DIR.glob("lnv-*.jsonl"))
    try:
        with serving() as server:
            print(f"sample site served at {server.base_url}", flush=True)
            child = subprocess.Popen([
                sys.executable, "-m", "scrapy", "crawl", "lnv",
                "-a", f"base_url={server.base_url}", "-a", "refresh=1",
                "-s", f"LNV_DEFAULT_FEED={DEMO_DIR}/lnv-%(run_id)s.jsonl",
                "-s", f"LNV_STATE_DIR={DEMO_DIR}/.state",
                # Loopback: no need to be gentle.
                "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
                "-s", "LOG_LEVEL=WARNING",
                *(argv or [])],
                # The project's settings without its scrapy.cfg: `lnv-crawler demo` works
                # from any folder, writing under that folder's output/demo/.
                env={"SCRAPY_SETTINGS_MODULE": "lnv_crawler.settings", **os.environ})
            status = wait(child)
    except KeyboardInterrupt:  # before the crawl started, or while the server shuts down
        print("demo stopped", file=sys.stderr)
        return 130
    written = newest_output(DEMO_DIR, before)
    if written is None:
        print(f"demo crawl wrote no output (exit status {status})", file=sys.stderr)
        return status or 1
    print(f"output: {written}")
    print(f"run summary: {written.with_suffix('.summary.json')}")
    print(f"summary: {summarize(written)} (exit status {status})")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
