"""A deterministic synthetic copy of the site: N article pages of 60–100 KB, the
category listings (/<category>, /<category>/p2, ...) that reach every one of
them, and a home page that links the categories.

Same seed and count, same bytes. A corpus is regenerated only when its
manifest says it was made from other parameters or another generator source.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from . import markup
from .markup import SITE, Entry
from .words import (
    AUTHORS,
    BYLINE_ROLES,
    CAPTIONS,
    CATEGORIES,
    PROVINCES,
    SENTENCES,
    SOURCE_TAGS,
    TAGS,
    TOPICS,
)

VN = timezone(timedelta(hours=7))
PER_LISTING_PAGE = 20
PAGE_BYTES = (62_000, 98_000)  # inside 60–100 KB whichever way a KB is counted
NEWER, OTHER, LATEST, MOST_READ = 6, 8, 3, 3
_PARAGRAPH_POOL = 1500
_FIRST_DAY = datetime(2019, 1, 1, 6, 0, tzinfo=VN)
_ARTICLE_FILE = re.compile(r"-\d+\.html$")


@dataclass(frozen=True)
class Article:
    id: int
    category: tuple[str, str]
    published: datetime
    entry: Entry

    @property
    def filename(self) -> str:
        return self.entry.url.rsplit("/", 1)[1]


def slugify(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        p=rng.choice(PROVINCES), n=rng.randint(2, 120), y=rng.randint(2019, 2025))


def _paragraph_pool(rng: random.Random) -> list[str]:
    return [" ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
            for _ in range(_PARAGRAPH_POOL)]


def plan(count: int, rng: random.Random,
         categories: tuple[tuple[str, str], ...] = CATEGORIES) -> list[Article]:
    """Articles in publication order (ids rise with time), in these categories."""
    articles = []
    article_id, moment = 20_000, _FIRST_DAY
    for _ in range(count):
        article_id += rng.randint(1, 9)
        moment += timedelta(minutes=rng.randint(30, 600))
        province, topic = rng.choice(PROVINCES), rng.choice(TOPICS)
        title = rng.choice((f"{province}: {topic}", f"{topic} tại {province}"))
        tag = rng.choice(SOURCE_TAGS)
        url = f"{SITE}/{slugify(title)}-{article_id}.html"
        thumb = f"{SITE}/stores/news_dataimages/{moment:%Y/%m%Y/%d}/thumb/{article_id}.jpg"
        entry = Entry(url, title, f"{tag} - {_sentence(rng)}", thumb)
        articles.append(Article(article_id, rng.choice(categories), moment, entry))
    return articles


def _neighbours(same: list[Article], index: int) -> tuple[list[Entry], list[Entry]]:
    """(newer, other): the next newer articles of the category, then older ones."""
    newer = same[index + 1:index + 1 + NEWER]
    older = same[max(0, index - OTHER):index][::-1]
    if len(newer) < NEWER:  # the newest articles have older ones in "Tin mới hơn" instead
        older_pool = same[:max(0, index - OTHER)][::-1]
        newer += older_pool[:NEWER - len(newer)]
    return [a.entry for a in newer], [a.entry for a in older]


def _body(rng: random.Random, pool: list[str], article: Article, budget: int) -> list[str]:
    """Paragraphs, image tables and one in-read ad slot, up to `budget` bytes."""
    blocks: list[str] = []
    used, images = 0, 0
    while used < budget:
        if blocks and len(blocks) % 5 == 2:
            images += 1
            src = (f"{SITE}/stores/news_dataimages/{article.published:%Y/%m%Y/%d}/in_article/"
                   f"{article.id}-{images}.jpg")
            block = markup.image_table(src, rng.choice(CAPTIONS))
        elif len(blocks) == 6:
            block = markup.inread_ad()
        else:
            block = markup.paragraph(rng.choice(pool))
        blocks.append(block)
        used += len(block.encode())
    return blocks


def _byline(rng: random.Random) -> str:
    names = rng.sample(AUTHORS, rng.choice((1, 1, 1, 2)))
    return f"{rng.choice(BYLINE_ROLES)} {' - '.join(names)}"


def _article_page(article: Article, links: tuple[list[Entry], ...], pool: list[str],
                  rng: random.Random, page_bytes: tuple[int, int]) -> str:
    newer, other, latest, most_read = links
    slug, name = article.category
    tags = [(t, slugify(t)) for t in rng.sample(TAGS, 3)]
    head = markup.article_head(article.entry, article.published, name)
    header = markup.article_header(article.category, article.entry.title, article.published,
                                   article.entry.lead)
    after_body = markup.tag_box(tags) + markup.link_lists(newer, other, markup.category_url(slug))
    aside = markup.sidebar_tabs(latest, most_read)

    def render(body: str) -> str:
        return markup.page(article.entry.title, head, header + body + after_body, aside)

    budget = rng.randint(*page_bytes) - len(render("").encode())
    return render(markup.article_body(_body(rng, pool, article, budget), _byline(rng)))


def _write(path: Path, html: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = html.encode()
    path.write_bytes(data)
    return len(data)


def write_articles(dest: Path, articles: list[Article], seed: int,
                   page_bytes: tuple[int, int] = PAGE_BYTES) -> list[int]:
    """The article pages; link lists are drawn from `articles` only."""
    pool = _paragraph_pool(random.Random(f"{seed}:pool"))
    by_category: dict[tuple[str, str], list[Article]] = {}
    for article in articles:
        by_category.setdefault(article.category, []).append(article)
    popular = random.Random(f"{seed}:popular").sample(articles, min(10, len(articles)))
    newest = articles[-(LATEST + 1):][::-1]
    sizes = []
    for category_articles in by_category.values():
        for index, article in enumerate(category_articles):
            rng = random.Random(f"{seed}:{article.id}")
            newer, other = _neighbours(category_articles, index)
            latest = [a.entry for a in newest if a is not article][:LATEST]
            most_read = [a.entry for a in rng.sample(popular, min(len(popular), MOST_READ + 1))
                         if a is not article][:MOST_READ]
            html = _article_page(article, (newer, other, latest, most_read), pool, rng,
                                 page_bytes)
            sizes.append(_write(dest / article.filename, html))
    return sizes


def write_listings(dest: Path, articles: list[Article],
                   per_page: int = PER_LISTING_PAGE) -> int:
    """Every category's listing pages (one empty page for a category without articles)
    and the home page; the number of pages written."""
    pages = 0
    for category in CATEGORIES:
        entries = [a.entry for a in reversed(articles) if a.category == category]
        last = max(1, -(-len(entries) // per_page))
        for number in range(1, last + 1):
            chunk = entries[(number - 1) * per_page:number * per_page]
            folder = dest / category[0] / ("" if number == 1 else f"p{number}")
            _write(folder / "index.html", markup.listing_page(category, number, last, chunk))
            pages += 1
    _write(dest / "index.html", markup.home_page())
    return pages + 1


def _source_digest() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("corpus.py", "markup.py", "words.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def ensure(dest: Path, count: int, seed: int, *,
           categories: tuple[tuple[str, str], ...] = CATEGORIES,
           per_listing_page: int = PER_LISTING_PAGE,
           page_bytes: tuple[int, int] = PAGE_BYTES) -> dict:
    """The corpus at dest for (count, seed), generated unless already there; its manifest.
    Tests make smaller ones: fewer categories, shorter listing pages, smaller pages."""
    wanted = {"articles": count, "seed": seed, "generator": _source_digest(),
              "categories": len(categories), "per_listing_page": per_listing_page,
              "page_bytes": list(page_bytes)}
    manifest_path = dest / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if all(manifest.get(k) == v for k, v in wanted.items()):
            return manifest
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    articles = plan(count, random.Random(seed), categories)
    sizes = write_articles(dest, articles, seed, page_bytes)
    listings = write_listings(dest, articles, per_listing_page)
    manifest = {**wanted, "listing_pages": listings, "pages": count + listings,
                "article_bytes": {"min": min(sizes), "max": max(sizes),
                                  "mean": round(sum(sizes) / len(sizes))},
                "start_urls": [f"{SITE}/"]}
    manifest_path.write_text(json.dumps(manifest, indent=2), "utf-8")
    return manifest


def article_files(dest: Path) -> list[Path]:
    """The corpus's article pages, in file-name order."""
    return sorted(p for p in dest.iterdir() if _ARTICLE_FILE.search(p.name))
