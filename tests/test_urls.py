import pytest

from lnv_crawler import urls

ARTICLE = "https://langngheviet.com.vn/khuyen-cong-hai-duong-ho-tro-28469.html"
OLD = "https://langngheviet.com.vn/khuyen-cong/ho-tro-co-so.html12345"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE,
        "http://langngheviet.com.vn/khuyen-cong-hai-duong-ho-tro-28469.html",
        "https://www.langngheviet.com.vn/khuyen-cong-hai-duong-ho-tro-28469.html",
        "https://m.langngheviet.com.vn/khuyen-cong-hai-duong-ho-tro-28469.html",
        "HTTPS://LANGNGHEVIET.COM.VN/khuyen-cong-hai-duong-ho-tro-28469.html",
        "https://langngheviet.com.vn:443/khuyen-cong-hai-duong-ho-tro-28469.html",
        ARTICLE + "?utm_source=facebook&utm_medium=social&utm_campaign=x",
        ARTICLE + "?fbclid=IwAR0abc",
        ARTICLE + "?zarsrc=30&utm_source=zalo",
        ARTICLE + "#binh-luan",
        ARTICLE + "?gidzl=abc#top",
        "https://langngheviet.com.vn/amp/khuyen-cong-hai-duong-ho-tro-28469.html",
        "https://m.langngheviet.com.vn/amp/khuyen-cong-hai-duong-ho-tro-28469.html",
        ARTICLE + "/amp",
        "https://langngheviet.com.vn//khuyen-cong-hai-duong-ho-tro-28469.html",
    ],
)
def test_article_variants_are_one_url(variant):
    assert urls.canonicalize(variant) == ARTICLE
    assert urls.article_id(variant) == "28469"


@pytest.mark.parametrize(
    "variant",
    [OLD, "http://m.langngheviet.com.vn/khuyen-cong/ho-tro-co-so.html12345?utm_source=x#a",
     "https://www.langngheviet.com.vn/amp/khuyen-cong/ho-tro-co-so.html12345"],
)
def test_older_article_shape_is_kept(variant):
    assert urls.canonicalize(variant) == OLD
    assert urls.article_id(variant) == "12345"


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("https://langngheviet.com.vn/khuyen-cong/", "https://langngheviet.com.vn/khuyen-cong"),
        ("http://m.langngheviet.com.vn/khuyen-cong?utm_source=x",
         "https://langngheviet.com.vn/khuyen-cong"),
        ("https://langngheviet.com.vn/khuyen-cong/p2#x",
         "https://langngheviet.com.vn/khuyen-cong/p2"),
        ("https://langngheviet.com.vn/ocop?page=3&fbclid=1",
         "https://langngheviet.com.vn/ocop?page=3"),
        ("https://www.langngheviet.com.vn", "https://langngheviet.com.vn/"),
    ],
)
def test_listing_variants(variant, expected):
    assert urls.canonicalize(variant) == expected
    assert urls.article_id(variant) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://facebook.com/sharer.php?u=" + ARTICLE,
        "https://langngheviet.com.vn.evil.example/khuyen-cong-1.html",
        "https://notlangngheviet.com.vn/a-1.html",
        "mailto:toasoan@langngheviet.com.vn",
        "javascript:void(0)",
        "tel:0243123456",
        "file:///etc/passwd",
        "http://127.0.0.1:8000/a-1.html",
        "http://localhost/a-1.html",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1/",
        "",
        "ftp://langngheviet.com.vn/a-1.html",
    ],
)
def test_off_site_is_none(url):
    assert urls.canonicalize(url) is None


def test_listing_and_article_classification():
    assert urls.is_article_url(ARTICLE) and not urls.is_listing_url(ARTICLE)
    assert urls.is_listing_url("https://langngheviet.com.vn/khuyen-cong")
    assert urls.is_listing_url("https://langngheviet.com.vn/khuyen-cong/p3")
    assert urls.is_listing_url("https://langngheviet.com.vn/lang-nghe/lang-nghe-truyen-thong")
    assert not urls.is_listing_url("https://langngheviet.com.vn/tag/ocop")
    assert not urls.is_listing_url("https://langngheviet.com.vn/")
    assert not urls.is_listing_url("https://example.com/khuyen-cong")


def test_absolute_resolves_against_the_canonical_page():
    assert urls.absolute("/ocop-1.html", ARTICLE) == "https://langngheviet.com.vn/ocop-1.html"
    assert urls.absolute("javascript:void(0)", ARTICLE) is None
    assert urls.absolute("mailto:a@b.c", ARTICLE) is None
    assert urls.absolute(None, ARTICLE) is None


def test_mirror_mapping_round_trips():
    base = "http://127.0.0.1:8123"
    fetched = urls.to_fetch_url(OLD, base)
    assert fetched == "http://127.0.0.1:8123/khuyen-cong/ho-tro-co-so.html12345"
    assert urls.from_fetch_url(fetched, base) == OLD
    assert urls.to_fetch_url(ARTICLE, None) == ARTICLE
    assert urls.from_fetch_url("http://127.0.0.1:9999/x-1.html", base) == (
        "http://127.0.0.1:9999/x-1.html")
