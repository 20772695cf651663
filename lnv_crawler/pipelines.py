"""Item pipelines, in order: normalize -> validate -> dedup. Each is thin: the
rules live in text.py, dates.py and the JSON Schema."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from . import dates
from .schema import violations
from .text import normalize_text

logger = logging.getLogger(__name__)


def normalize_value(value: Any) -> Any:
    """Apply the contract's text rules to every string in a nested value."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, list):
        return [normalize_value(v) for v in value]
    if isinstance(value, dict):
        return {k: normalize_value(v) for k, v in value.items()}
    return value


class NormalizePipeline:
    """Contract §3 text rules on every string; published_at as ISO 8601 in Vietnam time."""

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        for field, value in adapter.items():
            adapter[field] = normalize_value(value)
        published = adapter.get("published_at")
        if published:
            parsed = dates.parse_iso_datetime(published) or dates.parse_date(published)
            adapter["published_at"] = dates.to_iso(parsed) if parsed else None
        return item


class ValidatePipeline:
    """Drops records that break the JSON Schema, with the URL and reason logged and counted."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        # The spider yields plain dicts: validated as they are (asdict() would copy
        # every nested value, at more cost than the validation).
        record = item if isinstance(item, dict) else ItemAdapter(item).asdict()
        problems = violations(record)
        if problems:
            self.stats.inc_value("lnv/dropped/schema")
            url = ItemAdapter(item).get("url")
            raise DropItem(f"schema violation in {url}: {'; '.join(problems[:3])}")
        return item


class DedupPipeline:
    """One record per canonical URL per crawl."""

    def __init__(self, stats):
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: Any) -> Any:
        url = ItemAdapter(item).get("url")
        if url in self.seen:
            self.stats.inc_value("lnv/dropped/duplicate")
            raise DropItem(f"duplicate article {url}")
        self.seen.add(url)
        return item
