"""`lnv-crawler diff OLD.jsonl NEW.jsonl [--json]`: what a parser change changes.

Records are matched by URL (the newest record of each article on each side, as
`merge` picks it); for every field, how many matched records differ, with the
first examples; and the articles found on one side only. Exit status 0 when the
two sides agree, 1 when they differ (as diff(1)), 2 for a missing file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from .items import ARTICLE_FIELDS
from .records import good_records, newest_by_url
from .wording import plural

EXAMPLES = 3
SHOWN_URLS = 10
_SHOWN_CHARS = 160


def articles(path: Path) -> dict[str, dict[str, Any]]:
    return newest_by_url(good_records([path], Counter()))


def compare(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]],
            ignore: frozenset[str] = frozenset(), examples: int = EXAMPLES) -> dict[str, Any]:
    fields = [name for name in ARTICLE_FIELDS if name != "url" and name not in ignore]
    both = [url for url in old if url in new]
    changed: dict[str, dict[str, Any]] = {name: {"changed": 0, "examples": []} for name in fields}
    changed_records = 0
    for url in both:
        differing = [name for name in fields if old[url].get(name) != new[url].get(name)]
        changed_records += bool(differing)
        for name in differing:
            entry = changed[name]
            entry["changed"] += 1
            if len(entry["examples"]) < examples:
                entry["examples"].append(
                    {"url": url, "old": old[url].get(name), "new": new[url].get(name)})
    return {"old_articles": len(old), "new_articles": len(new), "in_both": len(both),
            "changed_records": changed_records,
            "only_in_old": sorted(set(old) - set(new)), "only_in_new": sorted(set(new) - set(old)),
            "fields": changed, "ignored_fields": sorted(ignore)}


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS - 1] + "…"


def render(result: dict[str, Any], old: Path, new: Path) -> str:
    lines = [f"old: {old} ({plural(result['old_articles'], 'article')})",
             f"new: {new} ({plural(result['new_articles'], 'article')})",
             f"{plural(result['in_both'], 'article')} on both sides, "
             f"{result['changed_records']} of them "
             f"changed; {len(result['only_in_old'])} only in old, "
             f"{len(result['only_in_new'])} only in new"]
    differing = {name: entry for name, entry in result["fields"].items() if entry["changed"]}
    if differing:
        lines.append("changed fields (records):")
    for name, entry in sorted(differing.items(), key=lambda item: -item[1]["changed"]):
        lines.append(f"  {name}: {entry['changed']}")
        for example in entry["examples"]:
            lines += [f"    {example['url']}", f"      old: {_short(example['old'])}",
                      f"      new: {_short(example['new'])}"]
    for side in ("only_in_old", "only_in_new"):
        shown = result[side][:SHOWN_URLS]
        if shown:
            lines.append(f"{side.replace('_', ' ')}:")
            lines += [f"  {url}" for url in shown]
            if len(result[side]) > len(shown):
                lines.append(f"  ... and {len(result[side]) - len(shown)} more")
    return "\n".join(lines)


def diff(old: Path, new: Path, as_json: bool, ignore: list[str]) -> int:
    result = compare(articles(old), articles(new), frozenset(ignore))
    if as_json:
        print(json.dumps({"old": str(old), "new": str(new), **result}, ensure_ascii=False))
    else:
        print(render(result, old, new))
    same = not (result["changed_records"] or result["only_in_old"] or result["only_in_new"])
    return 0 if same else 1


def add_parser(commands: Any) -> None:
    """The `diff` subcommand of lnv-crawler."""
    command = commands.add_parser("diff", help="compare two outputs field by field")
    command.add_argument("files", nargs=2, type=Path, metavar=("OLD.jsonl", "NEW.jsonl"))
    command.add_argument("--json", action="store_true", help="print one JSON object")
    command.add_argument("--ignore", action="append", default=[], metavar="FIELD",
                         choices=[name for name in ARTICLE_FIELDS if name != "url"],
                         help="leave a field out of the comparison (repeatable), "
                              "e.g. fetched_at")
    command.set_defaults(run=lambda args: diff(*args.files, args.json, args.ignore))
