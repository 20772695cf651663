"""The agency code that opens a lead ("LNV - ", "OVN – "), shared by the sapo and the
link lists' summaries (contract §3: both are printed without it)."""

from __future__ import annotations

import re

# The code and its dash, up to the lead's first word (matched, not the whole lead: the
# rest is a slice).
_AGENCY = re.compile(r"\(?(?P<code>[A-ZĐ][A-ZĐ0-9]{1,7})\)?\s*[-–—]+\s*(?=\S)")


def has_agency_code(text: str) -> bool:
    return _AGENCY.match(text) is not None


def split_agency(text: str | None) -> tuple[str | None, str | None]:
    """'LNV - Để giúp…' -> ('LNV', 'Để giúp…'); text without a code -> (None, text).
    text is a lead as the page objects read it: normalized already."""
    if not text:
        return None, None
    match = _AGENCY.match(text)
    if match:
        return match.group("code"), text[match.end():].strip()
    return None, text
