"""Dates as Vietnamese news sites print them, returned aware in Vietnam time.

A fast path of compiled regexes handles the common shapes; dateparser (slow to
import and to run) is consulted only for leftovers that contain date vocabulary.
Every public function returns None instead of raising on text it cannot read.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from .text import normalize_text

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Dates from 1900 on: anniversaries and archive pages print old dates.
_MIN_YEAR = 1900
_MAX_YEAR = 2100
# A date line is short; longer input is prose (or junk) and only costs regex time.
_MAX_LEN = 256
# dateparser is ~4 ms per call and guesses freely on long text.
_FALLBACK_MAX_LEN = 100

_DASHES = re.compile("[\u2010-\u2015\u2212]")

# The lookbehinds/lookaheads keep dates out of longer numbers: phone numbers
# ("0243.123.4567"), prices ("27.000"), decimals ("12.5%" or "12,5") and document
# numbers. A comma or colon is refused only after a digit: "Thứ hai,14/03/2022".
_NUM_START = r"(?<![\d./-])(?<!\d[,:])"
_NUM_END = r"(?![\d%]|[.,/:-]\d)"
# After a full year a clock may follow directly ("15/03/2022-08:30", "15/03/2022,08:30").
_YEAR_END = r"(?![\d%]|[./]\d)"
_DAY = r"(?P<day>\d{1,2})"
_MONTH = r"(?P<month>\d{1,2})"
_MONTH_NAME = (
    r"\b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?"
    r"|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
# Not calendar.month_abbr: that follows the process locale.
_MONTH_ABBRS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_ORDINAL = r"(?:st|nd|rd|th)?"
_VN_MONTH = r"\s*(?:tháng|thg)\s*"
# Month names after "tháng": "Tháng Ba", "tháng Mười Hai", "tháng Giêng", "tháng Chạp".
_VN_MONTH_WORDS = {
    "giêng": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
    "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "mười một": 11, "mười hai": 12, "chạp": 12,
}
# A digit month, or a month word. "năm" straight before a year is the word "year":
# "9 tháng năm 2023" is the first nine months of 2023, not 9 May.
_VN_MONTH_NUMBER = (
    r"(?P<month>\d{1,2}|(?:mười một|mười hai|giêng|một|hai|ba|tư|bốn|năm(?! ?\d{4}(?!\d))"
    r"|sáu|bảy|tám|chín|mười|chạp)(?![^\W\d_]))"
)

_FULL_DATES = (
    # 15/03/2022, 15-03-2022, 15.03.2022, 15 / 03 / 2022, 15/03/22 (two-digit years
    # only with a bare "/": "1.2.10" is a version number far more often than a date).
    re.compile(
        _NUM_START + _DAY + r"(?P<sep>[/.-]| [/-] )" + _MONTH
        + r"(?P=sep)(?P<year>\d{4}|(?<=/)\d{2})" + _YEAR_END
    ),
    # 2022-03-15, 2022/03/15
    re.compile(
        _NUM_START + r"(?P<year>\d{4})(?P<sep>[/.-])" + _MONTH + r"(?P=sep)" + _DAY + _NUM_END
    ),
    # ngày 15 tháng 3 năm 2022, 15 tháng 03, 2022, 15 thg3 2022, 14 Tháng Ba 2022
    re.compile(
        _NUM_START + _DAY + _VN_MONTH + _VN_MONTH_NUMBER
        + r"\s*(?:,|năm|/|-)?\s*(?P<year>\d{4})(?!\d)"
    ),
    # Tháng 3 15, 2022 / Tháng Ba 15, 2022
    re.compile(r"\b" + _VN_MONTH + _VN_MONTH_NUMBER + r"\s+" + _DAY + r",\s*(?P<year>\d{4})(?!\d)"),
    # March 15, 2022 / Mar 15th 2022
    re.compile(_MONTH_NAME + r"\s*" + _DAY + _ORDINAL + r",?\s+(?P<year>\d{4})(?!\d)"),
    # 15 March 2022 / 15th of March, 2022
    re.compile(
        r"(?<!\d)" + _DAY + _ORDINAL + r"\s+(?:of\s+)?" + _MONTH_NAME
        + r",?\s+(?P<year>\d{4})(?!\d)"
    ),
)

# Year-less 23/12, 14.1: trusted only after a cue word (a date label, a part of the
# day, a clock), or alone, since "1/2" or "3.5" are often not dates; a label not
# about time is no cue ("Đánh giá: 4/5"). "15 tháng 3" is unambiguous and needs no
# cue; month words ("15 tháng hai") only count with a year: "6 tháng hai bên...".
_SHORT_NUMERIC = re.compile(_NUM_START + _DAY + r"[/.-]" + _MONTH + _NUM_END)
_SHORT_NUMERIC_CUE = re.compile(
    r"(?:\b(?:ngày|sáng|trưa|chiều|tối|đêm|khuya|hôm|lúc|chủ nhật|thứ \w+|đăng|cập nhật"
    r"|thời gian|xuất bản|published|posted|updated|date)|\d(?:h|g|giờ)\d*|\d:\d\d)[\s,:-]*$"
)
# What may stand between a year-less date and its clock: "21/11 lúc 20:00", "23/12 - 08:30".
_CLOCK_LINK = re.compile(r"(?:[\s,|-]|lúc\b)*")
# The lookahead leaves "15 tháng 3 năm 1850" (a full date out of range) unread.
_SHORT_WORDS = re.compile(
    _NUM_START + _DAY + _VN_MONTH + _MONTH + r"(?!\d|\s*(?:,|năm|/|-)?\s*\d{4})"
)
# An English dateline without a year: "HANOI, Jan. 5 (Xinhua)", "October 20". Not "may":
# in Vietnamese text "may 5 bộ áo" is sewing, not May.
_SHORT_MONTH_NAME = re.compile(
    r"\b(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?\s*" + _DAY + _ORDINAL
    + r"(?![\w.:/-]|,?\s*\d{4})"
)

# 08:30, 08 : 30, 08:30:45, 3:06 pm, 11h00, 11h, 11g30, 17 giờ, 17 giờ 30 phút, 8 giờ tối.
_CLOCK = re.compile(
    r"(?<![\d:./])(?P<hour>\d{1,2})"
    r"(?: ?: ?(?P<minute>\d{2})(?: ?: ?(?P<second>\d{2}))?(?![\d:])"
    r"|\s?(?:giờ|h|g)(?:\s?(?P<hminute>\d{1,2})(?!\d)(?:\s?phút)?|(?![^\W\d_])))"
    r"(?:\s*(?P<marker>a\.?m\.?|p\.?m\.?|sa|ch|sáng|chiều|tối)(?![^\W\d_]))?"
)
# 08.30 is a clock only right next to a full date ("14/03/2022 8.30", "08.30 14/03/2022")
# and standing apart there: elsewhere "3.50" is a decimal and "27.000" a price.
_DOTTED_CLOCK = (
    r"(?P<hour>\d{1,2})\.(?P<minute>\d{2})(?![\d%]|[.,]\d)"
    r"(?:\s*(?P<marker>a\.?m\.?|p\.?m\.?|sa|ch|sáng|chiều|tối)(?![^\W\d_]))?"
)
_DOTTED_CLOCK_AFTER = re.compile(r"[\s,|-]*" + _DOTTED_CLOCK + r"\s*(?:[|,;()-]|$)")
_DOTTED_CLOCK_BEFORE = re.compile(
    r"(?:^|(?<=[\s,|(-]))(?:lúc\s*)?" + _DOTTED_CLOCK + r"[\s,|-]*(?:ngày\s*)?$"
)
_PM_MARKERS = frozenset({"pm", "ch", "chiều", "tối"})
_AM_MARKERS = frozenset({"am", "sa", "sáng"})

# "Thứ 7:" / "thứ 5," is a weekday: its digit and colon must not read as a clock
# ("Thứ 7: 06:46 ngày 18/11/2017" is 06:46, not 07:06:46).
_WEEKDAY_NUMBER = re.compile(r"\bthứ\s*[2-8](?!\d)\s*:?")

# "GMT+7", "(GMT+07:00)", "GMT +7", "UTC+7", bare "GMT"/"UTC" (= +0).
_OFFSET = re.compile(
    r"\b(?:gmt|utc)(?:\s*(?P<sign>[+-])\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?)?(?!\d)"
)

# Machine values: 2022-03-15T08:30:00.000+07:00, 2022-03-15 08:30, 2022-03-15, ...Z.
_ISO = re.compile(
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[t ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?)?"
    r"(?:\s*(?P<tz>z|[+-]\d{2}(?::?\d{2})?))?(?!\d)"
)

# "3 giờ trước", "1h trước", "5p trước", "30' trước", "hai ngày trước",
# "cách đây 2 ngày", "1 hour ago", "an hour ago". A number after "thứ"/"tháng" names
# a weekday or a month ("thứ năm tuần trước", "tháng 3 năm trước"), not a count.
_AGO = re.compile(
    r"(?<![\d.,/:])(?<!thứ )(?<!tháng )(?<!mươi )(?:(?P<lead>cách đây)\s*)?\b"
    r"(?:(?P<count>\d{1,4})\s*|(?P<word>mười (?:một|hai|ba|bốn|tư|lăm|năm|sáu|bảy|tám|chín)"
    r"|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|an?|one)\s+)"
    r"(?P<unit>giây|phút|giờ|tiếng|ngày|tuần|tháng|năm"
    r"|sec(?:ond)?s?|min(?:ute)?s?|hours?|hrs?|days?|weeks?|months?|years?|h|p|['’])"
    r"(?(lead)|\s+(?:trước|ago))(?!\w)"
)
_COUNT_WORDS = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "lăm": 5, "năm": 5, "sáu": 6,
    "bảy": 7, "tám": 8, "chín": 9, "mười": 10, "a": 1, "an": 1, "one": 1,
}
_UNIT_PREFIXES = (
    ("giây", "seconds"), ("phút", "minutes"), ("giờ", "hours"), ("tiếng", "hours"),
    ("ngày", "days"), ("tuần", "weeks"), ("tháng", "months"), ("năm", "years"),
    ("sec", "seconds"), ("min", "minutes"), ("h", "hours"), ("d", "days"),
    ("w", "weeks"), ("mo", "months"), ("y", "years"), ("p", "minutes"),
    ("'", "minutes"), ("’", "minutes"),
)
# "tuần trước", "tháng trước", "năm ngoái", "last week": one unit back.
_LAST_UNIT = re.compile(
    r"\b(?:(?P<vi>tuần|tháng|năm) (?:trước|rồi|ngoái)|last (?P<en>week|month|year))\b")
_JUST_NOW = re.compile(r"\b(?:vừa xong|vừa cập nhật|vừa đăng|just now)\b")
# hôm nay / sáng nay / hôm qua / tối qua / hôm kia / today / yesterday
_DAY_WORD = re.compile(
    r"\b(?:(?:hôm|sáng|trưa|chiều|tối|đêm) (?P<vi>nay|qua|kia)|(?P<en>today|yesterday))\b"
)
_DAYS_BACK = {"nay": 0, "qua": 1, "kia": 2, "today": 0, "yesterday": 1}

# Only leftovers that say "ago" or name an English month go to dateparser: it
# reads "4186" or "20%" as dates, and "3 giờ" (a duration) as three hours ago.
_FALLBACK_HINT = re.compile(
    r"trước|\b(?:ago|last|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b"
    r"|\b(?:january|february|march|april|june|july|august|sept|september|october"
    r"|november|december)\b"
)


def parse_date(text: str | None, now: datetime | None = None) -> datetime | None:
    """Read a printed date/time; aware in Vietnam time, or None when it holds no date."""
    return parse_date_against(text, now)[0]


def parse_date_against(text: str | None,
                       now: datetime | None = None) -> tuple[datetime | None, bool]:
    """parse_date's result, and whether it was read against now: True for a relative
    or year-less date (another now gives another time, or None), False when the text
    gives its own full date (or none at all), whatever now is."""
    if not isinstance(text, str):
        return None, False
    s = _normalize(text)
    if not s or len(s) > _MAX_LEN:
        return None, False
    if "thứ" in s:
        s = _WEEKDAY_NUMBER.sub("thứ n", s)  # still a weekday: it cues a year-less date
    offset, s = _take_offset(s)
    iso = _ISO.search(s)
    if iso and iso["hour"]:
        return _from_iso_match(iso, offset), False
    full = _first_full_date(s)
    if full:
        day, start, end = full
        clock = _find_clock(s[:start] + " " + s[end:]) or _dotted_clock(s, start, end)
        return _assemble(day, clock or time(), offset), False
    anchor = _vn_now(now)
    short = _first_short_date(s, anchor.date())
    if short:
        day, start, end = short
        return _assemble(day, _find_clock(s[:start] + " " + s[end:]) or time(), offset), True
    return _relative(s, anchor) or _fallback(s, anchor), True


def to_iso(dt: datetime) -> str:
    """ISO 8601 in Vietnam time, seconds always present: 2022-03-15T08:30:00+07:00."""
    aware = dt.replace(tzinfo=VN) if dt.tzinfo is None else dt
    return aware.astimezone(VN).replace(microsecond=0).isoformat()


def parse_iso_datetime(value: str | None) -> datetime | None:
    """Read a machine ISO value (meta tags, JSON-LD); naive values are Vietnam time."""
    if not isinstance(value, str):
        return None
    match = _ISO.fullmatch(value.strip().lower())
    return _from_iso_match(match) if match else None


def _normalize(text: str) -> str:
    """The contract's text rules (invisible characters would split "15/03/\u200b2022"),
    then lower case and ASCII hyphens."""
    return _DASHES.sub("-", normalize_text(text).lower())


def _vn_now(now: datetime | None) -> datetime:
    """now in Vietnam time (naive means Vietnam time), whole seconds."""
    if now is None:
        now = datetime.now(VN)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=VN)
    return now.astimezone(VN).replace(microsecond=0)


def _from_iso_match(match: re.Match[str], default: tzinfo | None = None) -> datetime | None:
    """An _ISO match as a datetime; default is the offset when the value has none."""
    day = _valid_date(int(match["year"]), int(match["month"]), int(match["day"]))
    clock = _valid_clock(match["hour"] or 0, match["minute"] or 0, match["second"] or 0)
    suffix = match["tz"]
    offset = _iso_offset(suffix) if suffix else default
    if day is None or clock is None or (suffix and offset is None):
        return None
    return _assemble(day, clock, offset)


def _iso_offset(text: str) -> timezone | None:
    """'z', '+07', '+0700' or '+07:00' as a fixed offset."""
    if text == "z":
        return timezone.utc
    digits = text[1:].replace(":", "")
    return _fixed_offset(text[0], digits[:2], digits[2:] or "0")


def _fixed_offset(sign: str, hours: str, minutes: str) -> timezone | None:
    h, m = int(hours), int(minutes)
    if h > 14 or m > 59:
        return None
    delta = timedelta(hours=h, minutes=m)
    return timezone(-delta if sign == "-" else delta)


def _take_offset(s: str) -> tuple[tzinfo | None, str]:
    """The GMT/UTC offset in s, and s without it (its digits would read as a clock)."""
    match = _OFFSET.search(s)
    if not match:
        return None, s
    rest = s[: match.start()] + " " + s[match.end() :]
    if not match["sign"]:
        return timezone.utc, rest
    return _fixed_offset(match["sign"], match["hours"], match["minutes"] or "0"), rest


def _first_full_date(s: str) -> tuple[date, int, int] | None:
    """The earliest valid date with a year in s, with its span."""
    best: tuple[date, int, int] | None = None
    for pattern in _FULL_DATES:
        for match in pattern.finditer(s):
            if best is not None and match.start() >= best[1]:
                break  # this pattern cannot find an earlier date
            day = _match_date(match)
            if day:
                best = (day, match.start(), match.end())
                break
        if best is not None and best[1] == 0:
            break  # nothing starts earlier than the string
    return best


def _match_date(match: re.Match[str]) -> date | None:
    return _valid_date(
        _full_year(match["year"]), _month_number(match["month"]), int(match["day"])
    )


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    return _VN_MONTH_WORDS.get(text) or _MONTH_ABBRS.index(text[:3]) + 1


def _first_short_date(s: str, today: date) -> tuple[date, int, int] | None:
    """The earliest trusted year-less date in s, dated to its latest year, with its span."""
    matches = [m for m in _SHORT_NUMERIC.finditer(s) if _short_date_trusted(s, m)]
    matches.extend(_SHORT_WORDS.finditer(s))
    matches.extend(_SHORT_MONTH_NAME.finditer(s))
    for match in sorted(matches, key=lambda m: m.start()):
        day = _latest_date(_month_number(match["month"]), int(match["day"]), today)
        if day:
            return day, match.start(), match.end()
    return None


def _full_year(text: str) -> int:
    # Two-digit years on news sites are always this century.
    return int(text) + 2000 if len(text) == 2 else int(text)


def _short_date_trusted(s: str, match: re.Match[str]) -> bool:
    """A year-less d/m after a cue word, or alone in s (optionally with a clock)."""
    if _SHORT_NUMERIC_CUE.search(s[: match.start()]):
        return True
    if match.start() != 0:
        return False
    link = _CLOCK_LINK.match(s, match.end())  # always matches, maybe empty
    clock_at = link.end() if link else match.end()
    return clock_at == len(s) or _CLOCK.match(s, clock_at) is not None


def _latest_date(month: int, day: int, today: date) -> date | None:
    """The latest month/day not after today (29/02 may go back to a leap year)."""
    for year in range(today.year, today.year - 8, -1):
        candidate = _valid_date(year, month, day)
        if candidate and candidate <= today:
            return candidate
    return None


def _valid_date(year: int, month: int, day: int) -> date | None:
    if not _MIN_YEAR <= year <= _MAX_YEAR or not 1 <= month <= 12:
        return None
    if not 1 <= day <= _month_days(year, month):
        return None
    return date(year, month, day)


def _dotted_clock(s: str, start: int, end: int) -> time | None:
    """A dotted clock (08.30) right after or right before the full date at s[start:end]."""
    match = _DOTTED_CLOCK_AFTER.match(s, end) or _DOTTED_CLOCK_BEFORE.search(s[:start])
    if not match:
        return None
    hour = _apply_marker(int(match["hour"]), match["marker"])
    return _valid_clock(hour, match["minute"], 0)


def _find_clock(s: str) -> time | None:
    """The first valid clock time in s; impossible ones ("25:00") are skipped."""
    for match in _CLOCK.finditer(s):
        hour = _apply_marker(int(match["hour"]), match["marker"])
        minute = match["minute"] or match["hminute"] or 0
        clock = _valid_clock(hour, minute, match["second"] or 0)
        if clock:
            return clock
    return None


def _apply_marker(hour: int, marker: str | None) -> int:
    """12-hour clock: PM/CH/chiều/tối add 12, 12 AM/SA is midnight."""
    marker = (marker or "").replace(".", "")
    if marker in _PM_MARKERS and hour < 12:
        return hour + 12
    if marker in _AM_MARKERS and hour == 12:
        return 0
    return hour


def _valid_clock(hour: int | str, minute: int | str, second: int | str) -> time | None:
    h, m, s = int(hour), int(minute), int(second)
    if h > 23 or m > 59 or s > 59:
        return None
    return time(h, m, s)


def _assemble(day: date, clock: time, offset: tzinfo | None) -> datetime | None:
    """day and clock read in offset (Vietnam time when None), converted to Vietnam time."""
    result = datetime.combine(day, clock, VN if offset is None else offset).astimezone(VN)
    return result if _MIN_YEAR <= result.year <= _MAX_YEAR else None


def _relative(s: str, now: datetime) -> datetime | None:
    """'3 giờ trước', '2 days ago', 'vừa xong', 'hôm qua lúc 10:20' against now."""
    ago = _AGO.search(s)
    if ago:
        return _before(now, _ago_count(ago), _unit_of(ago["unit"]))
    if _JUST_NOW.search(s):
        return now
    last = _LAST_UNIT.search(s)
    if last and not any(c.isdigit() for c in s):  # "tháng 3 năm trước" names a month
        return _before(now, 1, _unit_of(last["vi"] or last["en"]))
    day_word = _DAY_WORD.search(s)
    if day_word:
        day = now.date() - timedelta(days=_DAYS_BACK[day_word["vi"] or day_word["en"]])
        return _assemble(day, _find_clock(s) or time(), None)
    return None


def _ago_count(match: re.Match[str]) -> int:
    """The count of an _AGO match: digits, or number words up to "mười chín" (19)."""
    if match["count"]:
        return int(match["count"])
    words = match["word"].split()
    return sum(_COUNT_WORDS[word] for word in words)


def _unit_of(word: str) -> str:
    return next(unit for prefix, unit in _UNIT_PREFIXES if word.startswith(prefix))


def _before(now: datetime, count: int, unit: str) -> datetime | None:
    """now minus count units; months and years are calendar months (31/3 - 1 month = 28/2)."""
    if unit in ("months", "years"):
        index = now.year * 12 + now.month - 1 - count * (12 if unit == "years" else 1)
        year, month = index // 12, index % 12 + 1
        if year < _MIN_YEAR:
            return None
        return now.replace(year=year, month=month, day=min(now.day, _month_days(year, month)))
    result = now - timedelta(**{unit: count})
    return result if result.year >= _MIN_YEAR else None


def _month_days(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _fallback(s: str, now: datetime) -> datetime | None:
    """dateparser for rare wordings the regexes miss ('tuần trước', '15 march', 'last week')."""
    if len(s) > _FALLBACK_MAX_LEN or not _FALLBACK_HINT.search(s):
        return None
    import dateparser  # lazily: importing it costs about a second

    settings = {
        "TIMEZONE": "Asia/Ho_Chi_Minh",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        # A month or a year alone ("tháng 3/2022") is not a publication date.
        "REQUIRE_PARTS": ["day", "month"],
    }
    try:
        found = dateparser.parse(s, languages=["vi", "en"], settings=settings)
    except Exception:  # dateparser raises on some odd input; the contract is None
        return None
    if found is None or not _MIN_YEAR <= found.year <= _MAX_YEAR:
        return None
    return found.astimezone(VN).replace(microsecond=0)
