"""ArticlePage: one article page (HTML + canonical URL) -> the contract's record.

Each field is one method that tries the signals of meaning first (headings'
text, meta tags, JSON-LD, URL shapes) and the CMS's class names among them,
so a template that differs from MasterCMS's still yields a full record.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time, timezone
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree

from .. import dates, urls
from ..items import SCHEMA_VERSION
from ..text import normalize_or_none, normalize_text
from .agency import has_agency_code, split_agency
from .body import Image, Paragraph, block_of, extract_blocks
from .byline import MAX_BYLINE_CHARS, authors_of, looks_like_byline
from .dom import (
    NON_CONTENT_TAGS,
    ElementIndex,
    HtmlElement,
    MetaTags,
    has_text,
    inside_tag,
    is_in_menu,
    is_site_chrome,
    json_ld,
    ld_types,
    ld_value,
    parse_html,
    short_text,
    short_texts_around,
    text_exceeds,
    text_of,
    xpath_shorter,
)
from .sections import MAX_HEADING_CHARS, LinkLists, label_key, labelled_texts

_ARTICLE_TYPES = ("newsarticle", "article", "reportagenewsarticle", "blogposting",
                  "analysisnewsarticle", "opinionnewsarticle", "webpage")
_NON_ARTICLE_TYPES = frozenset({"videoobject", "imagegallery", "mediagallery", "collectionpage"})
_NON_ARTICLE_SECTIONS = frozenset({"video", "videos", "photo", "photos", "anh", "tag", "tags",
                                   "podcast", "multimedia", "gallery", "album", "media"})
_MEDIA_TITLE = re.compile(r"^\s*\[(?:ảnh|video|photo|clip|infographic|podcast)\]", re.IGNORECASE)
_ERROR_TITLE = re.compile(r"không tìm thấy|lỗi 404|\b404\b|page not found|trang không tồn tại"
                          r"|^thông báo$", re.IGNORECASE)
_ERROR_TEXT = re.compile(
    r"^(?:bài viết|trang|nội dung)[^.]{0,40}(?:không tồn tại|đã bị (?:gỡ|xóa|xoá))",
    re.IGNORECASE)

_BODY_ID = "__MB_MASTERCMS_EL_3"  # the CMS's body container
_CONTENT_XPATHS = tuple(etree.XPath(x) for x in (
    '//*[contains(concat(" ", normalize-space(@class), " "), " __MASTERCMS_CONTENT ")]',
    '//*[@itemprop="articleBody"]',
    '//*[contains(@class, "article-detail-content") or contains(@class, "detail-content")'
    ' or contains(@class, "article-content") or contains(@class, "article-body")'
    ' or contains(@class, "content-detail") or contains(@class, "entry-content")'
    ' or contains(@class, "post-content") or contains(@class, "news-content")'
    ' or contains(@class, "fck_detail") or contains(@class, "body-text")]',
))
_SAPO_CLASS = re.compile(r"sapo|desc|lead|summary|intro")
_CRUMB_XPATHS = tuple(etree.XPath(x) for x in (
    '//*[contains(@class, "breadcrumb") or contains(@class, "crumb")'
    ' or contains(@class, "path")]//a',
    '//a[contains(@class, "cate")]',
    '//*[contains(@class, "cate") or contains(@class, "chuyen-muc") or contains(@class, "section")'
    ' or contains(@class, "category")]//a',
    '//*[@itemtype="http://schema.org/BreadcrumbList" or'
    ' @itemtype="https://schema.org/BreadcrumbList"]//a',
    '//nav[contains(@aria-label, "breadcrumb")]//a',
))
_BYLINE_BOXES = etree.XPath('//*[contains(@class, "author") or contains(@class, "byline")'
                            ' or (@itemprop="author" and not(self::meta))]')
# The words of a tag box's label ("Tags:", "Từ khóa:"): also what sections.label_key
# makes of such a label, checked before the pattern.
_TAG_LABEL_KEYS = frozenset({"tag", "tags", "từ khóa", "từ khoá", "chủ đề", "keyword", "keywords"})
# A tag box's label inside the body (xpath_shorter(label, 16), as for the others): in
# its whole text, or only among the body's own text nodes.
_TAG_LABEL_TEXTS = etree.XPath("descendant::text()[string-length(normalize-space()) < 16]")
_OWN_TAG_LABEL_TEXTS = etree.XPath("text()[string-length(normalize-space()) < 16]")
_TAG_LABEL = re.compile(rf"^(?:{'|'.join(sorted(_TAG_LABEL_KEYS))})\s*:?\s*$", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s+[-|–]\s+[^-|–]*(?:làng nghề|langngheviet)[^-|–]*$", re.IGNORECASE)
_HOME_CRUMB = re.compile(r"^(?:trang chủ|home|làng nghề việt nam)$", re.IGNORECASE)
_MAX_DATE_TEXT = 120
_CRUMB_REACH = 20  # elements above the headline where its breadcrumb may sit
_MAX_CRUMBS = 3  # home, category, subcategory: a menu has more
_MIN_LEAD_CHARS = 60  # a lead is a sentence or two; a time line or a crumb is shorter
_INLINE_TAGS = frozenset({"span", "font", "strong", "b", "em", "i", "u", "a"})
_CLOSING_LEVELS = 3  # the body container, its wrapper, the wrapper's box
_ALIGN_RIGHT = re.compile(r"text-align\s*:\s*right", re.IGNORECASE)
_MAX_ITEM_CHARS = 300  # a list item: a headline, a date, maybe a teaser
_MAX_DATE_WORDS = 8  # "Thứ Hai, 08/04/2019 09:45 (GMT+7) | Lượt xem: 4186" has five
_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")
_DATE_NUMBERS = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\d{4}-\d\d-\d\d|năm\s*\d{4}")
_WORD = re.compile(r"[^\W\d_]+")
_UPDATED_LABEL = re.compile(r"^\W*(?:cập nhật|updated?|last updated|sửa lúc|chỉnh sửa)\b",
                            re.IGNORECASE)
_ANCHORS = (datetime(2090, 1, 1, tzinfo=timezone.utc), datetime(2091, 7, 1, tzinfo=timezone.utc))


def _same_title(a: str, b: str) -> bool:
    """Two spellings of one headline: equal, or one most of the other."""
    a, b = a.lower(), b.lower()
    return a == b or (a in b and 2 * len(a) >= len(b)) or (b in a and 2 * len(b) >= len(a))


def _date_text(text: str) -> datetime | None:
    """The time a short text prints, if it is a full date (with its year, not relative)
    and the text is mostly that date: "Cập nhật: 10:40 ngày 18/07/2024", not a sentence
    that mentions a date, nor a line holding two dates."""
    if len(_WORD.findall(text)) > _MAX_DATE_WORDS or len(_DATE_NUMBERS.findall(text)) > 1:
        return None
    parsed, against_now = dates.parse_date_against(text, now=_ANCHORS[0])
    if not against_now:
        return parsed
    # Relative and year-less dates move with `now`: a full date does not.
    return parsed if parsed and parsed == dates.parse_date(text, now=_ANCHORS[1]) else None


def _title_rank(h1: HtmlElement) -> int:
    """Headline candidates, best first: the CMS's class, a title class, in an <article>,
    any (in page order within each: the sort is stable)."""
    cls = h1.get("class", "")
    if "article-detail-title" in cls:
        return 0
    if "title" in cls:
        return 1
    return 2 if next(h1.iterancestors("article"), None) is not None else 3


def _page_title(root: HtmlElement) -> str | None:
    """The text of the first <title> ('' when empty), as root.findtext(".//title") reads
    it without ElementPath's Python-level walk."""
    title = next(root.iter("title"), None)
    return None if title is None else (title.text or "")


def _links_to_tag(a: HtmlElement, href: str | None) -> bool:
    """A link to a tag page: rel="tag", or /tag/ or /tags/ in its href."""
    return (bool(href) and ("/tag/" in href or "/tags/" in href)) or a.get("rel") == "tag"


def _in_article_list_item(el: HtmlElement) -> bool:
    """Inside a list item that links to an article (ancestor::li[.//a[contains(@class,
    'article')]] without XPath): an item of a list, not a tag box."""
    return any("article" in (a.get("class") or "")
               for li in el.iterancestors("li") for a in li.iter("a"))


def _in_link_or_item(el: HtmlElement) -> bool:
    """Inside a link or a list item (ancestor-or-self::a | ancestor::li)."""
    return el.tag == "a" or inside_tag(el, "a", "li")


def _inline_text_length(el: HtmlElement) -> int:
    """Characters of an element's own text and of its inline children's (one level)."""
    parts = [el.text, *(t for c in el if c.tag in _INLINE_TAGS for t in (c.text, c.tail))]
    return sum(len(t.strip()) for t in parts if t)


class ArticlePage:
    """Parses one article page; `to_item()` is None for pages that are not articles."""

    def __init__(self, html: str | bytes | HtmlElement, url: str,
                 fetched_at: datetime | None = None, now: datetime | None = None):
        self.url = urls.canonicalize(url) or url
        self.root = parse_html(html)
        self.fetched_at = fetched_at or datetime.now(timezone.utc)
        self.now = now

    # -- shared parse state ------------------------------------------------

    @cached_property
    def index(self) -> ElementIndex:
        return ElementIndex(self.root)

    @property
    def elements(self) -> list[HtmlElement]:
        """Every element in document order (positions index into this list)."""
        return self.index.elements

    @property
    def order(self) -> dict[HtmlElement, int]:
        return self.index.order

    @cached_property
    def _short_texts(self) -> list[tuple[str, str]]:  # for the tags and the link lists
        """dom.SHORT_TEXTS with their label_key, but those inside a body whose text is
        longer than any list heading: the link lists skip a heading or label inside the
        body, and a heading grows out of its element only while the text stays the
        label (sections' _widest_with_same_text), which no element holding such a body
        does. The body holds most of a page's text, which SHORT_TEXTS reads in full.
        The tags' labels inside the body: _body_tag_labels."""
        around = self._short_texts_around_body
        if around is None:
            return labelled_texts(self.root)
        return [(node, label_key(node)) for node in around]

    @cached_property
    def _short_texts_around_body(self) -> list[str] | None:
        """dom.short_texts_around the body, if the body's text is longer than any list
        heading (and the body lies inside <body>)."""
        if self.content is None or not text_exceeds(self.content, MAX_HEADING_CHARS):
            return None
        return short_texts_around(self.content)

    @cached_property
    def _body_tag_labels(self) -> list[str]:
        """The texts inside the body that _short_texts leaves out and that may be a tag
        box's label (shorter than 16). Without a link in the body, only its own text
        nodes: the box of a label further in lies inside the body, and so do its links."""
        if self._short_texts_around_body is None:
            return []
        if next(self.content.iter("a"), None) is None:
            return _OWN_TAG_LABEL_TEXTS(self.content)
        return _TAG_LABEL_TEXTS(self.content)

    @cached_property
    def meta(self) -> MetaTags:
        return MetaTags(self.root)

    @cached_property
    def ld(self) -> list[dict]:
        return json_ld(self.root)

    @cached_property
    def title_element(self) -> HtmlElement | None:
        """The article's h1: not the logo's, preferably the one the metadata names."""
        candidates = sorted((h1 for h1 in self.root.iter("h1")
                             if len(text_of(h1)) >= 5 and not is_site_chrome(h1)), key=_title_rank)
        named = self._metadata_titles()
        for h1 in candidates:
            if any(_same_title(text_of(h1), name) for name in named):
                return h1
        return candidates[0] if candidates else None

    def _metadata_titles(self) -> list[str]:
        names = [self.meta.content("og:title", "twitter:title"),
                 ld_value(self.ld, "headline", _ARTICLE_TYPES), _page_title(self.root)]
        return [_SITE_SUFFIX.sub("", normalize_text(n)) for n in names if isinstance(n, str)]

    @cached_property
    def _article_box(self) -> HtmlElement | None:
        """The smallest element holding both the headline and the body, if both are known."""
        if self.content is None or self.title_element is None:
            return None
        title_ancestors = set(self.title_element.iterancestors())
        return next((a for a in self.content.iterancestors() if a in title_ancestors), None)

    def _inside(self, el: HtmlElement, box: HtmlElement | None) -> bool:
        return box is not None and (el is box or box in el.iterancestors())

    @cached_property
    def content(self) -> HtmlElement | None:
        """The element that holds the body, by known markers, else by text density."""
        # The CMS's id; the other elements with it only when the first is empty.
        first = self.index.first_with_id(_BODY_ID)
        if first is not None and has_text(first):
            return first
        for el in self.index.with_id(_BODY_ID) if first is not None else ():
            if has_text(el):
                return el
        for xpath in _CONTENT_XPATHS:
            for el in xpath(self.root):
                if has_text(el):
                    return el
        return self._densest_element()

    def _densest_element(self) -> HtmlElement | None:
        best, best_score = None, 200  # fewer characters than this is not a body
        for el in self.root.iter("div", "td", "article", "section", "main"):
            score = sum(len(normalize_text(t)) for t in (el.text, *(c.tail for c in el)) if t)
            score += sum(len(text_of(p)) for p in el if p.tag == "p")
            # Paragraphs set as <div>s: their own text (not a wrapper's whole subtree).
            score += sum(_inline_text_length(d) for d in el if d.tag == "div")
            if score > best_score:
                best, best_score = el, score
        return best

    @cached_property
    def _blocks(self) -> list[Paragraph | Image]:
        if self.content is None:
            return []
        start = self.order[self.content]
        if self._head_end == start:
            return extract_blocks(self.content, self.url)
        # The headline sits inside the body's container: what precedes the first block
        # of prose after it (breadcrumb, headline, time line, share bar) is not body.
        around = set(self.elements[self._head_end].iterancestors())
        head = frozenset(el for el in self.elements[start + 1:self._head_end]
                         if el not in around)
        return extract_blocks(self.content, self.url, head)

    @cached_property
    def _paragraphs(self) -> list[Paragraph]:
        """The body's paragraphs, without a time line that opens it."""
        paragraphs = [b for b in self._blocks if isinstance(b, Paragraph)]
        return paragraphs[1:] if self._opening_time is not None else paragraphs

    @cached_property
    def _opening_time(self) -> tuple[bool, datetime] | None:
        """(labelled as an update, time) of a time line printed as the body's first
        paragraph (older templates put it inside the body's cell)."""
        first = next((b for b in self._blocks if isinstance(b, Paragraph)), None)
        if first is None or len(first.text) > _MAX_DATE_TEXT:
            return None
        parsed = _date_text(first.text)
        return (bool(_UPDATED_LABEL.match(first.text)), parsed) if parsed else None

    @cached_property
    def _head_end(self) -> int:
        """Where the body's own text begins: the body container's start, or, when the
        headline sits inside that container, the first block of prose after it."""
        start = self.order[self.content]
        if self.title_element is None or not self._inside(self.title_element, self.content):
            return start
        for el in self.elements[self._end(self.title_element) + 1:self._end(self.content) + 1]:
            if (isinstance(el.tag, str) and el.tag not in NON_CONTENT_TAGS
                    and short_text(el, _MIN_LEAD_CHARS) is None):
                return self.order[el]
        return start

    def _end(self, el: HtmlElement) -> int:
        """Position of the last element inside el."""
        while len(el):
            el = el[-1]
        return self.order[el]

    @cached_property
    def _lead(self) -> tuple[str | None, str | None]:
        """(sapo text as printed, text of a body paragraph that carried it, if any)."""
        described = self._description_block()
        paragraphs = self._paragraphs
        if described:
            first_text = paragraphs[0].text if paragraphs else None
            return described, (first_text if first_text == described else None)
        if paragraphs:
            lead = paragraphs[0]
            has_code = has_agency_code(lead.text)
            if has_code or (lead.emphasized and len(lead.text) >= 80):
                return lead.text, lead.text
        return None, None

    def _description_block(self) -> str | None:
        """The lead printed between the headline and the body (nearest the body wins:
        blocks classed "sapo" elsewhere on the page belong to list items)."""
        if self.content is None:
            return None
        start = self.order[self.content]
        after = self.order[self.title_element] if self.title_element is not None else -1
        # With the headline inside the body's container, the lead may be the first
        # block of prose after it.
        end = self._head_end + 1 if self._head_end != start else start
        around_body = set(self.content.iterancestors())
        classes = self.index.classes[after + 1:end]
        candidates = [el for el, cls in zip(self.elements[after + 1:end], classes, strict=True)
                      if isinstance(el.tag, str) and el not in around_body
                      and ((cls and _SAPO_CLASS.search(cls)) or (
                          el.get("itemprop") == "description" and el.tag != "meta"))]
        for el in sorted(candidates, key=self.order.get, reverse=True):
            if _in_link_or_item(el) or is_site_chrome(el):
                continue
            text = text_of(el)
            if len(text) >= 20:
                return text
        return None if candidates else self._unclassed_lead(start, after, around_body)

    def _unclassed_lead(self, start: int, after: int,
                        around_body: set[HtmlElement]) -> str | None:
        """Without a lead class: the block of prose between the headline and the body
        nearest the body (not the time line, a bar of share links, the breadcrumb)."""
        if self.title_element is None:  # from the top of the body's nearest boxes
            after = self.order[list(self.content.iterancestors())[:3][-1]]
        for el in reversed(self.elements[after + 1:start]):
            if not isinstance(el.tag, str) or el in around_body or el.tag in NON_CONTENT_TAGS:
                continue
            text = text_of(el)
            if len(text) < _MIN_LEAD_CHARS:
                continue
            linked = sum(len(text_of(a)) for a in el.iter("a"))
            if linked < 0.3 * len(text) and not (
                    _in_link_or_item(el) or is_site_chrome(el)):
                return text
        return None

    @cached_property
    def _byline_paragraph(self) -> Paragraph | None:
        """The closing paragraph that credits the article, if the body ends with one."""
        last = self._paragraphs[-1] if self._paragraphs else None
        return last if last and looks_like_byline(last.text, last.emphasized) else None

    # -- fields ------------------------------------------------------------

    def rejection(self) -> str | None:
        """Why this page gives no record, or None for an article (see _rejection)."""
        return self._rejection

    @cached_property
    def _rejection(self) -> str | None:
        """Why this page gives no record, or None for an article.

        "media" (video, photo pages) and "error" (a "not found" page answered 200)
        are expected; "unparsed" is an article-shaped page whose title or body was
        not found, the sign of a template the parser does not know.
        """
        if self.root is None:
            return "empty"
        if not urls.is_article_url(self.url):
            return "not_article_url"
        if self._is_media():
            return "media"
        title = self.title()
        if title and (_ERROR_TITLE.search(title) or _ERROR_TEXT.search(" ".join(self._body[:2]))):
            return "error"
        return None if title and self._body else "unparsed"

    def _is_media(self) -> bool:
        if set(urlsplit(self.url).path.split("/")) & _NON_ARTICLE_SECTIONS:
            return True
        if _MEDIA_TITLE.match(self.title() or ""):
            return True
        types = set().union(*(ld_types(o) for o in self.ld)) if self.ld else set()
        if types & _NON_ARTICLE_TYPES and not types & set(_ARTICLE_TYPES[:-1]):
            return True
        return (self.meta.content("og:type") or "").startswith("video")

    def title(self) -> str | None:
        return self._title

    @cached_property
    def _title(self) -> str | None:  # asked by several fields
        if self.title_element is not None:
            return text_of(self.title_element)
        og = self.meta.content("og:title", "twitter:title")
        if og:
            return _SITE_SUFFIX.sub("", og)
        headline = ld_value(self.ld, "headline", _ARTICLE_TYPES)
        if isinstance(headline, str) and normalize_text(headline):
            return normalize_text(headline)
        title = _page_title(self.root)
        return normalize_or_none(_SITE_SUFFIX.sub("", title or ""))

    def sapo(self) -> str | None:
        return split_agency(self._lead[0])[1]

    def source_tag(self) -> str | None:
        return split_agency(self._lead[0])[0]

    def body(self) -> list[str]:
        return list(self._body)  # a list of its own for each record

    @cached_property
    def _body(self) -> list[str]:  # the rejection reads it twice, then to_item
        skip = {id(self._byline_paragraph)}
        lead_paragraph = self._lead[1]
        paragraphs = [p for p in self._paragraphs if id(p) not in skip]
        if lead_paragraph and paragraphs and paragraphs[0].text == lead_paragraph:
            paragraphs = paragraphs[1:]
        return [p.text for p in paragraphs]

    def images(self) -> list[dict]:
        seen: set[str] = set()
        found = []
        for block in self._blocks:
            if isinstance(block, Image) and block.url not in seen:
                seen.add(block.url)
                found.append({"url": block.url, "caption": block.caption})
        return found

    def byline(self) -> str | None:
        return self._byline

    @cached_property
    def _byline(self) -> str | None:  # authors() reads it too
        if self._byline_paragraph is not None:
            return self._byline_paragraph.text
        closing = self._closing_block()
        if closing is not None and looks_like_byline(closing.text, closing.emphasized):
            return closing.text
        for el in _BYLINE_BOXES(self.root):
            text = text_of(el)
            if text and not inside_tag(el, "li") and looks_like_byline(text, True):
                return text
        return None

    def _closing_block(self) -> Paragraph | None:
        """The first block after the body container, or after the wrapper around it
        (the credit's places in MasterCMS pages), before tags and link lists; None
        at an empty slot (`<p align="right"><i></i></p>`): the page credits no one."""
        container = self.content
        for _ in range(_CLOSING_LEVELS):
            if container is None or container is self._article_box:
                return None
            for el in container.itersiblings():
                if not isinstance(el.tag, str) or el.tag in NON_CONTENT_TAGS:
                    continue
                if has_text(el):
                    return self._credit_in(el)
                if el.tag == "p" or el.get("align") or _ALIGN_RIGHT.search(el.get("style", "")):
                    return None
            container = container.getparent()
        return None

    def _credit_in(self, el: HtmlElement) -> Paragraph | None:
        """The block itself, or its first part while it is too long for a credit."""
        while short_text(el, MAX_BYLINE_CHARS) is None:
            part = next((c for c in el if isinstance(c.tag, str) and has_text(c)), None)
            if part is None:
                return None
            el = part
        return block_of(el, self.url)

    def authors(self) -> list[str]:
        return authors_of(self.byline())

    def published_at(self) -> str | None:
        printed = next((found for updated, found in self._printed_dates if not updated), None)
        found = printed or self._machine_date() or next(
            (found for _, found in self._printed_dates), None)
        return dates.to_iso(found) if found else None

    def modified_at(self) -> str | None:
        """The page's own last-modified time: metadata, else a printed "Cập nhật" time."""
        value = self.meta.content("article:modified_time", "og:updated_time",
                             "dateModified")
        if not value:
            found = ld_value(self.ld, "dateModified", _ARTICLE_TYPES)
            value = found if isinstance(found, str) else None
        modified = dates.parse_iso_datetime(value) if value else None
        if modified is None:
            modified = next((found for updated, found in self._printed_dates if updated), None)
        return dates.to_iso(modified) if modified else None

    @cached_property
    def _printed_dates(self) -> list[tuple[bool, datetime]]:
        """(labelled as an update, time) of the date lines printed around the headline:
        those between the headline and the body in page order, then those above the
        headline, nearest first. Whatever the element or class; never inside the body,
        a link or a list item, nor in the site's header."""
        found: list[tuple[bool, datetime]] = []
        for el in self._date_region():
            text = short_text(el, _MAX_DATE_TEXT)
            if not text or (not _YEAR.search(text) and not el.get("datetime")):
                continue
            parsed = self._date_line(el, text)
            if parsed is not None and parsed.time() == time() and el.getnext() is not None:
                parsed = self._with_clock_after(el, text, parsed)
            if parsed is not None and not (_in_link_or_item(el)
                                           or is_site_chrome(el) or self._beside_link(el)):
                found.append((bool(_UPDATED_LABEL.match(text)), parsed))
                if not found[-1][0]:
                    return found  # a published time: nothing further can win
        if self._opening_time is not None:
            found.append(self._opening_time)
        return found

    def _date_region(self) -> Iterator[HtmlElement]:
        """Elements after the headline up to the body, then before the headline (inside
        the headline-and-body box) backwards; without a headline, the body's nearest
        ancestors before the body, backwards."""
        if self.content is None:
            return
        start = self.order[self.content]
        if self.title_element is not None and self._article_box is not None:
            title = self.order[self.title_element]
            yield from self.elements[title + 1:self._head_end]
            top = self.order[self._article_box]
        else:
            title = start
            boxes = list(self.content.iterancestors())[:3]
            top = self.order[boxes[-1]] if boxes else start
        around = set(self.content.iterancestors())
        for el in reversed(self.elements[top:title]):
            if el not in around:
                yield el

    def _beside_link(self, el: HtmlElement) -> bool:
        """Printed with a link to another article, in a box the size of a list item
        (the line itself or its parent): the date of that item."""
        parent = el.getparent()
        boxes = [el]
        if (parent is not None and not self._holds_long_body(parent)
                and short_text(parent, _MAX_ITEM_CHARS) is not None):
            boxes.append(parent)
        for a in (a for box in boxes for a in box.iter("a")):
            href = urls.absolute(a.get("href"), self.url)
            url = urls.canonicalize(href) if href else None
            if url and url != self.url and urls.is_article_url(url):
                return True
        return False

    def _holds_long_body(self, box: HtmlElement) -> bool:
        """Whether box holds a body longer than a list item: then short_text(box,
        _MAX_ITEM_CHARS) is None (the body's text is part of box's, unless a non-content
        element on the way hides it). The parent of a date line is often the headline's
        and body's box, whose text short_text would read up to that limit."""
        if self.content is None or not self._body_exceeds_item:
            return False
        for el in (self.content, *self.content.iterancestors()):
            if el.tag in NON_CONTENT_TAGS:
                return False
            if el is box:
                return True
        return False

    @cached_property
    def _body_exceeds_item(self) -> bool:
        return text_exceeds(self.content, _MAX_ITEM_CHARS)

    def _with_clock_after(self, el: HtmlElement, text: str, day: datetime) -> datetime:
        """A date whose clock time is printed in the next element ("<span>16/03/2022</span>
        <span>10:05</span>" inside a longer bar), else the date at 00:00."""
        after = short_text(el.getnext(), _MAX_DATE_TEXT)
        joined = _date_text(f"{text} {after}") if after else None
        return joined if joined is not None and joined.date() == day.date() else day

    def _date_line(self, el: HtmlElement, text: str) -> datetime | None:
        """The time an element gives: its machine-readable attribute, else its text."""
        machine = el.get("datetime") or el.get("content")
        if machine:
            parsed = dates.parse_iso_datetime(machine)
            if parsed:
                return parsed
        return _date_text(text)

    def _machine_date(self) -> datetime | None:
        value = self.meta.content("article:published_time", "datePublished",
                             "og:published_time", "pubdate", "publishdate", "dc.date.issued")
        if not value:
            found = ld_value(self.ld, "datePublished", _ARTICLE_TYPES)
            value = found if isinstance(found, str) else None
        return dates.parse_iso_datetime(value) if value else None

    def category(self) -> str | None:
        """The last crumb of the breadcrumb above the body (menus excluded)."""
        title = self.title()
        anchor = self.content if self.content is not None else self.title_element
        limit = self.order[anchor] if anchor is not None else len(self.order)
        for anchors, in_menu_too in self._crumb_candidates():
            crumbs = [text_of(a) for a in anchors
                      if self.order[a] < limit and (in_menu_too or not is_in_menu(a))]
            crumbs = [c for c in crumbs if c and not _HOME_CRUMB.match(c) and c != title]
            if crumbs:
                return crumbs[-1]
        section = self.meta.content("article:section")
        if section:
            return section
        found = ld_value(self.ld, "articleSection", _ARTICLE_TYPES)
        if isinstance(found, list):
            found = found[0] if found else None
        return normalize_or_none(found) if isinstance(found, str) else self._unclassed_crumb()

    def _crumb_candidates(self) -> Iterator[tuple[list[HtmlElement], bool]]:
        """Links that may be the breadcrumb, best first, and whether a menu may hold them:
        the CMS's `li.menu-alias` (in its menu bar), then breadcrumb markup."""
        yield self._menu_alias_links(), True
        for xpath in _CRUMB_XPATHS:
            yield xpath(self.root), False

    def _menu_alias_links(self) -> list[HtmlElement]:
        """The links in `li.menu-alias` items (//li[contains(@class, "menu-alias")]//a),
        from the element index's classes: that XPath scans every element's class, and
        so did a walk of every <li>."""
        found: dict[HtmlElement, None] = {}  # a nested item's links once, in page order
        for li in self.index.with_class("menu-alias"):
            if li.tag == "li":
                found.update(dict.fromkeys(li.iter("a")))
        return list(found)

    def _unclassed_crumb(self) -> str | None:
        """Without breadcrumb markup or metadata: the last link of the bar of links
        nearest above the headline (or the body), when that bar opens with a home link
        ("Trang chủ » Khuyến công")."""
        anchor = self.title_element if self.title_element is not None else self.content
        if anchor is None:
            return None
        top = self.order[anchor]
        above = self.elements[max(0, top - _CRUMB_REACH):top]
        last = next((el for el in reversed(above) if el.tag == "a"), None)
        for bar in list(last.iterancestors())[:2] if last is not None else []:
            links = list(bar.iter("a"))
            first = links[0]
            if len(links) <= _MAX_CRUMBS and (_HOME_CRUMB.match(text_of(first))
                                              or first.get("href") == "/"):
                names = [text_of(a) for a in links[1:] if self.order[a] <= self.order[last]]
                return next((n for n in reversed(names) if n and n != self.title()), None)
        return None

    def tags(self) -> list[str]:
        anchors = [a for box in self.index.with_class("tag", "keyword")
                   for a in box.iterdescendants("a")]
        # A link to a tag page inside the body is prose, not the tag box after it.
        anchors += [a for a, href in self.index.links if _links_to_tag(a, href)
                    and not self._inside(a, self.content)]
        anchors += self._anchors_after_tag_label()
        found: list[str] = []
        for a in sorted(set(anchors), key=lambda el: self.order.get(el, 0)):
            if _in_article_list_item(a):
                continue
            tag = text_of(a).lstrip("#").strip()
            if tag and tag not in found and not _TAG_LABEL.match(tag):
                found.append(tag)
        if not found:
            found = [normalize_text(t) for t in self.root.xpath(
                '//meta[@property="article:tag"]/@content') if normalize_text(t)]
        return found

    def _anchors_after_tag_label(self) -> list[HtmlElement]:
        """Links in the box that a "Tags:" / "Từ khóa:" label opens."""
        found: list[HtmlElement] = []
        labels = [*self._short_texts,
                  *((label, label_key(label)) for label in self._body_tag_labels)]
        for label, key in labels:
            # The label key first: most texts are no label.
            if key not in _TAG_LABEL_KEYS or not xpath_shorter(label, 16) or (
                    not _TAG_LABEL.match(normalize_text(label))):
                continue
            box = label.getparent()
            if label.is_tail:
                box = box.getparent()
            if box is not None and next(box.iter("a"), None) is None and (
                    box.getparent() is not None):
                box = box.getparent()
            if box is not None:
                found.extend(box.iter("a"))
        return found

    @cached_property
    def _link_lists(self) -> LinkLists:
        return LinkLists(self.root, self.url, self.index, self.content, self._short_texts)

    def links(self) -> list[dict]:
        return self._links

    @cached_property
    def _links(self) -> list[dict]:  # the spider follows them after to_item() wrote them
        return self._link_lists.links()

    def more_url(self) -> str | None:
        return self._more_url

    @cached_property
    def _more_url(self) -> str | None:  # the spider follows it after to_item() wrote it
        return self._link_lists.more_url()

    # -- the record ----------------------------------------------------------

    def to_item(self) -> dict | None:
        """The contract's record, or None when the page is not an article."""
        if self.rejection() is not None:
            return None
        return {
            "schema_version": SCHEMA_VERSION,
            "url": self.url,
            "article_id": urls.article_id(self.url),
            "title": self.title(),
            "sapo": self.sapo(),
            "source_tag": self.source_tag(),
            "body": self.body(),
            "images": self.images(),
            "byline": self.byline(),
            "authors": self.authors(),
            "published_at": self.published_at(),
            "modified_at": self.modified_at(),
            "category": self.category(),
            "tags": self.tags(),
            "links": self.links(),
            "more_url": self.more_url(),
            "fetched_at": self.fetched_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
