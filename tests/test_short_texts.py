"""The short texts the tags and the link lists read without the body's text nodes give
what the page's whole dom.SHORT_TEXTS gives: on every element of the sample site and of
the fixture pages, and on pages with a tag label inside the body or a body as short as
a list heading."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from test_page_helpers import FIXTURES, _pages

from lnv_crawler.pages.article import ArticlePage
from lnv_crawler.pages.dom import (
    SHORT_TEXTS,
    HtmlElement,
    iter_text,
    parse_html,
    short_text,
    short_texts_around,
    text_exceeds,
)
from lnv_crawler.pages.sections import labelled_texts
from lnv_crawler.samplesite import SITE_DIR

URL = "https://langngheviet.com.vn/gom-bat-trang-vao-mua-tet-31234.html"
LONG = "Làng gốm Bát Tràng tất bật vào mùa Tết, các lò nung đỏ lửa suốt ngày đêm. " * 3
FETCHED = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _page(body: str, around: str = "", after: str = "") -> str:
    """An article page whose body container holds body, with around after it in its
    wrapper, and after that after."""
    return (f'<html><head><title>Gốm Bát Tràng vào mùa Tết</title></head><body><main>'
            f'<h1 class="article-detail-title">Gốm Bát Tràng vào mùa Tết</h1>'
            f'<div class="wrap"><div id="__MB_MASTERCMS_EL_3">{body}</div>{around}</div>'
            f'{after}'
            f'<h3>Tin khác</h3><ul><li><a href="/gom-men-ran-31000.html">Gốm men rạn</a></li>'
            f'<li><a href="/gom-chu-dau-31001.html">Gốm Chu Đậu</a></li></ul></main></body></html>')


PAGES = {
    # A label inside a body that links elsewhere: its box lies inside the body.
    "label in a body with links": (_page(
        f'<p>{LONG}<a href="/lang-gom-30000.html">làng gốm</a></p>'
        '<p><b>Tags:</b> <a href="/lang-nghe">Làng nghề</a>, <a href="/gom">Gốm</a></p>'),
        ["Làng nghề", "Gốm"]),
    # A label of the body container's own text, the tag links beside the container.
    "label of the body's own text": (_page(
        f"<p>{LONG}</p>Từ khóa:", '<span><a href="/gom-su">Gốm sứ</a></span>'), ["Gốm sứ"]),
    "label of the body's first text": (_page(
        f"Từ khoá <p>{LONG}</p>", '<a href="/gom-su">Gốm sứ</a>'), ["Gốm sứ"]),
    # A label deeper in a body without links: its box holds no link.
    "label deep in a body without links": (_page(
        f'<p>{LONG}</p><div><span>Tags:</span></div>', '<a href="/gom-su">Gốm sứ</a>'), []),
}
# A body of a heading's length: the heading grows out of it (to its wrapper).
SHORT_BODY = _page("Tin liên quan", after='<p><a href="/gom-men-lam-31002.html">Gốm men lam</a>'
                   '<a href="/gom-men-lam-31003.html">Gốm men lam 2</a></p>')


def _with_whole_short_texts(html: str) -> ArticlePage:
    """The page as it read its short texts before: the whole dom.SHORT_TEXTS."""
    page = ArticlePage(html, URL, fetched_at=FETCHED)
    page.__dict__["_short_texts"] = labelled_texts(page.root)
    page.__dict__["_body_tag_labels"] = []
    return page


def _both(html: str) -> tuple[ArticlePage, ArticlePage]:
    return ArticlePage(html, URL, fetched_at=FETCHED), _with_whole_short_texts(html)


@pytest.mark.parametrize("name", PAGES)
def test_tags_and_links_as_with_the_whole_short_texts(name: str) -> None:
    html, tags = PAGES[name]
    page, whole = _both(html)
    assert page.content is not None
    assert page.tags() == whole.tags() == tags
    assert page.links() == whole.links()
    assert page.to_item() == whole.to_item()


def test_a_heading_growing_out_of_a_short_body_as_with_the_whole_short_texts() -> None:
    page, whole = _both(SHORT_BODY)
    assert page.content is not None
    assert page.links() == whole.links()
    assert [link["section"] for link in page.links()] == ["related", "related", "other", "other"]


def test_sample_site_and_fixture_records_as_with_the_whole_short_texts() -> None:
    files = sorted(SITE_DIR.rglob("*.html*")) + sorted(FIXTURES.rglob("*.html"))
    assert len(files) > 40
    for file in files:
        page, whole = _both(file.read_text("utf-8", errors="replace"))
        assert (page.to_item(), page.more_url()) == (whole.to_item(), whole.more_url()), file


def _inside(node: str, el: HtmlElement) -> bool:
    parent = node.getparent()
    if node.is_tail:
        parent = parent.getparent()
    return parent is el or el in parent.iterancestors()


def test_short_texts_around_are_the_page_s_but_those_inside() -> None:
    roots = [*_pages(), parse_html("<html><head><title>t</title></head><body>a<p>b</p>"
                                   "<div>c<p>d</p>e</div>f</body></html>")]
    checked = 0
    for root in roots:
        whole = SHORT_TEXTS(root)
        for el in root.iter():
            if isinstance(el.tag, str):
                in_body = next(el.iterancestors("body"), None) is not None
                expected = [n for n in whole if not _inside(n, el)] if in_body else None
                assert short_texts_around(el) == expected
                checked += in_body
    assert checked > 5000


def test_text_exceeds_counts_the_stripped_pieces() -> None:
    for root in _pages():
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            size = sum(len(piece.strip()) for piece in iter_text(el))
            for limit in (0, 16, 40, 120):
                assert text_exceeds(el, limit) == (size > limit)
                if size > limit:  # nor can any element holding it be that short
                    assert short_text(el, limit) is None
