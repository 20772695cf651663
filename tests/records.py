"""Output records and files for the tests of the commands that read them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def article(article_id: str = "123", **changes: Any) -> dict[str, Any]:
    """A valid record (contract §3), with some fields replaced."""
    record = {
        "schema_version": 2,
        "url": f"https://langngheviet.com.vn/lang-gom-bat-trang-vao-mua-tet-{article_id}.html",
        "article_id": article_id,
        "title": "Làng gốm Bát Tràng vào mùa Tết",
        "sapo": "Những ngày cuối năm, các lò gốm tất bật chuẩn bị hàng.",
        "source_tag": "LNV",
        "body": ["Đoạn thứ nhất về làng nghề.", "Đoạn thứ hai về khuyến công."],
        "images": [{"url": "https://langngheviet.com.vn/stores/news_dataimages/gom.jpg",
                    "caption": "Gốm Bát Tràng"}],
        "byline": "Bài, ảnh: Công Du",
        "authors": ["Công Du"],
        "published_at": "2022-03-15T08:30:00+07:00",
        "modified_at": None,
        "category": "Làng nghề",
        "tags": ["Bát Tràng", "OCOP"],
        "links": [{"section": "related", "url": "https://langngheviet.com.vn/ocop-ha-noi-456.html",
                   "title": "OCOP Hà Nội", "summary": None}],
        "more_url": "https://langngheviet.com.vn/lang-nghe",
        "fetched_at": "2026-11-26T10:00:00Z",
    }
    return {**record, **changes}


def line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def write(path: Path, *lines: bytes) -> Path:
    path.write_bytes(b"".join(raw + b"\n" for raw in lines))
    return path
