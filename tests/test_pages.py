"""Page objects against the saved sample pages and their expected JSON, field by field."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from lnv_crawler.items import ARTICLE_FIELDS
from lnv_crawler.pages.article import ArticlePage, split_agency
from lnv_crawler.pages.listing import ListingPage, page_number
from lnv_crawler.samplesite import SITE_DIR, expected_records, page_path
from lnv_crawler.schema import violations

EXPECTED = expected_records()
COMPARED = [f for f in ARTICLE_FIELDS if f != "fetched_at"]


def parse_sample(url: str) -> dict | None:
    html = page_path(urlsplit(url).path).read_bytes()
    return ArticlePage(html, url).to_item()


def test_sample_site_has_expected_records():
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("url", sorted(EXPECTED))
@pytest.mark.parametrize("field", COMPARED)
def test_article_field(url, field):
    item = parse_sample(url)
    assert item is not None, f"{url} gave no record"
    assert item[field] == EXPECTED[url][field]


@pytest.mark.parametrize("url", sorted(EXPECTED))
def test_article_record_is_valid(url):
    assert violations(parse_sample(url)) == []


def _non_article_pages() -> list[str]:
    """Article-shaped sample pages that have no expected record: they must give none."""
    pages = []
    for path in SITE_DIR.rglob("*"):
        url = "https://langngheviet.com.vn/" + path.relative_to(SITE_DIR).as_posix()
        if path.is_file() and ".html" in path.name and url not in EXPECTED and (
                path.name != "index.html"):
            pages.append(url)
    return sorted(pages)


@pytest.mark.parametrize("url", _non_article_pages())
def test_non_article_page_gives_no_record(url):
    assert parse_sample(url) is None


@pytest.mark.parametrize("html", ["", "   ", "<html>", "<<<>>>", b"\xff\xfe\x00", "<p>Lỗi</p>"])
def test_broken_html_gives_no_record_and_no_exception(html):
    assert ArticlePage(html, "https://langngheviet.com.vn/a-1.html").to_item() is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LNV - Để giúp", ("LNV", "Để giúp")),
        ("LNV – Để giúp", ("LNV", "Để giúp")),
        ("TBV- Một", ("TBV", "Một")),
        ("(OVN) - Theo", ("OVN", "Theo")),
        ("Không mã", (None, "Không mã")),
        ("TP.HCM - thành phố", (None, "TP.HCM - thành phố")),
        ("LNV -\nDòng sau", ("LNV", "Dòng sau")),  # the lead runs on across a line break
        ("LNV - - Theo", ("LNV", "- Theo")),
        ("LNV -", (None, "LNV -")),  # a code with nothing after it is no code
        ("LNV - Theo ", ("LNV", "Theo")),
        (None, (None, None)),
    ],
)
def test_split_agency(text, expected):
    assert split_agency(text) == expected


def _listing_pages() -> list[str]:
    return sorted("https://langngheviet.com.vn/" + p.parent.relative_to(SITE_DIR).as_posix()
                  for p in SITE_DIR.glob("*/**/index.html"))


@pytest.mark.parametrize("url", _listing_pages())
def test_listing_pages_list_articles(url):
    page = ListingPage(page_path(urlsplit(url).path).read_bytes(), url)
    assert page.article_urls(), url
    following = page.next_page_url()
    if following:
        assert page_number(following) == page_number(url) + 1


def test_listing_chains_have_three_pages_or_more():
    chains = {}
    for url in _listing_pages():
        if page_number(url) == 1:
            count, current = 0, url
            while current and count < 50:
                count += 1
                page = ListingPage(page_path(urlsplit(current).path).read_bytes(), current)
                current = page.next_page_url()
            chains[url] = count
    assert sum(1 for n in chains.values() if n >= 3) >= 2, chains


def test_home_page_links_categories():
    home = ListingPage((SITE_DIR / "index.html").read_bytes(), "https://langngheviet.com.vn/")
    assert len(home.category_urls(everywhere=True)) >= 2


def test_hostile_pages_parse_quickly_without_exceptions():
    url = "https://langngheviet.com.vn/a-1.html"
    deep = "<div>" * 5000 + "<p>Sâu</p>" + "</div>" * 5000
    links = "<h2>Tin khác</h2><ul>" + "".join(
        f'<li><a href="/bai-{i}-{i}.html">Bài {i}</a></li>' for i in range(20000)) + "</ul>"
    huge_attr = '<h1 title="' + "x" * 1_000_000 + '">Tiêu đề bài báo dài</h1><p>Nội dung.</p>'
    for html in (deep, f"<h1>Tiêu đề bài viết</h1><div><p>Đoạn văn.</p></div>{links}", huge_attr):
        page = ArticlePage(html, url)
        item = page.to_item()
        assert item is None or len(item["links"]) <= 20000
