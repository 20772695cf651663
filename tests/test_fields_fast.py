"""The article fields' shortcuts answer what their plain definitions answer: on every page
of the sample site and of the fixtures, and on edge cases."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from test_page_helpers import FIXTURES

from lnv_crawler.pages.article import _MAX_ITEM_CHARS, ArticlePage, _in_link_or_item
from lnv_crawler.pages.dom import short_text
from lnv_crawler.samplesite import SITE_DIR

SITE = "https://langngheviet.com.vn"
MENU_ALIAS_LINKS = etree.XPath('//li[contains(@class, "menu-alias")]//a')
EDGE_MENUS = """<html><body><ul><li class="menu-alias"><a href="/a">A</a>
<ul><li class="x menu-alias-sub"><a href="/b">B</a></li></ul></li>
<li class="xmenu-aliasy"><a href="/c">C</a></li><li class="menu"><a href="/d">D</a></li></ul>
<div class="menu-alias"><a href="/e">E</a></div><li class="menu-alias"></li>
<p class="menu-alias"><span><li class="Menu-Alias"><a>F</a></li></span></p></body></html>"""


def _files() -> list[Path]:
    files = sorted(SITE_DIR.rglob("*.html*")) + sorted(FIXTURES.rglob("*.html"))
    assert len(files) > 40
    return files


def test_menu_alias_links_are_what_the_xpath_finds() -> None:
    pages = [f.read_text("utf-8", errors="replace") for f in _files()] + [EDGE_MENUS]
    for html in pages:
        page = ArticlePage(html, f"{SITE}/a-1.html")
        if page.root is not None:
            expected = list(dict.fromkeys(MENU_ALIAS_LINKS(page.root)))
            assert page._menu_alias_links() == expected
    edge = ArticlePage(EDGE_MENUS, f"{SITE}/a-1.html")
    assert [a.text for a in edge._menu_alias_links()] == ["A", "B", "C"]



IN_LINK_OR_ITEM = etree.XPath("ancestor-or-self::a | ancestor::li")


def test_in_link_or_item_is_what_the_xpath_finds() -> None:
    edge = etree.fromstring("<div><a><b>x</b></a><li><p><i>y</i></p></li><p>z</p></div>")
    for root in [edge, *(ArticlePage(f.read_text("utf-8", errors="replace"),
                                     f"{SITE}/a-1.html").root for f in _files())]:
        for el in root.iter() if root is not None else ():
            assert _in_link_or_item(el) == bool(IN_LINK_OR_ITEM(el))


def test_a_box_holding_a_long_body_has_no_short_text() -> None:
    for f in _files():
        page = ArticlePage(f.read_text("utf-8", errors="replace"), f"{SITE}/a-1.html")
        for el in page.root.iter() if page.root is not None else ():
            if page._holds_long_body(el):
                assert short_text(el, _MAX_ITEM_CHARS) is None
