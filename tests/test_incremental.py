"""Cron runs cost what changed (contract §6), counted on a generated mirror large
enough to matter: the bench corpus generator's 1,000 articles in 3 categories of
about 67 listing pages each, served by bench/server.py's http.server, which sends
ETag / Last-Modified, answers conditional requests with 304 and counts its
answers per path. The runs share one state folder, in order:

1. full; 2. unchanged site; 3. five new articles at the top of one listing;
4. one recent article edited; 5. `-a backfill=1`.

Figures (requests of each run) are printed for the closing note (-s shows them).
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape
from pathlib import Path

import pytest
from conftest import CrawlResult, run_crawl

from bench import corpus
from bench.server import PythonServer, serving
from bench.words import CATEGORIES
from lnv_crawler import cli

SEED = 11
COUNT = 1000
USED = CATEGORIES[:3]  # the others have one empty listing page each, as the generator makes
PER_PAGE = 5
PAGE_BYTES = (48_000, 56_000)  # chrome and link lists take ~41 KB; the bench has 60–100 KB
RECENT = 10  # articles inside the recheck window
NEW = 5
SITE = corpus.SITE


@dataclass
class Mirror:
    root: Path
    server: PythonServer
    articles: list[corpus.Article]
    state: Path
    settings: dict[str, str]
    figures: dict[str, dict[str, int]]

    @property
    def base(self) -> list[str]:
        return ["-a", f"base_url={self.server.base_url('mirror')}"]

    def crawl(self, name: str, *args: str) -> tuple[CrawlResult, dict, Counter]:
        """One run; its result, summary and the server's answers ((path, status) -> n)."""
        self.server.answers("mirror")  # start counting here
        result = run_crawl(self.state.parent, *self.base, *args, settings=self.settings,
                           feed=f"{name}.jsonl")
        answers = self.server.answers("mirror")
        assert result.status == 0, result.stderr[-3000:]
        summary = json.loads(result.output.with_name(f"{name}.summary.json").read_text())
        self.figures[name] = {"requests": sum(answers.values()),
                              "articles_200": article_answers(answers, 200),
                              "articles_304": article_answers(answers, 304),
                              "listing_pages": summary["listing_pages_fetched"],
                              "written": len(result.records)}
        return result, summary, answers


def path_of(url: str) -> str:
    return url.removeprefix(SITE) or "/"


def article_answers(answers: Counter, status: int) -> int:
    return sum(n for (path, code), n in answers.items()
               if code == status and path.endswith(".html"))


def recheck_days(articles: list[corpus.Article], recent: int) -> str:
    """LNV_RECHECK_DAYS that takes in exactly the `recent` newest articles: the window
    edge half-way between the recent-th and the next one (at least 15 minutes either
    side), so the few minutes the module runs do not move an article across it."""
    newest = sorted(a.published for a in articles)
    edge = newest[-recent] - (newest[-recent] - newest[-recent - 1]) / 2
    return repr((datetime.now(timezone.utc) - edge).total_seconds() / 86_400)


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mirror]:
    root = tmp_path_factory.mktemp("mirror") / "site"
    corpus.ensure(root, COUNT, SEED, categories=USED, per_listing_page=PER_PAGE,
                  page_bytes=PAGE_BYTES)
    articles = corpus.plan(COUNT, random.Random(SEED), USED)
    state = tmp_path_factory.mktemp("runs") / "state"
    # A recheck window over the newest articles (after run 3, the new ones too).
    settings = {"LNV_RECHECK_DAYS": recheck_days(articles, RECENT)}
    figures: dict[str, dict[str, int]] = {}
    with serving({"mirror": root}, prefer_nginx=False) as server:
        assert isinstance(server, PythonServer)
        yield Mirror(root, server, articles, state, settings, figures)
    print("\nrequests per run:", json.dumps(figures, indent=1))


def listing_page_count(articles: list[corpus.Article]) -> int:
    """Pages of every category's listing; one (empty) for a category without articles."""
    return sum(-(-sum(a.category == c for a in articles) // PER_PAGE) or 1 for c in CATEGORIES)


def listing_paths(answers: Counter, slug: str) -> list[str]:
    return sorted(path for path, _ in answers if path == f"/{slug}"
                  or path.startswith(f"/{slug}/p"))


def test_run_1_walks_everything(mirror: Mirror):
    result, summary, answers = mirror.crawl("run1")
    assert len(result.records) == COUNT
    assert summary["listing_pages_fetched"] == listing_page_count(mirror.articles)
    assert {v["reason"] for v in summary["listings_stopped"].values()} == {"last page"}
    assert article_answers(answers, 200) == COUNT
    assert summary["recheck"] == {"scheduled": 0}  # nothing was written before


def test_run_2_over_the_unchanged_site_costs_home_listing_heads_and_304s(mirror: Mirror):
    result, summary, answers = mirror.crawl("run2")
    recent = {path_of(a.entry.url) for a in mirror.articles[-RECENT:]}
    expected = Counter({("/robots.txt", 404): 1, ("/", 200): 1})
    expected.update({(f"/{slug}", 200): 1 for slug, _ in CATEGORIES})
    expected.update({(path, 304): 1 for path in recent})
    assert answers == expected
    assert result.records == []
    assert summary["recheck"] == {"scheduled": RECENT, "rechecked": RECENT,
                                  "not_modified": RECENT, "unchanged": RECENT}
    assert summary["listing_pages_fetched"] == len(CATEGORIES)
    assert {f"{SITE}/{slug}": {"page": 1, "reason": "nothing new"} for slug, _ in USED}.items() \
        <= summary["listings_stopped"].items()
    assert summary["articles_written"] == 0 and summary["exit_status"] == 0


def publish(mirror: Mirror, slug: str, count: int) -> list[corpus.Article]:
    """`count` new articles at the top of one listing (pages of the others unchanged)."""
    later = corpus.plan(COUNT + 100, random.Random(SEED), USED)[COUNT:]
    new = [a for a in later if a.category[0] == slug][:count]
    corpus.write_articles(mirror.root, new, SEED, PAGE_BYTES)
    corpus.write_listings(mirror.root, [*mirror.articles, *new], PER_PAGE)
    mirror.articles += new
    return new


def test_run_3_fetches_exactly_the_new_articles_and_two_pages_of_their_listing(mirror: Mirror):
    slug = USED[0][0]
    new = publish(mirror, slug, NEW)
    result, summary, answers = mirror.crawl("run3")
    assert sorted(r["url"] for r in result.records) == sorted(a.entry.url for a in new)
    fetched = {path for (path, status), _ in answers.items()
               if status == 200 and path.endswith(".html")}
    assert fetched == {path_of(a.entry.url) for a in new}
    assert listing_paths(answers, slug) == [f"/{slug}", f"/{slug}/p2"]
    for other, _ in CATEGORIES[1:]:
        assert listing_paths(answers, other) == [f"/{other}"]
    assert summary["listings_stopped"][f"{SITE}/{slug}"] == {"page": 2, "reason": "nothing new"}
    assert article_answers(answers, 304) == RECENT


def test_run_4_writes_an_edited_article_again_and_merge_keeps_the_edit(mirror: Mirror):
    edited = mirror.articles[-NEW - 1]  # a recent one from run 1, not one of the new
    page = mirror.root / edited.filename
    title = f"Đính chính: {edited.entry.title}"
    page.write_text(page.read_text("utf-8").replace(escape(edited.entry.title), escape(title)),
                    "utf-8")
    result, summary, answers = mirror.crawl("run4")
    assert [(r["url"], r["title"]) for r in result.records] == [(edited.entry.url, title)]
    assert answers[(path_of(edited.entry.url), 200)] == 1
    window = RECENT + NEW
    assert article_answers(answers, 304) == window - 1
    assert summary["recheck"] == {"scheduled": window, "rechecked": window,
                                  "not_modified": window - 1, "unchanged": window - 1,
                                  "changed": 1}
    assert summary["records_dropped"] == {}

    runs = mirror.state.parent
    merged = runs / "merged.jsonl"
    assert cli.main(["merge", str(runs / "run1.jsonl"), str(runs / "run4.jsonl"),
                     "-o", str(merged)]) == 0
    records = {r["url"]: r for r in map(json.loads, merged.read_text("utf-8").splitlines())}
    assert len(records) == COUNT
    assert records[edited.entry.url]["title"] == title


def test_run_5_backfill_walks_every_listing_page(mirror: Mirror):
    result, summary, _ = mirror.crawl("run5", "-a", "backfill=1")
    assert summary["listing_pages_fetched"] == listing_page_count(mirror.articles)
    assert {v["reason"] for v in summary["listings_stopped"].values()} == {"last page"}
    assert result.records == []  # nothing new, nothing edited
    assert summary["articles_skipped_seen_before"] >= COUNT
