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


def run_crawl(tmp_path: Path, *args: str, settings: dict[str, str] | None = None,
              feed: str = "out.jsonl") -> CrawlResult:
    """Run `scrapy crawl lnv` in a subprocess from the project folder."""
    output = tmp_path / feed
    cmd = [sys.executable, "-m", "scrapy", "crawl", "lnv", "-O", str(output),
           "-s", "LOG_LEVEL=INFO", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
    settings = {"LNV_STATE_DIR": str(tmp_path / "state"), **(settings or {})}
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    cmd += list(args)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(cmd, cwd=PROJECT, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT, env=env)
    records = []
    if output.exists():
        records = [json.loads(line) for line in output.read_text("utf-8").splitlines() if line]
    return CrawlResult(proc.returncode, records, proc.stderr, output)


@pytest.fixture
def sample_site() -> SampleSiteServer:
    with serving() as server:
        yield server
