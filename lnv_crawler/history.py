"""The site's own history, kept in the state folder, for monitors that know the site
(contract §4), and the `lnv-crawler history` command that prints it.

Every run of at least LNV_MONITOR_COVERAGE_MIN_ITEMS articles leaves one row: its
field coverage and a few shape figures (median body length and paragraphs, images
and list links per article), and whether it passed its monitors. The baseline is
the median of the last LNV_HISTORY_RUNS healthy runs, counted back no further than
the newest run accepted with LNV_ACCEPT_BASELINE=1.
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import statistics
import sys
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals

from .items import COVERED_FIELDS
from .settings import LNV_STATE_DIR
from .wording import plural

# The state folder's SQLite file (state.SeenArticles keeps its articles there too).
DATABASE = "articles.sqlite"
COVERAGE_MONITOR = "Field coverage against history"
SHAPE_MONITOR = "Shape against history"
SHAPE_STAT = "lnv/shape/{figure}"
# The shape figures a run records; the judged ones fail under half their baseline.
SHAPE_FIGURES = ("body_chars", "paragraphs", "images", "links")
JUDGED_SHAPE = ("body_chars", "links")
SHAPE_FALL = 0.5
# A field's coverage has fallen far when it is under half its baseline (for a
# baseline of at least 10 %) or more than 30 points under it ...
COVERAGE_FALL = 0.5
COVERAGE_FALL_FROM = 0.10
COVERAGE_FALL_POINTS = 0.30
TREND_STEP = 0.05  # a move of 5 points or more between runs is a change of level


def binomial_cdf(k: int, n: int, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), summed in logs (n may be thousands)."""
    if k >= n or p <= 0.0:
        return 1.0
    if k < 0 or p >= 1.0:
        return 0.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_n = math.lgamma(n + 1)
    return min(1.0, sum(math.exp(log_n - math.lgamma(i + 1) - math.lgamma(n - i + 1)
                                 + i * log_p + (n - i) * log_q) for i in range(k + 1)))


def coverage_fell(value: float, records: int, baseline: float, chance: float) -> bool:
    """... and chance alone would give so low a coverage on a run of this size, at the
    baseline's rate, less often than `chance`: on a site where 1 article in 6 has a
    byline, a run of 20 with none is bad luck one run in 40, not a changed template."""
    far = ((baseline >= COVERAGE_FALL_FROM and value < baseline * COVERAGE_FALL)
           or value < baseline - COVERAGE_FALL_POINTS)
    return far and binomial_cdf(round(value * records), records, baseline) < chance


def shape_fell(value: float, baseline: float) -> bool:
    return value < baseline * SHAPE_FALL


@dataclass
class Run:
    finished_at: str
    records: int
    coverage: dict[str, float]
    shape: dict[str, float]
    healthy: bool
    accepted: bool
    failed: list[str]


@dataclass
class Baseline:
    coverage: dict[str, float]
    shape: dict[str, float]
    runs: int

    def as_dict(self) -> dict[str, Any]:
        return {"runs": self.runs, "coverage": rounded(self.coverage),
                "shape": rounded(self.shape)}


def rounded(figures: Mapping[str, float]) -> dict[str, float]:
    return {name: round(value, 4) for name, value in figures.items()}


def medians(figures: list[dict[str, float]]) -> dict[str, float]:
    names = dict.fromkeys(name for one in figures for name in one)
    return {name: statistics.median(one[name] for one in figures if name in one)
            for name in names}


class History:
    """The runs table of a state folder."""

    def __init__(self, state_dir: Path):
        state_dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(state_dir / DATABASE)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS runs (finished_at TEXT, records INTEGER,"
            " coverage TEXT, shape TEXT, healthy INTEGER, accepted INTEGER, failed TEXT)")

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.db.close()

    def add(self, run: Run) -> None:
        with self.db:
            self.db.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)", (
                run.finished_at, run.records, json.dumps(rounded(run.coverage)),
                json.dumps(rounded(run.shape)), run.healthy, run.accepted,
                json.dumps(run.failed, ensure_ascii=False)))

    def runs(self, last: int | None = None) -> list[Run]:
        """The newest `last` runs (all when None), oldest first."""
        rows = self.db.execute("SELECT * FROM runs ORDER BY rowid DESC LIMIT ?",
                               (-1 if last is None else last,)).fetchall()
        return [Run(finished, records, json.loads(coverage), json.loads(shape), bool(healthy),
                    bool(accepted), json.loads(failed))
                for finished, records, coverage, shape, healthy, accepted, failed
                in reversed(rows)]

    def accept_newest(self) -> None:
        """The newest run becomes the baseline, as if it had run with LNV_ACCEPT_BASELINE=1."""
        with self.db:
            self.db.execute("UPDATE runs SET healthy = 1, accepted = 1"
                            " WHERE rowid = (SELECT max(rowid) FROM runs)")

    def baseline(self, runs: int) -> Baseline | None:
        window: list[tuple[dict[str, float], dict[str, float]]] = []
        query = "SELECT coverage, shape, accepted FROM runs WHERE healthy ORDER BY rowid DESC"
        for coverage, shape, accepted in self.db.execute(query):
            window.append((json.loads(coverage), json.loads(shape)))
            if accepted or len(window) >= runs:
                break  # runs before an accepted change describe another site
        if not window:
            return None
        return Baseline(medians([c for c, _ in window]), medians([s for _, s in window]),
                        len(window))


class RunFigures:
    """Collects the shape figures of the articles written, for the monitors.

    It must close before Spidermon, which runs the monitors in its own spider_closed
    handler: EXTENSIONS gives it a lower order number, so it connects first and its
    handler runs first."""

    def __init__(self, crawler):
        self.stats = crawler.stats
        self.figures = {name: array("l") for name in SHAPE_FIGURES}  # 8 bytes an article
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def item_scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        body = adapter.get("body") or []
        self.figures["body_chars"].append(len("\n".join(body)))  # as `lnv-crawler stats`
        self.figures["paragraphs"].append(len(body))
        self.figures["images"].append(len(adapter.get("images") or []))
        self.figures["links"].append(len(adapter.get("links") or []))

    def spider_closed(self) -> None:
        for name, values in self.figures.items():
            if values:
                # Images are often 0 or 1 an article: their mean says more than a median.
                figure = statistics.fmean(values) if name == "images" else statistics.median(values)
                self.stats.set_value(SHAPE_STAT.format(figure=name), figure)


# --- lnv-crawler history ----------------------------------------------------------------

def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def trend(values: list[tuple[str, float]]) -> str:
    """One line: the first and newest value, and since when the newest level holds."""
    if not values:
        return "no data"
    (_, first), (_, last) = values[0], values[-1]
    since = next((values[i][0] for i in range(len(values) - 1, 0, -1)
                  if abs(values[i][1] - values[i - 1][1]) >= TREND_STEP), None)
    if since is None:
        return f"steady at {percent(last)} over {plural(len(values), 'run')}"
    word = "fell" if last < first else "rose" if last > first else "changed"
    return f"{word} from {percent(first)} to {percent(last)}; at this level since {since}"


def run_date(run: Run) -> str:
    return run.finished_at.replace("T", " ")[:16]


def render_history(runs: list[Run]) -> str:
    header = ["date (UTC)", "records", "status", *COVERED_FIELDS, "body chars"]
    rows = [[run_date(run), str(run.records),
             "accepted" if run.accepted and run.healthy else "ok" if run.healthy else "FAILED",
             *(percent(run.coverage.get(field)) for field in COVERED_FIELDS),
             f"{run.shape.get('body_chars', 0):.0f}"] for run in runs]
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True))
             for row in [header, *rows]]
    lines.append("")
    for field in COVERED_FIELDS:
        values = [(run_date(run), run.coverage[field])
                  for run in runs if field in run.coverage]
        lines.append(f"{field:<13} {trend(values)}")
    failed = [f"{run_date(run)} {message}" for run in runs for message in run.failed]
    if failed:
        lines += ["", *failed]
    return "\n".join(lines)


def command(args: argparse.Namespace) -> int:
    if not (args.state / DATABASE).is_file():
        print(f"lnv-crawler: no state folder at {args.state}", file=sys.stderr)
        return 2
    with History(args.state) as history:
        if args.accept:
            return accept(history)
        runs = history.runs(args.runs)
    print(render_history(runs) if runs else f"no runs recorded in {args.state} yet")
    return 0


def accept(history: History) -> int:
    """Accepts the newest run as the baseline, unless it failed anything but the
    monitors against history (a run with 5xx errors or no titles is no baseline)."""
    newest = history.runs(1)
    if not newest:
        print("lnv-crawler: no run to accept", file=sys.stderr)
        return 1
    other = [message for message in newest[0].failed
             if not message.startswith((COVERAGE_MONITOR, SHAPE_MONITOR))]
    if other:
        print(f"lnv-crawler: the run of {run_date(newest[0])} is not accepted, it failed "
              f"another monitor: {other[0]}", file=sys.stderr)
        return 1
    history.accept_newest()
    print(f"the run of {run_date(newest[0])} is the new baseline")
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--state", type=Path, default=Path(LNV_STATE_DIR),
                        help=f"the state folder (LNV_STATE_DIR; default {LNV_STATE_DIR})")
    parser.add_argument("--runs", type=int, default=20, help="the newest N runs (default 20)")
    parser.add_argument("--accept", action="store_true",
                        help="make the newest run the baseline (the site really changed)")
    parser.set_defaults(run=command, files=[])


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
