"""`lnv-crawler reparse` over archives that give no record (no article capture, or
captures that are no article) writes nothing: one line on stderr, exit status 1, an
earlier file at -o left as it was. The archives are those of real crawls."""

from __future__ import annotations

import faultserver
import pytest
from conftest import run_crawl
from test_warc import SITE, archive_of, lnv_crawler


@pytest.mark.parametrize(("path", "found"), [
    ("/", "no article capture"),  # the home page only
    ("/trang-bi-loi-44444.html", "1 article gave no record (unparsed 1)"),
])
def test_reparse_of_archives_without_records_writes_nothing(tmp_path, path, found):
    junk = "<html><body><div>Trang tạm ngưng.</div></body></html>".encode()
    with faultserver.serving({path: faultserver.page(junk)}) as server:
        crawl = run_crawl(tmp_path, "-a", f"base_url={server.base_url}", "-a", "follow=0",
                          "-a", f"start_urls={SITE}{path}")
    assert crawl.status == 0, crawl.stderr[-2000:]
    output = tmp_path / "reparsed.jsonl"
    output.write_text('{"earlier": "reparse"}\n')
    proc = lnv_crawler("reparse", str(archive_of(tmp_path)), "-o", str(output), "--jobs", "1")
    assert proc.returncode == 1
    assert (proc.stdout, proc.stderr) == ("", (
        f"lnv-crawler reparse: {found} in 1 file read, 0 skipped; nothing written to "
        f"{output}\n"))
    assert output.read_text() == '{"earlier": "reparse"}\n'
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
