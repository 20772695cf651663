"""Link lists and tags by meaning, on small pages written here: which headings are which
section (README, "How fields are found"), boxes inside the body, items linking to the
page itself, tag links in the prose."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest
from test_variants import VARIANTS

from lnv_crawler.pages.article import ArticlePage

URL = "https://langngheviet.com.vn/bai-dang-xem-100.html"
BODY = ("<p>Làng nghề mây tre đan ở Phú Vinh giữ được nghề truyền thống qua nhiều thế hệ,"
        " sản phẩm đã có mặt ở nhiều nước.</p>"
        "<p>Năm nay, Trung tâm Khuyến công hỗ trợ các hộ đầu tư máy chẻ nan và máy vót nan"
        " để giảm sức lao động.</p>")


def _item(article_id: int, title: str, lead: str = "") -> str:
    href = f"/bai-so-{article_id}-{article_id}.html"
    teaser = f"<p>{lead}</p>" if lead else ""
    return (f'<div><a href="{href}"><img src="/t/{article_id}.jpg" alt=""></a>'
            f'<div><a href="{href}">{title}</a></div>{teaser}</div>')


def _page(body: str = BODY, after: str = "") -> ArticlePage:
    html = (f"<html><body><h1>Phú Vinh giữ nghề mây tre đan</h1><div>10:00 | 01/12/2026</div>"
            f'<div class="__MASTERCMS_CONTENT"><div id="__MB_MASTERCMS_EL_3">{body}</div></div>'
            f"{after}</body></html>")
    return ArticlePage(html, URL)


def _sections(page: ArticlePage) -> list[tuple[str, str]]:
    return [(link["section"], link["url"].rsplit("-", 1)[1]) for link in page.links()]


@pytest.mark.parametrize(("heading", "section"), [
    ("Tin liên quan", "related"), ("Bài viết liên quan", "related"),
    ("Có liên quan", "related"), ("Tin bài liên quan", "related"),
    ("Tin mới hơn", "newer"),
    ("Tin khác", "other"), ("Tin cùng chuyên mục", "other"), ("Bài viết khác", "other"),
    ("Bài cùng chuyên mục", "other"),
    ("Mới nhất", "latest"), ("Tin mới nhất", "latest"),
    ("Đọc nhiều", "most_read"), ("Xem nhiều", "most_read"), ("Tin đọc nhiều", "most_read"),
])
@pytest.mark.parametrize("tag", ["div", "span", "h3", "strong"])
def test_heading_wordings_and_elements(heading, section, tag):
    after = (f"<div><{tag}>{heading}</{tag}>{_item(201, 'Nghề đan cót ở Trung Hòa')}"
             f"{_item(202, 'Nghề chẻ nan tre ở Tân Uyên')}</div>")
    assert _sections(_page(after=after)) == [(section, "201.html"), (section, "202.html")]


def test_maybe_interested_box_is_no_list():
    """'Có thể bạn quan tâm' is a recommendation box, none of the contract's five lists."""
    after = (f"<div><h3>Tin khác</h3>{_item(201, 'Nghề đan cót ở Trung Hòa')}</div>"
             f"<div><h3>Có thể bạn quan tâm</h3>{_item(202, 'Nghề chẻ nan tre ở Tân Uyên')}</div>")
    assert _sections(_page(after=after)) == [("other", "201.html")]


def test_item_linking_to_the_page_does_not_end_the_list():
    """Tabs without ids: the list after them runs on past the page's own item."""
    own = ('<div><a href="/bai-dang-xem-100.html"><img src="/t/100.jpg" alt=""></a>'
           '<h3><a href="/bai-dang-xem-100.html">Phú Vinh giữ nghề mây tre đan</a></h3></div>')
    after = ("<div><ul><li><a>Mới nhất</a></li><li><a>Đọc nhiều</a></li></ul><div>"
             f"<div>{_item(201, 'Nghề đan cót ở Trung Hòa')}{own}"
             f"{_item(202, 'Nghề chẻ nan tre ở Tân Uyên')}</div>"
             f"<div>{_item(301, 'Gốm Chu Đậu vươn ra thị trường Nhật Bản')}{own}</div>"
             "</div></div>")
    assert _sections(_page(after=after)) == [
        ("latest", "201.html"), ("latest", "202.html"), ("most_read", "301.html")]


def test_tab_bar_over_a_single_link_gives_it_to_the_active_tab():
    """One link under two tabs cannot be split pane by pane (this raised StopIteration
    and lost the page)."""
    after = ("<div><div><span>Tin liên quan</span><span class=\"active\">Tin mới hơn</span>"
             '</div><ul><li><a href="/bai-so-201-201.html">Nghề đan cót ở Trung Hòa</a></li>'
             "</ul></div>")
    assert _sections(_page(after=after)) == [("newer", "201.html")]


def _two_part_item(article_id: int, title: str) -> str:
    """An item whose image link and title link sit in two sibling boxes."""
    href = f"/bai-so-{article_id}-{article_id}.html"
    return (f'<div class="thumb"><a href="{href}"><img src="/t/{article_id}.jpg" alt="Ảnh">'
            f'</a></div><div class="info"><a href="{href}">{title}</a></div>')


def test_an_items_two_boxes_under_two_tabs_are_no_panes():
    """One item shown under a bar of two tabs, its image and its title in two boxes: the
    item of the active tab, with its title, not one half under each tab."""
    after = ('<div><ul><li class="active">Mới nhất</li><li>Đọc nhiều</li></ul>'
             f'<div class="items">{_two_part_item(201, "Nghề đan cót ở Trung Hòa")}</div></div>')
    links = _page(after=after).links()
    assert [(link["section"], link["title"]) for link in links] == [
        ("latest", "Nghề đan cót ở Trung Hòa")]


def test_two_panes_of_two_part_items_split_pane_by_pane():
    after = ('<div><ul><li class="active">Mới nhất</li><li>Đọc nhiều</li></ul><div>'
             f'<div>{_two_part_item(201, "Nghề đan cót ở Trung Hòa")}</div>'
             f'<div>{_two_part_item(202, "Nghề chẻ nan tre ở Tân Uyên")}</div></div></div>')
    assert _sections(_page(after=after)) == [("latest", "201.html"), ("most_read", "202.html")]


def test_an_article_in_both_panes_stays_in_both():
    """The latest article is often the most read too: in each pane, an item of its own."""
    after = ('<div><ul><li class="active">Mới nhất</li><li>Đọc nhiều</li></ul><div>'
             f'<div><div>{_two_part_item(201, "Nghề đan cót ở Trung Hòa")}</div>'
             f'<div>{_two_part_item(202, "Nghề chẻ nan tre ở Tân Uyên")}</div></div>'
             f'<div><div>{_two_part_item(201, "Nghề đan cót ở Trung Hòa")}</div>'
             f'<div>{_two_part_item(203, "Gốm Bát Tràng vào mùa Tết")}</div></div></div></div>')
    assert _sections(_page(after=after)) == [
        ("latest", "201.html"), ("latest", "202.html"),
        ("most_read", "201.html"), ("most_read", "203.html")]


def test_boxes_inside_the_body_are_related_links():
    """A related box (headline link + teaser, no class) and an inline "Đọc thêm:" list
    inside the body: related links, in page order, not body."""
    box = ('<table><tr><td><a href="/ha-nam-dao-tao-nghe-20110.html">Hà Nam: Đào tạo nghề'
           " mây tre đan cho lao động nông thôn</a></td></tr><tr><td>Năm 2019, tỉnh Hà Nam đã"
           " mở 12 lớp đào tạo nghề mây tre đan.</td></tr></table>")
    inline = ('<div><p><strong>Đọc thêm:</strong></p><ul><li><a href="/gom-phu-lang-21480.html">'
              "Làng gốm Phù Lãng đón đầu xu hướng gốm men tro</a></li></ul></div>")
    teased = ('<div><strong>Đọc thêm:</strong> <a href="/gom-chu-dau-21567.html">Gốm Chu Đậu'
              " vươn ra thị trường Nhật Bản</a><p>LNV - Lô hàng 5.000 sản phẩm vừa được xuất"
              " sang Nhật Bản.</p></div>")
    page = _page(body=box + BODY + inline + teased)
    assert page.links() == [
        {"section": "related", "url": "https://langngheviet.com.vn/ha-nam-dao-tao-nghe-20110.html",
         "title": "Hà Nam: Đào tạo nghề mây tre đan cho lao động nông thôn",
         "summary": "Năm 2019, tỉnh Hà Nam đã mở 12 lớp đào tạo nghề mây tre đan."},
        {"section": "related", "url": "https://langngheviet.com.vn/gom-phu-lang-21480.html",
         "title": "Làng gốm Phù Lãng đón đầu xu hướng gốm men tro", "summary": None},
        {"section": "related", "url": "https://langngheviet.com.vn/gom-chu-dau-21567.html",
         "title": "Gốm Chu Đậu vươn ra thị trường Nhật Bản",
         "summary": "Lô hàng 5.000 sản phẩm vừa được xuất sang Nhật Bản."},
    ]
    assert len(page.body()) == 2


def test_article_in_a_body_box_and_in_the_list_below_is_one_entry_with_the_lead():
    inline = ("<div><p><strong>Tin liên quan:</strong></p><ul><li>"
              '<a href="/bai-so-201-201.html">Nghề đan cót ở Trung Hòa</a></li></ul></div>')
    after = ("<div><h3>Tin liên quan</h3>"
             f"{_item(201, 'Nghề đan cót ở Trung Hòa', 'LNV - Người Tày vẫn giữ nghề đan cót.')}"
             "</div>")
    assert _page(body=BODY + inline, after=after).links() == [
        {"section": "related", "url": "https://langngheviet.com.vn/bai-so-201-201.html",
         "title": "Nghề đan cót ở Trung Hòa", "summary": "Người Tày vẫn giữ nghề đan cót."}]


def test_prose_link_inside_the_body_stays_body():
    body = ('<p>Theo <a href="/khuyen-cong-hai-duong-ho-tro-21501.html">Khuyến công Hải Dương'
            " hỗ trợ các cơ sở phục hồi</a>, năm nay các đề án tập trung vào máy móc.</p>" + BODY)
    page = _page(body=body)
    assert page.links() == []
    assert len(page.body()) == 3


def test_tag_link_in_the_prose_is_no_tag():
    body = ('<p><a href="/tag/khuyen-cong-812.tag">Khuyến công</a> năm nay tập trung vào'
            " các đề án ứng dụng máy móc, thiết bị tiên tiến.</p>" + BODY)
    after = '<div>Từ khóa: <a href="/tag/may-tre-dan">mây tre đan</a></div>'
    assert _page(body=body, after=after).tags() == ["mây tre đan"]
    assert _page(body=body).tags() == []


@pytest.mark.parametrize("tag", ["div", "span", "p", "strong"])
def test_unknown_heading_in_a_bare_element_ends_the_list(tag):
    """A heading no section has ("Bài viết cùng tác giả"), without class or heading tag,
    before its own list: the list before it ends there."""
    after = ("<div><h3>Tin liên quan</h3>"
             f"<ul><li>{_item(201, 'Nghề đan cót ở Trung Hòa')}</li>"
             f"<li>{_item(202, 'Nghề chẻ nan tre ở Tân Uyên')}</li></ul>"
             f"<{tag}>Bài viết cùng tác giả</{tag}>"
             f"<ul><li>{_item(301, 'Gốm Chu Đậu vươn ra thị trường Nhật Bản')}</li>"
             f"<li>{_item(302, 'Làng tranh Đông Hồ trước nguy cơ mai một')}</li></ul></div>")
    assert _sections(_page(after=after)) == [("related", "201.html"), ("related", "202.html")]


FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_PAGES = {
    f"{folder}/{name}": url for folder in ("unseen", "meaning", "real_patterns")
    for name, url in json.loads((FIXTURES / folder / "index.json").read_text("utf-8")).items()}
WITH_LISTS = [name for name in FIXTURE_PAGES
              if (json.loads((FIXTURES / f"{name}.json").read_text("utf-8")) or {}).get("links")]
# A class-free copy of this short page gives no record at all: with every class and id
# gone its two short paragraphs are no body the parser finds (a body matter, not lists').
NO_RECORD_WITHOUT_CLASSES = {"real_patterns/related_list_cat_head_box_title"}


@pytest.mark.parametrize("kind", ["f", "g", "h", "i"])
@pytest.mark.parametrize("name", WITH_LISTS)
def test_link_list_variants_of_the_fixtures(kind, name):
    """The link-list variants of tests/test_variants.py on the hand-written fixtures of
    other templates: their links, "Xem thêm" and tags stay as expected."""
    if kind == "i" and name in NO_RECORD_WITHOUT_CLASSES:
        pytest.skip("no record without classes: see NO_RECORD_WITHOUT_CLASSES")
    expected = json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))
    root = lxml.html.document_fromstring((FIXTURES / f"{name}.html").read_bytes())
    VARIANTS[kind](root, expected)
    item = ArticlePage(lxml.html.tostring(root, encoding="unicode"), FIXTURE_PAGES[name]).to_item()
    assert item is not None
    assert {f: item[f] for f in ("links", "more_url", "tags")} == {
        f: expected[f] for f in ("links", "more_url", "tags")}
