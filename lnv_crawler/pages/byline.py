"""Bylines as the site prints them, and the person names inside them."""

from __future__ import annotations

import re

from ..text import normalize_text

# Role labels that open a byline: "Bài, ảnh:", "Bài và ảnh:", "Tin:", "Ảnh:", "Video:".
_ROLE = r"(?:bài|ảnh|tin|video|clip|đồ họa|đồ hoạ|thực hiện|ghi|biên tập|tổng hợp|nhóm thực hiện)"
_ROLES = re.compile(rf"^(?:{_ROLE}(?:\s*(?:,|và|-|–|&|/)\s*{_ROLE})*)\s*:\s*", re.IGNORECASE)
_ROLE_INSIDE = re.compile(rf"[;,.]?\s*(?:{_ROLE}(?:\s*(?:,|và|&|/)\s*{_ROLE})*)\s*:\s*",
                          re.IGNORECASE)
# Credits that name no person: agencies, "Nhóm PV", "PV", "CTV", sources.
_NOT_PERSON = re.compile(
    r"^(?:theo|nguồn|nhóm|pv|ctv|btv|phóng viên|cộng tác viên|ban biên tập|tổng hợp|lnv|"
    r"báo|tạp chí|cổng|trang|sở|bộ|ubnd|trung tâm)\b",
    re.IGNORECASE,
)
_OPENERS = re.compile(rf"^(?:{_ROLE}\s*[,:]|{_ROLE}\s+và\s+{_ROLE}\s*:|theo\s|nguồn\s*:"
                      r"|nhóm\s+(?:pv|phóng viên|tác giả|thực hiện)\b|pv\b|ctv\b|phóng viên\b)",
                      re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:\s-\s|\s–\s|\s—\s|,|;|&|\s+và\s+|/)\s*")
_NAME_WORD = re.compile(r"^[A-ZÀ-ỸĐ][a-zà-ỹđ]*\.?$")

MAX_BYLINE_CHARS = 80


def looks_like_byline(text: str, emphasized: bool) -> bool:
    """A closing line that credits the article: a role label, a source, or bare names.

    Bare names ("Thu Hà - Quang Minh") count only when the line is set apart
    (bold, italic or right-aligned), since a short plain sentence could be body.
    """
    text = normalize_text(text)
    if not text or len(text) > MAX_BYLINE_CHARS:
        return False
    if _OPENERS.match(text):
        return len(text) <= 50 or bool(_ROLES.match(text))
    return emphasized and bool(authors_of(text)) and not text.endswith((".", "?", "!", ":"))


def authors_of(byline: str | None) -> list[str]:
    """Person names in a byline: "Bài, ảnh: Công Du" -> ["Công Du"]."""
    if not byline:
        return []
    text = _ROLES.sub("", normalize_text(byline))
    text = _ROLE_INSIDE.sub(", ", text)
    text = re.sub(r"\([^)]*\)", "", text)  # "(TTXVN)", "(tổng hợp)"
    names: list[str] = []
    for part in _NAME_SPLIT.split(text):
        part = part.strip(" .-–—")
        if _is_person_name(part) and part not in names:
            names.append(part)
    return names


def _is_person_name(part: str) -> bool:
    words = part.split()
    if not 1 <= len(words) <= 5 or _NOT_PERSON.match(part):
        return False
    if len(words) >= 2 and part.isupper():
        return all(w.isalpha() for w in words)  # "NGỌC HÀ": names set in capitals
    # Every word capitalised, none an acronym such as TTXVN.
    return all(_NAME_WORD.match(w) for w in words) and not any(
        len(w) > 1 and w.isupper() for w in words)
