"""bench/real_markup.py, run as a user runs it: per-field scores, the misses, a sister
site's links read as the site's own, and a misspelt expected field refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
PAGE = "mcms2016_em_caption_div_cate"  # 7 links in its link lists, all relative
SISTER = "thoibaonganhang.vn"


def _folder(tmp_path: Path, expected: dict) -> Path:
    html = (UNSEEN / f"{PAGE}.html").read_text("utf-8")
    html = html.replace('href="/', f'href="https://{SISTER}/')
    (tmp_path / "page.html").write_text(html, "utf-8")
    url = json.loads((UNSEEN / "index.json").read_text("utf-8"))[PAGE]
    expected = {"_url": url, "_host": SISTER, **expected}
    (tmp_path / "page.expected.json").write_text(json.dumps(expected, ensure_ascii=False), "utf-8")
    return tmp_path


def _run(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "bench" / "real_markup.py"), str(folder)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_scores_fields_and_prints_misses(tmp_path):
    title = json.loads((UNSEEN / f"{PAGE}.json").read_text("utf-8"))["title"]
    done = _run(_folder(tmp_path, {"title": title, "sapo": "Không phải sapo", "link_count": 7}))
    assert done.returncode == 0, done.stderr
    lines = [" ".join(line.split()) for line in done.stdout.splitlines()]
    assert f"page object: {ROOT / 'lnv_crawler'}" in lines
    assert "title 1 / 1" in lines
    assert "link_count 1 / 1" in lines  # the sister host's links counted as the site's
    assert "sapo 0 / 1" in lines
    assert "all fields 2 / 3" in lines
    assert 'page.sapo: expected "Không phải sapo"' in lines


def test_unknown_expected_field_is_refused(tmp_path):
    done = _run(_folder(tmp_path, {"titel": "x"}))
    assert done.returncode == 2
    assert "page.expected.json: unknown fields titel" in done.stderr
    assert "all fields" not in done.stdout
