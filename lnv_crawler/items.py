"""The output record (contract §3). Page objects build it as a plain dict in
contract field order; the JSON Schema in schema/article.schema.json is the
authority on its shape. schema_version 2 added `modified_at`; records of version 1
(without it) stay valid input for `lnv-crawler validate` and `merge`."""

from __future__ import annotations

SCHEMA_VERSION = 2

ARTICLE_FIELDS = (
    "schema_version", "url", "article_id", "title", "sapo", "source_tag", "body", "images",
    "byline", "authors", "published_at", "modified_at", "category", "tags", "links", "more_url",
    "fetched_at",
)  # fmt: skip

# The fields whose coverage (share of records with a value) is reported: by
# `lnv-crawler stats`, the run history and its monitors, and `lnv-crawler history`.
COVERED_FIELDS = ("title", "sapo", "body", "published_at", "images", "byline", "authors",
                  "category", "tags", "links")  # fmt: skip
