"""The link lists' walks that keep their answers, or stop early, answer what the plain
search answers, on every element of the sample site and of the fixture pages."""

from __future__ import annotations

from lxml import etree
from test_page_helpers import _pages

from lnv_crawler.pages.dom import ElementIndex, short_text
from lnv_crawler.pages.sections import LinkLists, label_key

PAGE = "https://langngheviet.com.vn/khuyen-cong-hai-duong-ho-tro-28469.html"
WIDGET = etree.XPath(
    'ancestor-or-self::*[self::form or self::select or self::option or self::button'
    ' or contains(@id, "comment") or contains(@class, "comment")'
    ' or contains(@class, "binh-luan") or contains(@class, "sort") or contains(@class, "filter")]')


def test_in_widget_is_the_ancestor_search() -> None:
    checked = 0
    for root in _pages():
        elements = [el for el in root.iter() if isinstance(el.tag, str)]
        # Asked from the last element up and from the first down: answers kept either way.
        for order in (elements[::-1], elements):
            lists = LinkLists(root, PAGE, ElementIndex(root))
            for el in order:
                assert lists._in_widget(el) == bool(WIDGET(el)), el
                checked += 1
    assert checked > 10000


def test_element_texts_come_in_element_order() -> None:
    # What _labels' walk back from the last text relies on: the texts that are an
    # element's own (not a tail) are in the order of their elements.
    for root in _pages():
        lists = LinkLists(root, PAGE, ElementIndex(root))
        positions = [lists.order[node.getparent()] for node, _ in lists.short_texts
                     if not node.is_tail]
        assert positions == sorted(set(positions))


def test_text_key_is_the_label_key_of_the_short_text() -> None:
    for root in _pages():
        lists = LinkLists(root, PAGE, ElementIndex(root))
        for el in [*lists.order, *lists.order]:  # the second time from what was kept
            text = short_text(el, 40) if el.tag not in ("body", "html") else None
            assert lists._text_key(el) == (label_key(text) if text is not None else None), el


def test_holds_article_link_is_links_in() -> None:
    held = 0
    for root in _pages():
        lists = LinkLists(root, PAGE, ElementIndex(root))
        for el, at in lists.order.items():
            assert lists._holds_article_link(el, at) == bool(lists._links_in(el)), el
            held += bool(lists._links_in(el))
    assert held > 1000
