"""The body walk's shortcuts answer what the readers they stand in for answer: _fits
what short_text says, on every element of the sample site and of the fixture pages, and
on texts that normalizing makes longer (NFC triples U+FB2C; a <br> adds a space);
_Holders what lxml's iterators say of links and images; a leaf block what the same block
with a child gives."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from test_page_helpers import _pages

from lnv_crawler.pages.body import (
    _MAX_NORMALIZED_GROWTH,
    IMAGE_TAGS,
    _fits,
    _Holders,
    extract_blocks,
)
from lnv_crawler.pages.dom import HtmlElement, parse_html, short_text

GROWING = "\ufb2c"  # NFC: three characters
INVISIBLE = "\u200b" * 90  # removed by normalizing
EDGE_CASES = f"""<html><body>
<div>{GROWING * 3}</div><div>{"<br>".join(GROWING * 4)}</div><p>{GROWING} {GROWING}</p>
<div>a<script>{"x" * 700}</script>b</div><div>&amp;amp;{"&lt;" * 40}</div>
<table><tr><td><img src="a.jpg"></td></tr><tr><td class="caption">{"chữ " * 40}</td></tr></table>
<div>{"<br>" * 50}a</div><div>{INVISIBLE}x</div>
</body></html>"""


def _roots() -> list[HtmlElement]:
    return [root for root in (*_pages(), parse_html(EDGE_CASES)) if root is not None]


@pytest.fixture(scope="module")
def elements() -> list[HtmlElement]:
    return [el for root in _roots() for el in root.iter() if isinstance(el.tag, str)]


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


def _holds(el: HtmlElement, *tags: str) -> bool:
    return next(el.iter(*tags), None) is not None


def test_holders_answer_what_the_iterators_answer() -> None:
    # Each page's whole tree, and a subtree of it (a body): nothing above its root marked.
    roots = _roots()
    subtrees = [next(root.iter("body")) for root in roots]
    for root in [*roots, *subtrees]:
        holders = _Holders(root)
        for el in root.iter():
            assert (el in holders.links) == _holds(el, "a"), el
            assert (el in holders.images) == _holds(el, *IMAGE_TAGS), el
        assert not {*holders.links, *holders.images} - set(root.iter())


@pytest.mark.parametrize("before", ["", '<img src="a.jpg">', "<p>Đoạn trước</p>"])
@pytest.mark.parametrize("attrs", ["", ' style="text-align: right"', ' align="center"',
                                   ' style="font-style: italic"', ' style="font-weight: bold"'])
@pytest.mark.parametrize("text", ["Một đoạn văn.", "  ", "", " a \u00a0 b ", "Quảng cáo"])
def test_a_leaf_block_reads_as_the_same_block_with_a_child(before: str, attrs: str,
                                                            text: str) -> None:
    # The leaf shortcut against the general path (an empty <span> makes the block no leaf).
    def blocks(block: str) -> list:
        root = parse_html(f"<html><body><div>{before}{block}<p>Sau</p></div></body></html>")
        assert root is not None
        return extract_blocks(next(root.iter("div")), "https://langngheviet.com.vn/")

    assert blocks(f"<p{attrs}>{text}</p>") == blocks(f"<p{attrs}>{text}<span></span></p>")
