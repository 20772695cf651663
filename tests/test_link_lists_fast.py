"""The link lists' shortcuts answer what the helpers they stand in for answer, on every
link and element of the sample site and of the fixture pages, and on edge cases."""

from __future__ import annotations

import pytest
from test_body_fast import elements  # noqa: F401 (the fixture: every element, edge cases too)
from test_page_helpers import _pages

from lnv_crawler import urls
from lnv_crawler.pages.dom import NON_CONTENT_TAGS, HtmlElement, resolved_links, short_text, text_of
from lnv_crawler.pages.sections import _holds_tag, _leaf_short_text, _quick_text

PAGE = "https://langngheviet.com.vn/khuyen-cong-hai-duong-ho-tro-28469.html"
# Near misses of the canonical article shape, each decided by the urls module.
HREFS = [
    PAGE, PAGE + " ", " " + PAGE, PAGE + "\n", PAGE + "#a", PAGE + "?utm_source=x",
    "https://langngheviet.com.vn/khuyen-cong-hai-duong-ho-tro-28469.htm",
    "https://langngheviet.com.vn/Khuyen-Cong-28469.html",
    "https://langngheviet.com.vn/khuyen_cong-28469.html",
    "https://langngheviet.com.vn/amp-28469.html", "https://langngheviet.com.vn/-28469.html",
    "https://langngheviet.com.vn/28469.html", "https://langngheviet.com.vn/a-٣٤.html",
    "https://langngheviet.com.vn//a-28469.html", "https://langngheviet.com.vn/amp/a-28469.html",
    "https://langngheviet.com.vn/khuyen-cong/ho-tro-co-so.html12345",
    "https://langngheviet.com.vn/khuyen-cong", "https://langngheviet.com.vn/",
    "https://langngheviet.com.vn", "https://m.langngheviet.com.vn/a-1.html",
    "http://langngheviet.com.vn/a-1.html", "https://example.com/a-1.html", "https://",
    "http://[::1", "/a-1.html", "a-1.html", "#tab", "", "javascript:void(0)",
    "mailto:toasoan@langngheviet.com.vn", "//langngheviet.com.vn/a-1.html",
    "#", " #a b ", "#a\nb", "#x:y", "#?q=1", "#//m.langngheviet.com.vn/a-1.html", "#\x01",
]
PAGE_URLS = [PAGE, "https://langngheviet.com.vn/khuyen-cong", PAGE + "?page=2",
             "http://m.langngheviet.com.vn/a-1.html#top", "https://example.com/a", "", "a.html",
             # Where a fragment href's urljoin could differ from the page URL itself.
             "HTTPS://LangNgheViet.com.vn/a-1.html", "https://langngheviet.com.vn",
             "https://langngheviet.com.vn/a-1.html?", "https://langngheviet.com.vn/a;p?q=1#",
             "https://langngheviet.com.vn/x/../a-1.html", "http://[::1", PAGE + "\n",
             "javascript:void(0)", "//langngheviet.com.vn/a-1.html"]


@pytest.fixture(scope="module")
def hrefs() -> list[str | None]:
    found = [a.get("href") for root in _pages() for a in root.iter("a")]
    assert len(found) > 1000
    return [*found, *HREFS, None]


def _expected(href: str | None, page_url: str) -> tuple[str, bool] | None:
    resolved = urls.absolute(href, page_url)
    url = urls.canonicalize(resolved) if resolved else None
    return (url, urls.is_article_url(url)) if url else None


@pytest.mark.parametrize("page_url", PAGE_URLS)
def test_resolved_links_resolve_as_the_urls_module(hrefs: list[str | None], page_url: str) -> None:
    anchor: HtmlElement = _pages()[0]
    for href in hrefs:
        found = [(url, article) for _, url, article in resolved_links([(anchor, href)], page_url)]
        expected = _expected(href, page_url)
        assert found == ([expected] if expected else []), href
    # All at once, as a page's links: the hrefs to a place in the page resolve as the first.
    found = [(url, article) for _, url, article in
             resolved_links([(anchor, href) for href in reversed(hrefs)], page_url)]
    expected = [e for href in reversed(hrefs) if (e := _expected(href, page_url))]
    assert found == expected


def test_leaf_short_text_is_short_text(elements: list[HtmlElement]) -> None:  # noqa: F811
    leaves = [el for el in elements if not len(el) and el.tag not in NON_CONTENT_TAGS]
    assert len(leaves) > 1000
    for el in leaves:
        for limit in (0, 5, 20, 40):
            assert _leaf_short_text(el.text or "", limit) == short_text(el, limit), (el, limit)


def test_quick_text_is_text_of(elements: list[HtmlElement]) -> None:  # noqa: F811
    for el in elements:
        assert _quick_text(el) == text_of(el), el


def test_holds_tag_is_the_descendant_or_self_search(elements: list[HtmlElement]) -> None:  # noqa: F811
    for el in elements:
        for tag in ("a", "img", "li"):
            assert _holds_tag(el, tag) == (next(el.iter(tag), None) is not None), (el, tag)
