"""lnv_crawler.pages.byline: the shapes of Vietnamese bylines, and a table of real ones.

tests/data/real_bylines.tsv holds bylines as printed on real pages of Vietnamese
news sites (byline, expected authors joined by ";", source URL).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lnv_crawler.pages.byline import MAX_BYLINE_CHARS, authors_of, looks_like_byline

REAL_BYLINES = Path(__file__).parent / "data" / "real_bylines.tsv"

# (byline, authors): the shapes the contract's `authors` rule names.
SHAPES = [
    ("Bài, ảnh: Công Du", ["Công Du"]),
    ("Bài và ảnh Trọng Tùng", ["Trọng Tùng"]),
    ("Bài và ảnh: Trọng Tùng", ["Trọng Tùng"]),
    ("Bài, ảnh: Thu Hà - Quang Minh", ["Thu Hà", "Quang Minh"]),
    ("Tác giả: Nguyễn Văn An", ["Nguyễn Văn An"]),
    ("Thực hiện, Nhà báo Lê Hồng", ["Lê Hồng"]),
    ("Thực hiện: Minh Khôi - Thảo Nguyên", ["Minh Khôi", "Thảo Nguyên"]),
    ("Thực hiện:", []),
    ("Phóng sự ảnh của Việt Hưng", ["Việt Hưng"]),
    ("Ghi nhận của phóng viên Ngọc Mai – Hải Đăng", ["Ngọc Mai", "Hải Đăng"]),
    ("Bài: Thu Hà - Ảnh: Quang Minh", ["Thu Hà", "Quang Minh"]),
    ("Tin, ảnh: Trung tá Trần Văn Bình", ["Trần Văn Bình"]),
    ("ThS. Nguyễn Thị Lan", ["Nguyễn Thị Lan"]),
    ("ThS Nguyễn Thị Lan", ["Nguyễn Thị Lan"]),
    ("TS. Phạm Văn Đức", ["Phạm Văn Đức"]),
    ("PGS.TS Hoàng Minh Sơn", ["Hoàng Minh Sơn"]),
    ("Nhà báo Hữu Thọ", ["Hữu Thọ"]),
    ("Đại úy Lê Quang", ["Lê Quang"]),
    ("Luật sư Trương Anh Tú", ["Trương Anh Tú"]),
    ("T.H", ["T.H"]),
    ("N. Huyền", ["N. Huyền"]),
    ("Ng.T", ["Ng.T"]),
    ("MNK", ["MNK"]),
    ("Thu Hà-Quang Minh", ["Thu Hà", "Quang Minh"]),
    ("Thu Hà - Quang Minh", ["Thu Hà", "Quang Minh"]),
    ("Theo Hà An (TNO)", ["Hà An"]),
    ("Theo Tiền Phong, Dân trí", []),
    ("Theo báo Tiền Phong", []),
    ("Theo TTXVN", []),
    ("Lan Anh Trung tâm Khuyến công Hà Nam", ["Lan Anh"]),
    ("Minh Hà - Sở Công Thương", ["Minh Hà"]),
    ("Admin", []),
    ("Nhóm PV", []),
    ("PV", []),
    ("CTV", []),
    ("NGỌC HÀ", ["NGỌC HÀ"]),
    ("Minh Trường", ["Minh Trường"]),
    ("Hoàng Minh (tổng hợp)", ["Hoàng Minh"]),
    ("Theo Minh Anh/VOV.VN", ["Minh Anh"]),
    ("Diệu Linh/VOV.VN", ["Diệu Linh"]),
    ("Ảnh minh họa: Internet", []),
    ("Bài và ảnh: Trung úy QNCN Nguyễn Văn Hải", ["Nguyễn Văn Hải"]),
    ("Nghệ nhân ưu tú Lê Văn Tám", ["Lê Văn Tám"]),
    ("PGS.TS.BS Trần Văn Nam", ["Trần Văn Nam"]),
    ("Luật sư Nguyễn Văn Bình, Đoàn Luật sư TP Hà Nội", ["Nguyễn Văn Bình"]),
    ("Nguyễn Thu Hà, Phó Giám đốc Sở Công Thương", ["Nguyễn Thu Hà"]),
    ("PV Vĩnh Phú", ["Vĩnh Phú"]),
    ("VTV", []),
    ("Vietnamplus", []),
    ("", []),
    (None, []),
]

# Lines that end a body or sit under a picture but credit nobody.
NOT_BYLINES = [
    "Xin trân trọng giới thiệu cùng bạn đọc.",
    "Ảnh minh họa",
    "Toàn cảnh buổi gặp mặt",
    "Hà Nội, ngày 15/3/2022",
    "Bài học kinh nghiệm",
    "Tin liên quan",
    "Ông Nguyễn Văn An phát biểu tại hội nghị",
    "Số 5 năm 2024",
    "Vì sao?",
    "Cụ thể như sau:",
    "Theo thông tin ban đầu, vụ việc xảy ra lúc 9 giờ",
    "Theo đó, xe tải lật nghiêng",
    # Widget lines seen at the end of real articles.
    "Theo dõi VGT trên",
    "Mời quý độc giả theo dõi VOV.VN trên",
    "Video đang HOT",
    "Thực hiện",
]


def _real_rows() -> list[tuple[str, list[str], str]]:
    with REAL_BYLINES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(r["byline"], [a for a in r["authors"].split(";") if a], r["url"]) for r in rows]


REAL = _real_rows()


@pytest.mark.parametrize(("byline", "expected"), SHAPES)
def test_authors_of_shapes(byline: str | None, expected: list[str]) -> None:
    assert authors_of(byline) == expected


@pytest.mark.parametrize(("byline", "expected"), [s for s in SHAPES if s[0]])
def test_every_shape_looks_like_a_byline_when_set_apart(byline: str, expected: list[str]) -> None:
    assert looks_like_byline(byline, emphasized=True)


@pytest.mark.parametrize("byline", [
    "Bài và ảnh Trọng Tùng", "Tác giả: Nguyễn Văn An", "Thực hiện, Nhà báo Lê Hồng",
    "Thực hiện:", "Phóng sự ảnh của Việt Hưng", "Theo Hà An (TNO)", "Theo TTXVN",
    "Nguồn: Báo Công Thương", "Nhóm PV", "PV", "CTV",
])
def test_a_role_label_or_source_is_a_byline_even_plain(byline: str) -> None:
    assert looks_like_byline(byline, emphasized=False)


@pytest.mark.parametrize("byline", ["Thu Hà - Quang Minh", "Công Du"])
def test_bare_names_need_emphasis(byline: str) -> None:
    assert not looks_like_byline(byline, emphasized=False)


@pytest.mark.parametrize("text", NOT_BYLINES)
def test_body_sentences_and_captions_are_no_byline(text: str) -> None:
    assert not looks_like_byline(text, emphasized=True)


def test_real_table_has_many_sites() -> None:
    sites = {url.split("/")[2].removeprefix("www.") for _, _, url in REAL}
    assert len(REAL) >= 100 and len(sites) >= 15


@pytest.mark.parametrize(("byline", "expected", "url"), REAL, ids=[r[2] for r in REAL])
def test_real_bylines(byline: str, expected: list[str], url: str) -> None:
    assert authors_of(byline) == expected
    # A line longer than a byline's limit (a source URL) is not looked for as one.
    assert looks_like_byline(byline, emphasized=True) or len(byline) > MAX_BYLINE_CHARS


def test_score_report_of_both_tables() -> None:
    """`python -m bench.real_world` prints right / total per table; all rows are right."""
    done = subprocess.run([sys.executable, "-m", "bench.real_world"], capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).parent.parent, check=False)
    assert done.returncode == 0, done.stderr
    scores = re.findall(r"^(authors_of|parse_date): (\d+) / (\d+) right$", done.stdout, re.M)
    assert [name for name, _, _ in scores] == ["authors_of", "parse_date"]
    assert all(right == total for _, right, total in scores), done.stdout
