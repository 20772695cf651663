"""Small lxml helpers shared by the page objects: parse, read text, read metadata."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from itertools import compress, repeat

import lxml.html
from lxml import etree

from .. import urls
from ..text import normalize_text

# An element of a parsed page: lxml's own element class. lxml.html's HtmlElement adds
# methods not used here, and its proxy objects cost more to make for every element
# the page objects touch (a Python subclass, where this is lxml's C type).
HtmlElement = etree._Element

# Elements whose text is never page content.
NON_CONTENT_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object",
                              "embed", "svg", "canvas", "form", "button", "select", "textarea"})
# The parser keeps libxml2's table of ids (collect_ids), which ElementIndex reads.
_PARSER = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)


def parse_html(html: str | bytes | HtmlElement) -> HtmlElement | None:
    """The document root, or None for an empty or unparseable document.

    An already parsed root is passed through, so page objects can share one parse.

    Text is encoded to UTF-8 bytes first: lxml refuses str input that carries an
    XML encoding declaration, and bytes with a declared parser encoding are
    immune to a misleading <meta charset> in the page.
    """
    if isinstance(html, HtmlElement):
        return html
    data = html.encode("utf-8", "replace") if isinstance(html, str) else html
    if not data or data.isspace():  # not strip(): that copies the whole page
        return None
    try:
        root = lxml.html.document_fromstring(data, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return root if root is not None and len(root) else None


def iter_text(el: HtmlElement) -> Iterator[str]:
    """Text of an element and its descendants, skipping non-content elements."""
    if isinstance(el.tag, str) and el.tag in NON_CONTENT_TAGS:
        return
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str):
            yield from iter_text(child)
            if child.tag == "br":
                yield " "
        if child.tail:
            yield child.tail


def _gather(el: HtmlElement, parts: list[str], budget: float) -> float:
    """iter_text's pieces of el appended to parts while their characters (stripped)
    stay within budget; what is left of it (below 0: stopped early). A recursion
    that appends, not nested generators: the readers below take whole elements."""
    text = el.text
    if text:
        parts.append(text)
        budget -= len(text.strip())
    for child in el:
        if budget < 0:
            return budget
        tag = child.tag
        if isinstance(tag, str):
            if tag not in NON_CONTENT_TAGS:
                if len(child):
                    budget = _gather(child, parts, budget)
                else:  # a leaf, read here: no call for each one
                    text = child.text
                    if text:
                        parts.append(text)
                        budget -= len(text.strip())
            if tag == "br":
                parts.append(" ")
        tail = child.tail
        if tail:
            parts.append(tail)
            budget -= len(tail.strip())
    return budget


def _read(el: HtmlElement, budget: float) -> tuple[list[str], float]:
    if isinstance(el.tag, str) and el.tag in NON_CONTENT_TAGS:
        return [], budget
    if not len(el):  # most links, labels and leads: no walk, no child iterator
        text = el.text
        return ([text], budget - len(text.strip())) if text else ([], budget)
    parts: list[str] = []
    return parts, _gather(el, parts, budget)


def text_of(el: HtmlElement | None) -> str:
    """Normalized visible text of an element ('' for None)."""
    return normalize_text("".join(_read(el, math.inf)[0])) if el is not None else ""


def has_text(el: HtmlElement) -> bool:
    """Whether an element shows any text (stops at the first: cheap on a whole body)."""
    return text_exceeds(el, 0)


def text_exceeds(el: HtmlElement, limit: int) -> bool:
    """Whether an element's text pieces, each stripped, add up to more than limit
    characters: then short_text(el, limit), or of any element holding el, is None. Stops
    there: cheap on a whole body."""
    return _read(el, limit)[1] < 0


def short_text(el: HtmlElement, limit: int) -> str | None:
    """Normalized text of an element if at most `limit` characters long, else None,
    without reading more of a large element than that."""
    parts, left = _read(el, limit)
    if left < 0:
        return None
    text = normalize_text("".join(parts))
    return text if len(text) <= limit else None


def text_prefix(el: HtmlElement, length: int) -> str:
    """The first `length` or so characters of an element's text, normalized."""
    parts: list[str] = []
    size = 0
    for piece in iter_text(el):
        parts.append(piece)
        size += len(piece)
        if size >= length:
            break
    return normalize_text("".join(parts))


_META_KEYS = ("property", "name", "itemprop")


class MetaTags:
    """The page's <meta> tags with a content, read in one walk by tag name (not
    //meta[@attr=...]: libxml2 reads the attribute of every element for that), for the
    several fields that ask for them."""

    def __init__(self, root: HtmlElement):
        self._first: dict[tuple[str, str], str] = {}  # (attribute, name) -> content
        for meta in root.iter("meta"):
            content = meta.get("content")
            if content is not None:
                for attr in _META_KEYS:
                    name = meta.get(attr)
                    if name is not None:
                        self._first.setdefault((attr, name), content)

    def content(self, *names: str) -> str | None:
        """Content of the first <meta property|name|itemprop=...> among names."""
        for name in names:
            for attr in _META_KEYS:
                value = normalize_text(self._first.get((attr, name)))
                if value:
                    return value
        return None


def _flatten_ld(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for entry in data:
            yield from _flatten_ld(entry)
    elif isinstance(data, dict):
        yield data
        yield from _flatten_ld(data.get("@graph", []))


_CONTROLS = re.compile(r"[\x00-\x1f]+")


def json_ld(root: HtmlElement) -> list[dict]:
    """Every JSON-LD object on the page (broken blocks are skipped: sites ship them)."""
    objects: list[dict] = []
    for script in (s for s in root.iter("script") if "ld+json" in s.get("type", "")):
        raw = (script.text or "").strip()
        # Control characters inside strings are common in CMS output and invalid JSON.
        raw = _CONTROLS.sub(" ", raw)
        try:
            objects.extend(_flatten_ld(json.loads(raw)))
        except ValueError:
            continue
    return objects


def ld_types(obj: dict) -> set[str]:
    kind = obj.get("@type", [])
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def ld_value(objects: list[dict], key: str, types: tuple[str, ...]) -> object | None:
    """The first value of key in a JSON-LD object of one of the given @types."""
    for obj in objects:
        if ld_types(obj) & set(types) and obj.get(key):
            return obj[key]
    return None


# Text nodes short enough to be a label or heading ("Tin liên quan", "Tags:"), read
# once per page for the link lists and the tags. descendant::text() and not //text():
# libxml2 then tests the nodes in one set, not in one small set per parent element.
_SHORT = "[string-length(normalize-space()) < 25]"
SHORT_TEXTS = etree.XPath(f"//body/descendant::text(){_SHORT}")
# The same outside one element (the article's body, most of the page's text, which the
# predicate reads), from the elements beside it and beside each of its ancestors (their
# text nodes) and from the ancestors' own text nodes: a test of every text node's
# ancestors for <body>, and the predicate over the head's scripts, cost more.
_SHORT_BESIDE = etree.XPath(f"$beside/descendant::text(){_SHORT} | $around/text(){_SHORT}")
_XML_SPACE = re.compile(r"[ \t\r\n]+")


def short_texts_around(el: HtmlElement) -> list[str] | None:
    """SHORT_TEXTS of the page but those inside el, in page order; None when el is not
    inside <body>."""
    around: list[HtmlElement] = []  # el's ancestors up to <body>
    beside: list[HtmlElement] = []  # their other children
    inner = el
    for up in el.iterancestors():
        around.append(up)
        beside.extend(child for child in up if child is not inner)
        if up.tag == "body":
            return _SHORT_BESIDE(el, beside=beside, around=around)
        inner = up
    return None


def xpath_length(text: str) -> int:
    """string-length(normalize-space(text)) as XPath counts it (XML spaces only)."""
    return len(_XML_SPACE.sub(" ", text).strip(" "))


def xpath_shorter(text: str, limit: int) -> bool:
    """xpath_length(text) < limit, without the regex for a text already that short."""
    return len(text) < limit or xpath_length(text) < limit


def site_links(links: Iterable[tuple[HtmlElement, str | None]],
               page_url: str) -> list[tuple[HtmlElement, str]]:
    """(anchor, canonical URL) of each link to the site among (anchor, href) pairs, in
    their order."""
    return [(a, url) for a, url, _ in resolved_links(links, page_url)]


_ABSOLUTE = ("https://", "http://")
# The site's own links to an article, already canonical: most links of a page.
# urls.canonicalize returns them unchanged and urls.is_article_url holds for them (a
# lowercase slug is a case of its path pattern); this one pattern tells them apart at a
# tenth of the cost of those two, which match the path patterns anew for each article
# link no cache has seen yet (every page links new articles).
_CANONICAL_ARTICLE = re.compile(r"https://langngheviet\.com\.vn/[a-z0-9-]*-\d+\.html?")


def resolved_links(links: Iterable[tuple[HtmlElement, str | None]],
                   page_url: str) -> list[tuple[HtmlElement, str, bool]]:
    """(anchor, canonical URL, whether an article URL) of each link to the site among
    (anchor, href) pairs, in their order."""
    found = []
    fragment: tuple[str | None, bool] | None = None
    for a, raw in links:
        if raw is not None and raw.startswith(_ABSOLUTE):
            # An absolute href resolves alike on every page: cached by itself.
            url, article = _resolve_absolute(raw)
        elif raw is not None and raw.lstrip().startswith("#"):
            # A place in the page (tabs: "#tab-latest"): urljoin keeps the page URL's
            # scheme, host, path and query, and canonicalize drops the fragment, so
            # every such href resolves as the first: as the page URL itself, without
            # urljoin (~25 µs), unless spaces at its end would stay in urljoin's result.
            if fragment is None:
                fragment = (_site_url(page_url) if page_url == page_url.strip()
                            else _resolve(raw, page_url))
            url, article = fragment
        else:
            url, article = _resolve(raw, page_url)
        if url:
            found.append((a, url, article))
    return found


@lru_cache(maxsize=8192)  # menus and lists repeat the same links page after page
def _resolve_absolute(href: str) -> tuple[str | None, bool]:
    """_resolve of an absolute href (the page's URL plays no part)."""
    if _CANONICAL_ARTICLE.fullmatch(href):
        return href, True
    return _site_url(href.strip())  # stripped: what urls.absolute makes of it


def _resolve(href: str | None, page_url: str) -> tuple[str | None, bool]:
    """(canonical URL or None, whether an article URL) of a link's href on the page."""
    resolved = urls.absolute(href, page_url)
    return _site_url(resolved) if resolved else (None, False)


def _site_url(url: str) -> tuple[str | None, bool]:
    """(canonical URL or None, whether an article URL) of an absolute URL."""
    canonical = urls.canonicalize(url)  # None, as urls.absolute, for non-web schemes
    return canonical, canonical is not None and urls.is_article_url(canonical)


_BY_ID = etree.XPath("id($ident)")
# Between the class values in ElementIndex's one string of them: libxml2's attribute
# values are C strings, so no value holds it.
_CLASS_SEP = "\x00"


def _lines_with(text: str, word: str) -> Iterator[int]:
    """The numbers of the _CLASS_SEP-separated lines of text that contain word."""
    line = at = 0  # the line that text[at] is on
    while (hit := text.find(word, at)) >= 0:
        line += text.count(_CLASS_SEP, at, hit)
        yield line
        at = text.find(_CLASS_SEP, hit) + 1  # on to the next line
        if not at:  # that was the last
            return
        line += 1


class ElementIndex:
    """A page's elements in document order, with what several fields scan in all of
    them read once: each element's position, its class attribute (lxml decodes an
    attribute anew at every read), the elements of each id, the links' hrefs."""

    def __init__(self, root: HtmlElement):
        self.root = root
        self.elements: list[HtmlElement] = list(root.iter())
        # The dict holds the element proxies alive, so lxml hands back the same
        # objects on later lookups and they can be used as keys.
        self.order: dict[HtmlElement, int] = dict(
            zip(self.elements, range(len(self.elements)), strict=True))
        # map() over the C method, and a bytes name lxml need not encode at each call:
        # a comprehension with get("class") cost a third more.
        self.classes: list[str | None] = list(map(HtmlElement.get, self.elements,
                                                  repeat(b"class")))
        self._ids: dict[str, list[HtmlElement]] | None = None

    @cached_property
    def links(self) -> list[tuple[HtmlElement, str | None]]:
        """(anchor, href) of every <a>, in page order: the link lists, the tags and the
        menus all read them."""
        return [(a, a.get("href")) for a in self.root.iter("a")]

    def with_class(self, *words: str) -> list[HtmlElement]:
        """The elements whose class attribute contains one of words, as XPath's
        //*[contains(@class, w)] finds them (that scan costs libxml2 far more).

        str.find over all the class values at once, one word at a time: a test of
        each element in Python, or one regex for all the words, cost several times that."""
        text, classed = self._class_lines
        lines: set[int] = set()
        for word in words:
            lines.update(_lines_with(text, word))
        return [classed[line] for line in sorted(lines)]

    @cached_property
    def _class_lines(self) -> tuple[str, list[HtmlElement]]:
        """The non-empty class values joined by _CLASS_SEP, and their elements in the
        same order (each value is one line of the text)."""
        return (_CLASS_SEP.join(filter(None, self.classes)),
                list(compress(self.elements, self.classes)))

    def first_with_id(self, ident: str) -> HtmlElement | None:
        """The first element whose id is ident, from libxml2's table of ids when it has
        that element (it also files <a name=…>), else by a pass over the elements."""
        found = _BY_ID(self.root, ident=ident)
        if found and found[0].get("id") == ident:
            return found[0]
        if not found and ident.split() == [ident]:
            return None  # id() splits at spaces; with none, the table lacks no element
        rest = self.with_id(ident)
        return rest[0] if rest else None

    def with_id(self, ident: str) -> list[HtmlElement]:
        """The elements whose id is ident, in page order."""
        return self._id_table().get(ident, [])

    def with_id_containing(self, word: str) -> list[HtmlElement]:
        """The elements whose id contains word (XPath contains(@id, word))."""
        return [el for ident, found in self._id_table().items() if word in ident for el in found]

    def _id_table(self) -> dict[str, list[HtmlElement]]:
        """The elements of each id, in page order (one pass for the page)."""
        if self._ids is None:
            self._ids = {}
            for el in self.elements:
                found = el.get("id")
                if found is not None:
                    self._ids.setdefault(found, []).append(el)
        return self._ids


# What marks the site's furniture on an element or an ancestor, as XPath's
# contains(@class, …) / contains(@id, …) / @id = … would read it.
# (one regex search, not a test per word: asked of every ancestor of many elements)
_CHROME_CLASS_WORDS = re.compile("logo|top-bar|topbar|site-header|masthead|header-date")
_CHROME_TAGS = frozenset({"nav", "footer"})


def _is_chrome_box(el: HtmlElement) -> bool:
    cls = el.get("class") or ""
    ident = el.get("id") or ""
    return ((cls and _CHROME_CLASS_WORDS.search(cls) is not None) or "logo" in ident
            or ident == "header"
            or ("header" in cls and " header " in f" {_XML_SPACE.sub(' ', cls)} "))


_MENU = etree.XPath(
    'ancestor::nav[not(contains(@aria-label, "readcrumb") or contains(@class, "readcrumb"))]'
    ' | ancestor::*[contains(@class, "menu") or contains(@id, "menu")'
    ' or contains(@class, "navbar") or contains(@class, "nav ")]')


def is_site_chrome(el: HtmlElement) -> bool:
    """Inside the site's own furniture (logo, header bar, navigation, footer): inside a
    <nav>, a <footer> or a <header> outside any <article>, or in a link, or in an
    element classed as a logo or a header bar. One walk up in Python: the same test as
    one XPath costs libxml2 several times that."""
    if el.tag == "a" or _is_chrome_box(el):
        return True
    for up in el.iterancestors():
        tag = up.tag
        if tag in _CHROME_TAGS or tag == "a" or _is_chrome_box(up) or (
                tag == "header" and next(up.iterancestors("article"), None) is None):
            return True
    return False


def inside_tag(el: HtmlElement, *tags: str) -> bool:
    """Whether an ancestor of el is an element of one of the tags (XPath's ancestor::tag),
    by a walk up: an XPath call costs several times that."""
    return next(el.iterancestors(*tags), None) is not None


def is_in_menu(el: HtmlElement) -> bool:
    return bool(_MENU(el))
