"""ArticlePage: one article page (HTML + canonical URL) -> the contract's record.

Each field is one method that tries the signals of meaning first (headings'
text, meta tags, JSON-LD, URL shapes) and the CMS's class names among them,
so a template that differs from MasterCMS's still yields a full record.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree

from .. import dates, urls
from ..items import SCHEMA_VERSION
from ..text import normalize_or_none, normalize_text
from .body import Image, Paragraph, extract_blocks
from .byline import authors_of, looks_like_byline
from .dom import (
    SHORT_TEXTS,
    HtmlElement,
    document_order,
    has_text,
    is_in_menu,
    is_site_chrome,
    json_ld,
    ld_types,
    ld_value,
    meta_content,
    parse_html,
    text_of,
    with_class,
    xpath_shorter,
)
from .sections import LinkLists

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

_CONTENT_XPATHS = (
    '//*[@id="__MB_MASTERCMS_EL_3"]',
    '//*[contains(concat(" ", normalize-space(@class), " "), " __MASTERCMS_CONTENT ")]',
    '//*[@itemprop="articleBody"]',
    '//*[contains(@class, "article-detail-content") or contains(@class, "detail-content")'
    ' or contains(@class, "article-content") or contains(@class, "article-body")'
    ' or contains(@class, "content-detail") or contains(@class, "entry-content")'
    ' or contains(@class, "post-content") or contains(@class, "news-content")'
    ' or contains(@class, "fck_detail") or contains(@class, "body-text")]',
)
_TITLE_XPATHS = (
    '//h1[contains(@class, "article-detail-title")]',
    '//h1[contains(@class, "title")]',
    "//article//h1",
    "//h1",
)
_SAPO_CLASS = re.compile(r"sapo|desc|lead|summary|intro")
_DATE_XPATHS = (
    '//*[contains(@class, "article-date")]',
    '//*[@itemprop="datePublished" and not(self::meta)]',
    "//time",
    '//*[contains(@class, "date") or contains(@class, "time") or contains(@class, "publish")'
    ' or contains(@id, "date")]',
)
_CATEGORY_XPATHS = (
    '//li[contains(@class, "menu-alias")]//a',
    '//*[contains(@class, "breadcrumb") or contains(@class, "crumb")'
    ' or contains(@class, "path")]//a',
    '//a[contains(@class, "cate")]',
    '//*[contains(@class, "cate") or contains(@class, "chuyen-muc") or contains(@class, "section")'
    ' or contains(@class, "category")]//a',
    '//*[@itemtype="http://schema.org/BreadcrumbList" or'
    ' @itemtype="https://schema.org/BreadcrumbList"]//a',
    '//nav[contains(@aria-label, "breadcrumb")]//a',
)
_IN_LIST_ITEM = etree.XPath("ancestor::li[.//a[contains(@class, 'article')]]")
_TAG_LABEL = re.compile(r"^(?:tags?|từ khóa|từ khoá|chủ đề|keywords?)\s*:?\s*$", re.IGNORECASE)
_AGENCY = re.compile(r"^\(?(?P<code>[A-ZĐ][A-ZĐ0-9]{1,7})\)?\s*[-–—]+\s*(?P<rest>\S.*)$", re.S)
_SITE_SUFFIX = re.compile(r"\s+[-|–]\s+[^-|–]*(?:làng nghề|langngheviet)[^-|–]*$", re.IGNORECASE)
_HOME_CRUMB = re.compile(r"^(?:trang chủ|home|làng nghề việt nam)$", re.IGNORECASE)
_MAX_DATE_TEXT = 120


def _same_title(a: str, b: str) -> bool:
    """Two spellings of one headline: equal, or one most of the other."""
    a, b = a.lower(), b.lower()
    return a == b or (a in b and 2 * len(a) >= len(b)) or (b in a and 2 * len(b) >= len(a))


def split_agency(text: str | None) -> tuple[str | None, str | None]:
    """'LNV - Để giúp…' -> ('LNV', 'Để giúp…'); text without a code -> (None, text)."""
    text = normalize_or_none(text)
    if text is None:
        return None, None
    match = _AGENCY.match(text)
    if match:
        return match.group("code"), match.group("rest").strip()
    return None, text


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
    def elements(self) -> list[HtmlElement]:
        """Every element in document order (positions index into this list)."""
        return list(self.root.iter())

    @cached_property
    def order(self) -> dict[HtmlElement, int]:
        return document_order(self.elements)

    @cached_property
    def _short_texts(self) -> list[str]:  # for the tags and the link lists: one XPath walk
        return SHORT_TEXTS(self.root)

    @cached_property
    def ld(self) -> list[dict]:
        return json_ld(self.root)

    @cached_property
    def title_element(self) -> HtmlElement | None:
        """The article's h1: not the logo's, preferably the one the metadata names."""
        candidates: list[HtmlElement] = []
        for xpath in _TITLE_XPATHS:
            for h1 in self.root.xpath(xpath):
                if h1 not in candidates and len(text_of(h1)) >= 5 and not is_site_chrome(h1):
                    candidates.append(h1)
        named = self._metadata_titles()
        for h1 in candidates:
            if any(_same_title(text_of(h1), name) for name in named):
                return h1
        return candidates[0] if candidates else None

    def _metadata_titles(self) -> list[str]:
        names = [meta_content(self.root, "og:title", "twitter:title"),
                 ld_value(self.ld, "headline", _ARTICLE_TYPES), self.root.findtext(".//title")]
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
        for xpath in _CONTENT_XPATHS:
            for el in self.root.xpath(xpath):
                if has_text(el):
                    return el
        return self._densest_element()

    def _densest_element(self) -> HtmlElement | None:
        best, best_score = None, 200  # fewer characters than this is not a body
        for el in self.root.iter("div", "td", "article", "section", "main"):
            score = sum(len(normalize_text(t)) for t in (el.text, *(c.tail for c in el)) if t)
            score += sum(len(text_of(p)) for p in el if p.tag == "p")
            if score > best_score:
                best, best_score = el, score
        return best

    @cached_property
    def _blocks(self) -> list[Paragraph | Image]:
        return extract_blocks(self.content, self.url) if self.content is not None else []

    @cached_property
    def _lead(self) -> tuple[str | None, str | None]:
        """(sapo text as printed, text of a body paragraph that carried it, if any)."""
        described = self._description_block()
        paragraphs = [b for b in self._blocks if isinstance(b, Paragraph)]
        if described:
            first_text = paragraphs[0].text if paragraphs else None
            return described, (first_text if first_text == described else None)
        if paragraphs:
            lead = paragraphs[0]
            has_code = _AGENCY.match(lead.text) is not None
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
        around_body = set(self.content.iterancestors())
        candidates = [el for el in self.elements[after + 1:start]
                      if isinstance(el.tag, str) and el not in around_body
                      and (_SAPO_CLASS.search(el.get("class", "")) or (
                          el.get("itemprop") == "description" and el.tag != "meta"))]
        for el in sorted(candidates, key=self.order.get, reverse=True):
            if el.xpath("ancestor-or-self::a | ancestor::li") or is_site_chrome(el):
                continue
            text = text_of(el)
            if len(text) >= 20:
                return text
        return None

    @cached_property
    def _byline_paragraph(self) -> Paragraph | None:
        """The closing paragraph that credits the article, if the body ends with one."""
        paragraphs = [b for b in self._blocks if isinstance(b, Paragraph)]
        last = paragraphs[-1] if paragraphs else None
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
        if title and (_ERROR_TITLE.search(title) or _ERROR_TEXT.search(" ".join(self.body()[:2]))):
            return "error"
        return None if title and self.body() else "unparsed"

    def _is_media(self) -> bool:
        if set(urlsplit(self.url).path.split("/")) & _NON_ARTICLE_SECTIONS:
            return True
        if _MEDIA_TITLE.match(self.title() or ""):
            return True
        types = set().union(*(ld_types(o) for o in self.ld)) if self.ld else set()
        if types & _NON_ARTICLE_TYPES and not types & set(_ARTICLE_TYPES[:-1]):
            return True
        return (meta_content(self.root, "og:type") or "").startswith("video")

    def title(self) -> str | None:
        if self.title_element is not None:
            return text_of(self.title_element)
        og = meta_content(self.root, "og:title", "twitter:title")
        if og:
            return _SITE_SUFFIX.sub("", og)
        headline = ld_value(self.ld, "headline", _ARTICLE_TYPES)
        if isinstance(headline, str) and normalize_text(headline):
            return normalize_text(headline)
        title = self.root.findtext(".//title")
        return normalize_or_none(_SITE_SUFFIX.sub("", title or ""))

    def sapo(self) -> str | None:
        return split_agency(self._lead[0])[1]

    def source_tag(self) -> str | None:
        return split_agency(self._lead[0])[0]

    def body(self) -> list[str]:
        skip = {id(self._byline_paragraph)}
        lead_paragraph = self._lead[1]
        paragraphs = [b for b in self._blocks if isinstance(b, Paragraph) and id(b) not in skip]
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
        if self._byline_paragraph is not None:
            return self._byline_paragraph.text
        for el in self.root.xpath('//*[contains(@class, "author") or contains(@class, "byline")'
                                  ' or (@itemprop="author" and not(self::meta))]'):
            text = text_of(el)
            if text and not el.xpath("ancestor::li") and looks_like_byline(text, True):
                return text
        return None

    def authors(self) -> list[str]:
        return authors_of(self.byline())

    def published_at(self) -> str | None:
        found = self._visible_date() or self._machine_date()
        return dates.to_iso(found) if found else None

    def _visible_date(self) -> datetime | None:
        """The printed time in the article's own box, nearest the headline: never a
        date of the site's header, of a list item, or inside the body."""
        anchor = self.title_element if self.title_element is not None else self.content
        for box in self._date_boxes():
            for xpath in _DATE_XPATHS:
                found = [el for el in self.root.xpath(xpath) if self._may_hold_date(el, box)]
                found.sort(key=lambda el: abs(self.order[el] - self.order[anchor]))
                for el in found:
                    parsed = self._parse_date_element(el)
                    if parsed:
                        return parsed
        return None

    def _date_boxes(self) -> list[HtmlElement]:
        """Where to look for the printed time: the headline-and-body box, or without a
        headline, the body's nearest ancestors, narrowest first."""
        if self._article_box is not None:
            return [self._article_box]
        if self.content is None:
            return []
        return list(self.content.iterancestors())[:3]

    def _may_hold_date(self, el: HtmlElement, box: HtmlElement) -> bool:
        if not self._inside(el, box) or self._inside(el, self.content):
            return False
        return not (el.xpath("ancestor-or-self::a | ancestor::li") or is_site_chrome(el))

    def _parse_date_element(self, el: HtmlElement) -> datetime | None:
        machine = el.get("datetime") or el.get("content")
        if machine:
            parsed = dates.parse_iso_datetime(machine)
            if parsed:
                return parsed
        parts = [text_of(p) for p in el.xpath('.//*[contains(@class, "format_date")]'
                                                ' | .//*[contains(@class, "format_time")]')]
        text = " ".join(parts) if parts else text_of(el)
        if not text or len(text) > _MAX_DATE_TEXT:
            return None
        return dates.parse_date(text, now=self.now)

    def _machine_date(self) -> datetime | None:
        value = meta_content(self.root, "article:published_time", "datePublished",
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
        for xpath in _CATEGORY_XPATHS:
            crumbs = [text_of(a) for a in self.root.xpath(xpath)
                      if self.order[a] < limit and (xpath == _CATEGORY_XPATHS[0]
                                                    or not is_in_menu(a))]
            crumbs = [c for c in crumbs if c and not _HOME_CRUMB.match(c) and c != title]
            if crumbs:
                return crumbs[-1]
        section = meta_content(self.root, "article:section")
        if section:
            return section
        found = ld_value(self.ld, "articleSection", _ARTICLE_TYPES)
        if isinstance(found, list):
            found = found[0] if found else None
        return normalize_or_none(found) if isinstance(found, str) else None

    def tags(self) -> list[str]:
        anchors = [a for box in with_class(self.elements, "tag", "keyword")
                   for a in box.iterdescendants("a")]
        anchors += [a for a in self.root.iter("a") if a.get("rel") == "tag"
                    or "/tag/" in a.get("href", "") or "/tags/" in a.get("href", "")]
        anchors += self._anchors_after_tag_label()
        found: list[str] = []
        for a in sorted(set(anchors), key=lambda el: self.order.get(el, 0)):
            if _IN_LIST_ITEM(a):
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
        for label in self._short_texts:
            if not xpath_shorter(label, 16) or not _TAG_LABEL.match(normalize_text(label)):
                continue
            box = label.getparent()
            if label.is_tail:
                box = box.getparent()
            if box is not None and not box.xpath(".//a") and box.getparent() is not None:
                box = box.getparent()
            if box is not None:
                found.extend(box.iter("a"))
        return found

    @cached_property
    def _link_lists(self) -> LinkLists:
        return LinkLists(self.root, self.url, self.order, self.content, self._short_texts)

    def links(self) -> list[dict]:
        return self._links

    @cached_property
    def _links(self) -> list[dict]:  # the spider follows them after to_item() wrote them
        return self._link_lists.links()

    def more_url(self) -> str | None:
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
            "category": self.category(),
            "tags": self.tags(),
            "links": self.links(),
            "more_url": self.more_url(),
            "fetched_at": self.fetched_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
