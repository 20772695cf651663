"""The output record (contract §3). Page objects build it as a plain dict in
contract field order; the JSON Schema in schema/article.schema.json is the
authority on its shape."""

from __future__ import annotations

SCHEMA_VERSION = 1

ARTICLE_FIELDS = (
    "schema_version", "url", "article_id", "title", "sapo", "source_tag", "body", "images",
    "byline", "authors", "published_at", "category", "tags", "links", "more_url", "fetched_at",
)  # fmt: skip
