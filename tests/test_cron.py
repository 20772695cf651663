"""The cron wrapper runs the crawl from the project folder, logs to a rotating
file and passes the crawl's exit status on."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT


def run_cron(tmp_path, *args: str) -> subprocess.CompletedProcess:
    log = tmp_path / "logs" / "cron.log"
    return subprocess.run(
        [sys.executable, "-m", "lnv_crawler.cron", "--log", str(log), "--log-max-bytes", "2000",
         "--log-backups", "2", *args, "-s", f"LNV_STATE_DIR={tmp_path / 'state'}",
         "-s", f"LNV_WARC_DIR={tmp_path / 'warc'}",
         "-O", str(tmp_path / "out.jsonl")],
        cwd=tmp_path, capture_output=True, text=True, timeout=240,
        env={"PATH": "/usr/bin:/bin", "LNV_PROJECT_DIR": str(PROJECT)})


def test_cron_wrapper_passes_status_and_rotates_its_log(tmp_path, sample_site):
    ok = run_cron(tmp_path, "-a", f"base_url={sample_site.base_url}")
    assert ok.returncode == 0
    logs = sorted(p.name for p in (tmp_path / "logs").iterdir())
    assert logs == ["cron.log", "cron.log.1", "cron.log.2"]  # rotated, bounded
    assert "crawl exited with status 0" in (tmp_path / "logs" / "cron.log").read_text()


def test_cron_wrapper_passes_a_failure_on(tmp_path):
    failed = run_cron(tmp_path, "-a", "base_url=http://127.0.0.1:9", "-s", "RETRY_TIMES=0")
    assert failed.returncode == 1
    assert "site could not be reached" in (tmp_path / "logs" / "cron.log").read_text()
    # Repeated on stderr, for cron's mail (issue 10, finding 8).
    assert failed.stderr.strip().splitlines()[-1].startswith("lnv: the site could not be reached")
