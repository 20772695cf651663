"""Issue 10: a run never reports a failure as success and never loses an article.

One test (or a few) per finding of the issue, each from the situation described: a
full filesystem, an unwritable folder, a state folder with earlier runs, bad
arguments, signals sent to a real crawl, Scrapy's CLOSESPIDER_* limits, the cron
wrapper, the debugging tools. Each checks the exit status and the files left, and,
where articles could be lost, that a rerun in good conditions writes every article
that was not durably written before.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from conftest import CRAWL_TIMEOUT, PROJECT, crawl_command, read_urls, run_crawl
from faultserver import FaultHandler, page
from faultserver import serving as fault_serving

from lnv_crawler.samplesite import SITE_DIR, expected_records
from lnv_crawler.samplesite.server import serving
from lnv_crawler.state import SeenArticles

EXPECTED = sorted(expected_records())
FULL_SIZE = 64 * 1024  # the full filesystem: a 64 KiB tmpfs
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
SAMPLE_ARTICLE = ("khuyen-cong-hai-duong-ho-tro-cac-co-so-cong-nghiep-nong-thon-"
                  "phuc-hoi-hau-dai-dich-covid-19-24917.html")


def scrapy_in(cwd: Path, *args: str, **popen: object) -> subprocess.CompletedProcess:
    """`scrapy ARGS` run from `cwd` (not the project folder), so that the default
    output/ is cwd/output and nothing touches the project's own."""
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "lnv_crawler.settings",
           "PYTHONUNBUFFERED": "1"}
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=CRAWL_TIMEOUT, **popen)


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def last_line(stderr: str) -> str:
    return stderr.strip().splitlines()[-1] if stderr.strip() else ""


def the_one_line(stderr: str) -> str:
    """The `lnv:` line of a run refused before it started: the last line, the only
    one of its kind, with no traceback or error logged (Scrapy's start-up INFO lines
    may come before it)."""
    assert "Traceback" not in stderr and "ERROR" not in stderr, stderr[-2000:]
    lines = [line for line in stderr.splitlines() if line.startswith("lnv")]
    assert len(lines) == 1 and lines[0] == last_line(stderr), stderr[-2000:]
    return lines[0]


def recorded(state: Path) -> set[str]:
    store = SeenArticles(state)
    try:
        return set(store.urls)
    finally:
        store.close()


# -- 1. write failures --------------------------------------------------------------


@pytest.fixture
def full_folder(tmp_path: Path) -> Iterator[tuple[Path, object]]:
    """A folder that fills up after 64 KiB: a tmpfs where mounting is allowed (CI runs
    as root), else a file size limit on the crawl (EFBIG instead of ENOSPC)."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={FULL_SIZE}", "tmpfs",
                              str(folder)], capture_output=True).returncode == 0
    if mounted:
        yield folder, None
        subprocess.run(["umount", str(folder)], check=False)
    else:
        def limit() -> None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (FULL_SIZE, FULL_SIZE))
        yield folder, limit


def test_a_full_filesystem_fails_the_run_and_loses_nothing(tmp_path, sample_site, full_folder):
    folder, limit = full_folder
    earlier = folder / "good.jsonl"
    earlier.write_text('{"earlier": "run"}\n')
    state = tmp_path / "state"
    command = crawl_command(earlier, "-a", f"base_url={sample_site.base_url}",
                            settings={"LNV_STATE_DIR": str(state)})
    proc = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True,
                          timeout=CRAWL_TIMEOUT, preexec_fn=limit)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert last_line(proc.stderr).startswith(f"lnv: cannot write {earlier}: ")
    assert earlier.read_text() == '{"earlier": "run"}\n', "the earlier file was replaced"
    assert not list(folder.glob(".*.part")), "a partial file was left"
    assert recorded(state) == set(), "the state recorded articles that were not written"

    rerun = run_crawl(tmp_path, "-a", f"base_url={sample_site.base_url}", feed="rerun.jsonl")
    assert rerun.status == 0
    assert sorted(r["url"] for r in rerun.records) == EXPECTED


@pytest.mark.parametrize("where", ["-O", "LNV_DEFAULT_FEED"])
def test_an_unwritable_output_is_refused_before_the_crawl(tmp_path, sample_site, where):
    target = "/proc/lnv/out.jsonl"  # cannot be created, even by root
    args = (["-O", target] if where == "-O"
            else ["-s", f"LNV_DEFAULT_FEED={target}"])
    proc = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={sample_site.base_url}",
                     *args, *FAST)
    assert proc.returncode == 2
    assert the_one_line(proc.stderr) == (
        f"lnv: cannot write {target}: No such file or directory; nothing was done")
    assert sample_site.requested_paths == []
    assert files_under(tmp_path) == []


def test_a_read_only_folder_is_refused_before_the_crawl(tmp_path, sample_site):
    folder = tmp_path / "ro"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a read-only tmpfs here (not root); /proc stands in above")
    try:
        proc = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={sample_site.base_url}",
                         "-O", str(folder / "out.jsonl"), *FAST)
    finally:
        subprocess.run(["umount", str(folder)], check=False)
    assert proc.returncode == 2
    assert the_one_line(proc.stderr) == (
        f"lnv: cannot write {folder / 'out.jsonl'}: Read-only file system; nothing was done")
    assert sample_site.requested_paths == []


def test_a_state_folder_on_a_full_filesystem_is_refused_before_the_crawl(
        tmp_path, sample_site, full_folder):
    folder, limit = full_folder
    if limit is not None:
        pytest.skip("cannot mount a tmpfs here (not root)")
    with (folder / "filler").open("wb") as filler, suppress(OSError):
        filler.write(b"x" * FULL_SIZE)  # until the filesystem is full
    proc = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={sample_site.base_url}",
                     "-O", str(tmp_path / "out.jsonl"), "-s", f"LNV_STATE_DIR={folder / 's'}",
                     *FAST)
    assert proc.returncode == 2
    line = the_one_line(proc.stderr)  # the lock or the database: whichever fails first
    assert line.startswith((f"lnv: cannot write the state folder {folder / 's'}:",
                            f"lnv: cannot open the state in {folder / 's'}:"))
    assert sample_site.requested_paths == []
    assert not (tmp_path / "out.jsonl").exists()


# -- 2. runs kept apart, 3. explicit start URLs ---------------------------------------


def test_mirror_and_one_off_runs_keep_out_of_the_live_output_and_state(tmp_path, sample_site):
    mirror = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={sample_site.base_url}", *FAST)
    assert mirror.returncode == 0, mirror.stderr[-2000:]
    output = tmp_path / "output"
    published = list((output / "mirror").glob("lnv-*.jsonl"))
    assert len(published) == 1
    assert sorted(read_urls(published[0])) == EXPECTED
    assert not list(output.glob("lnv-*")) and not (output / ".state").exists()
    assert recorded(output / "mirror" / ".state") == set(EXPECTED)
    summary = json.loads(published[0].with_name(
        published[0].name.replace(".jsonl", ".summary.json")).read_text())
    assert summary["mode"] == "mirror"
    assert summary["arguments"] == {"base_url": sample_site.base_url}
    assert summary["crawler_version"] and summary["state_dir"] == "output/mirror/.state"

    # A one-off run elsewhere ignores the state that has all these articles, and leaves it be.
    before = (output / "mirror" / ".state" / "articles.sqlite").read_bytes()
    one_off = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={sample_site.base_url}",
                        "-O", str(tmp_path / "elsewhere" / "one.jsonl"), *FAST)
    assert one_off.returncode == 0, one_off.stderr[-2000:]
    assert sorted(read_urls(tmp_path / "elsewhere" / "one.jsonl")) == EXPECTED
    assert (output / "mirror" / ".state" / "articles.sqlite").read_bytes() == before
    summary = json.loads((tmp_path / "elsewhere" / "one.summary.json").read_text())
    assert summary["state_dir"] is None


def test_two_runs_in_the_same_second_write_two_files(tmp_path, sample_site):
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "lnv_crawler.settings"}
    runs = [subprocess.Popen(
        [sys.executable, "-m", "scrapy", "crawl", "lnv", "-a", f"base_url={sample_site.base_url}",
         "-a", "follow=0", "-a", f"start_urls={EXPECTED[n]}", "-s", f"LNV_STATE_DIR=state{n}",
         *FAST], cwd=tmp_path, env=env, stderr=subprocess.DEVNULL) for n in range(2)]
    assert [proc.wait(timeout=CRAWL_TIMEOUT) for proc in runs] == [0, 0]
    published = sorted((tmp_path / "output" / "mirror").glob("lnv-*.jsonl"))
    assert len(published) == 2
    assert sorted(url for path in published for url in read_urls(path)) == EXPECTED[:2]


def test_explicit_start_urls_are_fetched_and_written_whatever_the_state(tmp_path, sample_site):
    base = ["-a", f"base_url={sample_site.base_url}"]
    first = run_crawl(tmp_path, *base, feed="all.jsonl")
    assert len(first.records) == len(EXPECTED)
    again = run_crawl(tmp_path, *base, "-a", f"start_urls={EXPECTED[0]}", "-a", "follow=0",
                      feed="one.jsonl")
    assert again.status == 0
    assert [r["url"] for r in again.records] == [EXPECTED[0]]


# -- 4. bad arguments and settings -----------------------------------------------------


@pytest.mark.parametrize(("args", "named"), [
    (["-a", "folow=0"], "-a folow"),
    (["-a", "follow=maybe"], "-a follow=maybe"),
    (["-a", "refresh=yes please"], "-a refresh=yes please"),
    (["-a", "start_urls=https://example.com/bai-1.html"], "https://example.com/bai-1.html"),
    (["-a", "start_urls=garbage"], "garbage"),
    (["-a", "start_urls=langngheviet.com.vn/bai-1.html"], "langngheviet.com.vn/bai-1.html"),
    (["-a", "base_url=notaurl"], "-a base_url=notaurl"),
    (["-s", "LNV_MAX_LISTING_PAGES=abc"], "-s LNV_MAX_LISTING_PAGES=abc"),
    (["-s", "LNV_MONITOR_MAX_FAILED_SHARE=lots"], "-s LNV_MONITOR_MAX_FAILED_SHARE=lots"),
])
def test_a_bad_argument_exits_2_with_one_line_naming_it(tmp_path, sample_site, args, named):
    base = [] if "base_url=notaurl" in args else ["-a", f"base_url={sample_site.base_url}"]
    proc = scrapy_in(tmp_path, "crawl", "lnv", *base, *args, *FAST)
    assert proc.returncode == 2
    line = the_one_line(proc.stderr)
    assert line.startswith("lnv: ") and named in line
    assert sample_site.requested_paths == []
    assert files_under(tmp_path) == []


def test_unreachable_redis_is_one_line(tmp_path, sample_site):
    proc = scrapy_in(tmp_path, "crawl", "lnv", "-a", f"base_url={sample_site.base_url}",
                     "-s", "REDIS_URL=redis://127.0.0.1:1", *FAST)
    assert proc.returncode == 1
    assert the_one_line(proc.stderr).startswith("lnv: cannot reach Redis at redis://127.0.0.1:1")
    assert sample_site.requested_paths == []


def test_a_busy_port_for_the_sample_server_is_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "lnv_crawler.samplesite.server",
                               "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    line = the_one_line(proc.stderr)
    assert line == f"lnv: cannot serve on 127.0.0.1:{port}: Address already in use"


# -- 5. stops -------------------------------------------------------------------------


def start_polite_crawl(tmp_path: Path, base_url: str, delay: str = "2") -> subprocess.Popen:
    """A crawl paced as on the live site: 2 s between requests."""
    command = crawl_command(tmp_path / "out.jsonl", "-a", f"base_url={base_url}", settings={
        "LNV_STATE_DIR": str(tmp_path / "state"), "DOWNLOAD_DELAY": delay})
    return subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def wait_for_records(state_server, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while sum(p.endswith(".html") for p in state_server.requested_paths) < count:
        assert time.monotonic() < deadline, "the crawl did not get going"
        time.sleep(0.1)


def test_the_first_signal_ends_the_run_within_seconds(tmp_path):
    with serving() as server:
        proc = start_polite_crawl(tmp_path, server.base_url)
        wait_for_records(server, 2)
        proc.send_signal(signal.SIGINT)
        stopped_at = time.monotonic()
        _, stderr = proc.communicate(timeout=120)
        took = time.monotonic() - stopped_at
        print(f"\nfirst SIGINT: the run ended {took:.1f} s later")
        assert took < 10, "the queue was crawled before stopping"
        assert proc.returncode == 0, stderr[-2000:]
        summary = json.loads((tmp_path / "out.summary.json").read_text())
        assert summary["stopped"] is True and summary["stopped_by"] == "SIGINT"
        first = read_urls(tmp_path / "out.jsonl")
        assert len(first) < len(EXPECTED)
        assert recorded(tmp_path / "state") == set(first)

        rest = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", feed="rest.jsonl")
    assert sorted(first + [r["url"] for r in rest.records]) == EXPECTED


def wait_for_a_new_request(state_server, timeout: float = 120) -> None:
    """Until the server begins answering one more request than it had begun."""
    deadline = time.monotonic() + timeout
    begun = len(state_server.started_paths)
    while len(state_server.started_paths) == begun:
        assert time.monotonic() < deadline, "the crawl sent no further request"
        time.sleep(0.01)


def test_a_second_signal_exits_130_and_leaves_no_file(tmp_path):
    with serving(delay=3.0) as server:  # slow answers: the first stop waits for them
        proc = start_polite_crawl(tmp_path, server.base_url, delay="0")
        wait_for_records(server, 2)
        # A request just sent keeps the first stop going for the server's 3 s: with
        # none on the wire, the stop can end the run before the second signal comes.
        wait_for_a_new_request(server)
        proc.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 130
        assert last_line(stderr) == "lnv: SIGTERM twice: the run was abandoned, nothing written"
        assert [f for f in files_under(tmp_path) if not f.startswith("state/")] == []
        assert recorded(tmp_path / "state") == set()

        rerun = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", feed="rerun.jsonl")
    assert sorted(r["url"] for r in rerun.records) == EXPECTED


def test_signals_after_the_run_change_neither_its_status_nor_its_files(tmp_path, sample_site):
    """Two SIGTERMs after the crawl ended (the process tearing down) neither kill it
    nor abandon a run already published."""
    output = tmp_path / "out.jsonl"
    command = crawl_command(output, "-a", f"base_url={sample_site.base_url}", "-a", "follow=0",
                            "-a", f"start_urls={EXPECTED[0]}",
                            settings={"LNV_STATE_DIR": str(tmp_path / "state")})
    script = ("import os, signal, sys\n"
              "from scrapy.cmdline import execute\n"
              "try:\n    execute(sys.argv)\n"
              "except SystemExit as end:\n"
              "    os.kill(os.getpid(), signal.SIGTERM)\n"
              "    os.kill(os.getpid(), signal.SIGTERM)\n"
              "    raise\n")
    result = subprocess.run([sys.executable, "-c", script, *command[3:]], cwd=PROJECT,
                            capture_output=True, text=True, timeout=CRAWL_TIMEOUT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "abandoned" not in result.stderr
    assert read_urls(output) == [EXPECTED[0]]
    assert recorded(tmp_path / "state") == {EXPECTED[0]}


def test_partial_files_of_dead_runs_are_removed_by_the_next_run(tmp_path, sample_site):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".out.jsonl.{dead.stdout.strip()}.part"
    stale.write_text('{"half": "a line')
    alive = tmp_path / f".other.jsonl.{os.getpid()}.part"  # a live process's: kept
    alive.write_text("")
    result = run_crawl(tmp_path, "-a", f"base_url={sample_site.base_url}", "-a", "follow=0",
                       "-a", f"start_urls={EXPECTED[0]}")
    assert result.status == 0
    assert not stale.exists() and alive.exists()


def test_demo_stops_quietly_on_ctrl_c(tmp_path):
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "lnv_crawler.settings"}
    demo = subprocess.Popen([sys.executable, "-m", "lnv_crawler.cli", "demo",
                             "-s", "DOWNLOAD_DELAY=0.5"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    lock = tmp_path / "output" / "demo" / ".state" / "lock"  # taken once the crawl starts
    deadline = time.monotonic() + 120
    while not lock.exists():
        assert time.monotonic() < deadline and demo.poll() is None, "the demo did not start"
        time.sleep(0.1)
    time.sleep(5)  # a few articles fetched (one request every 0.5 s)
    os.killpg(demo.pid, signal.SIGINT)  # what Ctrl-C on a terminal does: the whole group
    out, err = demo.communicate(timeout=120)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-2000:]
    assert demo.returncode == 0, err[-2000:]
    assert "output: output/demo/lnv-" in out
    assert not list((tmp_path / "output").glob("lnv-*"))


# -- 6. a failed or empty run publishes nothing ----------------------------------------


def test_a_failed_run_leaves_the_earlier_file_untouched(tmp_path):
    earlier = tmp_path / "good.jsonl"
    earlier.write_text('{"earlier": "run"}\n')
    result = run_crawl(tmp_path, "-a", "base_url=http://127.0.0.1:9", feed="good.jsonl",
                       settings={"RETRY_TIMES": "0"})
    assert result.status == 1
    assert last_line(result.stderr).startswith("lnv: the site could not be reached")
    assert earlier.read_text() == '{"earlier": "run"}\n'
    summary = json.loads((tmp_path / "good.summary.json").read_text())
    assert summary["exit_status"] == 1 and summary["output_files"] == []


def test_a_run_with_nothing_new_publishes_no_file(tmp_path, sample_site):
    base = ["-a", f"base_url={sample_site.base_url}", "-s", f"LNV_STATE_DIR={tmp_path / 's'}"]
    for _ in range(2):
        proc = scrapy_in(tmp_path, "crawl", "lnv", *base, *FAST)
        assert proc.returncode == 0, proc.stderr[-2000:]
    mirror = tmp_path / "output" / "mirror"
    assert len(list(mirror.glob("lnv-*.jsonl"))) == 1
    summaries = sorted(mirror.glob("lnv-*.summary.json"))
    assert len(summaries) == 2
    assert json.loads(summaries[-1].read_text())["output_files"] == []


# -- 7. Scrapy's limits ---------------------------------------------------------------


def test_a_closespider_limit_is_a_way_to_finish(tmp_path, sample_site):
    base = ["-a", f"base_url={sample_site.base_url}"]
    sample = run_crawl(tmp_path, *base, settings={"CLOSESPIDER_ITEMCOUNT": "5"})
    assert sample.status == 0, sample.stderr[-2000:]
    summary = json.loads((tmp_path / "out.summary.json").read_text())
    assert summary["finish_reason"] == "closespider_itemcount"
    assert 5 <= len(sample.records) < len(EXPECTED)
    rest = run_crawl(tmp_path, *base, feed="rest.jsonl")
    assert sorted(r["url"] for r in sample.records + rest.records) == EXPECTED


# -- 8. documented behaviour ------------------------------------------------------------


def test_lnv_contact_reaches_the_user_agent(tmp_path):
    agents: list[str] = []

    def article(handler: FaultHandler) -> None:
        agents.append(handler.headers["User-Agent"])
        page((SITE_DIR / SAMPLE_ARTICLE).read_bytes())(handler)

    with fault_serving({f"/{SAMPLE_ARTICLE}": article}) as server:
        result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", "-a", "follow=0",
                           "-a", f"start_urls=https://langngheviet.com.vn/{SAMPLE_ARTICLE}",
                           settings={"LNV_CONTACT": "mailto:ops@example.org"})
    assert result.status == 0 and len(result.records) == 1
    assert agents and all("+mailto:ops@example.org;" in agent for agent in agents), agents


def test_make_refuses_a_too_old_python_and_leaves_no_venv(tmp_path):
    old = tmp_path / "python3.8"
    old.write_text("#!/bin/sh\n"
                   'exec python3 -c "import sys; sys.version_info = (3, 8, 10); '
                   'sys.exit(sys.version_info < (3, 10))" "$@"\n')
    old.chmod(0o755)
    venv = tmp_path / "venv"
    proc = subprocess.run(["make", "-C", str(PROJECT), "install", f"PY={old}", f"VENV={venv}"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "Python 3.10 or newer is needed" in proc.stdout + proc.stderr
    assert not venv.exists()


# -- 9. debugging tools ---------------------------------------------------------------


def test_fetch_shell_and_parse_work_on_saved_and_sample_pages_and_write_nothing(
        tmp_path, sample_site):
    saved = (SITE_DIR / SAMPLE_ARTICLE).as_uri()
    fetched = scrapy_in(tmp_path, "fetch", "--nolog", f"{sample_site.base_url}/{SAMPLE_ARTICLE}")
    assert fetched.returncode == 0
    assert fetched.stdout.strip() == (SITE_DIR / SAMPLE_ARTICLE).read_text("utf-8").strip()
    shell = scrapy_in(tmp_path, "shell", "--nolog", "-c", "response.css('h1::text').get()", saved)
    assert shell.returncode == 0 and shell.stdout.startswith("Khuyến công Hải Dương"), shell.stderr
    parsed = scrapy_in(tmp_path, "parse", "--nolog", "--spider", "lnv",
                       "-a", f"base_url={SITE_DIR.as_uri()}", saved)
    assert parsed.returncode == 0
    assert "'article_id': '24917'" in parsed.stdout
    assert files_under(tmp_path) == []
