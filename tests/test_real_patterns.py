"""Markup structures seen in real saved pages of MasterCMS sites (langngheviet.com.vn and
sister sites), each rebuilt by hand with our own text in tests/fixtures/real_patterns/,
with the full expected record beside it (the format of tests/fixtures/unseen/).

`bench/real_markup.py` scores the parser on the real pages; each failure it showed
has a fixture here. A field the parser still gets wrong is a strict xfail, so the
suite stays green and the mark has to go once a fix makes the field right.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lnv_crawler.items import ARTICLE_FIELDS
from lnv_crawler.pages.article import ArticlePage

FIXTURES = Path(__file__).parent / "fixtures" / "real_patterns"
PAGES: dict[str, str] = json.loads((FIXTURES / "index.json").read_text("utf-8"))

# (fixture, field) -> the markup that makes the field wrong today.
FAILING: dict[tuple[str, str], str] = {}


def _case(name: str, field: str) -> object:
    reason = FAILING.get((name, field))
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(name, field, marks=marks, id=f"{name}-{field}")


@pytest.mark.parametrize(("name", "field"), [
    _case(name, field) for name in PAGES for field in ARTICLE_FIELDS if field != "fetched_at"])
def test_real_pattern_field(name, field):
    expected = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    page = ArticlePage((FIXTURES / f"{name}.html").read_bytes(), PAGES[name])
    item = page.to_item()
    assert item is not None, f"{name} gave no record: {page.rejection()}"
    assert item[field] == expected[field]


def test_failing_marks_name_real_cases():
    """A mark for a fixture or field that does not exist would hide nothing and mislead."""
    assert {name for name, _ in FAILING} <= set(PAGES)
    assert {field for _, field in FAILING} <= set(ARTICLE_FIELDS)
