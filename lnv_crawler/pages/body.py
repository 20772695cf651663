"""The article body as an ordered list of blocks: paragraphs and images.

Paragraphs end at block elements (<p>, <div>, <h2>…), at runs of two or more
<br>, and around images. Captions, ads, scripts, inline boxes of related links
and tag blocks are not paragraphs. Each paragraph remembers whether it was
wholly bold/italic or right-aligned, which the byline and sapo rules use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import urls
from ..text import normalize_text
from .dom import NON_CONTENT_TAGS, HtmlElement, classes_and_id, text_of

BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "aside", "header", "footer", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote",
    "pre", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "figure", "hr", "address",
})  # fmt: skip
_EMPHASIS_TAGS = frozenset({"b", "strong", "em", "i"})
_NOISE = re.compile(
    r"(?:^|[\s_-])(?:ads?|adv|advert\w*|adsense|adsbygoogle|banner|quang-?cao|qc|sponsor\w*"
    r"|share|social|toolbar|rating|comment\w*|tags?|keywords?|box-?news|boxnews"
    r"|relate[d]?\w*|lien-?quan|tinlienquan|read-?more|doc-?them|xem-?them|box-?tin"
    r"|audio|player|author|byline)(?:$|[\s_-])"
)
_INLINE_LIST_HEAD = re.compile(
    r"^(?:tin liên quan|bài liên quan|tin bài liên quan|đọc thêm|xem thêm|mời xem|"
    r"có thể bạn quan tâm|tin cùng chuyên mục)\b", re.IGNORECASE)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)")
_RIGHT_ALIGN = re.compile(r"text-align\s*:\s*right")
_IMAGE_ATTRS = ("data-src", "data-original", "data-lazy-src", "data-srcset", "src")


@dataclass
class Paragraph:
    text: str
    emphasized: bool = False  # wholly bold/italic, or right-aligned


@dataclass
class Image:
    url: str
    caption: str | None


Block = Paragraph | Image


class _Builder:
    """Accumulates inline text into paragraphs while walking the body tree."""

    def __init__(self, page_url: str):
        self.page_url = page_url
        self.blocks: list[Block] = []
        self._parts: list[tuple[str, bool]] = []  # (text, emphasized)
        self._align_right = False

    def add_text(self, text: str | None, emphasized: bool) -> None:
        if text:
            self._parts.append((text, emphasized))

    def flush(self) -> None:
        text = normalize_text("".join(t for t, _ in self._parts))
        if text:
            visible = [e for t, e in self._parts if t.strip()]
            emphasized = self._align_right or (bool(visible) and all(visible))
            self.blocks.append(Paragraph(text, emphasized))
        self._parts = []
        self._align_right = False

    def mark_right_aligned(self) -> None:
        self._align_right = True


def extract_blocks(content: HtmlElement, page_url: str) -> list[Block]:
    """Paragraphs and images of a content element, in document order."""
    builder = _Builder(page_url)
    _walk(content, builder, emphasized=False)
    builder.flush()
    return builder.blocks


def _is_noise(el: HtmlElement) -> bool:
    if el.tag in NON_CONTENT_TAGS or el.tag == "ins":
        return True
    if _HIDDEN_STYLE.search(el.get("style", "").lower()) or el.get("hidden") is not None:
        return True
    if el.tag in BLOCK_TAGS and _NOISE.search(classes_and_id(el)):
        return True
    return el.tag in BLOCK_TAGS and _is_inline_link_box(el)


def _is_inline_link_box(el: HtmlElement) -> bool:
    """A box such as "Tin liên quan: <a>…</a>" inside the body, mostly link text."""
    if not el.xpath(".//a[@href]"):
        return False
    text = text_of(el)
    if not _INLINE_LIST_HEAD.match(text):
        return False
    link_chars = sum(len(text_of(a)) for a in el.iter("a"))
    return link_chars >= 0.5 * (len(text) - 20)


def _walk(el: HtmlElement, builder: _Builder, emphasized: bool) -> None:
    for child in el:
        if not isinstance(child.tag, str):  # comments, processing instructions
            builder.add_text(child.tail, emphasized)
            continue
        _visit(child, builder, emphasized)
        builder.add_text(child.tail, emphasized)


def _visit(el: HtmlElement, builder: _Builder, emphasized: bool) -> None:
    tag = el.tag
    if _is_noise(el):
        return
    if tag == "br":
        _line_break(el, builder)
        return
    if tag == "img":
        _add_image(el, None, builder)
        return
    if tag in ("table", "figure") and el.xpath(".//img") and _is_image_box(el):
        _add_image_box(el, builder)
        return
    is_block = tag in BLOCK_TAGS
    if is_block:
        builder.flush()
        if _RIGHT_ALIGN.search(el.get("style", "").lower()) or el.get("align") == "right":
            builder.mark_right_aligned()
    inner = emphasized or tag in _EMPHASIS_TAGS or bool(_BOLD_STYLE.search(el.get("style", "")))
    if tag in ("h2", "h3", "h4", "h5", "h6"):
        inner = True
    builder.add_text(el.text, inner)
    _walk(el, builder, inner)
    if is_block:
        builder.flush()


def _line_break(el: HtmlElement, builder: _Builder) -> None:
    """<br><br> ends a paragraph; a single <br> is a line break inside one."""
    prev = el.getprevious()
    prev_is_br = prev is not None and prev.tag == "br" and not (prev.tail or "").strip()
    if prev_is_br:
        builder.flush()
    else:
        builder.add_text(" ", False)


def _is_image_box(el: HtmlElement) -> bool:
    """A table or figure that frames images and their captions, not a layout table."""
    text = text_of(el)
    return len(text) < 400 and not el.xpath(".//p[string-length(normalize-space()) > 400]")


def _add_image_box(el: HtmlElement, builder: _Builder) -> None:
    caption_el = el.xpath(".//figcaption")
    if caption_el:
        caption = text_of(caption_el[0])
    else:
        rows = [r for r in el.xpath(".//*[contains(@class, 'caption')]") if not r.xpath(".//img")]
        rows = rows or [r for r in el.xpath(".//tr") if not r.xpath(".//img")]
        caption = " ".join(t for t in (text_of(r) for r in rows) if t)
        if not rows:
            caption = normalize_text(" ".join(el.xpath(".//text()[not(ancestor::script)]")))
    images = el.xpath(".//img")
    builder.flush()
    for i, img in enumerate(images):
        # One caption row under several images describes the last of them.
        _add_image(img, (caption or None) if i == len(images) - 1 else None, builder)


def _add_image(img: HtmlElement, caption: str | None, builder: _Builder) -> None:
    src = image_source(img)
    url = urls.absolute(src, builder.page_url) if src else None
    if url is None or _is_tracking_pixel(img):
        return
    builder.flush()
    builder.blocks.append(Image(url, caption))


def image_source(img: HtmlElement) -> str | None:
    """The real image URL: lazy-loading attributes first, placeholders skipped."""
    for attr in _IMAGE_ATTRS:
        value = (img.get(attr) or "").strip()
        if attr == "data-srcset" and value:
            value = value.split(",")[0].split()[0]
        if value and not value.startswith("data:"):
            return value
    return None


def _is_tracking_pixel(img: HtmlElement) -> bool:
    return any((img.get(dim) or "").strip() in ("0", "1", "2") for dim in ("width", "height"))
