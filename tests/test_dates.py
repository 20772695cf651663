"""lnv_crawler.dates: printed dates, relative dates, ISO machine values."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lnv_crawler.dates import parse_date, parse_iso_datetime, to_iso

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 26, 15, 0, tzinfo=VN)
T0830 = "2022-03-15T08:30:00+07:00"
D0315 = "2022-03-15T00:00:00+07:00"

# (printed text, expected ISO string) with now = NOW.
SHAPES = [
    # Numeric day/month/year, with and without clock.
    ("15/03/2022 08:30", T0830),
    ("15/03/2022 - 08:30", T0830),
    ("15/03/2022,08:30", T0830),
    ("15/03/2022-08:30", T0830),
    ("08:30 15/03/2022", T0830),
    ("08:30:45 15/03/2022", "2022-03-15T08:30:45+07:00"),
    ("15/03/2022 08:30:45", "2022-03-15T08:30:45+07:00"),
    ("15-03-2022", D0315),
    ("15.03.2022", D0315),
    ("15/3/2022", D0315),
    ("15/03/22", D0315),
    ("03/04/2022", "2022-04-03T00:00:00+07:00"),
    ("2022/03/15", D0315),
    ("14 / 03 / 2022 08:30", "2022-03-14T08:30:00+07:00"),
    ("14/03/2022 | 08 : 30", "2022-03-14T08:30:00+07:00"),
    ("14-3-2022 | 8h30", "2022-03-14T08:30:00+07:00"),
    # A dotted clock counts only right next to a full date.
    ("14/03/2022 8.30", "2022-03-14T08:30:00+07:00"),
    ("08.30 14/03/2022", "2022-03-14T08:30:00+07:00"),
    ("15/03/2022 3.50 triệu", D0315),
    # Weekdays and time zones.
    ("Thứ Năm, 15/03/2022, 08:30 (GMT+7)", T0830),
    ("Thứ 5, 15/3/2022 08:30 GMT+7", T0830),
    ("Chủ nhật, 20/03/2022 - 10:15", "2022-03-20T10:15:00+07:00"),
    ("Thứ hai ngày 14/03/2022", "2022-03-14T00:00:00+07:00"),
    ("15/03/2022 08:30 (GMT+07:00)", T0830),
    ("15/03/2022 08:30 GMT +7", T0830),
    ("15/03/2022 08:30 UTC+7", T0830),
    ("15/03/2022 01:30 GMT+0", T0830),
    ("15/03/2022 01:30 UTC", T0830),
    ("14/03/2022 20:30 GMT-5", T0830),
    ("14/3/2022 20:30:15 (GMT+07:00)", "2022-03-14T20:30:15+07:00"),
    ("Thứ hai,14/03/2022,08:30", "2022-03-14T08:30:00+07:00"),
    ("Thứ Ba,15/03/2022-09:00", "2022-03-15T09:00:00+07:00"),
    ("Thứ 2, ngày 14/3/2022 - 08:30 AM", "2022-03-14T08:30:00+07:00"),
    # A weekday number with its colon is no clock.
    ("Thứ 7: 06:46 ngày 18/11/2017", "2017-11-18T06:46:00+07:00"),
    ("Thứ 5: 15/03/2022 08:30", T0830),
    ("Thứ 5:08:30 15/03/2022", T0830),
    ("Chủ nhật: 10:15 20/03/2022", "2022-03-20T10:15:00+07:00"),
    ("Thứ 7: 23/12", "2025-12-23T00:00:00+07:00"),
    # An English dateline without a year is the latest such day.
    ("HANOI, Jan. 5 (Xinhua)", "2026-01-05T00:00:00+07:00"),
    ("December 24th 08:00", "2025-12-24T08:00:00+07:00"),
    # Dates from 1900 on, with Asia/Ho_Chi_Minh's offset of the day (+08:00 in 1975).
    ("15/03/1920", "1920-03-15T00:00:00+07:00"),
    ("ngày 2 tháng 9 năm 1945", "1945-09-02T00:00:00+07:00"),
    ("11:30 ngày 30/4/1975", "1975-04-30T11:30:00+08:00"),
    # Vietnamese and English words.
    ("ngày 15 tháng 3 năm 2022", D0315),
    ("15 tháng 03, 2022", D0315),
    ("Tháng 3 15, 2022", D0315),
    ("Thứ Ba, 15 Thg3 2022", D0315),
    ("15 tháng 3", "2026-03-15T00:00:00+07:00"),
    ("Thứ Hai, 14 Tháng Ba 2022", "2022-03-14T00:00:00+07:00"),
    ("14 Tháng Mười Hai 2021", "2021-12-14T00:00:00+07:00"),
    ("ngày 15 tháng ba năm 2022", D0315),
    ("Thứ Hai, 14 Tháng Ba, 2022 08:30 SA", "2022-03-14T08:30:00+07:00"),
    ("14 Tháng Năm, 2022", "2022-05-14T00:00:00+07:00"),
    ("March 15, 2022", D0315),
    ("15 March 2022 08:30", T0830),
    ("Mar 15, 2022 8:30 AM", T0830),
    ("15th March 2022", D0315),
    # Vietnamese clocks.
    ("11h00 ngày 15/3/2022", "2022-03-15T11:00:00+07:00"),
    ("11h ngày 15/3", "2026-03-15T11:00:00+07:00"),
    ("11g30 15/3/2022", "2022-03-15T11:30:00+07:00"),
    ("17 giờ ngày 15/3/2022", "2022-03-15T17:00:00+07:00"),
    ("17 giờ 30 phút ngày 15/3/2022", "2022-03-15T17:30:00+07:00"),
    ("8 giờ tối 15/3/2022", "2022-03-15T20:00:00+07:00"),
    ("Từ 23h45 ngày 31-12-2025 đến 0h ngày 1", "2025-12-31T23:45:00+07:00"),
    # 12-hour clocks; CH/SA are the Vietnamese PM/AM.
    ("3:06 PM 15/03/2022", "2022-03-15T15:06:00+07:00"),
    ("15/03/2022 3:06 PM", "2022-03-15T15:06:00+07:00"),
    ("15/03/2022 3:06 CH", "2022-03-15T15:06:00+07:00"),
    ("15/03/2022 9:06 SA", "2022-03-15T09:06:00+07:00"),
    ("15/03/2022 12:10 SA", "2022-03-15T00:10:00+07:00"),
    # Part of day alone sets no clock; year-less dates take their latest past year.
    ("Chiều ngày 3/12/2025", "2025-12-03T00:00:00+07:00"),
    ("Sáng 14.1", "2026-01-14T00:00:00+07:00"),
    ("Chiều 23/12", "2025-12-23T00:00:00+07:00"),
    ("Tối 23/10", "2026-10-23T00:00:00+07:00"),
    ("Ngày 25/12", "2025-12-25T00:00:00+07:00"),
    ("Chiều 26/11", "2026-11-26T00:00:00+07:00"),
    ("Ngày 27/11", "2025-11-27T00:00:00+07:00"),
    ("29/02", "2024-02-29T00:00:00+07:00"),
    ("23/12 08:30", "2025-12-23T08:30:00+07:00"),
    ("21/11 lúc 20:00", "2026-11-21T20:00:00+07:00"),
    ("Chiều 23/12 lúc 15:30", "2025-12-23T15:30:00+07:00"),
    # Machine-like values.
    ("2022-03-15 08:30:00", T0830),
    ("2022-03-15T08:30:00+07:00", T0830),
    ("2022-03-15T01:30:00Z", T0830),
    ("2022-03-15 01:30 UTC", T0830),
    # Labels before the date.
    ("Cập nhật: 15/03/2022 08:30", T0830),
    ("Ngày đăng: 15/03/2022", D0315),
    ("Đăng lúc 08:30 15/03/2022", T0830),
    ("Cập nhật lúc 08:30, 14/03/2022", "2022-03-14T08:30:00+07:00"),
    ("Thời gian: 15/03/2022 08:30", T0830),
    ("Published: 15/03/2022 08:30", T0830),
    ("Posted on 15/03/2022", D0315),
    ("Nguồn: Báo Công Thương | 15/03/2022 08:30", T0830),
    # Relative to now.
    ("3 giờ trước", "2026-11-26T12:00:00+07:00"),
    ("15 phút trước", "2026-11-26T14:45:00+07:00"),
    ("2 ngày trước", "2026-11-24T15:00:00+07:00"),
    ("1 tuần trước", "2026-11-19T15:00:00+07:00"),
    ("2 tháng trước", "2026-09-26T15:00:00+07:00"),
    ("cách đây 2 ngày", "2026-11-24T15:00:00+07:00"),
    ("1h trước", "2026-11-26T14:00:00+07:00"),
    ("30' trước", "2026-11-26T14:30:00+07:00"),
    ("5p trước", "2026-11-26T14:55:00+07:00"),
    ("hai ngày trước", "2026-11-24T15:00:00+07:00"),
    ("mười hai năm trước", "2014-11-26T15:00:00+07:00"),
    ("vừa xong", "2026-11-26T15:00:00+07:00"),
    ("Vừa cập nhật", "2026-11-26T15:00:00+07:00"),
    ("Hôm qua lúc 10:20", "2026-11-25T10:20:00+07:00"),
    ("Hôm qua", "2026-11-25T00:00:00+07:00"),
    ("Hôm nay 08:15", "2026-11-26T08:15:00+07:00"),
    ("hôm kia", "2026-11-24T00:00:00+07:00"),
    ("tuần trước", "2026-11-19T15:00:00+07:00"),
    ("tháng trước", "2026-10-26T15:00:00+07:00"),
    ("năm ngoái", "2025-11-26T15:00:00+07:00"),
    ("last week", "2026-11-19T15:00:00+07:00"),
    ("1 hour ago", "2026-11-26T14:00:00+07:00"),
    ("an hour ago", "2026-11-26T14:00:00+07:00"),
    ("2 days ago", "2026-11-24T15:00:00+07:00"),
    ("yesterday", "2026-11-25T00:00:00+07:00"),
    # dateparser fallback.
    ("15 march", "2026-03-15T00:00:00+07:00"),
    # Unicode: decomposed (NFD) accents, NBSP, zero-width space, en dash.
    (unicodedata.normalize("NFD", "Thứ Năm, 15/03/2022, 08:30"), T0830),
    ("15/03/2022\u00a008:30", T0830),
    ("15/03/\u200b2022 08:30", T0830),
    ("15/03/2022 \u2013 08:30", T0830),
    # An impossible clock is skipped, the date stays.
    ("25:00 15/03/2022", D0315),
]

NO_DATE = [
    "Lượt xem: 4186",
    "Số: 2646/QĐ-BCT",
    "1879/QĐ-UBND",
    "27.000 - 32.000 đồng/kg",
    "Giá 1.200.000 đồng",
    "0243.123.4567",
    "(024) 3942 1234",
    "0912 345 678",
    "2026",
    "20%",
    "tăng 12.5%",
    "3.5 triệu đồng",
    "1/2 số hộ",
    "Đánh giá: 4/5",
    "1.245 lượt xem",
    "Bình luận (12)",
    "Lượt xem: 1.245",
    "Số 6 Nguyễn Công Trứ",
    "ĐT: 024.3747.8468",
    "v2.3.1",
    "COVID-19",
    "Top 10",
    "2021 - 2025",
    "giai đoạn 2026 – 2030",
    "Kinh tế 9 tháng năm 2023",
    "6 tháng hai bên",
    "Phiên bản 1.2.10",
    "Tháng 3 tăng 20%",
    "tháng 3/2022",
    "trẻ 2 tháng tuổi",
    "3 giờ",
    "Lúc 10:20",
    "31/02/2022",
    "15/13/2022",
    "15/03/1850",
    "15/03/1899",
    "ngày 15 tháng 3 năm 1899",
    "may 5 bộ áo",
    "ngày 15 tháng 3 năm 1850",
    "99/99/9999",
    "hello world",
]

GARBAGE = [
    None,
    "",
    "   ",
    "\u00a0\u200b",
    "📅🕒🔥",
    "////::::----....",
    "".join(random.Random(0).choice("0123456789/.:- abcđươ") for _ in range(10_000)),
    "15/03/2022 " * 1000,
]


def _iso_or_none(text: str | None, now: datetime = NOW) -> str | None:
    found = parse_date(text, now)
    return None if found is None else to_iso(found)


@pytest.mark.parametrize(("text", "expected"), SHAPES)
def test_shapes(text: str, expected: str) -> None:
    assert _iso_or_none(text) == expected


@pytest.mark.parametrize("text", NO_DATE)
def test_no_date_gives_none(text: str) -> None:
    assert parse_date(text, NOW) is None


@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_gives_none(text: str | None) -> None:
    assert parse_date(text, NOW) is None


def test_non_string_gives_none() -> None:
    assert parse_date(20220315, NOW) is None  # type: ignore[arg-type]
    assert parse_date(b"15/03/2022", NOW) is None  # type: ignore[arg-type]


def test_random_date_tokens_never_raise() -> None:
    tokens = ["15", "03", "2022", "31", "02", "29", "0", "99", "7", "/", ".", "-", ":", "+"]
    tokens += [" ", ",", "h", "giờ", "ngày", "tháng", "năm", "trước", "gmt", "utc", "pm"]
    tokens += ["sáng", "hôm", "qua", "march", "ago", "(", ")", "%", "thứ", "9999"]
    rng = random.Random(42)
    for _ in range(2000):
        text = "".join(rng.choice(tokens) for _ in range(rng.randint(1, 10)))
        found = parse_date(text, NOW)
        if found is not None:
            assert found.utcoffset() == timedelta(hours=7), text
            assert 1990 <= found.year <= 2100, text


@pytest.fixture(params=["UTC", "America/Los_Angeles"])
def process_tz(request: pytest.FixtureRequest) -> Iterator[str]:
    """The process time zone set to a non-Vietnam zone, as on a cron host."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_table_is_independent_of_process_time_zone(process_tz: str) -> None:
    assert time.localtime().tm_gmtoff != 7 * 3600
    assert [_iso_or_none(text) for text, _ in SHAPES] == [iso for _, iso in SHAPES]
    assert [parse_date(text, NOW) for text in NO_DATE] == [None] * len(NO_DATE)


def test_default_now_is_vietnam_time(process_tz: str) -> None:
    found = parse_date("3 giờ trước")
    assert found is not None
    expected = datetime.now(VN) - timedelta(hours=3)
    assert abs(found - expected) < timedelta(seconds=5)
    assert found.utcoffset() == timedelta(hours=7)


def test_naive_now_is_vietnam_time() -> None:
    assert _iso_or_none("3 giờ trước", datetime(2026, 11, 26, 15, 0)) == "2026-11-26T12:00:00+07:00"


def test_aware_now_is_converted_to_vietnam_time() -> None:
    # 17:30 UTC on 25/11 is already 00:30 on 26/11 in Vietnam.
    now = datetime(2026, 11, 25, 17, 30, tzinfo=timezone.utc)
    assert _iso_or_none("Hôm qua", now) == "2026-11-25T00:00:00+07:00"
    assert _iso_or_none("Ngày 26/11", now) == "2026-11-26T00:00:00+07:00"


def test_fresh_utc_process_gives_the_same_table() -> None:
    # A fresh interpreter started with TZ=UTC, as under cron: nothing imported
    # earlier (dateparser, tzlocal) can have cached the test runner's zone.
    code = (
        "import json, sys; from datetime import datetime; from zoneinfo import ZoneInfo; "
        "from lnv_crawler.dates import parse_date, to_iso; "
        "now = datetime(2026, 11, 26, 15, 0, tzinfo=ZoneInfo('Asia/Ho_Chi_Minh')); "
        "found = [parse_date(text, now) for text in json.load(sys.stdin)]; "
        "print(json.dumps([to_iso(d) if d else None for d in found]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps([text for text, _ in SHAPES] + NO_DATE),
        env={**os.environ, "TZ": "UTC"},
        capture_output=True,
        text=True,
        check=True,
    )
    expected = [iso for _, iso in SHAPES] + [None] * len(NO_DATE)
    assert json.loads(result.stdout) == expected


def test_fast_path_does_not_import_dateparser() -> None:
    code = (
        "import sys; from lnv_crawler.dates import parse_date; "
        "parse_date('Thứ Năm, 15/03/2022, 08:30 (GMT+7)'); parse_date('Lượt xem: 4186'); "
        "print('dateparser' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2022, 3, 15, 8, 30, tzinfo=VN), T0830),
        (datetime(2022, 3, 15, 1, 30, tzinfo=timezone.utc), T0830),
        (datetime(2022, 3, 15, 8, 30), T0830),
        (datetime(2022, 3, 15, 8, 30, 5, 123456, tzinfo=VN), "2022-03-15T08:30:05+07:00"),
    ],
)
def test_to_iso(value: datetime, expected: str) -> None:
    assert to_iso(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-03-15T01:30:00Z", T0830),
        ("2022-03-15T08:30:00+07:00", T0830),
        ("2022-03-15T08:30:00.000+0700", T0830),
        ("2022-03-15T08:30:00+07", T0830),
        ("2022-03-14T20:30:00-05:00", T0830),
        ("2022-03-15 08:30:00", T0830),
        ("2022-03-15T08:30", T0830),
        (" 2022-03-15T08:30:00+07:00\n", T0830),
        ("2022-03-15", D0315),
    ],
)
def test_parse_iso_datetime(value: str, expected: str) -> None:
    found = parse_iso_datetime(value)
    assert found is not None
    assert found.tzinfo == VN
    assert to_iso(found) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        "15/03/2022",
        "2022-02-30",
        "2022-03-15T25:00:00",
        "2022-03-15T08:30:00+25:00",
        "2022-03-15T08:30:00 trash",
        12345,
    ],
)
def test_parse_iso_datetime_rejects(value: object) -> None:
    assert parse_iso_datetime(value) is None  # type: ignore[arg-type]


def _real_dates() -> list[tuple[str, str, str, str]]:
    """tests/data/real_dates.tsv: date lines as printed on real Vietnamese news pages
    (text, expected ISO, the `now` of a relative one or empty for NOW, source URL)."""
    table = Path(__file__).parent / "data" / "real_dates.tsv"
    with table.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(r["text"], r["expected"], r["now"], r["url"]) for r in rows]


REAL_DATES = _real_dates()


def test_real_dates_table_has_many_sites() -> None:
    sites = {row[3].split("/")[2].removeprefix("www.") for row in REAL_DATES}
    assert len(REAL_DATES) >= 60 and len(sites) >= 15


@pytest.mark.parametrize(("text", "expected", "now", "url"), REAL_DATES,
                         ids=[f"{i}:{row[3]}" for i, row in enumerate(REAL_DATES)])
def test_real_dates(text: str, expected: str, now: str, url: str) -> None:
    anchor = datetime.fromisoformat(now) if now else NOW
    assert _iso_or_none(text, anchor) == (expected or None)
