"""The compiled check of every record (the schema with its $defs inlined) refuses what
the JSON Schema refuses, in each place a definition is used."""

from __future__ import annotations

from typing import Any

import pytest
from records import article

from lnv_crawler.schema import violations

LINK = article()["links"][0]
IMAGE = article()["images"][0]
BAD_CHANGES: dict[str, dict[str, Any]] = {
    "title padded": {"title": " Làng gốm"},
    "title empty": {"title": ""},
    "sapo padded": {"sapo": "Những ngày cuối năm "},
    "body item padded": {"body": ["Đoạn một.", " Đoạn hai."]},
    "author empty": {"authors": [""]},
    "tag padded": {"tags": ["OCOP "]},
    "byline not text": {"byline": 7},
    "category empty": {"category": ""},
    "caption padded": {"images": [{**IMAGE, "caption": " Gốm"}]},
    "image url not http": {"images": [{**IMAGE, "url": "ftp://x/gom.jpg"}]},
    "link url off the site": {"links": [{**LINK, "url": "https://example.com/a-1.html"}]},
    "link title padded": {"links": [{**LINK, "title": "OCOP Hà Nội "}]},
    "link summary empty": {"links": [{**LINK, "summary": ""}]},
    "more url with a query": {"more_url": "https://langngheviet.com.vn/lang-nghe?p=2"},
    "published_at in UTC": {"published_at": "2022-03-15T01:30:00Z"},
    "modified_at not a time": {"modified_at": "hôm qua"},
    "url off the site": {"url": "https://example.com/lang-gom-123.html"},
}


def test_a_valid_record_passes():
    assert violations(article()) == []


@pytest.mark.parametrize("changes", BAD_CHANGES.values(), ids=BAD_CHANGES.keys())
def test_each_use_of_a_definition_is_checked(changes: dict[str, Any]):
    assert violations(article(**changes))
