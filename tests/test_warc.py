"""The run's archive (contract §7), by real crawls on loopback: the WARC a crawl writes,
`lnv-crawler reparse` on it, killed runs, damaged files, and `lnv-crawler diff`."""

from __future__ import annotations

import gzip
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import faultserver
import pytest
from conftest import PROJECT, CrawlResult, read_records, run_crawl, start_crawl
from warcio.archiveiterator import ArchiveIterator

from lnv_crawler.samplesite import SITE_DIR, expected_records, page_path
from lnv_crawler.samplesite.server import serving

EXPECTED = expected_records()
TIMEOUT = 120
WARCIO = str(Path(sys.executable).with_name("warcio"))
SITE = "https://langngheviet.com.vn"


def lnv_crawler(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lnv_crawler.cli", *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=TIMEOUT)


def archive_of(folder: Path) -> Path:
    (found,) = (folder / "warc").glob("*.warc.gz")
    return found


def responses(path: Path) -> list[dict]:
    """Every response record: target, status line, headers and body as stored."""
    found = []
    with path.open("rb") as file:
        for record in ArchiveIterator(file):
            if record.rec_type == "response":
                found.append({"target": record.rec_headers.get_header("WARC-Target-URI"),
                              "protocol": record.http_headers.protocol,
                              "status": int(record.http_headers.get_statuscode()),
                              "headers": dict(record.http_headers.headers),
                              "body": record.raw_stream.read()})
    return found


def without_fetched_at(records: list[dict]) -> list[dict]:
    return sorted(({k: v for k, v in r.items() if k != "fetched_at"} for r in records),
                  key=lambda r: r["url"])


@pytest.fixture(scope="module")
def archived(tmp_path_factory) -> tuple[CrawlResult, Path, list[str]]:
    """One crawl of the sample site: its result, its WARC, the paths the server served."""
    folder = tmp_path_factory.mktemp("archived")
    with serving() as server:
        result = run_crawl(folder, "-a", f"base_url={server.base_url}")
        served = list(server.requested_paths)
    assert result.status == 0, result.stderr[-2000:]
    return result, archive_of(folder), served


def test_a_crawl_archives_every_exchange_in_a_valid_warc(archived):
    result, warc, served = archived
    assert re.fullmatch(r"lnv-\d{8}T\d{6}Z-\d+\.warc\.gz", warc.name)
    assert [p.name for p in warc.parent.iterdir()] == [warc.name], "a partial file was left"
    check = subprocess.run([WARCIO, "check", "-v", str(warc)], capture_output=True, text=True,
                           timeout=TIMEOUT)
    assert check.returncode == 0, check.stdout[-2000:]
    assert "digest pass" in check.stdout

    stored = responses(warc)
    base = stored[0]["target"].split("/", 3)[:3]
    assert Counter(r["target"] for r in stored) == Counter("/".join(base) + p for p in served)
    assert {r["protocol"] for r in stored} == {"HTTP/1.0"}  # what http.server speaks
    assert 404 in {r["status"] for r in stored}  # robots.txt: error answers are kept
    for record in stored:
        assert int(record["headers"]["Content-Length"]) == len(record["body"])
    articles = [r for r in stored if r["target"].endswith("-33087.html")]
    assert articles[0]["body"] == page_path(
        "/vinh-long-to-chuc-dua-hang-viet-ve-nong-thon-33087.html").read_bytes()

    with warc.open("rb") as file:
        kinds = [record.rec_type for record in ArchiveIterator(file)]
    assert kinds[0] == "warcinfo"
    assert kinds[1:] == ["response", "request"] * len(served)
    assert len(result.records) == len(EXPECTED)
    summary = json.loads(result.output.with_name("out.summary.json").read_text("utf-8"))
    assert summary["archive_file"] == str(warc)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_reparse_gives_the_records_of_the_crawl(archived, tmp_path, jobs):
    result, warc, _ = archived
    output = tmp_path / "reparsed.jsonl"
    proc = lnv_crawler("reparse", str(warc), "-o", str(output), "--jobs", jobs)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert f"wrote {len(EXPECTED)} records" in proc.stdout
    reparsed = read_records(output)
    assert without_fetched_at(reparsed) == without_fetched_at(result.records)
    crawled = {r["url"]: r["fetched_at"] for r in result.records}
    for record in reparsed:  # the archive's time of the fetch, within the crawl's seconds
        gap = abs(time.mktime(time.strptime(record["fetched_at"], "%Y-%m-%dT%H:%M:%SZ"))
                  - time.mktime(time.strptime(crawled[record["url"]], "%Y-%m-%dT%H:%M:%SZ")))
        assert gap <= 30
    assert [p.name for p in tmp_path.iterdir()] == ["reparsed.jsonl"]
    assert "\r" not in proc.stderr, "no progress line when stderr is no terminal"


def test_reparse_shows_its_progress_on_a_terminal(archived, tmp_path):
    primary, replica = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "lnv_crawler.cli", "reparse", str(archived[1]),
                             "-o", str(tmp_path / "out.jsonl"), "--jobs", "1"], cwd=PROJECT,
                            stdout=subprocess.DEVNULL, stderr=replica)
    os.close(replica)
    shown = b""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if not select.select([primary], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # EIO: the reparse closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(primary)
    assert proc.wait(timeout=TIMEOUT) == 0
    assert b"\r\x1b[Kreparse: reading " in shown  # \x1b[K: the rest of the line erased
    done = rb"reparse: (\d+)/\1 pages, %d records, \d+ pages/s\r\n" % len(EXPECTED)
    assert re.search(done, shown), shown[-500:]


def test_reparse_of_two_runs_keeps_the_newest_capture(tmp_path):
    """An article edited between two runs: the newer capture wins whatever the order of
    the files, and diff shows the one field that changed."""
    root = tmp_path / "site"
    shutil.copytree(SITE_DIR, root)
    url = next(u for u in EXPECTED if u.endswith("-33087.html"))
    page = page_path(url.split(".vn", 1)[1], root)
    old_text, new_text = "quy mô 40 gian hàng", "quy mô 50 gian hàng"  # in the first paragraph
    runs = {}
    with serving(root=root) as server:
        for name in ("before", "after"):
            (tmp_path / name).mkdir()
            runs[name] = run_crawl(tmp_path / name, "-a", f"base_url={server.base_url}",
                                   "-a", "follow=0", "-a", f"start_urls={url}")
            assert runs[name].status == 0, runs[name].stderr[-2000:]
            page.write_text(page.read_text("utf-8").replace(old_text, new_text), "utf-8")
    assert new_text in runs["after"].records[0]["body"][0]
    before, after = archive_of(tmp_path / "before"), archive_of(tmp_path / "after")
    merged, old = tmp_path / "merged.jsonl", tmp_path / "old.jsonl"
    assert lnv_crawler("reparse", str(after), str(before), "-o", str(merged)).returncode == 0
    assert lnv_crawler("reparse", str(before), "-o", str(old)).returncode == 0
    assert without_fetched_at(read_records(merged)) == without_fetched_at(runs["after"].records)

    proc = lnv_crawler("diff", str(old), str(merged), "--json", "--ignore", "fetched_at")
    assert proc.returncode == 1
    result = json.loads(proc.stdout)
    assert {name: entry["changed"] for name, entry in result["fields"].items()
            if entry["changed"]} == {"body": 1}
    assert result["ignored_fields"] == ["fetched_at"]


def test_reparse_keeps_the_newest_capture_of_each_article(archived, tmp_path):
    _, warc, _ = archived
    output = tmp_path / "out.jsonl"
    proc = lnv_crawler("reparse", str(warc), str(warc), "-o", str(output), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(r["url"] for r in read_records(output)) == sorted(EXPECTED)


def test_gzip_pages_redirects_and_errors_are_stored_as_sent(tmp_path):
    gzipped_path = "/vinh-long-to-chuc-dua-hang-viet-ve-nong-thon-33087.html"
    plain_path = "/non-la-lang-chuong-tro-thanh-san-pham-ocop-4-sao-32102.html"
    html = page_path(gzipped_path).read_bytes()
    encoded = gzip.compress(html, mtime=0)
    routes = {
        gzipped_path: faultserver.page(encoded, headers=[("Content-Encoding", "gzip")]),
        "/old-link-11111.html": faultserver.redirect(plain_path, status=301),
        plain_path: faultserver.page(page_path(plain_path).read_bytes()),
        "/broken-22222.html": faultserver.page(b"<html>busy</html>", status=500),
    }
    starts = [SITE + path for path in (gzipped_path, "/old-link-11111.html", "/broken-22222.html",
                                       "/missing-33333.html")]
    with faultserver.serving(routes) as server:
        result = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", "-a", "follow=0",
                           "-a", f"start_urls={','.join(starts)}",
                           settings={"RETRY_TIMES": "1", "RETRY_BACKOFF_BASE": "0",
                                     "LNV_MONITOR_MAX_FAILED_SHARE": "1"})
        hits = server.paths()
    assert result.status == 0, result.stderr[-2000:]
    stored = responses(archive_of(tmp_path))
    assert Counter(r["target"].split("/", 3)[3] for r in stored) == Counter(
        p.lstrip("/") for p in hits)
    by_path = {r["target"].split("/", 3)[3]: r for r in stored}

    page = by_path[gzipped_path.lstrip("/")]
    assert page["headers"]["Content-Encoding"] == "gzip"
    assert page["body"] == encoded, "the gzip body must be stored encoded, as sent"
    assert page["headers"]["Content-Length"] == str(len(encoded))
    moved = by_path["old-link-11111.html"]
    assert moved["status"] == 301 and moved["headers"]["Location"] == plain_path
    assert [r["status"] for r in stored if r["target"].endswith("/broken-22222.html")] == [500] * 2
    assert by_path["missing-33333.html"]["status"] == 404

    output = tmp_path / "reparsed.jsonl"
    proc = lnv_crawler("reparse", str(archive_of(tmp_path)), "-o", str(output), "--jobs", "1")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(result.records) == 2
    assert without_fetched_at(read_records(output)) == without_fetched_at(result.records)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM])
def test_only_a_completed_run_leaves_a_visible_archive(tmp_path, stop):
    warc_dir = tmp_path / "warc"
    with serving(delay=0.2) as server:
        proc = start_crawl(tmp_path / "out.jsonl", "-a", f"base_url={server.base_url}", settings={
            "LNV_STATE_DIR": str(tmp_path / "state"), "CONCURRENT_REQUESTS_PER_DOMAIN": "1"})
        deadline = time.monotonic() + 60
        while len(server.requested_paths) < 6:
            assert time.monotonic() < deadline, "the crawl did not get going"
            time.sleep(0.1)
        proc.send_signal(stop)
        _, stderr = proc.communicate(timeout=TIMEOUT)
    visible = list(warc_dir.glob("*.warc.gz"))
    if stop == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
        assert visible == [], "a killed run left an archive where readers look"
        assert [p.name for p in warc_dir.iterdir() if p.name.endswith(".part")]
    else:
        assert proc.returncode == 0, stderr[-2000:]
        (warc,) = visible
        check = subprocess.run([WARCIO, "check", str(warc)], capture_output=True, text=True,
                               timeout=TIMEOUT)
        assert check.returncode == 0, check.stdout[-2000:]
        assert [p for p in warc_dir.iterdir() if p.name.endswith(".part")] == []


def test_reparse_reports_and_skips_damaged_files(archived, tmp_path):
    result, warc, _ = archived
    data = warc.read_bytes()
    truncated = tmp_path / "truncated.warc.gz"
    truncated.write_bytes(data[: len(data) * 6 // 10])
    no_end = tmp_path / "no-end.warc.gz"
    no_end.write_bytes(data[:-10])  # every record whole, the last gzip trailer cut
    not_warc = tmp_path / "records.warc.gz"
    not_warc.write_bytes(result.output.read_bytes())
    output = tmp_path / "out.jsonl"
    proc = lnv_crawler("reparse", str(truncated), str(warc), str(no_end), str(not_warc),
                       "-o", str(output), "--jobs", "2")
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    for bad in (truncated, no_end, not_warc):
        assert f"skipped {bad}" in proc.stderr
    assert f"skipped {warc}" not in proc.stderr
    assert "1 file read, 3 skipped" in proc.stdout
    assert sorted(r["url"] for r in read_records(output)) == sorted(EXPECTED)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_an_empty_warc_dir_switches_the_archive_off(tmp_path, sample_site):
    first = sorted(EXPECTED)[0]
    result = run_crawl(tmp_path, "-a", f"base_url={sample_site.base_url}", "-a", "follow=0",
                       "-a", f"start_urls={first}", settings={"LNV_WARC_DIR": ""})
    assert result.status == 0, result.stderr[-2000:]
    assert len(result.records) == 1
    assert not (tmp_path / "warc").exists()


def test_an_archive_that_cannot_be_written_does_not_stop_the_crawl(tmp_path, sample_site):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the archive folder should be")
    first = sorted(EXPECTED)[0]
    result = run_crawl(tmp_path, "-a", f"base_url={sample_site.base_url}", "-a", "follow=0",
                       "-a", f"start_urls={first}", settings={"LNV_WARC_DIR": str(blocker)})
    assert result.status == 0, result.stderr[-2000:]
    assert [r["url"] for r in result.records] == [first]
    assert "archive switched off for this run" in result.stderr
    summary = json.loads(result.output.with_name("out.summary.json").read_text("utf-8"))
    assert summary["archive_file"] is None
    assert blocker.read_text() == "a file where the archive folder should be"
    assert not list(tmp_path.rglob("*.part"))


def test_diff_counts_changed_fields_and_one_sided_articles(archived, tmp_path):
    records = archived[0].records
    old = tmp_path / "old.jsonl"
    old.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    changed = [dict(r) for r in records]
    for record in changed[:2]:
        record["title"] += " (sửa)"
    new = tmp_path / "new.jsonl"
    new.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in changed), "utf-8")

    proc = lnv_crawler("diff", str(old), str(new), "--json")
    assert proc.returncode == 1, proc.stderr
    result = json.loads(proc.stdout)
    assert result["fields"]["title"]["changed"] == 2
    assert {e["url"] for e in result["fields"]["title"]["examples"]} == {
        r["url"] for r in records[:2]}
    assert result["fields"]["title"]["examples"][0]["new"].endswith(" (sửa)")
    assert all(entry["changed"] == 0 for name, entry in result["fields"].items()
               if name != "title")
    assert result["changed_records"] == 2
    assert result["only_in_old"] == result["only_in_new"] == []

    text = lnv_crawler("diff", str(old), str(new))
    assert text.returncode == 1
    assert "title: 2" in text.stdout and "(sửa)" in text.stdout

    shorter = tmp_path / "shorter.jsonl"
    shorter.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[1:]),
                       "utf-8")
    one_sided = json.loads(lnv_crawler("diff", str(old), str(shorter), "--json").stdout)
    assert one_sided["only_in_old"] == [records[0]["url"]]
    assert one_sided["changed_records"] == 0
    assert lnv_crawler("diff", str(old), str(old)).returncode == 0
    assert lnv_crawler("diff", str(old), str(tmp_path / "nope.jsonl")).returncode == 2



def test_a_run_that_got_no_answer_leaves_no_archive(tmp_path):
    result = run_crawl(tmp_path, "-a", "base_url=http://127.0.0.1:9", settings={"RETRY_TIMES": "0"})
    assert result.status == 1
    assert result.stderr.strip().splitlines()[-1].startswith("lnv: the site could not be reached")
    summary = json.loads((tmp_path / "out.summary.json").read_text("utf-8"))
    assert summary["archive_file"] is None and summary["output_files"] == []
    left = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert left == ["out.summary.json", "state/articles.sqlite", "state/lock"]  # no warc/
