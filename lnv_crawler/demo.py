"""`make demo` / `lnv-crawler demo`: serve the sample site on 127.0.0.1, crawl it
with `scrapy crawl lnv` in mirror mode, print where the output went and a summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .samplesite.server import serving


def newest_output(folder: Path, before: set[Path]) -> Path | None:
    fresh = sorted(set(folder.glob("lnv-*.jsonl")) - before, key=lambda p: p.stat().st_mtime)
    return fresh[-1] if fresh else None


def summarize(path: Path) -> str:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    links = sum(len(r["links"]) for r in records)
    dated = sum(1 for r in records if r["published_at"])
    return (f"{len(records)} articles, {dated} with a publication time, "
            f"{links} list links, {len({r['category'] for r in records})} categories")


def main(argv: list[str] | None = None) -> int:
    output = Path("output")
    output.mkdir(exist_ok=True)
    before = set(output.glob("lnv-*.jsonl"))
    with serving() as server:
        print(f"sample site served at {server.base_url}", flush=True)
        status = subprocess.call([sys.executable, "-m", "scrapy", "crawl", "lnv",
                                  "-a", f"base_url={server.base_url}", "-a", "refresh=1",
                                  # The sample site's articles stay out of a live crawl's state.
                                  "-s", "LNV_STATE_DIR=output/.state-demo",
                                  # Loopback: no need to be gentle.
                                  "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0",
                                  "-s", "LOG_LEVEL=WARNING",
                                  *(argv or [])])
    written = newest_output(output, before)
    if written is None:
        print(f"demo crawl wrote no output (exit status {status})", file=sys.stderr)
        return status or 1
    print(f"output: {written}")
    print(f"summary: {summarize(written)} (exit status {status})")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
