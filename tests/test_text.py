import html
import unicodedata

import pytest

from lnv_crawler import text as rules
from lnv_crawler.text import normalize_or_none, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (unicodedata.normalize("NFD", "Làng nghề Việt Nam"), "Làng nghề Việt Nam"),
        ("Khuyến\u00a0công", "Khuyến công"),
        ("OCOP\u200b Hà\u200d Nội\ufeff", "OCOP Hà Nội"),
        ("Ninh&nbsp;Bình &amp; Hà&#160;Tĩnh &quot;OCOP&quot;", 'Ninh Bình & Hà Tĩnh "OCOP"'),
        ("  nhiều \t\n  khoảng   trắng  ", "nhiều khoảng trắng"),
        ("điều\x07khiển\x1f", "điều khiển"),
        ("mềm\u00adhyphen", "mềmhyphen"),
        ("“Đưa hàng Việt về nông thôn” – 2025…", "“Đưa hàng Việt về nông thôn” – 2025…"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


def test_normalize_keeps_tone_mark_placement_after_nfc():
    # "hoà" and "hòa" are both legitimate spellings: NFC must not turn one into the other.
    assert normalize_text("hoà") == "hoà"
    assert normalize_text("hòa") == "hòa"


def test_normalize_or_none():
    assert normalize_or_none(" \u200b ") is None
    assert normalize_or_none(" a ") == "a"


def test_clean_strings_take_the_fast_path_with_the_same_result():
    # _is_folded must hold only where the full rules change nothing: every whitespace
    # but the space and every invisible/control character is non-printable.
    for code in range(0x10000):
        char = chr(code)
        for sample in (f"a{char}b", f"a {char} b", f"{char}a", f"a{char}"):
            folded = " ".join(rules._CONTROL.sub(" ", rules._INVISIBLE.sub("", sample)).split())
            if rules._is_folded(sample):
                assert folded == sample, hex(code)
    assert rules._is_folded("Làng nghề Việt Nam")


def test_plain_characters_are_printable_and_kept_by_nfc_whatever_surrounds_them():
    # _PLAIN answers for NFC and printable at once: each of its characters must be
    # printable, its own NFC, of no combining class, and compose with no character before
    # it (never the second of a canonical pair; Hangul jamo are outside its ranges).
    seconds = set()
    for code in range(0x110000):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    plain = [chr(code) for code in range(0x10000) if rules._PLAIN.fullmatch(chr(code))]
    assert "ệ" in plain and "“" in plain and "\u00a0" not in plain and "\u0300" not in plain
    for char in plain:
        assert char.isprintable(), hex(ord(char))
        assert unicodedata.normalize("NFC", char) == char, hex(ord(char))
        assert unicodedata.combining(char) == 0, hex(ord(char))
        assert char not in seconds and not "\u1100" <= char <= "\u11ff", hex(ord(char))


def _rules_in_full(text: str) -> str:
    """The rules of normalize_text applied one after the other, no shortcut."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    return " ".join(rules._CONTROL.sub(" ", rules._INVISIBLE.sub("", text)).split())


def test_shortcuts_give_the_rules_result_for_every_character():
    for code in range(0x10000):
        char = chr(code)
        for sample in (f"a{char}b", char, f"Vi{char}t", f"ệ {char}", f"{char}\u0301"):
            assert normalize_text(sample) == _rules_in_full(sample), hex(code)
