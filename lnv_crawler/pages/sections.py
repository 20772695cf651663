"""Link lists of an article page, found by the Vietnamese heading they sit under.

The CMS prints the lists as a heading ("Tin liên quan", "Tin mới hơn",
"Tin khác", "Mới nhất", "Đọc nhiều") followed by items, each an image link, a
title link and a lead. Class names differ between templates, the headings'
wording does not, so a list is the article links that follow its heading:
  - in the pane a tab points at (href="#id", data-target, aria-controls);
  - else after the heading, inside the smallest box around it that holds links,
    up to the next heading of any kind; the tabs of one tab bar (recognised or
    not, like "Tin cũ hơn") share that box pane by pane.
Boxes inside the article body, and words such as "Mới nhất" in a comment
widget's sort control, are not lists.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

from .. import dates, urls
from ..text import normalize_text
from .agency import split_agency
from .body import is_link_list, is_related_box
from .dom import (
    NON_CONTENT_TAGS,
    SHORT_TEXTS,
    ElementIndex,
    HtmlElement,
    inside_tag,
    resolved_links,
    short_text,
    text_of,
)

SECTION_LABELS: dict[str, str] = {
    "tin liên quan": "related",
    "bài liên quan": "related",
    "tin bài liên quan": "related",
    "bài viết liên quan": "related",
    "có liên quan": "related",
    "tin có liên quan": "related",
    "tin mới hơn": "newer",
    "tin khác": "other",
    "các tin khác": "other",
    "tin cùng chuyên mục": "other",
    "tin bài khác": "other",
    "bài viết khác": "other",
    "tin cùng danh mục": "other",
    "bài cùng chuyên mục": "other",
    "tin bài cùng chuyên mục": "other",
    "bài viết cùng chuyên mục": "other",
    "mới nhất": "latest",
    "tin mới nhất": "latest",
    "đọc nhiều": "most_read",
    "đọc nhiều nhất": "most_read",
    "tin đọc nhiều": "most_read",
    "xem nhiều": "most_read",
    "tin xem nhiều": "most_read",
}
MORE_LABELS = frozenset({"xem thêm", "xem tiếp", "xem tất cả", "xem toàn bộ"})
# Labels of a list or box ("Tin liên quan:", "Đọc thêm:"), never part of an item's lead.
_BOX_LABELS = frozenset({*SECTION_LABELS, *MORE_LABELS, "đọc thêm", "mời xem", "mời đọc",
                         "có thể bạn quan tâm"})
_LABEL_TRIM = re.compile(r"^[\s:»›>\-–|•]+|[\s:»›>\-–|•]+$")
# The longest text a heading's element or a wrapper of a label may show: the widest
# element of a heading is sought up to it (ArticlePage leaves out the short texts of a
# body longer than that).
MAX_HEADING_CHARS = 40
_LEAD_CLASS = re.compile(r"sapo|desc|summary|lead|intro|excerpt|teaser")
_TAB_ATTRS = ("href", "data-target", "data-bs-target", "aria-controls", "data-tab", "data-id")
_TAB_ATTR_SET = frozenset(_TAB_ATTRS)
_ACTIVE = re.compile(r"\b(?:active|selected|current|true)\b")
# Widgets whose words are not list headings ("Sắp xếp: Mới nhất | Quan tâm nhất").
_WIDGET_TAGS = frozenset({"form", "select", "option", "button"})
_WIDGET_CLASS_WORDS = re.compile("comment|binh-luan|sort|filter")
# Headings of any box, recognised or not: where a list ends (see _heading_like).
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_METADATA = re.compile(r"lượt xem|lượt đọc|bình luận|views?\b|comments?\b", re.IGNORECASE)
MAX_TAB_CHARS = 30


def label_key(text: str) -> str:
    """A heading's text reduced to what SECTION_LABELS is keyed by."""
    # A plain str as cache key: lxml's text results hold their whole tree alive.
    return _label_key(str(text))


@lru_cache(maxsize=4096)  # the same short texts (menus, widgets) on every page
def _label_key(text: str) -> str:
    return _LABEL_TRIM.sub("", normalize_text(text).lower())


class ArticleLink(NamedTuple):  # a tuple: made for every article link of every page
    position: int
    anchor: HtmlElement
    url: str


def labelled_texts(root: HtmlElement) -> list[tuple[str, str]]:
    """dom.SHORT_TEXTS of a page, each with its label_key: read once for the link lists
    and the tags (the longest label has 17 characters)."""
    return [(node, label_key(node)) for node in SHORT_TEXTS(root)]


class Tab(NamedTuple):  # a tuple: a frozen dataclass costs several times that to make
    """A heading, or one tab of a tab bar; section is None for tabs we do not keep."""

    element: HtmlElement
    section: str | None


class LinkLists:
    """The article's link lists (contract field `links`) and its "Xem thêm" URL."""

    def __init__(self, root: HtmlElement, page_url: str, index: ElementIndex,
                 content: HtmlElement | None = None,
                 short_texts: list[tuple[str, str]] | None = None):
        self.root = root
        # dom.SHORT_TEXTS of the page (the longest label has 17 characters), if read already
        self.short_texts = labelled_texts(root) if short_texts is None else short_texts
        self.page_url = page_url
        self.index = index
        self.order = index.order
        self.content = content
        self._ends: dict[HtmlElement, int] = {}
        self._widgets: dict[HtmlElement, bool] = {}  # _in_widget's answers
        self._text_keys: dict[HtmlElement, str | None] = {}  # _text_key's answers
        # Every link to the site, read once for the lists and the "Xem thêm" link.
        self.site_links = resolved_links(index.links, page_url)
        self.page = urls.canonicalize(page_url)
        # Items linking to the page itself are left out of the lists, but they are items:
        # their titles are no headings that end a list.
        self.self_links = [self.order[a] for a, url, _ in self.site_links if url == self.page]
        self.anchors, self.boxed = self._article_anchors()
        self.positions = [link.position for link in self.anchors]
        self.boxed_positions = [link.position for link in self.boxed]
        self.headings = self._headings()
        self.heading_positions = [self.order[h] for h in self.headings]  # in page order
        # A list runs from its heading on: no boundary before the first heading ends one.
        self.boundaries = (sorted(self._boundaries(self.heading_positions[0]))
                           if self.headings else [])

    # -- positions -------------------------------------------------------

    def _end(self, element: HtmlElement) -> int:
        """Document position of the last element inside `element` (cached: len() of
        an lxml element counts its children)."""
        end = self._ends.get(element)
        if end is None:
            last = element
            while len(last):
                last = last[-1]
            end = self._ends[element] = self.order[last]
        return end

    def _contains(self, box: HtmlElement | None, el: HtmlElement) -> bool:
        return box is not None and self.order[box] <= self.order[el] <= self._end(box)

    def _links_in(self, box: HtmlElement) -> list[ArticleLink]:
        """Article links inside box (anchors are in page order: a binary search keeps a
        page of thousands of links linear)."""
        start = bisect_left(self.positions, self.order[box])
        end = bisect_right(self.positions, self._end(box))
        return self.anchors[start:end]

    # -- what is on the page -----------------------------------------------

    def _article_anchors(self) -> tuple[list[ArticleLink], list[ArticleLink]]:
        """(article links outside the body, links of the related boxes inside it)."""
        # tuple.__new__ makes the ArticleLink in C: ArticleLink(...) runs NamedTuple's
        # __new__, a Python function, for each of a page's dozens of article links.
        make, order = tuple.__new__, self.order
        found = [make(ArticleLink, (order[a], a, url)) for a, url, article in self.site_links
                 if article and url != self.page]
        if self.content is None:
            return found, []
        start, end = self.order[self.content], self._end(self.content)
        outside = [link for link in found if not start <= link.position <= end]
        if len(outside) == len(found):
            return outside, []
        # Inside the body, a link is the text's own unless the body leaves its box out
        # (contract §1: related-article boxes are links, not body).
        boxed = [link for link in found if start <= link.position <= end
                 and self._in_related_box(link.anchor)]
        return outside, boxed

    def _in_related_box(self, anchor: HtmlElement) -> bool:
        """Inside a box of the body that presents other articles, or a list of links."""
        for el in anchor.iterancestors():
            if el is self.content:
                return False
            if is_related_box(el, self.page_url) or is_link_list(el):
                return True
        return False

    def _headings(self) -> dict[HtmlElement, str]:
        """Elements whose whole text is a list label, outside the body and widgets."""
        headings: dict[HtmlElement, str] = {}
        for node, key in self.short_texts:
            section = SECTION_LABELS.get(key)
            if section is None:
                continue
            element = node.getparent()
            if node.is_tail:
                element = element.getparent()
            element = self._widest_with_same_text(element, key)
            if (element is None or self._contains(self.content, element)
                    or self._in_widget(element)):
                continue
            headings.setdefault(element, section)
        return dict(sorted(headings.items(), key=lambda item: self.order[item[0]]))

    def _in_widget(self, el: HtmlElement) -> bool:
        """Inside (or itself) a form control or a comment, sort or filter box: as XPath's
        ancestor-or-self::*[self::form or … or contains(@class, "sort") …] finds them, in
        a walk up (the XPath costs libxml2 several times that) that stops at an element
        asked before: a page's headings share most of their ancestors."""
        chain: list[HtmlElement] = []
        while el is not None and el not in self._widgets:
            chain.append(el)
            el = el.getparent()
        inside = el is not None and self._widgets[el]
        for box in reversed(chain):
            inside = self._widgets[box] = inside or _is_widget(box)
        return inside

    def _widest_with_same_text(self, element: HtmlElement | None,
                               key: str) -> HtmlElement | None:
        """<h3><a>Tin khác</a></h3> is one heading: climb while the text stays the label
        (key: the label's label_key)."""
        parent = element.getparent() if element is not None else None
        while parent is not None and self._text_key(parent) == key:
            element, parent = parent, parent.getparent()
        return element

    def _text_key(self, el: HtmlElement) -> str | None:
        """label_key of el's short text (MAX_HEADING_CHARS), None for a longer text or the
        body; kept by element: the tabs of one bar, the headings of one box, climb into
        the same ones."""
        if el not in self._text_keys:
            text = short_text(el, MAX_HEADING_CHARS) if el.tag not in ("body", "html") else None
            self._text_keys[el] = label_key(text) if text is not None else None
        return self._text_keys[el]

    def _boundaries(self, start: int) -> Iterator[int]:
        """Positions where a list ends: every heading, known or not, that is not part
        of a list item (an item's own title holds its link); those after start at least
        (the position first, then whether it holds an article link, as most after the
        first heading are items' titles: cheaper than the rest)."""
        yield from (self.order[h] for h in self.headings)
        inside_headings = {el for h in self.headings for el in h.iter()}
        for el in self._heading_like():
            at = self.order[el]
            if at <= start or el in inside_headings or self._holds_article_link(el, at) or (
                    inside_tag(el, "li") or short_text(el, 60) is None):
                continue
            if not self._links_to_page(el) and not self._is_item_part(el):
                yield at
        yield from self._labels(start)

    def _holds_article_link(self, el: HtmlElement, at: int) -> bool:
        """Whether el (at position at) holds an article link: at a glance when the first
        one after it is its child (an item's title), as _links_in otherwise (that needs
        the position of el's end)."""
        after = bisect_right(self.positions, at)
        if after < len(self.anchors) and self.anchors[after].anchor.getparent() is el:
            return True
        return bool(self._links_in(el))

    def _heading_like(self) -> list[HtmlElement]:
        """//h1 | … | //h6 | //*[contains(@class, "title") or contains(@class, "heading")],
        read from the element index: libxml2 pays far more to read @class of every element."""
        by_class = self.index.with_class("title", "heading")
        classed = set(by_class)
        by_tag = [el for el in self.root.iter(*_HEADING_TAGS) if el not in classed]
        return sorted([*by_class, *by_tag], key=self.order.__getitem__) if by_tag else by_class

    def _labels(self, start: int) -> Iterator[int]:
        """Short texts without links right before a box of several article links: the
        label of a list, known or not ("Bài viết cùng tác giả" in a bare <div>); those
        in elements after start at least (a label is the element or a wrapper of it),
        in no particular order."""
        # An element's own text (not a tail) comes in the order of the elements: from
        # the last back to the first one in an element at or before start, rather than a
        # look at each text before it (most of a page's come before its first list).
        for node, _ in reversed(self.short_texts):
            if node.is_tail or not node.strip():
                continue
            el = node.getparent()
            if self.order[el] <= start:
                break
            if el.tag == "a" or self._contains(self.content, el):
                continue
            # Up from the text through wrappers of it alone (<div><b>Label</b></div>),
            # by structure: reading texts costs more than the few labels there are.
            while not _holds_tag(el, "a"):
                after = el.getnext()
                if after is not None and len({link.url for link in self._links_in(after)}) >= 2:
                    text = normalize_text(node)
                    if short_text(el, MAX_HEADING_CHARS) == text and not _is_metadata(text):
                        yield self.order[el]
                    break
                parent = el.getparent()
                if parent is None or parent.tag == "body" or len(parent) != 1 or (
                        (parent.text or "").strip() or (el.tail or "").strip()):
                    break
                el = parent

    def _holds_any(self, box: HtmlElement, positions: list[int]) -> bool:
        """Whether box holds an element at one of positions (sorted: a binary search)."""
        start = bisect_left(positions, self.order[box])
        return start < len(positions) and positions[start] <= self._end(box)

    def _links_to_page(self, el: HtmlElement) -> bool:
        """Whether el holds a link to the page itself (an item of a list, not a heading)."""
        return self._holds_any(el, self.self_links)

    def _is_item_part(self, el: HtmlElement) -> bool:
        """Inside a box that links to one article only: a list item, not a list."""
        for ancestor in list(el.iterancestors())[:3]:
            linked = {link.url for link in self._links_in(ancestor)}
            if self._links_to_page(ancestor):
                linked.add(self.page)
            if len(linked) == 1:
                return True
            if len(linked) > 1:
                return False
        return False

    # -- tab bars ----------------------------------------------------------

    def _tab_bar(self, heading: HtmlElement) -> list[HtmlElement]:
        """The tabs beside a heading, itself included: the run of adjacent siblings of
        its kind with a short text and no article link; or just the heading."""
        parent = heading.getparent()
        if parent is not None and parent.tag == "li" and parent.getparent() is not None:
            heading, parent = parent, parent.getparent()
        if parent is None:
            return [heading]
        siblings = list(parent)
        at = siblings.index(heading)
        start = end = at
        while start > 0 and self._is_tab_like(siblings[start - 1], heading.tag):
            start -= 1
        while end + 1 < len(siblings) and self._is_tab_like(siblings[end + 1], heading.tag):
            end += 1
        return siblings[start:end + 1]

    def _is_tab_like(self, el: HtmlElement, tag: str) -> bool:
        return el.tag == tag and bool(short_text(el, MAX_TAB_CHARS)) and not self._links_in(el)

    def _units(self) -> list[list[Tab]]:
        """Headings grouped by tab bar, in page order."""
        units: list[list[Tab]] = []
        placed: set[HtmlElement] = set()
        # Tabs and headings are matched by their spans of positions, read once.
        spans = [(self.order[h], self._end(h), h, section) for h, section in self.headings.items()]
        for heading in self.headings:
            if heading in placed:
                continue
            tabs = []
            for el in self._tab_bar(heading):
                start, end = self.order[el], self._end(el)
                tabs.append(Tab(el, _section_of(start, end, spans)))
                placed.update(h for at, _, h, _ in spans if start <= at <= end)
            units.append(tabs)
        return units

    def _tab_pane(self, tab: HtmlElement) -> HtmlElement | None:
        """The pane a tab points at by id, if any."""
        for el in (tab, *tab.iterdescendants(), tab.getparent()):
            if el is None or not isinstance(el.tag, str):
                continue
            present = el.keys()  # one read of the names, not one per attribute asked
            if _TAB_ATTR_SET.isdisjoint(present):  # most: one test in C, not six
                continue
            for attr in _TAB_ATTRS:
                if attr not in present:
                    continue
                value = (el.get(attr) or "").strip()
                ref = value[1:] if value.startswith("#") else (value if attr != "href" else "")
                pane = self.index.first_with_id(ref) if ref else None
                if pane is not None and pane is not el:
                    return pane
        return None

    # -- assignment ------------------------------------------------------

    def _assign(self) -> list[tuple[str, ArticleLink]]:
        """(section, link) pairs in page order."""
        # The body's own boxes, whatever their heading ("Tin liên quan:", "Đọc thêm:"):
        # related articles.
        assigned = {link.position: ("related", link) for link in self.boxed}
        for tabs in self._units():
            for section, links in self._unit_lists(tabs):
                for link in links:
                    assigned.setdefault(link.position, (section, link))
        return [assigned[p] for p in sorted(assigned)]

    def _unit_lists(self, tabs: list[Tab]) -> list[tuple[str, list[ArticleLink]]]:
        kept = [t for t in tabs if t.section]
        panes: list[HtmlElement] = []
        for tab in kept:  # up to the first tab without a pane: then none is used
            pane = self._tab_pane(tab.element)
            if pane is None:
                break
            panes.append(pane)
        else:
            return [(t.section, self._links_in(p)) for t, p in zip(kept, panes, strict=True)]
        following = self._following_links(tabs)
        split = self._split_panes(following, len(tabs)) if len(tabs) > 1 else [following]
        if split is None:
            # One pane for several tabs: it belongs to the active tab.
            active = self._active_tab(tabs)
            split = [following if t is active else [] for t in tabs]
        return [(t.section, links) for t, links in zip(tabs, split, strict=True) if t.section]

    @staticmethod
    def _active_tab(tabs: list[Tab]) -> Tab:
        """The tab marked active/selected/current, else the first one."""
        for tab in tabs:
            for el in (tab.element, *tab.element.iterdescendants()):
                # Each value on its own: the words are whole words, and no word runs on
                # from one value into the other (they were read joined by a space).
                if _is_active_mark(el.get("class")) or _is_active_mark(el.get("aria-selected")):
                    return tab
        return tabs[0]

    def _following_links(self, tabs: list[Tab]) -> list[ArticleLink]:
        """Links after a heading (or tab bar), inside its box, before the next heading."""
        last = self._end(tabs[-1].element)
        scope = self._scope(tabs[0].element, last)
        if scope is None:
            return []
        # Links, boundaries and positions are in page order: binary searches.
        at = bisect_right(self.boundaries, last)
        stop = self.boundaries[at] if at < len(self.boundaries) else float("inf")
        first = max(bisect_left(self.positions, self.order[scope]),
                    bisect_right(self.positions, last))
        end = min(bisect_right(self.positions, self._end(scope)),
                  bisect_left(self.positions, stop))
        return self.anchors[first:end]

    def _scope(self, heading: HtmlElement, after: int) -> HtmlElement | None:
        """The smallest ancestor of a heading that holds article links after it."""
        for ancestor in heading.iterancestors():
            if ancestor.tag in ("body", "html"):
                return None
            inside = self._links_in(ancestor)
            if inside and inside[-1].position > after:  # the last one, in page order
                return ancestor
        return None

    def _split_panes(self, links: list[ArticleLink], count: int) -> list[list[ArticleLink]] | None:
        """Split links among `count` side-by-side panes, if the markup has that many (not
        the parts of one item: its image and its title in two boxes)."""
        if len(links) < count:
            return None  # fewer links than panes (a single one has no pane of its own)
        # The links are in page order: the smallest box around the first and the last
        # holds them all.
        last = links[-1].anchor
        common = next(box for box in (links[0].anchor, *links[0].anchor.iterancestors())
                      if self._contains(box, last))
        item = self._item_box(links[0])
        if item is not None and self._contains(item, common):
            return None  # the boxes below common are the first item's parts
        panes: dict[HtmlElement, list[ArticleLink]] = {}
        child = None
        for link in links:
            # The links of one pane follow each other: the pane of the one before, if
            # it holds this one too, without a climb from the link.
            if child is None or not self.order[child] <= link.position <= self._end(child):
                child = link.anchor
                while child is not common and child.getparent() is not common:
                    child = child.getparent()
                if child is common:
                    return None  # the link is the common box itself
            panes.setdefault(child, []).append(link)
            if len(panes) > count:
                return None  # more panes than tabs, whatever the links after
        return list(panes.values()) if len(panes) == count else None

    # -- items -----------------------------------------------------------

    def links(self) -> list[dict]:
        """One entry per list item: {section, url, title, summary}, in page order."""
        items: dict[tuple[str, str], list[ArticleLink]] = {}
        for section, link in self._assign():
            items.setdefault((section, link.url), []).append(link)
        return [
            {"section": section, "url": url, "title": self._title(anchors),
             "summary": split_agency(self._summary(anchors))[1]}
            for (section, url), anchors in items.items()
        ]

    @staticmethod
    def _title(anchors: list[ArticleLink]) -> str | None:
        """The item's title: its longest link text, else a link's title or image alt."""
        texts = [text for link in anchors if (text := _quick_text(link.anchor))]
        if not texts:
            for link in anchors:
                texts.append(normalize_text(link.anchor.get("title")))
                texts.extend(normalize_text(alt) for alt in link.anchor.xpath(".//img/@alt"))
            texts = [t for t in texts if t]
        return max(texts, key=len) if texts else None

    def _summary(self, anchors: list[ArticleLink]) -> str | None:
        """The item's lead, from the first of its boxes that prints one (an article in a
        box inside the body and again in a list below: the list's lead)."""
        item = None
        for link in anchors:
            if item is not None and self._contains(item, link.anchor):
                continue  # the image link and the title link of one item: one box
            item = self._item_box(link)
            lead = self._lead_in(item) if item is not None else None
            if lead:
                return lead
        return None

    def _lead_in(self, item: HtmlElement) -> str | None:
        """An item's lead: a lead-classed block, else its text outside the links,
        without dates, view counts, its box's label ("Đọc thêm:") and the like."""
        # The item's elements are a run of the page's, with their classes read already.
        classes = self.index.classes
        for at in range(self.order[item], self._end(item) + 1):
            cls = classes[at]
            if not cls or not _LEAD_CLASSES[cls]:
                continue
            el = self.index.elements[at]
            if isinstance(el.tag, str) and not _holds_tag(el, "a") and not inside_tag(el, "a"):
                lead = _quick_text(el)
                if lead:
                    return lead
        pieces = [p for p in (normalize_text(t) for t in _text_outside_links(item))
                  if p and label_key(p) not in _BOX_LABELS and not _is_metadata(p)]
        lead = normalize_text(" ".join(pieces))
        return lead if len(lead) >= 20 else None

    def _item_box(self, first: ArticleLink) -> HtmlElement | None:
        """The largest ancestor of an item's link that holds no link to another
        article and no list heading: the item, not its list (nor, for a box inside
        the body, the body)."""
        # An ancestor holds one of those if it reaches back to the nearest one before
        # the link or on to the nearest one after it: two positions found once, then
        # a comparison for each ancestor (not a search of its links).
        at = first.position
        headings = self.heading_positions
        found = bisect_right(headings, at)
        before = headings[found - 1] if found else -1
        after = headings[found] if found < len(headings) else math.inf
        for links, positions in ((self.anchors, self.positions),
                                 (self.boxed, self.boxed_positions)):
            if links:
                near = _nearest_elsewhere(links, positions, at, first.url)
                before, after = max(before, near[0]), min(after, near[1])
        # getparent() and not iterancestors(): the climb stops after two or three steps,
        # and lxml's iterator costs more to make than those.
        box, ancestor = None, first.anchor.getparent()
        while ancestor is not None:
            if ancestor is self.content or self.order[ancestor] <= before or (
                    self._end(ancestor) >= after):
                break
            box, ancestor = ancestor, ancestor.getparent()
        return box

    def more_url(self) -> str | None:
        """The "Xem thêm" listing link, preferring one after the "Tin khác" heading."""
        after = min((self.order[h] for h, s in self.headings.items() if s == "other"),
                    default=-1)
        found: list[tuple[bool, int, str]] = []
        for a, url, article in self.site_links:
            if article or not urls.is_listing_url(url):  # (no article URL is a listing)
                continue  # the URL first: cheaper than the text
            # A link of text alone (menus, the "Xem thêm" link): its answer kept by text.
            more = _MORE_TEXTS[a.text or ""] if not len(a) else _is_more_label(short_text(a, 20))
            if more:
                found.append((self.order[a] < after, self.order[a], url))
        return min(found)[2] if found else None


class _Memo(dict[str, bool]):
    """A test of strings, each answer kept: the few classes of a template's list items
    and the texts of its menus recur on every page. A dict read in C (an lru_cache call
    costs several times that, asked for every classed element of every item); emptied
    when large."""

    def __init__(self, test: Callable[[str], bool]):
        super().__init__()
        self.test = test

    def __missing__(self, cls: str) -> bool:
        if len(self) >= 4096:
            self.clear()
        answer = self[cls] = self.test(cls)
        return answer


_LEAD_CLASSES = _Memo(lambda cls: _LEAD_CLASS.search(cls.lower()) is not None)


def _is_more_label(text: str | None) -> bool:
    """Whether a link's short_text (20) is a "Xem thêm" label."""
    return text is not None and label_key(text) in MORE_LABELS


def _leaf_short_text(text: str, limit: int) -> str | None:
    """short_text(el, limit) of an element with no children whose text is text (and
    whose tag is no non-content one: a link's)."""
    if len(text.strip()) > limit:
        return None
    text = normalize_text(text)
    return text if len(text) <= limit else None


# By the text of a link with no children: what more_url asks of its short_text.
_MORE_TEXTS = _Memo(lambda text: _is_more_label(_leaf_short_text(text, 20)))


def _nearest_elsewhere(links: list[ArticleLink], positions: list[int], at: int,
                       url: str) -> tuple[float, float]:
    """Positions of the nearest of links (in page order, at positions) to another URL
    than url, at or before position at and after it (-1 and inf for none)."""
    after = bisect_right(positions, at)
    before = after - 1
    while before >= 0 and links[before].url == url:
        before -= 1
    while after < len(links) and links[after].url == url:
        after += 1
    return (positions[before] if before >= 0 else -1,
            positions[after] if after < len(links) else math.inf)


def _quick_text(el: HtmlElement) -> str:
    """text_of an element, read at a glance when it holds only text (an item's title
    link, its lead block: that text) or only an image (an item's image link: no text)."""
    children = len(el)
    if not children:
        return normalize_text(el.text) if el.tag not in NON_CONTENT_TAGS else ""
    if children == 1 and not el.text:
        child = el[0]
        if child.tag == "img" and not child.tail and not child.text and not len(child):
            return ""
    return text_of(el)


def _is_active_mark(value: str | None) -> bool:
    """Whether a tab's class or aria-selected value marks it active."""
    return value is not None and _ACTIVE.search(value.lower()) is not None


def _section_of(start: int, end: int,
                spans: list[tuple[int, int, HtmlElement, str]]) -> str | None:
    """The section of the heading that is a tab (from position start to end), inside it or
    around it; spans: (start, end, heading, section) of the headings, in page order."""
    for at, last, _, section in spans:
        if start <= at <= end or at <= start <= last:
            return section
    return None


def _is_widget(box: HtmlElement) -> bool:
    """A form control or a comment, sort or filter box (see LinkLists._in_widget)."""
    if box.tag in _WIDGET_TAGS or "comment" in (box.get("id") or ""):
        return True
    cls = box.get("class")
    return bool(cls and _WIDGET_CLASS_WORDS.search(cls))


def _holds_tag(el: HtmlElement, tag: str) -> bool:
    """Whether el is or holds a `tag` element (.//tag): its tag alone for an element
    without children, as most leads are (lxml's iterator costs more to make)."""
    return el.tag == tag if not len(el) else next(el.iter(tag), None) is not None


def _text_outside_links(el: HtmlElement) -> Iterator[str]:
    """Text of an element, skipping links and non-content elements, piece by piece."""
    if el.tag == "a" or el.tag in NON_CONTENT_TAGS:
        return
    yield el.text or ""
    for child in el:
        if isinstance(child.tag, str):
            yield from _text_outside_links(child)
        yield child.tail or ""


def _is_metadata(piece: str) -> bool:
    """A date, a view or comment count, or punctuation: not part of a lead."""
    # A plain str as cache key: lxml's text results hold their whole tree alive.
    return _is_metadata_text(str(piece))


@lru_cache(maxsize=4096)  # list labels and widget words repeat page after page
def _is_metadata_text(piece: str) -> bool:
    if not re.search(r"[^\W\d_]{2}", piece):
        return True
    short = len(piece) <= 60
    return short and (_METADATA.search(piece) is not None or dates.parse_date(piece) is not None)
