"""Shared fixtures: the sample site served on 127.0.0.1 and a runner for real
`scrapy crawl lnv` subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from lnv_crawler.samplesite.server import SampleSiteServer, serving

PROJECT = Path(__file__).resolve().parent.parent
CRAWL_TIMEOUT = 240  # seconds: a bound on every crawl subprocess


@dataclass
class CrawlResult:
    status: int
    records: list[dict]
    stderr: str
    output: Path


def crawl_command(output: Path, *args: str, settings: dict[str, str]) -> list[str]:
    """`scrapy crawl lnv -O output` with politeness off for loopback, plus settings; the
    run's archive goes to a warc/ folder beside the output, not into the project."""
    settings = {"LNV_WARC_DIR": str(output.parent / "warc"), **settings}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "lnv", "-O", str(output),
           "-s", "LOG_LEVEL=INFO", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd + list(args)


def start_crawl(output: Path, *args: str, settings: dict[str, str]) -> subprocess.Popen:
    """A crawl running in the background (for tests that stop or kill it)."""
    return subprocess.Popen(crawl_command(output, *args, settings=settings), cwd=PROJECT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def read_urls(path: Path) -> list[str]:
    """The url of every record of an output file ([] when no file appeared)."""
    return [record["url"] for record in read_records(path)]


def read_records(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def run_crawl(tmp_path: Path, *args: str, settings: dict[str, str] | None = None,
              feed: str = "out.jsonl") -> CrawlResult:
    """Run `scrapy crawl lnv` in a subprocess from the project folder."""
    output = tmp_path / feed
    settings = {"LNV_STATE_DIR": str(tmp_path / "state"), **(settings or {})}
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(crawl_command(output, *args, settings=settings), cwd=PROJECT,
                          capture_output=True, text=True, timeout=CRAWL_TIMEOUT, env=env)
    return CrawlResult(proc.returncode, read_records(output), proc.stderr, output)


@pytest.fixture
def sample_site() -> SampleSiteServer:
    with serving() as server:
        yield server
