"""URL shapes of langngheviet.com.vn: canonical form, article ids, mirror mapping.

Pure functions over strings; the spider and the page objects share them so that
an article reached through any variant (mobile host, http, www., tracking
parameters, fragment, AMP copy) is one URL everywhere.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

SITE_ORIGIN = "https://langngheviet.com.vn"
SITE_HOST = "langngheviet.com.vn"
_SITE_HOSTS = frozenset({SITE_HOST, "www." + SITE_HOST, "m." + SITE_HOST, "amp." + SITE_HOST})

# /<slug>-<digits>.html  and the older  /<category>/<slug>.html<digits>. Greedy before
# the id: only one "-" can precede "<digits>.html", and from the end it is found sooner.
_ARTICLE_PATH = re.compile(r"^/(?:[\w%.-]+/)*[\w%.-]*-(?P<id>\d+)\.html?$")
_OLD_ARTICLE_PATH = re.compile(r"^/(?:[\w%.-]+/)+[\w%.-]+\.html?(?P<id>\d+)$")
# AMP copies: /amp/<path>, <path>/amp, <path>.amp
_AMP_PREFIX = re.compile(r"^/amp(?=/)")
_AMP_SUFFIX = re.compile(r"(?:/amp/?|\.amp)$")
_SLASHES = re.compile(r"/{2,}")
_ORIGIN_SLASH = SITE_ORIGIN + "/"
# What urlsplit() strips or reads specially: the fast path in _site_parts leaves such
# URLs (edge spaces, tabs and newlines, other control characters) to it.
_UNSPLIT = re.compile(r"[\x00-\x20]")
# A listing is one or two slug segments, optionally followed by a pager segment.
_LISTING_PATH = re.compile(r"^/[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)?/?$")
_PAGER_SEGMENT = re.compile(r"^(?:p|trang-?|page/?)\d+$")
# Query parameters that only track the visitor.
_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|zarsrc|zacc|_hsenc|_hsmi|mc_cid|mc_eid|ref|ref_src"
    r"|amp|igshid|yclid|spm|share|src|fb_action_\w+|fb_source|action_object_map|gidzl)$",
    re.IGNORECASE,
)
# Site paths that are not categories (no article list worth following).
_NOT_CATEGORIES = frozenset(
    {
        "tag", "tags", "tim-kiem", "search", "rss", "lien-he", "gioi-thieu", "video", "videos",
        "photo", "anh", "emagazine", "infographic", "podcast", "api", "static", "stores",
        "upload", "uploads", "images", "css", "js", "dang-nhap", "login", "amp",
    }
)  # fmt: skip


@lru_cache(maxsize=4096)  # menus and lists repeat the same links page after page
def _site_parts(url: str) -> tuple[str, str] | None:
    """(path, query) of an http(s) URL on one of the site's hosts, else None."""
    if url.startswith(_ORIGIN_SLASH) and not _UNSPLIT.search(url):
        # The site's own absolute links, most of a page's: what urlsplit() would make of
        # them, without its cost (each page links articles the cache has not seen).
        path, _, query = url[len(SITE_ORIGIN):].partition("#")[0].partition("?")
        return _clean_path(path), query
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:  # malformed netloc, e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or host not in _SITE_HOSTS:
        return None
    return _clean_path(parts.path), parts.query


def _clean_path(path: str) -> str:
    """A site path without doubled slashes and AMP markers ("/" for none)."""
    if "//" in path:
        path = _SLASHES.sub("/", path)
    if "amp" in path:
        path = _AMP_SUFFIX.sub("", _AMP_PREFIX.sub("", path))
    return path or "/"


@lru_cache(maxsize=4096)
def canonicalize(url: str) -> str | None:
    """The canonical article or listing URL, or None for URLs off the site."""
    parts = _site_parts(url)
    if parts is None:
        return None
    path, query = parts
    if _ARTICLE_PATH.match(path) or _OLD_ARTICLE_PATH.match(path):
        return SITE_ORIGIN + path
    if path != "/":
        path = path.rstrip("/")
    kept = sorted((k, v) for k, v in parse_qsl(query, keep_blank_values=True)
                  if not _TRACKING.match(k))
    return urlunsplit(("https", SITE_HOST, path, urlencode(kept), ""))


@lru_cache(maxsize=4096)  # asked for every link of every page, like canonicalize
def article_id(url: str) -> str | None:
    """The digits that identify an article, from either URL shape."""
    parts = _site_parts(url)
    if parts is None:
        return None
    match = _ARTICLE_PATH.match(parts[0]) or _OLD_ARTICLE_PATH.match(parts[0])
    return match.group("id") if match else None


def is_article_url(url: str) -> bool:
    return article_id(url) is not None


@lru_cache(maxsize=4096)
def is_listing_url(url: str) -> bool:
    """A category listing (or one of its pages): /<category>[/<sub>][/p2]."""
    parts = _site_parts(url)
    if parts is None or is_article_url(url):
        return False
    path = parts[0]
    segments = [s for s in path.split("/") if s]
    if segments and _PAGER_SEGMENT.match(segments[-1]):
        segments = segments[:-1]
    if not segments or segments[0] in _NOT_CATEGORIES:
        return False
    return bool(_LISTING_PATH.match("/" + "/".join(segments)))


def absolute(href: str | None, page_url: str) -> str | None:
    """Resolve a link's href against the page's canonical URL; None for non-web schemes."""
    if not href:
        return None
    href = href.strip()
    if href.startswith(("https://", "http://")):
        return href  # already absolute: urljoin would only cost time
    try:
        resolved = urljoin(page_url, href)
    except ValueError:
        return None
    return resolved if urlsplit(resolved).scheme in ("http", "https") else None


def to_fetch_url(canonical: str, base_url: str | None) -> str:
    """Where to fetch a canonical URL: itself, or the same path on a mirror."""
    if not base_url:
        return canonical
    parts = urlsplit(canonical)
    base = urlsplit(base_url)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


def from_fetch_url(url: str, base_url: str | None) -> str:
    """The site URL a fetched URL stands for (undoes to_fetch_url for mirror URLs)."""
    if not base_url:
        return url
    parts = urlsplit(url)
    base = urlsplit(base_url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return url
    path = parts.path
    prefix = base.path.rstrip("/")
    if prefix and path.startswith(prefix):
        path = path[len(prefix):] or "/"
    return urlunsplit(("https", SITE_HOST, path, parts.query, ""))
