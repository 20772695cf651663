"""Counts in the commands' messages: "1 record", "2 records"."""

from __future__ import annotations


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and the noun, in the plural unless it is one (`many` for an irregular
    plural): plural(1, "row") is "1 row", plural(0, "row") "0 rows"."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"
