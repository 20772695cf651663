"""ListingPage: a category listing (or the home page) -> article URLs, the next
page of the listing, and the category links of its menus."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from urllib.parse import parse_qsl, urlsplit

from .. import urls
from ..text import normalize_text
from .dom import ElementIndex, HtmlElement, parse_html, site_links, text_of

_NEXT_LABELS = frozenset({"sau", "trang sau", "tiếp", "trang tiếp", "tiếp theo", "next", "»",
                          "›", ">", ">>", "sau »", "trang sau »", "next »"})
_PAGE_IN_PATH = re.compile(r"/(?:p|trang-?|page/?)(\d+)$")


def page_number(url: str) -> int:
    """1-based page number of a listing URL (/khuyen-cong/p3, ?page=3)."""
    parts = urlsplit(url)
    match = _PAGE_IN_PATH.search(parts.path)
    if match:
        return int(match.group(1))
    for key, value in parse_qsl(parts.query):
        if key in ("page", "p", "trang") and value.isdigit():
            return int(value)
    return 1


def listing_root(url: str) -> str:
    """The listing a page belongs to: its URL without the pager part."""
    parts = urlsplit(url)
    return _PAGE_IN_PATH.sub("", parts.path).rstrip("/") or "/"


class ListingPage:
    """A listing page's links to articles, to its next page and to the categories; also
    read from an article page, whose parse and element index it then shares."""

    def __init__(self, html: str | bytes | HtmlElement, url: str,
                 index: ElementIndex | None = None):
        self.url = urls.canonicalize(url) or url
        self.root = parse_html(html)
        self._given_index = index

    @cached_property
    def index(self) -> ElementIndex:
        return self._given_index or ElementIndex(self.root)

    @cached_property
    def _anchors(self) -> list[tuple[HtmlElement, str]]:
        """(anchor, canonical URL) for every on-site link of the page."""
        if self.root is None:
            return []
        return site_links(self.index.links, self.url)

    def article_urls(self) -> list[str]:
        return _unique(u for _, u in self._anchors if urls.is_article_url(u) and u != self.url)

    def next_page_url(self) -> str | None:
        """The following page of this listing: rel=next, a "Sau" link, or number n+1."""
        current = page_number(self.url)
        same_listing = [(a, u) for a, u in self._anchors
                        if urls.is_listing_url(u) and listing_root(u) == listing_root(self.url)
                        and u != self.url]
        for a, url in same_listing:
            if "next" in (a.get("rel") or "").lower().split() and page_number(url) > current:
                return url
        for a, url in same_listing:
            label = normalize_text(text_of(a) or a.get("title") or a.get("aria-label")).lower()
            if label in _NEXT_LABELS and page_number(url) > current:
                return url
        for a, url in same_listing:
            if text_of(a) == str(current + 1) and page_number(url) == current + 1:
                return url
        return None

    def category_urls(self, everywhere: bool = False) -> list[str]:
        """Category listings linked from the menus (from anywhere on the home page)."""
        if self.root is None:
            return []
        anchors = self._anchors if everywhere else site_links(
            ((a, a.get("href")) for a in self._menu_anchors()), self.url)
        return _unique(u for _, u in anchors
                       if urls.is_listing_url(u) and page_number(u) == 1 and u != self.url)


    def _menu_anchors(self) -> list[HtmlElement]:
        """//nav//a | //header//a | //*[contains(@class, "menu") or contains(@class, "nav")
        or contains(@id, "menu")]//a, in page order, read from the element index: an XPath
        that reads the attributes of every element costs libxml2 several times more."""
        menus = [el for el, cls in zip(self.index.elements, self.index.classes, strict=True)
                 if el.tag in ("nav", "header") or (cls and ("menu" in cls or "nav" in cls))]
        menus += self.index.with_id_containing("menu")
        inside = {a for menu in menus for a in menu.iterdescendants("a")}
        return [a for a, _ in self.index.links if a in inside]


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
