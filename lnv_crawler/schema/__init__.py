"""The JSON Schema of the output record, shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

from jsonschema import Draft202012Validator


@lru_cache(maxsize=1)
def article_validator() -> Draft202012Validator:
    schema = json.loads(files(__package__).joinpath("article.schema.json").read_text("utf-8"))
    return Draft202012Validator(schema)


def violations(record: dict) -> list[str]:
    """Human-readable schema violations of one record ('' path means the record)."""
    errors = sorted(article_validator().iter_errors(record), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path)) or '<record>'}: {e.message}" for e in errors]
