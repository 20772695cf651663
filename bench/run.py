"""`python -m bench`: generate the corpus, serve it, crawl it with lnv and the bare
spider in turns, run the micro-benchmarks, print the report and the targets."""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType

from . import CORPUS_DIR, PROJECT_DIR, RESULTS_DIR, archive, corpus, distributed, micro, report
from .crawl import CrawlResult, crawl
from .server import StaticServer, serving

MAIN, SCALE = "main", "scale"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--pages", type=int, default=2000, help="article pages of the corpus")
    parser.add_argument("--rounds", type=int, default=2, help="crawls of each engine (A B A B)")
    parser.add_argument("--quick", action="store_true", help="skip the 8,000-page RSS run")
    parser.add_argument("--no-distributed", action="store_true",
                        help="skip the one-worker/two-worker Redis comparison")
    parser.add_argument("--scale-pages", type=int, default=8000,
                        help="article pages of the RSS scale run")
    parser.add_argument("--micro-pages", type=int, default=200,
                        help="corpus pages the parser micro-benchmark uses")
    parser.add_argument("--seed", type=int, default=20240315)
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed per crawl")
    parser.add_argument("--python-server", action="store_true",
                        help="serve with the threaded http.server even if nginx is there")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.pages < 1 or args.scale_pages < 1 or args.micro_pages < 1:
        parser.error("--rounds, --pages, --scale-pages and --micro-pages must be positive")
    return args


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def ensure_trafilatura() -> ModuleType | None:
    """trafilatura, pip-installed into this environment if missing; None if it cannot be."""
    try:
        return importlib.import_module("trafilatura")
    except ImportError:
        progress("installing trafilatura (bench only) with pip...")
    try:
        outcome = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "trafilatura"],
                                 check=False, timeout=600).returncode
    except subprocess.TimeoutExpired:
        outcome = "timed out"
    importlib.invalidate_caches()
    try:
        return importlib.import_module("trafilatura")
    except ImportError:
        progress(f"note: trafilatura could not be installed (pip: {outcome}); "
                 "its comparison is skipped")
        return None


def code_version() -> str:
    """The commit under test, flagged when lnv_crawler/ has uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT_DIR, capture_output=True, text=True,
                              check=False, timeout=30).stdout.strip()
    try:
        head, dirty = git("rev-parse", "--short", "HEAD"), git("status", "--porcelain",
                                                               "lnv_crawler")
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (head or "unknown") + (" + uncommitted lnv_crawler changes" if dirty else "")


def _sample(files: list[Path], count: int) -> list[Path]:
    """count files spread evenly over the corpus."""
    step = max(1, len(files) // count)
    return files[::step][:count]


def _summary(runs: list[CrawlResult], engine: str) -> dict:
    mine = [r for r in runs if r.engine == engine]
    return {"pages_per_second": round(statistics.median(r.pages_per_second for r in mine), 1),
            "cpu_ms_per_page": round(statistics.median(r.cpu_ms_per_page for r in mine), 2),
            "peak_rss_mb": round(statistics.median(r.peak_rss_mb for r in mine), 1)}


def crawl_rounds(server: StaticServer, starts: list[str], args: argparse.Namespace,
                 keep_archive: Path) -> dict:
    """lnv (archive off), bare and warc (lnv with the archive on) in turns; the last warc
    crawl's archive is kept for the reparse benchmark."""
    runs = []
    for round_number in range(1, args.rounds + 1):
        for engine in ("lnv", "bare", "warc"):
            progress(f"crawl round {round_number}/{args.rounds}: {engine}")
            runs.append(crawl(engine, MAIN, server, starts, args.timeout, keep_archive))
    lnv, bare, warc = _summary(runs, "lnv"), _summary(runs, "bare"), _summary(runs, "warc")
    archived = [r for r in runs if r.engine == "warc" and r.pages]
    warc["archive_bytes_per_page"] = round(statistics.median(
        r.archive_bytes / r.pages for r in archived)) if archived else 0
    ratio = lnv["pages_per_second"] / bare["pages_per_second"] if bare["pages_per_second"] else 0
    cpu_ratio = bare["cpu_ms_per_page"] / lnv["cpu_ms_per_page"] if lnv["cpu_ms_per_page"] else 0
    warc_ratio = (warc["pages_per_second"] / lnv["pages_per_second"]
                  if lnv["pages_per_second"] else 0)
    return {"runs": [r.as_dict() for r in runs], "lnv": lnv, "bare": bare, "warc": warc,
            "ratio_lnv_bare": round(ratio, 3), "cpu_ratio_lnv_bare": round(cpu_ratio, 3),
            "ratio_warc_lnv": round(warc_ratio, 3),
            # CPU per page varies less than pages/s on a shared machine.
            "cpu_ratio_warc_lnv": round(lnv["cpu_ms_per_page"] / warc["cpu_ms_per_page"], 3)
            if warc["cpu_ms_per_page"] else 0}


def scale_run(server: StaticServer, manifest: dict, baseline_rss: float,
              args: argparse.Namespace) -> dict:
    progress(f"scale crawl: lnv on {manifest['articles']} articles")
    run = crawl("lnv", SCALE, server, manifest["start_urls"], args.timeout)
    ratio = run.peak_rss_mb / baseline_rss if baseline_rss else 0
    return {"articles": manifest["articles"], "pages": manifest["pages"], "run": run.as_dict(),
            "baseline_rss_mb": baseline_rss, "rss_ratio": round(ratio, 3)}


def checks(manifests: dict[str, dict], results: dict) -> list[str]:
    """Problems that make the numbers suspect: failed crawls, pages or records missing."""
    runs = [(MAIN, r) for r in results["crawl"]["runs"]]
    if results.get("scale"):
        runs.append((SCALE, results["scale"]["run"]))
    problems = []
    for name, run in runs:
        manifest = manifests[name]
        wanted_records = manifest["articles"] if run["engine"] != "bare" else manifest["pages"]
        if run["exit_code"] or run["pages"] != manifest["pages"] or (
                run["records"] != wanted_records):
            problems.append(
                f"check: {run['engine']} on {name}: exit {run['exit_code']}, {run['pages']}/"
                f"{manifest['pages']} pages, {run['records']}/{wanted_records} records")
    for run in results.get("archive", {}).get("runs", []):
        if run["exit_code"] or run["records"] != manifests[MAIN]["articles"]:
            problems.append(f"check: reparse with {run['jobs']} jobs: exit {run['exit_code']}, "
                            f"{run['records']}/{manifests[MAIN]['articles']} records")
    return problems


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    load_at_start = os.getloadavg()[0]
    trafilatura = ensure_trafilatura()
    sizes = {MAIN: args.pages} if args.quick else {MAIN: args.pages, SCALE: args.scale_pages}
    manifests = {}
    for name, count in sizes.items():
        progress(f"corpus {name}: {count} articles (generated once per seed and size)")
        manifests[name] = corpus.ensure(CORPUS_DIR / name, count, args.seed)
    pages = _sample(corpus.article_files(CORPUS_DIR / MAIN), args.micro_pages)
    progress("micro-benchmarks: page parsing, dates")
    results: dict = {
        "generated_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(), "load_average_at_start": load_at_start},
        "args": vars(args),
        "code": code_version(),
        "corpus": manifests[MAIN],
        "parse": micro.parse_bench(pages, trafilatura),
        "dates": micro.dates_bench(),
    }
    kept = Path(tempfile.mkdtemp(prefix="lnv-bench-warc-")) / "main.warc.gz"
    with serving({n: CORPUS_DIR / n for n in manifests}, not args.python_server) as server:
        results["server"] = server.kind
        results["crawl"] = crawl_rounds(server, manifests[MAIN]["start_urls"], args, kept)
        if SCALE in manifests:
            baseline = results["crawl"]["lnv"]["peak_rss_mb"]
            results["scale"] = scale_run(server, manifests[SCALE], baseline, args)
        if not args.no_distributed:
            progress("distributed: one worker, then two sharing a Redis queue")
            results["distributed"] = distributed.compare(
                server, MAIN, manifests[MAIN]["start_urls"], args.timeout)
    if kept.is_file():
        progress("reparse: the archive of a crawl, with 1 and 2 jobs")
        results["archive"] = archive.reparse_bench(kept, manifests[MAIN]["articles"],
                                                   args.timeout)
    shutil.rmtree(kept.parent, ignore_errors=True)
    results["checks"] = checks(manifests, results)
    results["elapsed_seconds"] = round(time.monotonic() - started)
    found = report.targets(results)
    report.write_json(RESULTS_DIR / "latest.json", results, found)
    print(report.console(results, found))
    print("\nMarkdown for the README's Performance section:\n")
    print(report.markdown(results, found))
    return 1 if results["checks"] else 0
