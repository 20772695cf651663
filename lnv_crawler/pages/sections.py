"""Link lists of an article page, found by the Vietnamese heading they sit under.

The CMS prints the lists as a heading ("Tin liên quan", "Tin mới hơn",
"Tin khác", "Mới nhất", "Đọc nhiều") followed by items, each an image link, a
title link and a lead. Class names differ between templates, the headings'
wording does not, so a list is the article links that follow its heading:
  - in the pane a tab points at (href="#id", data-target, aria-controls);
  - else up to the next heading, inside the smallest box around the heading
    that holds links; tabs side by side share that box pane by pane.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import urls
from ..text import normalize_text
from .dom import HtmlElement, text_of

SECTION_LABELS: dict[str, str] = {
    "tin liên quan": "related",
    "bài liên quan": "related",
    "tin bài liên quan": "related",
    "tin mới hơn": "newer",
    "tin khác": "other",
    "các tin khác": "other",
    "tin cùng chuyên mục": "other",
    "tin bài khác": "other",
    "mới nhất": "latest",
    "tin mới nhất": "latest",
    "đọc nhiều": "most_read",
    "đọc nhiều nhất": "most_read",
    "tin đọc nhiều": "most_read",
    "xem nhiều": "most_read",
    "tin xem nhiều": "most_read",
}
MORE_LABELS = frozenset({"xem thêm", "xem tiếp", "xem tất cả", "xem toàn bộ"})
_LABEL_TRIM = re.compile(r"^[\s:»›>\-–|•]+|[\s:»›>\-–|•]+$")
_LEAD_CLASS = re.compile(r"sapo|desc|summary|lead|intro|excerpt|teaser")
_TAB_ATTRS = ("href", "data-target", "data-bs-target", "aria-controls", "data-tab", "data-id")


def label_key(text: str) -> str:
    """A heading's text reduced to what SECTION_LABELS is keyed by."""
    return _LABEL_TRIM.sub("", normalize_text(text).lower())


@dataclass(frozen=True)
class ArticleLink:
    position: int
    anchor: HtmlElement
    url: str


@dataclass(frozen=True)
class Heading:
    position: int
    element: HtmlElement
    section: str


class LinkLists:
    """The article's link lists (contract field `links`) and its "Xem thêm" URL."""

    def __init__(self, root: HtmlElement, page_url: str, order: dict[HtmlElement, int],
                 content: HtmlElement | None = None):
        self.root = root
        self.page_url = page_url
        self.order = order
        # Boxes of links inside the article body ("Tin liên quan: …") are part of
        # the text's furniture, not of the page's link lists.
        self.content = content
        self.anchors = self._article_anchors()
        self.headings = [h for h in self._headings() if not self._in_content(h.element)]

    # -- building blocks -------------------------------------------------

    def _in_content(self, element: HtmlElement) -> bool:
        if self.content is None:
            return False
        return self.order[self.content] <= self.order[element] <= self._end(self.content)

    def _article_anchors(self) -> list[ArticleLink]:
        page = urls.canonicalize(self.page_url)
        found = []
        for a in self.root.iter("a"):
            href = urls.absolute(a.get("href"), self.page_url)
            url = urls.canonicalize(href) if href else None
            if url and url != page and urls.is_article_url(url):
                found.append(ArticleLink(self.order[a], a, url))
        return found

    def _headings(self) -> list[Heading]:
        headings: dict[HtmlElement, Heading] = {}
        for node in self.root.xpath("//body//text()[string-length(normalize-space()) < 40]"):
            section = SECTION_LABELS.get(label_key(node))
            if section is None:
                continue
            element = node.getparent()
            if node.is_tail:
                element = element.getparent()
            element = self._widest_with_same_text(element, node)
            if element is not None and element not in headings:
                headings[element] = Heading(self.order[element], element, section)
        return sorted(headings.values(), key=lambda h: h.position)

    @staticmethod
    def _widest_with_same_text(element: HtmlElement | None, node: str) -> HtmlElement | None:
        """<h3><a>Tin khác</a></h3> is one heading: climb while the text stays the label."""
        key = label_key(node)
        while element is not None and element.getparent() is not None:
            parent = element.getparent()
            if parent.tag in ("body", "html") or label_key(text_of(parent)) != key:
                break
            element = parent
        return element

    def _tab_pane(self, heading: Heading) -> HtmlElement | None:
        """The pane a tab heading points at by id, if any."""
        element = heading.element
        candidates = [element, *element.iterdescendants(), element.getparent()]
        for el in candidates:
            if el is None or not isinstance(el.tag, str):
                continue
            for attr in _TAB_ATTRS:
                value = (el.get(attr) or "").strip()
                ref = value[1:] if value.startswith("#") else (value if attr != "href" else "")
                if not ref:
                    continue
                pane = self.root.xpath("//*[@id=$ref]", ref=ref)
                if pane and pane[0] is not el:
                    return pane[0]
        return None

    def _scope(self, heading: Heading) -> HtmlElement | None:
        """The smallest ancestor of a heading that holds article links after it."""
        for ancestor in heading.element.iterancestors():
            if ancestor.tag in ("body", "html"):
                return None
            last = self._end(ancestor)
            if any(heading.position < link.position <= last for link in self.anchors):
                return ancestor
        return None

    def _end(self, element: HtmlElement) -> int:
        """Document position of the last element inside `element`."""
        while len(element):
            element = element[-1]
        return self.order[element]

    def _links_in(self, container: HtmlElement) -> list[ArticleLink]:
        start, end = self.order[container], self._end(container)
        return [link for link in self.anchors if start <= link.position <= end]

    # -- assignment ------------------------------------------------------

    def _assign(self) -> list[tuple[str, ArticleLink]]:
        """(section, link) pairs in page order."""
        assigned: dict[int, str] = {}
        by_position = {link.position: link for link in self.anchors}
        groups = self._tab_groups()
        for group in groups:
            panes = [self._tab_pane(h) for h in group]
            if all(pane is not None for pane in panes):
                for heading, pane in zip(group, panes, strict=False):
                    for link in self._links_in(pane):
                        assigned.setdefault(link.position, heading.section)
                continue
            following = self._following_links(group)
            split = self._split_panes(following, len(group))
            if split is None:
                # One pane for several tabs: it belongs to the active tab.
                active = self._active_tab(group)
                split = [following if h is active else [] for h in group]
            for heading, links in zip(group, split, strict=False):
                for link in links:
                    assigned.setdefault(link.position, heading.section)
        return [(assigned[p], by_position[p]) for p in sorted(assigned)]

    def _tab_groups(self) -> list[list[Heading]]:
        """Headings grouped into tab bars: siblings with no article link between them."""
        groups: list[list[Heading]] = []
        for heading in self.headings:
            if groups and self._are_tabs(groups[-1][-1], heading):
                groups[-1].append(heading)
            else:
                groups.append([heading])
        return groups

    def _are_tabs(self, a: Heading, b: Heading) -> bool:
        """Tabs of one bar: same kind of element, side by side, no article link between."""
        if any(a.position < link.position < b.position for link in self.anchors):
            return False
        ea, eb = a.element, b.element
        pa, pb = ea.getparent(), eb.getparent()
        if ea.tag == eb.tag and pa is pb:
            return True
        return (pa is not None and pb is not None and pa.tag == pb.tag == "li"
                and pa.getparent() is pb.getparent())

    @staticmethod
    def _active_tab(group: list[Heading]) -> Heading:
        """The tab marked active/selected/current, else the first one."""
        for heading in group:
            for el in (heading.element, heading.element.getparent()):
                marks = f"{el.get('class', '')} {el.get('aria-selected', '')}".lower()
                if el is not None and re.search(r"\b(?:active|selected|current|true)\b", marks):
                    return heading
        return group[0]

    def _following_links(self, group: list[Heading]) -> list[ArticleLink]:
        """Links after the group's last heading, inside its box, before the next heading."""
        last = group[-1]
        scope = self._scope(last)
        if scope is None:
            return []
        later = [h.position for h in self.headings if h.position > last.position]
        stop = min(later) if later else float("inf")
        return [link for link in self._links_in(scope) if last.position < link.position < stop]

    @staticmethod
    def _split_panes(links: list[ArticleLink], count: int) -> list[list[ArticleLink]] | None:
        """Split links among `count` side-by-side panes, if the markup has that many."""
        if count < 2 or not links:
            return None
        common = links[0].anchor
        for ancestor in [links[0].anchor, *links[0].anchor.iterancestors()]:
            common = ancestor
            if all(ancestor in (link.anchor, *link.anchor.iterancestors()) for link in links):
                break
        panes: dict[HtmlElement, list[ArticleLink]] = {}
        for link in links:
            child = next(a for a in (link.anchor, *link.anchor.iterancestors())
                         if a.getparent() is common)
            panes.setdefault(child, []).append(link)
        return list(panes.values()) if len(panes) == count else None

    # -- items -----------------------------------------------------------

    def links(self) -> list[dict]:
        """One entry per list item: {section, url, title, summary}, in page order."""
        items: dict[tuple[str, str], list[ArticleLink]] = {}
        for section, link in self._assign():
            items.setdefault((section, link.url), []).append(link)
        return [
            {"section": section, "url": url, "title": self._title(anchors),
             "summary": self._summary(anchors)}
            for (section, url), anchors in items.items()
        ]

    @staticmethod
    def _title(anchors: list[ArticleLink]) -> str | None:
        """The item's title: its longest link text, else a link's title or image alt."""
        texts = [t for t in (text_of(link.anchor) for link in anchors) if t]
        if not texts:
            for link in anchors:
                texts.append(normalize_text(link.anchor.get("title")))
                texts.extend(normalize_text(alt) for alt in link.anchor.xpath(".//img/@alt"))
            texts = [t for t in texts if t]
        return max(texts, key=len) if texts else None

    def _summary(self, anchors: list[ArticleLink]) -> str | None:
        item = self._item_box(anchors)
        if item is None:
            return None
        blocks = [el for el in item.iter() if isinstance(el.tag, str) and el.tag != "a"
                  and not el.xpath("ancestor-or-self::a | .//a")]
        title = self._title(anchors)
        texts = [(bool(_LEAD_CLASS.search(el.get("class", "").lower())), text_of(el))
                 for el in blocks]
        texts = [(marked, t) for marked, t in texts if t and t != title]
        marked = [t for is_lead, t in texts if is_lead]
        if marked:
            return marked[0]
        long_enough = [t for _, t in texts if len(t) >= 20]
        return max(long_enough, key=len) if long_enough else None

    def _item_box(self, anchors: list[ArticleLink]) -> HtmlElement | None:
        """The largest ancestor of the item's links that holds no link to another
        article and no list heading: the item, not its list."""
        url = anchors[0].url
        box = None
        for ancestor in anchors[0].anchor.iterancestors():
            start, end = self.order[ancestor], self._end(ancestor)
            if any(start <= h.position <= end for h in self.headings) or any(
                    link.url != url for link in self._links_in(ancestor)):
                break
            box = ancestor
        return box

    def more_url(self) -> str | None:
        """The "Xem thêm" listing link, preferring one after the "Tin khác" heading."""
        after = min((h.position for h in self.headings if h.section == "other"), default=-1)
        found: list[tuple[bool, int, str]] = []
        for a in self.root.iter("a"):
            if label_key(text_of(a)) not in MORE_LABELS:
                continue
            href = urls.absolute(a.get("href"), self.page_url)
            url = urls.canonicalize(href) if href else None
            if url and urls.is_listing_url(url):
                found.append((self.order[a] < after, self.order[a], url))
        return min(found)[2] if found else None
