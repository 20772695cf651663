"""Bylines as the site prints them, and the person names inside them.

A byline is read as: an optional lead ("Bài và ảnh", "Tác giả:", "Thực hiện,",
"Phóng sự ảnh của", "Theo", "Nguồn:"), then credits split on dashes, commas,
"và", "/"...; each credit loses its titles ("ThS.", "Nhà báo", "Trung tá") and
anything after the name (a unit such as "Trung tâm Khuyến công", a trailing
"tổng hợp"), and counts as a person unless it names an agency, an outlet or a
desk ("TTXVN", "báo Tiền Phong", "Nhóm PV", "CTV", "Admin").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ..text import normalize_text

# Upper and lower case Latin letters with Vietnamese diacritics, as regex classes: a
# range such as "À-Ỹ" mixes both cases (Latin Extended Additional alternates them).
_LATIN = [chr(c) for r in ((0x41, 0x7B), (0xC0, 0x250), (0x1E00, 0x1F00)) for c in range(*r)]
_UP = "[" + "".join(c for c in _LATIN if c.isupper()) + "]"
_LOW = "[" + "".join(c for c in _LATIN if c.islower()) + "]"

# Role labels that open a byline or a credit: "Bài, ảnh:", "Bài và ảnh", "Tin:",
# "Tác giả:", "Thực hiện:", "Phóng sự ảnh của", "Ghi nhận của". Longer labels first.
_ROLE = (
    r"(?:nhóm thực hiện|thực hiện|phóng sự ảnh|phóng sự|ký sự|ghi nhận|ghi chép|tác giả"
    r"|người viết|bài viết|bài|ảnh|tin|video|clip|đồ họa|đồ hoạ|infographic|minh họa"
    r"|minh hoạ|thiết kế|trình bày|biên tập|tổng hợp|lược dịch|biên dịch|dịch|nội dung"
    r"|kỹ thuật|quay phim|dựng phim|ghi)"
)
_ROLE_RUN = rf"{_ROLE}(?:\s*(?:,|và|-|–|&|/|\+|\s)\s*{_ROLE})*"
# The lead of the whole line: roles ("Ảnh minh họa:"), then "của", a colon or a comma,
# or (for "Bài và ảnh Trọng Tùng") only a space before a capital.
_LEAD = re.compile(
    rf"^(?:{_ROLE_RUN})(?:\s+của\s+|\s*[:,]\s*|\s+(?-i:(?={_UP})))", re.IGNORECASE)
# A role with its colon inside the line: "Bài: Thu Hà - Ảnh: Quang Minh".
_ROLE_INSIDE = re.compile(rf"[;,.]?\s*(?<!\w)(?:{_ROLE_RUN})\s*:\s*", re.IGNORECASE)
# "Theo ..." and "Nguồn: ..." name a source: a person only as "Theo Hà An (TNO)".
_SOURCE = re.compile(r"^(?:theo|nguồn(?:\s+(?:tin|ảnh|video|bài))?)\b\s*:?\s*", re.IGNORECASE)
# Titles, degrees and ranks printed before a name, possibly several: "TS. Luật sư".
_TITLE = re.compile(
    r"^(?:(?:PGS|GS)\.?\s?TS(?:KH)?\.?|TSKH\.?|ThS\.?|TS\.?|PGS\.?|GS\.?|BS\.?(?:CK(?:II|I|1|2))?"
    r"|KS\.?|KTS\.?|LS\.?|NCS\.?|CN\.|NB\.?|NSND|NSƯT|NNND|NNƯT|QNCN|PV|CTV|BTV"
    r"|nhà báo|nhà văn|nhà thơ|nhà nghiên cứu|nhà giáo|nhiếp ảnh gia|luật sư|luật gia"
    r"|bác sĩ|dược sĩ|kỹ sư|kiến trúc sư|tiến sĩ|thạc sĩ|giáo sư|phó giáo sư|cử nhân"
    r"|nghệ nhân|nghệ sĩ|họa sĩ|hoạ sĩ|nhạc sĩ|phóng viên|cộng tác viên|biên tập viên"
    r"|(?:đại|thượng|trung|thiếu|chuẩn) (?:tá|úy|uý|tướng)|đại tướng|thượng sĩ|trung sĩ"
    rf"|đồng chí)(?:\s+(?:ưu tú|nhân dân))?[\s,.:]+(?-i:(?={_UP}))",
    re.IGNORECASE,
)
# Credits that name no person: agencies, outlets, desks, units, "Nhóm PV", "CTV".
_NOT_PERSON = re.compile(
    r"^(?:theo|nguồn|nhóm|pv|ctv|btv|bbt|bv|phóng viên|cộng tác viên|ban biên tập|tòa soạn"
    r"|toà soạn|tổng hợp|admin|quản trị|lnv|báo|tạp chí|cổng|đài|kênh|hãng|thông tấn"
    r"|sở|bộ|ubnd|hđnd|trung tâm|viện|cục|chi cục|tổng cục|vụ|ban|phòng|hội|hiệp hội"
    r"|công ty|tập đoàn|công an|bộ đội|quân khu|văn phòng|học viện|đại học|bệnh viện"
    r"|trường (?:đại học|cao đẳng|thpt|thcs|tiểu học|mầm non|trung học)|ủy ban|uỷ ban"
    r"|trang (?:tin|thông tin|web)|nhân vật|tư liệu|internet|minh họa|minh hoạ"
    r"|người dân|bạn đọc|độc giả|đoàn luật sư|liên đoàn|phó|chủ tịch|giám đốc|trưởng|bí thư"
    r"|tổng biên tập|chuyên viên|cán bộ|giảng viên|giáo viên|sinh viên|học viên)\b"
    r"|.*\b(?:cung cấp|sưu tầm)$",
    re.IGNORECASE,
)
_DESK = re.compile(
    r"^(?:nhóm\s+(?:pv|phóng viên|tác giả|thực hiện|ctv)|pv|ctv|btv|phóng viên|cộng tác viên)\b",
    re.IGNORECASE)
# Outlets and agencies whose names look like a person's ("Tiền Phong", "Dân trí").
_OUTLETS = frozenset({
    "ttxvn", "vna", "vtv", "vov", "vtc", "vnexpress", "vietnamplus", "vietnam+", "vietnamnet",
    "dân trí",
    "tiền phong", "thanh niên", "tuổi trẻ", "nhân dân", "lao động", "người lao động",
    "sài gòn giải phóng", "quân đội nhân dân", "công an nhân dân", "pháp luật", "zing",
    "znews", "kênh 14", "kenh14", "baomoi", "báo mới", "vietnam news", "chinhphu.vn",
    "reuters", "afp", "ap", "bloomberg", "xinhua", "tân hoa xã", "bbc", "cnn", "sputnik",
    "tto", "tno", "plo", "nld", "sggp", "qđnd", "cand", "tpo", "vnn", "ovn", "tbv", "gd&tđ",
})
# Separators between credits. A hyphen with no spaces splits only between names
# ("Thu Hà-Quang Minh"), not inside codes ("P.TCCB-LĐ", "PT-TH").
_NAME_SPLIT = re.compile(
    rf"\s*(?:\s[-–—]|[-–—]\s|[–—]|,|;|&|\s+và\s+|/|(?<={_LOW})-(?={_UP}))\s*")
_WORD = re.compile(rf"{_UP}{_LOW}*\.?")
# Initials and abbreviated names kept as printed: "T.H", "N.", "Ng.T", "L.Ngân", "Đ.LAM".
_INITIALS = re.compile(
    rf"(?:{_UP}{_LOW}?\.)+(?:{_UP}+(?!{_LOW})|{_UP}{_LOW}*)?\.?")
# A site or outlet written in lower case ("baoquangninh") or with its domain ("VOV.VN").
_SITE = re.compile(r"[a-z0-9.-]+|(?i:[\w.-]+\.(?:vn|com|net|org|info))")
_CAPS = re.compile(rf"{_UP}+")
_LAST_INITIAL = re.compile(rf"(?:^|[.\s]){_UP}\.$")
# Newsroom and source codes, also printed with dots ("P.V", "C.T.V"): reporter,
# contributor, editor, archive ("tư liệu"), "nhân vật cung cấp", "sưu tầm".
_DESK_CODES = frozenset({"pv", "ctv", "btv", "bbt", "btc", "tl", "nvcc", "st"})
# Codes of who supplied a picture: "...CC" is "cung cấp" (NVCC, NSCC, GĐCC), "FB..." Facebook.
_SOURCE_CODE = re.compile(r"FB|.*CC$")
# Where a unit starts after a name: "Lan Anh Trung tâm Khuyến công", "Hà Sở Công Thương".
# "Trường" counts only before a school word: it is also a given name ("Minh Trường").
_UNIT_START = re.compile(
    r"(?:Trung tâm|Sở|Bộ|Phòng|Ban|Viện|Cục|Chi cục|Tổng cục|Vụ|Công ty|Tập đoàn|Hội|Hiệp hội"
    r"|UBND|HĐND|Văn phòng|Đài|Báo|Tạp chí|Học viện|Đại học|Bệnh viện|Hợp tác xã|HTX|Công an"
    r"|Ủy ban|Uỷ ban|Ngân hàng|Quỹ|Cổng|Nhà xuất bản|NXB|Quân khu|Sư đoàn|Trung đoàn"
    rf"|Trường (?={_LOW}|[A-ZĐ]{{2}}|Đại học|Cao đẳng|Trung học|Tiểu học|Mầm non))\b"
)
# Trailing words after a name that still leave a credit: "Minh Anh tổng hợp".
_TRAILING = re.compile(
    r"^(?:\(?(?:tổng hợp|t/h|th|lược dịch|biên dịch|dịch|sưu tầm|st|giới thiệu|thực hiện"
    r"|biên soạn|chuyển ngữ|ghi|ghi lại|lược thuật)\)?|theo\s.+)$"
)
_URL = re.compile(r"https?://\S+")
# An outlet named after "Theo"/"Nguồn", in sentence case: "Sức khỏe cộng đồng".
_OUTLET_NAME = re.compile(rf"{_UP}\S*(?:\s+\S+){{0,5}}\s*$")
# A footnote mark glued to a name: "ThS Nguyễn Văn Phong1", "Trần Thùy Nhung*".
_FOOTNOTE = re.compile(r"(?<=[^\W\d_])[\d*]+$")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_MAX_NAME_WORDS = 5

MAX_BYLINE_CHARS = 100


class _Credit(NamedTuple):
    name: str | None  # the person, if the credit names one
    clean: bool  # the whole credit was understood (a name, a unit, a source...)
    desk: bool = False  # a newsroom credit that opens a plain byline: "PV", "Nhóm PV"
    code: bool = False  # letters only ("MNK", "ĐN"): a person's initials, or a place code


def looks_like_byline(text: str, emphasized: bool) -> bool:
    """A closing line that credits the article: a role label, a source, or bare names.

    Bare names ("Thu Hà - Quang Minh") count only when the line is set apart
    (bold, italic or right-aligned), since a short plain line could be body; a line
    that opens with a role label or "Theo"/"Nguồn" counts plain too. Every credit
    must be understood: a sentence or a caption ("Ảnh minh họa") is no byline.
    """
    text = normalize_text(text)
    if not text or len(text) > MAX_BYLINE_CHARS or text.endswith(("?", "!")):
        return False
    lead, credits = _read(text)
    if not all(c.clean for c in credits):
        return False
    if lead:  # "Thực hiện:" may stand alone, its names printed elsewhere
        return True
    return bool(credits) and (emphasized or credits[0].desk)


def authors_of(byline: str | None) -> list[str]:
    """Person names in a byline: "Bài, ảnh: Công Du" -> ["Công Du"]."""
    if not byline:
        return []
    names: list[str] = []
    for credit in _read(normalize_text(byline))[1]:
        if credit.name and credit.name not in names:
            names.append(credit.name)
    return names


# The page object asks looks_like_byline, then authors_of, about the same line.
@lru_cache(maxsize=1024)
def _read(text: str) -> tuple[bool, tuple[_Credit, ...]]:
    """Whether text opens with a role label or a source, and its credits."""
    text = text.strip(" *|")
    core = text.rstrip(". ")
    if core.startswith("(") and core.endswith(")"):
        text = core[1:-1].strip()  # a credit in brackets: "(Ảnh: Quang Trung)."
    source = _SOURCE.match(text)
    if source:
        return True, tuple(_read_source(text[source.end():]))
    lead = _LEAD.match(text)
    if lead:
        text = text[lead.end():]
    text = _ROLE_INSIDE.sub(", ", text)
    text = _BRACKETS.sub(" ", text)  # "(TTXVN)", "(tổng hợp)"
    parts = [part for part in _NAME_SPLIT.split(text) if part.strip(" .-–—")]
    credits = [_credit(part) for part in parts]
    if lead and ":" in lead[0]:
        # After "Ảnh:"/"Video:", a phrase in sentence case names a source: "Camera an ninh".
        credits = [c if c.clean else _Credit(None, _OUTLET_NAME.match(p) is not None)
                   for c, p in zip(credits, parts, strict=True)]
    if any(c.name and not c.code for c in credits):
        # Beside a full name, a bare code is a place or desk: "Hoàng Anh - ĐN".
        credits = [c._replace(name=None) if c.code else c for c in credits]
    return lead is not None, tuple(credits)


def _read_source(text: str) -> list[_Credit]:
    """After "Theo": a person only before an outlet in brackets ("Hà An (TNO)")."""
    person = re.match(r"^([^()]+?)\s*\(([^)]*)\)\s*$", text) or re.match(
        r"^([^/]+?)\s*/\s*([^/]+)$", text)  # "Theo Minh Anh/VOV.VN"
    if person and not _NOT_PERSON.match(person[1]) and _is_source(person[2]):
        return [_credit(part) for part in _NAME_SPLIT.split(person[1]) if part.strip()]
    if _URL.fullmatch(text.strip()):
        return [_Credit(None, True)]
    # "Theo TTXVN", "Theo báo Tiền Phong, Dân trí": sources, no person. Each must read
    # as a source or a name: "Theo thông tin ban đầu, ..." and "Theo dõi ... trên" do not.
    parts = [p for p in _NAME_SPLIT.split(_BRACKETS.sub(" ", text)) if p.strip(" .-–—")]
    return [_Credit(None, _credit(p).clean or _OUTLET_NAME.match(p) is not None)
            for p in parts] or [_Credit(None, True)]


def _is_source(text: str) -> bool:
    """An outlet or agency as credited after a person: "TNO", "VOV.VN", "báo Dân trí"."""
    text = text.strip(" .")
    return (text.casefold() in _OUTLETS or _CAPS.fullmatch(text) is not None
            or _SITE.fullmatch(text) is not None or _NOT_PERSON.match(text) is not None)


def _credit(part: str) -> _Credit:
    part = _FOOTNOTE.sub("", part.strip(" -–—*").lstrip("."))
    while (title := _TITLE.match(part)) is not None:
        part = part[title.end():]
    bare = part.rstrip(". ")  # a final dot may be an initial's ("A.B."): kept for names
    if not bare:
        return _Credit(None, True)
    if _NOT_PERSON.match(bare) or bare.casefold() in _OUTLETS or _SITE.fullmatch(bare):
        return _Credit(None, True, _DESK.match(bare) is not None)
    if bare.replace(".", "").casefold() in _DESK_CODES:  # "P.V", "C.T.V", "T.L"
        return _Credit(None, True, True)
    if _CAPS.fullmatch(bare):  # one word in capitals: initials "MNK", or an agency "TTXVN"
        person = len(bare) <= 4 and not _SOURCE_CODE.match(bare)
        return _Credit(bare if person else None, True, code=True)
    words = bare.split()
    if bare.isupper() and len(words) <= _MAX_NAME_WORDS and all(w.isalpha() for w in words):
        return _Credit(bare, True)  # "NGỌC HÀ": names set in capitals
    return _name_and_rest(part)


def _name_and_rest(part: str) -> _Credit:
    """The name at the start of part; the rest must be a unit or a trailing role."""
    pos, words = 0, 0
    while pos < len(part) and words < _MAX_NAME_WORDS:
        if words and _UNIT_START.match(part, pos):
            break
        word = _INITIALS.match(part, pos) or _WORD.match(part, pos)
        if not word or (word.end() < len(part) and not part[word.end()].isspace()):
            break
        pos, words = word.end(), words + 1
        while pos < len(part) and part[pos] == " ":
            pos += 1
    name = part[:pos].strip()
    rest = part[pos:].strip()
    if not name or name.casefold() in _OUTLETS:
        return _Credit(None, False)
    clean = (not rest or _UNIT_START.match(rest) is not None or _TRAILING.match(rest) is not None
             or _CAPS.fullmatch(rest) is not None)
    if not clean:  # "Camera an ninh": a phrase, not a name with a unit after it
        return _Credit(None, False)
    if not _LAST_INITIAL.search(name):  # "A.B." keeps its dot, "L.Ngân." ends a sentence
        name = name.rstrip(".")
    return _Credit(name, True)
