"""Benchmark suite of lnv_crawler: `python -m bench` (or `make bench`) from the project folder.

Generates a synthetic copy of the site (bench/corpus/), serves it on 127.0.0.1,
crawls it with `scrapy crawl lnv` and with a bare Scrapy spider, times the page
objects and the date parser against lxml, trafilatura and dateparser, prints
PASS/FAIL per target and writes bench/results/latest.json.
"""

from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
CORPUS_DIR = BENCH_DIR / "corpus"
RESULTS_DIR = BENCH_DIR / "results"
