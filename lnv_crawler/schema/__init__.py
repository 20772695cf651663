"""The JSON Schema of the output record, shipped with the package.

Every record is checked with a compiled validator (fastjsonschema: microseconds a
record); only a record that fails is checked again with jsonschema, whose messages
name every violation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files

import fastjsonschema
from jsonschema import Draft202012Validator


@lru_cache(maxsize=1)
def article_schema() -> dict:
    return json.loads(files(__package__).joinpath("article.schema.json").read_text("utf-8"))


@lru_cache(maxsize=1)
def _fast_check() -> Callable[[dict], object]:
    return fastjsonschema.compile(article_schema())


@lru_cache(maxsize=1)
def article_validator() -> Draft202012Validator:
    return Draft202012Validator(article_schema())


def violations(record: dict) -> list[str]:
    """Human-readable schema violations of one record ('' path means the record)."""
    try:
        _fast_check()(record)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    errors = sorted(article_validator().iter_errors(record), key=lambda e: list(e.path))
    return [f"{'/'.join(map(str, e.path)) or '<record>'}: {e.message}" for e in errors]
