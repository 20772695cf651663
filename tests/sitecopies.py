"""Copies of the sample site with one change to every article page, for the monitor
tests: bylines kept on a few pages only, images taken out, bodies cut in half, link
lists gone. Each edit finds what it removes by the page's expected record (the text
the site prints), so it works on all three templates alike."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urljoin

import lxml.html

from lnv_crawler import urls
from lnv_crawler.samplesite import SITE_DIR
from lnv_crawler.samplesite import expected_records as _expected_records
from lnv_crawler.text import normalize_text

_ARTICLE_ID = re.compile(r"-(\d+)\.html$|\.html(\d+)$")
Edit = Callable[[lxml.html.HtmlElement, dict], None]


def article_id(page: Path) -> str | None:
    match = _ARTICLE_ID.search(page.name)
    return (match.group(1) or match.group(2)) if match else None


def site_copy(tmp_path: Path, edit_text: Callable[[str, str | None], str],
              name: str = "site") -> Path:
    """The sample site copied under tmp_path, every page but the home page passed
    through edit_text(html, article id or None)."""
    root = tmp_path / name
    shutil.copytree(SITE_DIR, root)
    for page in root.rglob("*.html*"):
        if page.name != "index.html":
            page.write_text(edit_text(page.read_text("utf-8"), article_id(page)), "utf-8")
    return root


def edited_site(tmp_path: Path, edits: dict[str, Iterable[Edit]], name: str = "site") -> Path:
    """A copy where article page `id` gets edits[id] (parsed and written back by lxml)."""
    records = {record["article_id"]: record for record in _expected_records().values()}

    def apply(html: str, ident: str | None) -> str:
        if ident not in edits:
            return html
        doc = lxml.html.document_fromstring(html)
        for edit in edits[ident]:
            edit(doc, records[ident])
        return lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")

    return site_copy(tmp_path, apply, name)


def all_ids() -> list[str]:
    return sorted(record["article_id"] for record in _expected_records().values())


def _text(el: lxml.html.HtmlElement) -> str:
    return normalize_text(el.text_content())


def _drop_outermost(doc: lxml.html.HtmlElement, text: str) -> None:
    """Removes the outermost element that prints exactly `text` (its tail stays)."""
    body = doc.find("body")
    for el in body.iter():
        if isinstance(el.tag, str) and el is not body and _text(el) == text:
            el.drop_tree()
            return
    raise AssertionError(f"not on the page: {text!r}")


def drop_byline(doc: lxml.html.HtmlElement, record: dict) -> None:
    if record["byline"]:
        _drop_outermost(doc, record["byline"])


def drop_images(doc: lxml.html.HtmlElement, record: dict) -> None:
    """The image blocks (a table, figure or centred paragraph with its caption)."""
    for img in doc.xpath("//img[contains(@class, '__img_mastercms') or ancestor::figure"
                         " or ancestor::table[contains(@class, 'MASTERCMS_TPL_TABLE')"
                         " or contains(@class, 'image')]]"):
        block = next(img.iterancestors("table", "figure"), img)
        if block.getparent() is not None:
            block.drop_tree()


def halve_body(doc: lxml.html.HtmlElement, record: dict) -> None:
    """Keeps the body's first paragraphs, under half of its characters."""
    total = len("\n".join(record["body"]))
    kept = 0
    for index, paragraph in enumerate(record["body"]):
        kept += len(paragraph) + 1
        if index and kept > total / 2:
            _drop_paragraph(doc, paragraph)


def _drop_paragraph(doc: lxml.html.HtmlElement, paragraph: str) -> None:
    """The innermost element printing the paragraph, or the bare text node (between
    <br>s in the old template) that holds it."""
    matches = [el for el in doc.find("body").iter()
               if isinstance(el.tag, str) and _text(el) == paragraph]
    if matches:
        matches[-1].drop_tree()
        return
    for el in doc.find("body").iter():
        if normalize_text(el.text) == paragraph:
            el.text = ""
            return
        if normalize_text(el.tail) == paragraph:
            el.tail = ""
            return
    raise AssertionError(f"paragraph not on the page: {paragraph[:60]!r}")


def drop_link_lists(doc: lxml.html.HtmlElement, record: dict) -> None:
    """Every link to another article, with its list item or entry block."""
    blocks = {}
    for anchor in doc.xpath("//a[@href]"):
        target = urls.canonicalize(urljoin(record["url"], anchor.get("href")))
        if target and target != record["url"] and urls.is_article_url(target):
            block = next(anchor.iterancestors("li"), anchor)
            blocks[id(block)] = block
    for block in blocks.values():
        if block.getparent() is not None and block.getroottree().getroot() is doc:
            block.drop_tree()
