"""What the spider gives the page objects: a UTF-8 body as it came (no decode and
re-encode of every page), anything else as Scrapy decoded it; the same records."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse

from lnv_crawler.pages.article import ArticlePage
from lnv_crawler.samplesite import expected_records, page_path
from lnv_crawler.spiders.lnv import page_source

FETCHED = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)


def response(body: bytes, content_type: str = "text/html; charset=utf-8",
             url: str = "https://langngheviet.com.vn/a-1.html") -> HtmlResponse:
    return HtmlResponse(url, body=body, headers={"Content-Type": content_type})


def test_a_utf8_body_is_given_as_it_came():
    page = response("<p>Làng nghề</p>".encode())
    assert page_source(page) is page.body


def test_a_body_with_bytes_not_utf8_is_given_decoded_with_them_replaced():
    page = response(b"<p>L\xc3\xa0ng \xe1\xbb ngh\xff\xe1\xbb\x81</p>")
    assert page_source(page) == page.text == "<p>Làng \ufffd ngh\ufffdề</p>"


def test_a_body_in_another_encoding_is_given_decoded():
    page = response("<p>Làng Bát Tràng</p>".encode("cp1258"), "text/html; charset=windows-1258")
    assert page_source(page) == page.text


@pytest.mark.parametrize("url", sorted(expected_records()))
def test_the_body_gives_the_record_its_text_gives(url: str):
    page = response(page_path(urlsplit(url).path).read_bytes(), url=url)
    assert isinstance(page_source(page), bytes)
    assert (ArticlePage(page_source(page), url, fetched_at=FETCHED).to_item()
            == ArticlePage(page.text, url, fetched_at=FETCHED).to_item())
