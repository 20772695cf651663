"""Scores ArticlePage on a folder of saved pages: per field right / total, and the misses.

`python bench/real_markup.py FOLDER` reads every `NAME.html` that has a
`NAME.expected.json` beside it and compares the record of the page object of the
checkout it is run from (the current directory when it holds `lnv_crawler/`, so
`cd other-worktree && python .../bench/real_markup.py FOLDER` scores that worktree)
with the expected values written by hand.

An expected file holds the fields it knows (a saved fragment knows only some):
`title`, `sapo`, `source_tag`, `body_first`, `body_last`, `body_count`,
`image_count`, `image_first_caption`, `byline`, `authors`, `published_at`,
`category`, `tags`, `link_count`; keys starting with `_` are not scored:
`_url` is the URL the page is parsed as (an article URL of the site), `_host` the
host the page was saved from: a sister site's links are read as the site's own,
as from a mirror, so that its link lists and tags can be scored.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

if (Path.cwd() / "lnv_crawler").is_dir():  # score the checkout it is run from
    sys.path.insert(0, str(Path.cwd()))

import lnv_crawler
from lnv_crawler.pages.article import ArticlePage

SITE = "langngheviet.com.vn"
FIELDS = ("title", "sapo", "source_tag", "body_first", "body_last", "body_count", "image_count",
          "image_first_caption", "byline", "authors", "published_at", "category", "tags",
          "link_count")  # fmt: skip
_SHOWN = 160  # characters of a mismatched value printed


def measured(item: dict[str, Any] | None) -> dict[str, Any]:
    """The scored fields of one record (a page that gave no record scores None everywhere)."""
    if item is None:
        return dict.fromkeys(FIELDS)
    body, images = item["body"], item["images"]
    return {
        "title": item["title"], "sapo": item["sapo"], "source_tag": item["source_tag"],
        "body_first": body[0] if body else None, "body_last": body[-1] if body else None,
        "body_count": len(body), "image_count": len(images),
        "image_first_caption": images[0]["caption"] if images else None,
        "byline": item["byline"], "authors": item["authors"],
        "published_at": item["published_at"], "category": item["category"],
        "tags": item["tags"], "link_count": len(item["links"]),
    }  # fmt: skip


def parse(page: Path, expected: dict[str, Any]) -> dict[str, Any] | None:
    html = page.read_text("utf-8")
    host = expected.get("_host", SITE)
    if host != SITE:
        html = html.replace(f"//{host}", f"//{SITE}")
    return ArticlePage(html, expected["_url"]).to_item()


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    print(f"page object: {os.path.dirname(lnv_crawler.__file__)}")
    right = dict.fromkeys(FIELDS, 0)
    total = dict.fromkeys(FIELDS, 0)
    misses: list[str] = []
    pages = sorted(p for p in args.folder.glob("*.html")
                   if p.with_name(f"{p.stem}.expected.json").exists())
    for page in pages:
        expected = json.loads(page.with_name(f"{page.stem}.expected.json").read_text("utf-8"))
        unknown = sorted(k for k in expected if not k.startswith("_") and k not in FIELDS)
        if unknown:  # a misspelt field would silently go unscored
            print(f"{page.stem}.expected.json: unknown fields {', '.join(unknown)}",
                  file=sys.stderr)
            return 2
        got = measured(parse(page, expected))
        for field in FIELDS:
            if field not in expected:
                continue
            total[field] += 1
            if got[field] == expected[field]:
                right[field] += 1
            else:
                misses.append(f"  {page.stem}.{field}: expected {_short(expected[field])}\n"
                              f"  {' ' * len(page.stem)}  got      {_short(got[field])}")
    print(f"{len(pages)} pages")
    for field in FIELDS:
        if total[field]:
            print(f"  {field:20} {right[field]} / {total[field]}")
    print(f"  {'all fields':20} {sum(right.values())} / {sum(total.values())}")
    if misses:
        print("mismatches:")
        print("\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
