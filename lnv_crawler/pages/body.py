"""The article body as an ordered list of blocks: paragraphs and images.

Paragraphs end at block elements (<p>, <div>, <h2>…), at runs of two or more
<br>, and around images. Captions, ads, scripts, inline boxes of related links
and tag blocks are not paragraphs. Each paragraph remembers how it was set
(wholly bold/italic, aligned right or centred), which the byline, sapo and
caption rules use.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from lxml import etree

from .. import urls
from ..text import normalize_text
from .dom import NON_CONTENT_TAGS, HtmlElement, short_text, text_of, text_prefix

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "aside", "header", "footer", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "pre", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "figure", "hr", "address",
})  # fmt: skip
IMAGE_TAGS = ("img", "amp-img")
_BOX_TAGS = frozenset({"table", "div", "aside", "section", "figure"})
_IMAGE_BOX_TAGS = frozenset({"table", "figure", "div", "p", "span"})
_MIN_HEADLINE_CHARS = 20
# A headline and a teaser; a box with more text is a container (of the whole body, say)
# in which a related box may sit, not the box itself.
_MAX_RELATED_BOX_CHARS = 700
_LIST_TAGS = frozenset({"ul", "ol", "nav", "menu"})
_MAX_LINK_LIST_CHARS = 300
_LINK_LIST_SHARE = 0.8
_BOLD_TAGS = frozenset({"b", "strong", "h2", "h3", "h4", "h5", "h6"})
_ITALIC_TAGS = frozenset({"em", "i"})
_NOISE = re.compile(
    r"(?:^|[\s_-])(?:ads?|adv|advert\w*|adsense|adsbygoogle|banner|quang-?cao|qc|sponsor\w*"
    r"|share|social|toolbar|rating|comment\w*|tags?|keywords?|box-?news|boxnews"
    r"|relate[d]?\w*|lien-?quan|tinlienquan|read-?more|doc-?them|xem-?them|box-?tin"
    r"|audio|player|author|byline)(?:$|[\s_-])"
)
_INLINE_LIST_HEAD = re.compile(
    r"^(?:tin liên quan|bài liên quan|tin bài liên quan|đọc thêm|xem thêm|mời xem|"
    r"có thể bạn quan tâm|tin cùng chuyên mục)\b", re.IGNORECASE)
_AD_LABEL = re.compile(r"^(?:quảng cáo|advertisement|advertising|ads?|qc|tài trợ)$", re.IGNORECASE)
_CAPTION_CLASS = re.compile(r"caption|desc|chu-?thich|legend|image-?note|photo-?note")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)")
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic")
_ALIGN_STYLE = re.compile(r"text-align\s*:\s*(right|center)")
_IMAGE_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-srcset", "src")
MAX_CAPTION_CHARS = 300


@dataclass
class Paragraph:
    text: str
    emphasized: bool = False  # wholly bold/italic, or right-aligned: bylines, leads
    caption_like: bool = False  # wholly italic, or centred and not bold: under an image


@dataclass
class Image:
    url: str
    caption: str | None


Block = Paragraph | Image


# How a text is set: a set of these bits, an int (an element's is its parent's | its
# tag's | its style's, a paragraph's the & of its words': one operation, no object).
_BOLD = 1
_ITALIC = 2
_TAG_STYLE = {**dict.fromkeys(_BOLD_TAGS, _BOLD), **dict.fromkeys(_ITALIC_TAGS, _ITALIC)}


class _Css(NamedTuple):
    hidden: bool
    align: str | None  # "right", "center"
    style: int  # _BOLD, _ITALIC


@lru_cache(maxsize=512)
def _css(style: str) -> _Css:
    """What the body rules read in a style attribute, read once per distinct value
    (a page repeats a few: "text-align: justify;" on every paragraph)."""
    lower = style.lower()
    align = _ALIGN_STYLE.search(lower)
    return _Css(bool(_HIDDEN_STYLE.search(lower)), align.group(1) if align else None,
                (_BOLD if _BOLD_STYLE.search(style) else 0)
                | (_ITALIC if _ITALIC_STYLE.search(style) else 0))


_UNSTYLED = _css("")  # an element without a style attribute: no get() for it
# The attribute names of an element with at most a style (most paragraphs).
_STYLE_ONLY = ([], ["style"])


class _Holders:
    """The elements of a walked tree that hold (or are) a link, and those that hold an
    image, found in one pass over its links and images: the walk asks that of its
    blocks, image boxes and their rows, and an lxml iterator per question cost 5-8 k
    instructions, more than this pass for the whole body."""

    def __init__(self, root: HtmlElement):
        self.links: set[HtmlElement] = set()
        self.images: set[HtmlElement] = set()
        for el in root.iter("a", *IMAGE_TAGS):
            found = self.links if el.tag == "a" else self.images
            # Up to root, or to an ancestor already marked (and its own ancestors with it).
            while el not in found:
                found.add(el)
                if el is root:
                    break
                el = el.getparent()


class _Builder:
    """Walks the body tree, accumulating inline text into paragraphs. One call per
    element kept (the walk of its children is a loop; the empty start and end of a
    block, and checks that do not apply, cost no call): a body has many elements."""

    def __init__(self, page_url: str, root: HtmlElement,
                 skip: frozenset[HtmlElement] = frozenset()):
        self.page_url = page_url
        self.skip = skip
        self.holders = _Holders(root)
        self.blocks: list[Block] = []
        self._parts: list[str] = []  # the pending paragraph's text
        self._common = _BOLD | _ITALIC  # the style its words (not its spaces) all have
        self._align: str | None = None
        self._uncaptioned: Image | None = None  # the image just added, still without caption

    def add_text(self, text: str, style: int) -> None:
        """A non-empty text for the pending paragraph, set in style."""
        self._parts.append(text)
        if not text.isspace():
            self._common &= style

    def flush(self) -> None:
        if self._parts:
            text = normalize_text("".join(self._parts))
            if text:  # then a word was added: _common is the & of at least one style
                self._add_paragraph(text, self._common, self._align)
            self._parts = []
            self._common = _BOLD | _ITALIC
        self._align = None

    def _add_paragraph(self, text: str, common: int, align: str | None) -> None:
        """A paragraph of normalized text, its words all set in common, aligned so."""
        bold, italic = common & _BOLD != 0, common & _ITALIC != 0
        caption_like = italic or (align == "center" and not bold)
        image, self._uncaptioned = self._uncaptioned, None
        if image is not None and caption_like and len(text) <= MAX_CAPTION_CHARS:
            image.caption = text  # "<p><img></p><p><em>caption</em></p>"
            return
        if len(text) <= 20 and _AD_LABEL.match(text):
            return  # the label of an ad slot, whatever its class
        emphasized = bold or italic or align == "right"
        self.blocks.append(Paragraph(text, emphasized, caption_like))

    def add_image(self, url: str, caption: str | None) -> None:
        self.flush()
        image = Image(url, caption)
        self.blocks.append(image)
        self._uncaptioned = image if caption is None else None

    def walk(self, el: HtmlElement, style: int) -> None:
        """el's children that are body, with the tails between them (el's own text is
        the caller's); style is el's."""
        skip = self.skip
        for child in el:
            tag = child.tag  # read once here and handed down: lxml makes a new str at each read
            if isinstance(tag, str) and child not in skip:
                names = child.keys()  # one read: most elements have no attribute, or a style
                css = _css(child.get("style")) if "style" in names else _UNSTYLED
                if names in _STYLE_ONLY and tag in BLOCK_TAGS and not len(child):
                    # Most paragraphs: of the rules of _is_left_out and visit_kept only a
                    # hidden style and the leaf block's apply (no class, id or align; a
                    # leaf holds no link): no call for those that do not.
                    if not css.hidden:
                        self._leaf_block(child, style | css.style | _TAG_STYLE.get(tag, 0),
                                         css.align)
                elif not _is_left_out(child, tag, names, css, self):
                    self.visit_kept(child, tag, style, names, css)
            tail = child.tail
            if tail:  # mostly None between blocks: no call then
                self.add_text(tail, style)

    def visit_kept(self, el: HtmlElement, tag: str, style: int, names: list[str],
                   css: _Css) -> None:
        """Adds an element's text and images; style is its parent's, names its attribute
        names, css its style's."""
        if tag == "br":
            self._line_break(el)
            return
        if tag in IMAGE_TAGS:
            _add_image(el, names, None, self)
            return
        children = len(el)
        if tag in _IMAGE_BOX_TAGS and children:  # a box frames an image: a leaf is none
            box = _image_box(el, tag, self.holders.images)
            if box is not None:
                _add_image_box(box, self)
                return
        is_block = tag in BLOCK_TAGS
        style |= css.style | _TAG_STYLE.get(tag, 0)
        if is_block:
            # The block's own alignment if it has one
            align = css.align or (el.get("align") if "align" in names else None) or None
            if not children:
                self._leaf_block(el, style, align)
                return
            if self._parts:
                self.flush()
            self._align = align  # after flush's reset
        text = el.text
        if text:
            self.add_text(text, style)
        if children:  # a leaf: no child iterator to make
            self.walk(el, style)
        if is_block:
            self.flush()

    def _leaf_block(self, el: HtmlElement, style: int, align: str | None) -> None:
        """A block without children (most paragraphs), set in style and aligned so: a
        paragraph of its own text, no parts to gather and join (a text of spaces only
        normalizes to none)."""
        if self._parts:
            self.flush()
        text = normalize_text(el.text)
        if text:
            self._add_paragraph(text, style, align)
        self._align = None  # what follows in the parent is not this block's

    def _line_break(self, el: HtmlElement) -> None:
        """<br><br> ends a paragraph; a single <br> is a line break inside one."""
        prev = el.getprevious()
        if prev is not None and prev.tag == "br" and not (prev.tail or "").strip():
            self.flush()
        else:
            self._parts.append(" ")  # a space, of no style


def extract_blocks(content: HtmlElement, page_url: str,
                   skip: frozenset[HtmlElement] = frozenset()) -> list[Block]:
    """Paragraphs and images of a content element, in document order, leaving out the
    elements in `skip` (what precedes the body inside its container)."""
    builder = _Builder(page_url, content, skip)
    if content.text:  # a body of bare text starts with no element
        builder.add_text(content.text, 0)
    builder.walk(content, 0)
    builder.flush()
    return builder.blocks


def _is_left_out(el: HtmlElement, tag: str, names: list[str], css: _Css,
                 builder: _Builder) -> bool:
    """Not body: noise (scripts, ads, hidden elements, noise classes), and blocks, lists
    and boxes of links (an inline "Tin liên quan" box, a link list, a related box)."""
    if tag in NON_CONTENT_TAGS or tag == "ins" or css.hidden or "hidden" in names:
        return True
    is_block = tag in BLOCK_TAGS
    if not is_block and tag not in _LIST_TAGS:  # nav and menu are lists, not blocks
        return False
    # Most blocks have neither a class nor an id: no call for them.
    if is_block and ("class" in names or "id" in names) and _has_name(el, names, _is_noise_name):
        return True
    # Whether it holds a link, asked once for the three rules on links.
    if el not in builder.holders.links:
        return False
    return ((is_block and _is_inline_link_box(el))
            or (tag in _LIST_TAGS and _is_mostly_links(el))
            or (tag in _BOX_TAGS and _presents_article(el, builder.page_url)))


def _is_inline_link_box(el: HtmlElement) -> bool:
    """A box such as "Tin liên quan: <a>…</a>" inside the body (holding a link), mostly
    link text."""
    if not _INLINE_LIST_HEAD.match(text_prefix(el, 40)):
        return False
    text = text_of(el)
    link_chars = sum(len(text_of(a)) for a in el.iter("a"))
    return link_chars >= 0.5 * (len(text) - 20)


def block_of(el: HtmlElement, page_url: str) -> Paragraph | None:
    """The one paragraph an element outside the body prints (a closing credit after
    the body container), with how it is set; None when it is not one paragraph."""
    builder = _Builder(page_url, el)
    names = el.keys()
    css = _css(el.get("style")) if "style" in names else _UNSTYLED
    builder.visit_kept(el, el.tag, 0, names, css)
    builder.flush()
    blocks = builder.blocks
    return blocks[0] if len(blocks) == 1 and isinstance(blocks[0], Paragraph) else None


def is_link_list(el: HtmlElement) -> bool:
    """A list or bar of links only (a menu, a breadcrumb, a share bar), not prose."""
    return el.tag in _LIST_TAGS and next(el.iter("a"), None) is not None and _is_mostly_links(el)


def _is_mostly_links(el: HtmlElement) -> bool:
    """is_link_list of a list that holds a link: short, and nearly all its text links."""
    text = short_text(el, _MAX_LINK_LIST_CHARS)
    if not text:
        return False
    return sum(len(text_of(a)) for a in el.iter("a")) >= _LINK_LIST_SHARE * len(text)


def is_related_box(el: HtmlElement, page_url: str) -> bool:
    """A box of the CMS that presents another article (its headline as a link, a teaser,
    a thumbnail: table.__mb_article_in_image, table.__MB_ARTICLE_A), whatever its class.
    Editorial boxes of text hold no such headline link and stay body; a container with
    such a box inside it (the body's own wrapper) is not the box."""
    return el.tag in _BOX_TAGS and next(el.iter("a"), None) is not None and _presents_article(
        el, page_url)


def _presents_article(el: HtmlElement, page_url: str) -> bool:
    """is_related_box of a box that holds a link."""
    if not _fits(el, _MAX_RELATED_BOX_CHARS):
        return False
    for a in el.iter("a"):
        if len(text_of(a)) < _MIN_HEADLINE_CHARS or _nearest_box(a) is not el:
            continue
        href = urls.absolute(a.get("href"), page_url)
        url = urls.canonicalize(href) if href else None
        if url and urls.is_article_url(url):
            return True
    return False


def _nearest_box(el: HtmlElement) -> HtmlElement | None:
    return next((box for box in el.iterancestors() if box.tag in _BOX_TAGS), None)


class _ImageBox(NamedTuple):
    # The box's images, with their attribute names, and its caption candidates (names
    # None), in document order: what _add_image_box orders, without a second walk of it.
    marked: list[tuple[HtmlElement, list[str] | None]]
    captions: list[HtmlElement]


def _image_box(el: HtmlElement, tag: str, images: set[HtmlElement]) -> _ImageBox | None:
    """A table, figure or wrapper that frames images and their captions (not a layout
    table that happens to hold an image), with its caption elements; None for anything
    else. images: the elements that hold an image (_Holders).

    The caption parts: <figcaption>, caption-classed elements, or a table's rows without
    an image, outermost only."""
    # The bounded text read before the captions' scan, which reads every element.
    if tag not in _IMAGE_BOX_TAGS or not len(el) or el not in images or not _fits(el, 600):
        return None
    # One walk for the three caption rules and the images' order, each element's tag and
    # attribute names read once (an image's again by its source rules otherwise).
    marked: list[tuple[HtmlElement, list[str] | None]] = []
    figcaptions: list[HtmlElement] = []
    classed: list[HtmlElement] = []
    rows: list[HtmlElement] = []
    for below in el.iterdescendants():
        below_tag = below.tag
        if not isinstance(below_tag, str):
            continue
        names = below.keys()
        if below_tag in IMAGE_TAGS:  # an image holds itself: never a caption
            marked.append((below, names))
            continue
        found = figcaptions if below_tag == "figcaption" else None
        if found is not None:
            found.append(below)
        # Most elements of a box have neither attribute: no call for them.
        if ("class" in names or "id" in names) and _has_name(below, names, _is_caption_name) \
                and below not in images:
            classed.append(below)
            found = classed
        elif below_tag == "tr" and below not in images:  # read only when none is classed
            rows.append(below)
            found = rows
        if found is not None:
            marked.append((below, None))
    captions = figcaptions or classed or (rows if tag == "table" else [])
    if len(captions) > 1:  # one caption (a table's usual) is outermost: no walk up from it
        captions = [part for part in captions if not _inside_any(part, captions, el)]
    # A table or figure is framed as such, captioned or not.
    return _ImageBox(marked, captions) if captions or tag in ("table", "figure") else None


# normalize_text makes a text at most this many times longer: NFC turns a character into
# at most 3, and folding whitespace leaves at most one space after each character.
_MAX_NORMALIZED_GROWTH = 6


def _fits(el: HtmlElement, limit: int) -> bool:
    """Whether short_text(el, limit) is a text, not None. Where every text node of el
    (lxml's text serializer: one C loop, no Python step per element) is short enough
    that even normalized it cannot pass the limit, that answers; the text readers read
    a part of those nodes (not script, style…) plus a space for a <br>."""
    raw = etree.tostring(el, method="text", encoding=str, with_tail=False)
    return len(raw) * _MAX_NORMALIZED_GROWTH <= limit or short_text(el, limit) is not None


def _has_name(el: HtmlElement, names: list[str], test: Callable[[str], bool]) -> bool:
    """Whether el's class or id passes test; names are el's attribute names. Class and
    id apart, not joined by a space: no word of the tests spans that space."""
    return ("class" in names and test(el.get("class"))) or ("id" in names and test(el.get("id")))


# Cached: a page repeats its classes (every image table is "MASTERCMS_TPL_TABLE").
@lru_cache(maxsize=1024)
def _is_noise_name(name: str) -> bool:
    return _NOISE.search(name.lower()) is not None


@lru_cache(maxsize=1024)
def _is_caption_name(name: str) -> bool:
    return _CAPTION_CLASS.search(name.lower()) is not None


def _inside_any(el: HtmlElement, boxes: list[HtmlElement], top: HtmlElement) -> bool:
    """Whether an ancestor of el below top is one of boxes (all inside top)."""
    for up in el.iterancestors():
        if up is top:
            return False
        if up in boxes:
            return True
    return False


def _add_image_box(box: _ImageBox, builder: _Builder) -> None:
    """Each image with the caption text that follows it (text before the first
    image belongs to the first)."""
    captions = set(box.captions)
    images: list[tuple[HtmlElement, list[str], list[str]]] = []
    before_first: list[str] = []
    for el, names in box.marked:
        if names is not None:
            images.append((el, names, before_first if not images else []))
        elif el in captions:
            text = text_of(el)
            if text:
                (images[-1][2] if images else before_first).append(text)
    builder.flush()
    for img, names, parts in images:
        _add_image(img, names, " ".join(parts) or None, builder)


def _add_image(img: HtmlElement, names: list[str], caption: str | None,
               builder: _Builder) -> None:
    """An image, unless it has no source or is a tracking pixel; names are its
    attribute names."""
    src = image_source(img, names)
    url = urls.absolute(src, builder.page_url) if src else None
    if url is not None and not _is_tracking_pixel(img, names):
        builder.add_image(url, caption)


def image_source(img: HtmlElement, present: list[str]) -> str | None:
    """The real image URL: lazy-loading attributes first, placeholders skipped;
    present are img's attribute names."""
    for attr in _IMAGE_ATTRS:
        if attr not in present:
            continue
        value = (img.get(attr) or "").strip()
        if attr == "data-srcset" and value:
            value = value.split(",")[0].split()[0]
        if value and not value.startswith("data:"):
            return value
    return None


def _is_tracking_pixel(img: HtmlElement, names: list[str]) -> bool:
    return ("width" in names or "height" in names) and any(
        (img.get(dim) or "").strip() in ("0", "1", "2") for dim in ("width", "height"))
