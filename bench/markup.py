"""HTML of the synthetic site: the MasterCMS markup the contract describes.

Every function returns a string; the page chrome (head, header, menus, ads,
footer) is shared by all pages, as on the real site, and is what makes a page
60–100 KB before its body.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from html import escape

from .words import CATEGORIES, WEATHER

SITE = "https://langngheviet.com.vn"


@dataclass(frozen=True)
class Entry:
    """An article as other pages show it: link, title and lead."""

    url: str
    title: str
    lead: str
    thumb: str


def category_url(slug: str) -> str:
    return f"{SITE}/{slug}"


def listing_url(slug: str, page: int) -> str:
    return category_url(slug) if page == 1 else f"{SITE}/{slug}/p{page}"


# -- shared chrome -----------------------------------------------------------------


@cache
def _stylesheet() -> str:
    parts = ("header", "menu", "article", "box", "list", "item", "title", "desc", "footer", "ads")
    rules = [
        f".{a}-{b} .{b}-{c}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}px;"
        f"font-size:{12 + i % 6}px;color:#{(i * 2654435761) % 0xFFFFFF:06x}}}"
        for i, (a, b, c) in enumerate((a, b, c) for a in parts for b in parts[:4]
                                       for c in parts[:2])
    ]
    return "\n".join(rules)


@cache
def _scripts() -> str:
    slots = "".join(
        f'{{"slot":"lnv_{i}","size":[[300,250],[336,280]],"zone":{1000 + i},'
        f'"refresh":{30 + i % 4 * 15},"lazy":true}},'
        for i in range(48))
    return ("window.__MB_CONFIG={\"site\":\"langngheviet\",\"ads\":[" + slots.rstrip(",")
            + "]};\nwindow.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push("
            "arguments);}gtag('js',new Date());gtag('config','G-LNV0000000');")


def _ad_slot(name: str) -> str:
    return (f'<div class="ads ads-{name}"><ins class="adsbygoogle" data-ad-slot="{name}" '
            'style="display:block"></ins><script>(adsbygoogle=window.adsbygoogle||[])'
            ".push({});</script></div>")


@cache
def _menu_items() -> str:
    return "".join(
        f'<li class="menu-item menu-{slug}"><a href="{category_url(slug)}" '
        f'title="{escape(name)}">{escape(name)}</a></li>' for slug, name in CATEGORIES)


@cache
def _header() -> str:
    weather = "".join(
        f'<li><span class="city">{city}:</span> <span class="temp">{temp}°C</span> '
        f'<span class="city-name">{city}</span></li>' for city, temp in WEATHER)
    return (
        '<header class="site-header"><div class="header-top"><div class="weather-box"><ul>'
        f"{weather}</ul></div>"
        f'<a class="logo" href="{SITE}/" title="Làng nghề Việt Nam">'
        f'<img src="{SITE}/modules/frontend/themes/lnv/images/logo.png" alt="Làng nghề Việt Nam">'
        f'</a><form class="search-form" action="{SITE}/tim-kiem" method="get">'
        '<input type="text" name="q" placeholder="Tìm kiếm"><button type="submit">Tìm</button>'
        f'</form></div><nav class="main-menu"><ul class="menu">{_menu_items()}</ul></nav>'
        f"{_ad_slot('top-banner')}</header>"
    )


@cache
def _footer() -> str:
    about = (
        "<p>Tạp chí điện tử Làng nghề Việt Nam – Cơ quan của Hiệp hội Làng nghề Việt Nam. "
        "Giấy phép hoạt động báo chí điện tử do Bộ Thông tin và Truyền thông cấp.</p>"
        "<p>Tòa soạn: Số 9 Đào Duy Anh, Đống Đa, Hà Nội. Điện thoại: 024.3856.1122. "
        "Email: toasoan@langngheviet.com.vn</p>"
        "<p>Ghi rõ nguồn “Làng nghề Việt Nam” khi phát hành lại thông tin từ website này.</p>"
    )
    return (
        f'<footer class="site-footer"><nav class="footer-menu"><ul>{_menu_items()}</ul></nav>'
        f'<div class="footer-about">{about * 3}</div>'
        '<div class="footer-mobile"><a href="https://m.langngheviet.com.vn/" rel="nofollow">'
        "Giao diện di động</a></div></footer>"
    )


def page(title: str, head: str, main: str, aside: str = "") -> str:
    """A whole document: head with inline CSS/JS, header, main column, sidebar, footer."""
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} - Làng nghề Việt Nam</title>{head}"
        f"<style>{_stylesheet()}</style><script>{_scripts()}</script></head>"
        f'<body><div id="wrapper">{_header()}<div class="container"><div class="main-col">'
        f'{main}</div><aside class="sidebar">{aside}{_ad_slot("sidebar")}</aside></div>'
        f"{_footer()}</div></body></html>\n"
    )


# -- article page --------------------------------------------------------------------


def list_item(entry: Entry) -> str:
    t = escape(entry.title)
    return (
        f'<li class="article-item"><a class="article-image" href="{entry.url}" title="{t}">'
        f'<img src="{entry.thumb}" alt="{t}" width="260" height="160"></a>'
        f'<div class="article-info"><h3 class="article-title"><a href="{entry.url}" '
        f'title="{t}">{t}</a></h3><div class="article-desc">{escape(entry.lead)}</div></div></li>'
    )


def _item_list(entries: list[Entry]) -> str:
    return f'<ul class="article-list">{"".join(list_item(e) for e in entries)}</ul>'


def article_head(entry: Entry, published: datetime, section: str) -> str:
    iso = published.isoformat()
    return (
        f'<meta name="description" content="{escape(entry.lead)}">'
        f'<link rel="canonical" href="{entry.url}">'
        f'<meta property="og:title" content="{escape(entry.title)}">'
        '<meta property="og:type" content="article">'
        f'<meta property="og:image" content="{entry.thumb}">'
        f'<meta property="article:published_time" content="{iso}">'
        f'<meta property="article:section" content="{escape(section)}">'
        '<script type="application/ld+json">{"@context":"https://schema.org",'
        f'"@type":"NewsArticle","headline":"{escape(entry.title)}","datePublished":"{iso}",'
        f'"image":["{entry.thumb}"],"articleSection":"{escape(section)}"}}</script>'
    )


def article_header(category: tuple[str, str], title: str, published: datetime,
                   sapo: str) -> str:
    slug, name = category
    return (
        f'<ul class="breadcrumbs"><li><a href="{SITE}/">Trang chủ</a></li>'
        f'<li class="menu-alias"><a href="{category_url(slug)}" title="{escape(name)}">'
        f"{escape(name)}</a></li></ul>"
        f'<h1 class="article-detail-title">{escape(title)}</h1>'
        '<div class="article-detail-info"><span class="article-date">'
        f'<span class="format_date">{published:%d/%m/%Y}</span> '
        f'<span class="format_time">{published:%H:%M}</span></span></div>'
        f'<div class="article-detail-desc">{escape(sapo)}</div>'
    )


def paragraph(text: str) -> str:
    return f'<p style="text-align: justify;">{escape(text)}</p>'


def image_table(src: str, caption: str) -> str:
    return (
        '<table class="MASTERCMS_TPL_TABLE" align="center" style="width:100%"><tbody>'
        f'<tr><td><img alt="{escape(caption)}" src="{src}" style="width:100%"></td></tr>'
        f'<tr><td class="image-caption"><p>{escape(caption)}</p></td></tr></tbody></table>'
    )


def inread_ad() -> str:
    return _ad_slot("inread")


def article_body(blocks: list[str], byline: str) -> str:
    return (
        '<div class="__MASTERCMS_CONTENT"><div id="__MB_MASTERCMS_EL_3" '
        f'class="article-detail-content">{"".join(blocks)}'
        f'<p style="text-align: right;"><strong>{escape(byline)}</strong></p></div></div>'
    )


def tag_box(tags: list[str]) -> str:
    links = " ".join(
        f'<a href="{SITE}/tags/{slug}.html" title="{escape(tag)}">{escape(tag)}</a>'
        for tag, slug in tags)
    return f'<div class="article-detail-tags"><span class="label">Tags:</span> {links}</div>'


def link_lists(newer: list[Entry], other: list[Entry], more_url: str) -> str:
    return (
        '<div class="box-related"><div class="box-title"><h2 class="title-box">Tin liên quan'
        '</h2></div><div class="box-tab"><span class="tab-item active">Tin mới hơn</span></div>'
        f'{_item_list(newer)}</div>'
        '<div class="box-other"><div class="box-title"><h2 class="title-box">Tin khác</h2></div>'
        f'{_item_list(other)}<div class="view-more"><a href="{more_url}" title="Xem thêm">'
        "Xem thêm</a></div></div>"
    )


def sidebar_tabs(latest: list[Entry], most_read: list[Entry]) -> str:
    return (
        '<div class="box-tabs sidebar-news"><ul class="tabs-title">'
        '<li class="active"><a href="#tab-latest" data-toggle="tab">Mới nhất</a></li>'
        '<li><a href="#tab-mostread" data-toggle="tab">Đọc nhiều</a></li></ul>'
        '<div class="tab-content"><div class="tab-pane active" id="tab-latest">'
        f'{_item_list(latest)}</div><div class="tab-pane" id="tab-mostread">'
        f"{_item_list(most_read)}</div></div></div>"
    )


# -- listing and home pages ----------------------------------------------------------


def _pager(slug: str, current: int, last: int) -> str:
    numbers = "".join(
        f'<span class="current">{n}</span>' if n == current
        else f'<a href="{listing_url(slug, n)}">{n}</a>'
        for n in range(max(1, current - 2), min(last, current + 2) + 1))
    following = (f'<a class="next" href="{listing_url(slug, current + 1)}">Trang sau</a>'
                 if current < last else "")
    return f'<div class="pagination">{numbers}{following}</div>'


def listing_page(category: tuple[str, str], current: int, last: int,
                 entries: list[Entry]) -> str:
    slug, name = category
    main = (
        f'<div class="category-page"><h1 class="category-title"><a href="{category_url(slug)}">'
        f"{escape(name)}</a></h1>{_item_list(entries)}{_pager(slug, current, last)}</div>"
    )
    suffix = "" if current == 1 else f" - Trang {current}"
    return page(name + suffix, f'<link rel="canonical" href="{listing_url(slug, current)}">', main)


def home_page() -> str:
    blocks = "".join(
        f'<section class="home-category"><h2 class="home-category-title">'
        f'<a href="{category_url(slug)}" title="{escape(name)}">{escape(name)}</a></h2>'
        f"<p>Tin tức, sự kiện mới nhất về {escape(name.lower())}.</p></section>"
        for slug, name in CATEGORIES)
    return page("Trang chủ", f'<link rel="canonical" href="{SITE}/">', blocks)
