"""The fast readers of the page objects give what their plain definitions give: the
site-chrome walk what its XPath selects, the text readers what iter_text yields, a
date read once what two reads at two `now`s agree on. Checked on every element of the
sample site and of the fixture pages, plus hand-made edge cases."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

from lnv_crawler import dates
from lnv_crawler.pages.dom import (
    ElementIndex,
    HtmlElement,
    MetaTags,
    has_text,
    is_site_chrome,
    iter_text,
    parse_html,
    short_text,
    text_of,
)
from lnv_crawler.samplesite import SITE_DIR
from lnv_crawler.text import normalize_text

FIXTURES = Path(__file__).parent / "fixtures"
# is_site_chrome as it was written before it became a walk in Python.
CHROME_XPATH = etree.XPath(
    "ancestor::nav | ancestor::footer | ancestor-or-self::a"
    " | ancestor::header[not(ancestor::article)]"
    ' | ancestor-or-self::*[contains(@class, "logo") or contains(@id, "logo")'
    ' or contains(@class, "top-bar") or contains(@class, "topbar")'
    ' or contains(@class, "site-header") or contains(@class, "masthead")'
    ' or contains(concat(" ", normalize-space(@class), " "), " header ")'
    ' or @id = "header" or contains(@class, "header-date")]'
)
EDGE_CASES = """<html><head><meta property="og:title" content="">
<meta name="og:title" content=" Tên &amp; bài "><meta property="og:title" content="Sau">
<meta itemprop="x"><meta name="x" content="có"></head><body>
<header class="x"><article><header><h1>a</h1></header></article></header>
<div class=" header\tfoo"><p id="header">x</p></div><div class="headers"><span>y</span></div>
<div class="site\u00a0header"><b>q</b></div><article><header><i>z</i></header></article>
<nav><em>n</em></nav><a><b>l</b></a><div id="mylogo"><u>t</u></div>
<div class="logo-box"><span>x</span></div><div class="masthead"><i>m</i></div>
<p class="header-date">d</p><p class="topbar">t</p><p class="top-bar">t</p>
<p class="site-header">s</p>
<p>one<br>two<script>no</script> three <span> </span><br><br><i>four</i></p>
<div><style>x</style><br></div><div> <b> </b> </div><div>a<!-- c -->b</div>
</body></html>"""


def _pages() -> list[HtmlElement]:
    files = sorted(SITE_DIR.rglob("*.html*")) + sorted(FIXTURES.rglob("*.html"))
    roots = [parse_html(f.read_text("utf-8", errors="replace")) for f in files]
    return [r for r in (*roots, parse_html(EDGE_CASES)) if r is not None]


@pytest.fixture(scope="module")
def elements() -> list[HtmlElement]:
    return [el for root in _pages() for el in root.iter() if isinstance(el.tag, str)]


def test_site_chrome_walk_selects_what_the_xpath_selects(elements: list[HtmlElement]) -> None:
    differ = [el for el in elements if is_site_chrome(el) != bool(CHROME_XPATH(el))]
    assert len(elements) > 5000
    assert differ == []


def test_text_readers_read_what_iter_text_yields(elements: list[HtmlElement]) -> None:
    for el in elements:
        pieces = list(iter_text(el))
        full = normalize_text("".join(pieces))
        assert text_of(el) == full
        assert has_text(el) == any(p.strip() for p in pieces)
        for limit in (0, 25, 120, 600):
            within = sum(len(p.strip()) for p in pieces) <= limit and len(full) <= limit
            assert short_text(el, limit) == (full if within else None)


@pytest.mark.parametrize("words", [("tag", "keyword"), ("title", "heading"), ("a",),
                                   ("header", "head", "er"), ("-",), ("no-such-class",)])
def test_with_class_selects_what_the_xpath_selects(words: tuple[str, ...]) -> None:
    xpath = etree.XPath("//*[" + " or ".join(f'contains(@class, "{w}")' for w in words) + "]")
    pages = _pages()
    # A value that ends the page's text, one with a newline, one with two of the words.
    pages.append(parse_html('<p class="a\ntag">x</p><p class="title tag heading">y</p>'
                            '<b class="">z</b><i class="er-a">w</i>'))
    for root in pages:
        assert ElementIndex(root).with_class(*words) == xpath(root)


def test_meta_tags_first_of_each_name_with_content() -> None:
    meta = MetaTags(parse_html(EDGE_CASES))
    # property="og:title" is empty: name="og:title" comes next, normalized.
    assert meta.content("og:title") == "Tên & bài"
    assert meta.content("missing", "x") == "có"
    assert meta.content("missing") is None


@pytest.mark.parametrize(("text", "against_now"), [
    ("15/03/2022 08:30", False), ("Cập nhật: 10:40 ngày 18/07/2024", False),
    ("2022-03-15T08:30:00+07:00", False), ("ngày 15 tháng 3 năm 2022", False), ("", False),
    ("3 giờ trước", True), ("Hôm qua lúc 10:20", True), ("23/12 lúc 15:30", True),
    ("29/02", True), ("tuần trước", True), ("Lượt xem: 4186", True), ("15/03/1850", True),
])
def test_a_date_read_without_now_is_the_same_at_any_now(text: str, against_now: bool) -> None:
    first, second = (datetime(2090, 1, 1, tzinfo=timezone.utc),
                     datetime(2091, 7, 1, tzinfo=timezone.utc))
    value, used_now = dates.parse_date_against(text, now=first)
    assert used_now == against_now
    assert value == dates.parse_date(text, now=first)
    if not used_now:
        assert value == dates.parse_date(text, now=second)
