"""Distributed mode on a real redis-server (started here on a free loopback port):
two workers share the queue and the seen-set; a killed worker leaves the rest of the
queue to the other; whether the run fetched a start page is the run's, for each worker."""

from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import read_records, read_urls, start_crawl

from lnv_crawler import distributed
from lnv_crawler.samplesite import expected_records
from lnv_crawler.samplesite.server import serving

EXPECTED = sorted(expected_records())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    assert binary, "redis-server is missing: `make test` installs it (apt-get install redis-server)"
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def start_worker(tmp_path: Path, name: str, base_url: str, redis: str,
                 *args: str) -> subprocess.Popen:
    return start_crawl(tmp_path / f"{name}.jsonl", "-a", f"base_url={base_url}", *args,
                       settings={"REDIS_URL": redis, "LNV_STATE_DIR": str(tmp_path / name),
                                 "LNV_REDIS_IDLE_SECONDS": "6",
                                 "CONCURRENT_REQUESTS_PER_DOMAIN": "2"})


def finish(workers: list[subprocess.Popen], timeout: float) -> list[str]:
    """The workers' stderr once they exit; killed when they outlast timeout (a worker
    left waiting would outlive the test)."""
    try:
        return [w.communicate(timeout=timeout)[1] for w in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()


def run_workers(tmp_path: Path, redis: str, *args: str) -> tuple[list[int], list[str]]:
    """Two workers of one shared run; their exit statuses and stderr."""
    with serving(delay=0.3) as server:
        workers = [start_worker(tmp_path, name, server.base_url, redis, *args) for name in "ab"]
        errors = finish(workers, 180)
    return [w.returncode for w in workers], errors


def summaries(tmp_path: Path) -> list[dict]:
    return [json.loads((tmp_path / f"{name}.summary.json").read_text("utf-8")) for name in "ab"]


def recorded(state: Path) -> int:
    """Articles and dead links a worker's state folder recorded (none for a failed run)."""
    if not (state / "articles.sqlite").exists():
        return 0
    with sqlite3.connect(state / "articles.sqlite") as db:
        return sum(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                   for table in ("articles", "dead_links"))


DEAD = "https://langngheviet.com.vn/bai-khong-con-99999.html"


def key(template: str) -> str:
    """A shared run's Redis key, as the workers name it."""
    return template % {"spider": "lnv"}


def test_two_workers_write_every_article_once(tmp_path, redis_url):
    with serving(delay=0.5) as server:  # slow enough for both workers to take part
        workers = [start_worker(tmp_path, name, server.base_url, redis_url) for name in "ab"]
        errors = [w.communicate(timeout=180)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [e[-1500:] for e in errors]
    a, b = read_urls(tmp_path / "a.jsonl"), read_urls(tmp_path / "b.jsonl")
    print(f"\nworker a wrote {len(a)}, worker b wrote {len(b)}")
    assert sorted(a + b) == EXPECTED, "the union holds every article exactly once"
    assert sum("seeds the start URLs" in e for e in errors) == 1
    archives = list((tmp_path / "warc").glob("lnv-*-*.warc.gz"))  # lnv-<run_id>-<pid>
    assert len(archives) == 2, "each worker writes its own archive"


def test_a_killed_worker_leaves_the_queue_to_the_other(tmp_path, redis_url):
    with serving(delay=0.2) as server:
        a = start_worker(tmp_path, "a", server.base_url, redis_url)
        b = start_worker(tmp_path, "b", server.base_url, redis_url)
        deadline = time.monotonic() + 60
        while len(server.requested_paths) < 8:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        a.kill()
        a.communicate(timeout=30)
        _, err = b.communicate(timeout=180)
        assert b.returncode == 0, err[-2000:]
        assert "last worker out" in err, "the survivor emptied the shared queue"
        survivor = read_urls(tmp_path / "b.jsonl")
        # Out of the way: a rerun with nothing new publishes no file, it would not replace it.
        (tmp_path / "b.jsonl").rename(tmp_path / "b-first.jsonl")
        assert not (tmp_path / "a.jsonl").exists(), "a killed worker publishes nothing"
        # What the killed worker held (fetched, or found and not yet queued) comes back
        # in the next run: the survivor's state knows what it wrote.
        again = start_worker(tmp_path, "b", server.base_url, redis_url)
        _, err = again.communicate(timeout=180)
        assert again.returncode == 0, err[-2000:]
        rerun = read_urls(tmp_path / "b.jsonl")
    print(f"\nkilled worker: survivor wrote {len(survivor)}, the next run {len(rerun)}, "
          f"of {len(EXPECTED)}")
    assert len(survivor) == len(set(survivor))
    assert sorted(survivor + rerun) == EXPECTED, "over two runs: nothing lost, nothing twice"


def test_a_run_whose_start_page_is_dead_fails_in_every_worker(tmp_path, redis_url):
    """The worker that did not take the dead start page from the queue fetched nothing
    wrong itself: it fails too (it exited 0 before), and neither publishes a file."""
    statuses, errors = run_workers(tmp_path, redis_url, "-a", f"start_urls={DEAD}")
    assert statuses == [1, 1], [e[-1500:] for e in errors]
    for error in errors:
        assert "lnv: no start page could be fetched (http_404: " in error.strip().splitlines()[-1]
    for summary in summaries(tmp_path):
        assert summary["exit_status"] == 1
        assert list(summary["start_pages_failed"].values()) == ["http_404"]
    assert not list(tmp_path.glob("[ab].jsonl*")), "nothing published, nothing kept"
    assert recorded(tmp_path / "a") == recorded(tmp_path / "b") == 0, "not even the dead link"


def test_a_dead_start_page_beside_a_live_one_fails_no_worker(tmp_path, redis_url):
    """Whichever worker takes the dead start page, the run fetched the other: each exits
    0, together they write every article once, and both summaries name the dead page."""
    statuses, errors = run_workers(tmp_path, redis_url, "-a",
                                   f"start_urls={DEAD},https://langngheviet.com.vn/")
    assert statuses == [0, 0], [e[-1500:] for e in errors]
    written = [r["url"] for name in "ab" for r in read_records(tmp_path / f"{name}.jsonl")]
    assert sorted(written) == EXPECTED
    for summary in summaries(tmp_path):
        assert summary["exit_status"] == 0
        assert list(summary["start_pages_failed"].values()) == ["http_404"]


def test_a_start_page_lost_with_a_killed_worker_fails_the_run(tmp_path, redis_url):
    """The worker that took the only start page is killed before it was answered: the
    other, once no other worker is alive, fails the run and names the page unanswered."""
    import redis

    shared = redis.Redis.from_url(redis_url)
    with serving(delay=10) as server:  # the start page stays in flight
        a = start_worker(tmp_path, "a", server.base_url, redis_url)
        deadline = time.monotonic() + 60
        while not (shared.exists(key(distributed.STARTS_KEY))
                 and shared.zcard(key(distributed.REQUESTS_KEY)) == 0):
            assert time.monotonic() < deadline and a.poll() is None
            time.sleep(0.05)
        a.kill()
        a.communicate(timeout=30)
        b = start_worker(tmp_path, "b", server.base_url, redis_url)
        # a's heartbeat kept up until b has joined, however slow b is to start: b must
        # find a crawl under way, not the leftovers of a dead one (which it would redo).
        beats = [f"{socket.gethostname()}:{a.pid}".encode()]
        while set(shared.hkeys(key(distributed.WORKERS_KEY))) <= set(beats):
            assert time.monotonic() < deadline and b.poll() is None
            shared.hset(key(distributed.WORKERS_KEY), beats[0], time.time())
            time.sleep(0.2)
        [err] = finish([b], 180)
    assert b.returncode == 1, err[-2000:]
    assert "lnv: no start page could be fetched (unanswered: " in err.strip().splitlines()[-1]
    summary = json.loads((tmp_path / "b.summary.json").read_text("utf-8"))
    assert list(summary["start_pages_failed"].values()) == ["unanswered"]
    assert not list(tmp_path.glob("[ab].jsonl*"))


def test_workers_waiting_on_a_lost_start_page_do_not_wait_on_each_other(tmp_path, redis_url):
    """A third worker ("c", played here in Redis: it seeded the run and took its start
    page) stops; the two left, each waiting for that page's answer, must not keep each
    other waiting: both fail the run, naming the page unanswered."""
    import redis

    shared = redis.Redis.from_url(redis_url)
    shared.set(key(distributed.SEEDED_KEY), "c")
    shared.hset(key(distributed.STARTS_KEY), "https://langngheviet.com.vn/", "pending")
    deadline = time.monotonic() + 60
    with serving() as server:
        workers = [start_worker(tmp_path, name, server.base_url, redis_url) for name in "ab"]
        # c's heartbeat until a and b have joined
        while len(shared.hkeys(key(distributed.WORKERS_KEY))) < 3:
            assert time.monotonic() < deadline
            shared.hset(key(distributed.WORKERS_KEY), "c", time.time())
            time.sleep(0.2)
        errors = finish(workers, 120)
    assert [w.returncode for w in workers] == [1, 1], [e[-1500:] for e in errors]
    for error in errors:
        assert "joins a crawl already seeded" in error
        assert "lnv: no start page could be fetched (unanswered: " in error.strip().splitlines()[-1]
    for summary in summaries(tmp_path):
        assert summary["exit_status"] == 1
        assert list(summary["start_pages_failed"].values()) == ["unanswered"]
    assert not list(tmp_path.glob("[ab].jsonl*")), "nothing published, nothing kept"
