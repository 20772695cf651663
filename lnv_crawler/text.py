"""Text rules of the output (contract §3): one function per rule, one entry point."""

from __future__ import annotations

import html
import re
import unicodedata

# Zero-width and formatting characters that survive NFC but are invisible noise
# in news text (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, bidi marks).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# C0/C1 control characters except whitespace, which is folded below instead.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ODD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e"
                  "\u2060-\u2064\ufeff]")
# Printable characters that NFC keeps whatever surrounds them (its quick check says yes,
# no combining class): ASCII, Latin-1's letters and signs, Latin Extended-A/B (Vietnamese
# ă đ ơ ư), Latin Extended Additional (Vietnamese's precomposed tones), typographic
# dashes, quotes and the ellipsis. One regex pass over a text of these only answers for
# both NFC and printable, a third cheaper than unicodedata.is_normalized and isprintable.
_PLAIN = re.compile("[ -~\u00a1-\u00ac\u00ae-\u024f\u1e00-\u1eff\u2010-\u2027]*")


def normalize_text(text: str | None) -> str:
    """Entities decoded, NFC, invisible and control characters removed, spaces folded."""
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    # Most strings are clean already (page objects read clean text, and normalize early):
    # a text of _PLAIN characters only is NFC and printable, without asking either.
    if _PLAIN.fullmatch(text) and _single_spaced(text):
        return text
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _is_folded(text):
        return text
    if _ODD.search(text):  # rare: only then pay for the two substitutions
        text = _CONTROL.sub(" ", _INVISIBLE.sub("", text))
    return " ".join(text.split())  # str.split() folds every Unicode space, NBSP included


def _is_folded(text: str) -> bool:
    """No character the rules below would touch: every whitespace but the space, and
    every invisible or control character, is non-printable; and no space run or edge."""
    return text.isprintable() and _single_spaced(text)


def _single_spaced(text: str) -> bool:
    """No space run, no space at either edge (text is not empty)."""
    return "  " not in text and text[0] != " " and text[-1] != " "


def normalize_or_none(text: str | None) -> str | None:
    """normalize_text, with an empty result reported as None (for optional fields)."""
    return normalize_text(text) or None
