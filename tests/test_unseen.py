"""Pages of templates the sample site does not use (mobile, AMP, older MasterCMS,
JSON-LD only, tabs without ids, noisy pages), written from what they mean, with the
expected record beside each: the parser must get them right field by field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lnv_crawler.items import ARTICLE_FIELDS
from lnv_crawler.pages.article import ArticlePage

FIXTURES = Path(__file__).parent / "fixtures"
# unseen/: other templates; meaning/: MasterCMS layouts of CONTRACT.md §1 whose fields
# only meaning finds (bodies without <p>, bylines after the container, bare time nodes,
# entity-encoded regions, a headline inside the body's container).
FOLDERS = ("unseen", "meaning")
PAGES: dict[str, str] = {
    f"{folder}/{name}": url for folder in FOLDERS
    for name, url in json.loads((FIXTURES / folder / "index.json").read_text("utf-8")).items()}


def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text("utf-8"))


ARTICLES = [n for n in PAGES if expected(n)]


def parse(name: str) -> ArticlePage:
    return ArticlePage((FIXTURES / f"{name}.html").read_bytes(), PAGES[name])


@pytest.mark.parametrize("name", ARTICLES)
@pytest.mark.parametrize("field", [f for f in ARTICLE_FIELDS if f != "fetched_at"])
def test_unseen_article_field(name, field):
    item = parse(name).to_item()
    assert item is not None, f"{name} gave no record: {parse(name).rejection()}"
    assert item[field] == expected(name)[field]


def test_meaning_fixtures_are_six_or_more():
    assert sum(1 for n in ARTICLES if n.startswith("meaning/")) >= 6


@pytest.mark.parametrize(("name", "reason"), [("unseen/nonarticle_photo_gallery", "media"),
                                               ("unseen/nonarticle_error_200", "error")])
def test_unseen_non_article_pages(name, reason):
    assert parse(name).rejection() == reason
