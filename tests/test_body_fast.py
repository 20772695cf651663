"""The body walk's shortcuts answer what the readers they stand in for answer: _fits
what short_text says, on every element of the sample site and of the fixture pages, and
on texts that normalizing makes longer (NFC triples U+FB2C; a <br> adds a space)."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from test_page_helpers import _pages

from lnv_crawler.pages.body import _MAX_NORMALIZED_GROWTH, _fits
from lnv_crawler.pages.dom import HtmlElement, parse_html, short_text

GROWING = "\ufb2c"  # NFC: three characters
INVISIBLE = "\u200b" * 90  # removed by normalizing
EDGE_CASES = f"""<html><body>
<div>{GROWING * 3}</div><div>{"<br>".join(GROWING * 4)}</div><p>{GROWING} {GROWING}</p>
<div>a<script>{"x" * 700}</script>b</div><div>&amp;amp;{"&lt;" * 40}</div>
<table><tr><td><img src="a.jpg"></td></tr><tr><td class="caption">{"chữ " * 40}</td></tr></table>
<div>{"<br>" * 50}a</div><div>{INVISIBLE}x</div>
</body></html>"""


@pytest.fixture(scope="module")
def elements() -> list[HtmlElement]:
    roots = [*_pages(), parse_html(EDGE_CASES)]
    return [el for root in roots if root is not None for el in root.iter()
            if isinstance(el.tag, str)]


def test_no_character_grows_more_than_the_bound_assumes() -> None:
    # _MAX_NORMALIZED_GROWTH: 3 characters for one under NFC, and a space after each.
    growth = max(len(unicodedata.normalize("NFC", chr(c))) for c in range(sys.maxunicode + 1)
                 if not 0xD800 <= c <= 0xDFFF)
    assert growth * 2 == _MAX_NORMALIZED_GROWTH


def test_fits_answers_what_short_text_answers(elements: list[HtmlElement]) -> None:
    assert len(elements) > 5000
    for el in elements:
        for limit in (0, 6, 18, 25, 120, 300, 600, 700):
            assert _fits(el, limit) == (short_text(el, limit) is not None), (el, limit)
