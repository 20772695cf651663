"""Targets (PASS/FAIL), the console report, the Markdown table for the README's
"Performance" section, and bench/results/latest.json."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Target:
    name: str
    value: float | None  # None: not measured in this run
    goal: float  # what the issue requires
    at_least: bool  # value >= goal passes, else value <= goal passes
    unit: str = "×"
    aim: float | None = None  # the further goal, reported beside the requirement

    @property
    def status(self) -> str:
        if self.value is None:
            return "SKIP"
        met = self.value >= self.goal if self.at_least else self.value <= self.goal
        return "PASS" if met else "FAIL"

    @property
    def wanted(self) -> str:
        sign = "≥" if self.at_least else "≤"
        aim = f" (goal {self.aim:g}{self.unit})" if self.aim is not None else ""
        return f"{sign} {self.goal:g}{self.unit}{aim}"

    @property
    def shortfall(self) -> str:
        """How far a failed target is from its goal, in words."""
        if self.status != "FAIL" or self.value is None:
            return ""
        if self.at_least:
            return f"short by {(1 - self.value / self.goal) * 100:.0f}%"
        return f"over by {(self.value / self.goal - 1) * 100:.0f}%"

    def line(self) -> str:
        value = "not measured" if self.value is None else f"{self.value:.2f}{self.unit}"
        extra = f"  ({self.shortfall})" if self.shortfall else ""
        return f"  {self.status}  {self.name}: {value} (target {self.wanted}){extra}"


def targets(results: dict) -> list[Target]:
    crawl, parse, dates = results["crawl"], results["parse"], results["dates"]
    lnv_ms = parse["lnv_article_page_ms"]
    trafilatura_ms = parse.get("trafilatura_extract_ms")
    scale = results.get("scale")
    return [
        Target("lnv crawl speed / bare spider", crawl["ratio_lnv_bare"], 0.8, True, aim=0.9),
        Target("lnv crawl speed with the archive / without", crawl.get("ratio_warc_lnv"), 0.9,
               True),
        Target("ArticlePage parse time / lxml.html.fromstring", parse["parse_ratio"], 4, False,
               aim=3),
        Target("trafilatura.extract time / ArticlePage",
               trafilatura_ms / lnv_ms if trafilatura_ms else None, 10, True),
        Target("parse_date speed-up on absolute dates", dates["absolute"]["speedup"], 50, True),
        Target("parse_date speed-up on the rest, slowest shape",
               dates["other"]["min_speedup"], 1, True),
        Target("peak RSS 8,000 pages / 2,000 pages",
               scale["rss_ratio"] if scale else None, 1.3, False),
    ]


# -- console ---------------------------------------------------------------------------


def _crawl_lines(crawl: dict) -> list[str]:
    lines = ["Crawls (alternating, 16 concurrent requests, politeness off, fresh output each)",
             "  run  engine  pages  records  seconds  pages/s  CPU ms/page  peak RSS  exit"]
    for i, run in enumerate(crawl["runs"], 1):
        lines.append(f"  {i:<4} {run['engine']:<7} {run['pages']:>5}  {run['records']:>7}  "
                     f"{run['seconds']:>7.1f}  {run['pages_per_second']:>7.1f}  "
                     f"{run['cpu_ms_per_page']:>11.1f}  {run['peak_rss_mb']:>5.0f} MB  "
                     f"{run['exit_code']:>4}")
    for engine in ("lnv", "bare", "warc"):
        summary = crawl[engine]
        lines.append(f"  {engine:<5} median {summary['pages_per_second']:.1f} pages/s, "
                     f"{summary['cpu_ms_per_page']:.1f} CPU ms/page, "
                     f"peak RSS {summary['peak_rss_mb']:.0f} MB")
    lines.append(f"  lnv/bare: {crawl['ratio_lnv_bare']:.2f}× by pages/s "
                 f"({crawl['cpu_ratio_lnv_bare']:.2f}× by CPU time per page)")
    lines.append(f"  warc (lnv with the archive on)/lnv: {crawl['ratio_warc_lnv']:.2f}× by pages/s "
                 f"({crawl['cpu_ratio_warc_lnv']:.2f}× by CPU time per page); archive "
                 f"{crawl['warc']['archive_bytes_per_page'] / 1000:.1f} KB per page")
    return lines


def _archive_lines(archive: dict | None) -> list[str]:
    if not archive:
        return []
    lines = [f"Reparse of a crawl's archive ({archive['archive_bytes'] / 1e6:.1f} MB, "
             f"{archive['articles']} articles), `lnv-crawler reparse` from spawn to exit"]
    lines += [f"  {run['jobs']} job{'s' if run['jobs'] > 1 else ' '}: {run['seconds']:.1f} s, "
              f"{run['pages_per_second']:.1f} pages/s, {run['cpu_ms_per_page']:.1f} CPU ms/page, "
              f"{run['records']} records, "
              f"exit {run['exit_code']}" for run in archive["runs"]]
    lines.append(f"  speed-up of {archive['runs'][-1]['jobs']} jobs over 1: "
                 f"{archive['speedup']:.2f}×")
    return lines


def _parse_lines(parse: dict) -> list[str]:
    lnv = parse["lnv_article_page_ms"]
    rounds = parse["parse_ratio_rounds"]
    lines = [f"Parsing: mean per page over {parse['pages']} corpus pages "
             f"({parse['lnv_records']} gave a record)",
             f"  lxml.html.fromstring    {parse['lxml_fromstring_ms']:7.2f} ms"
             + (f" ({parse['lxml_fromstring_kept_ms']:.2f} ms with a pass's trees kept, "
                "as earlier versions timed it)" if parse.get("lxml_fromstring_kept_ms") else ""),
             f"  ArticlePage.to_item()   {lnv:7.2f} ms "
             f"({parse['parse_ratio']:.2f}× lxml: the median of {len(rounds)} interleaved "
             f"rounds, {rounds[0]:.2f}-{rounds[-1]:.2f}×; modules {_page_objects(parse)})"]
    if parse.get("trafilatura_extract_ms"):
        traf = parse["trafilatura_extract_ms"]
        lines.append(f"  trafilatura.extract     {traf:7.2f} ms ({traf / lnv:.2f}× ArticlePage)")
    else:
        lines.append("  trafilatura.extract     not measured (trafilatura could not be installed)")
    return lines


def _date_lines(dates: dict) -> list[str]:
    lines = ["Dates: per call, best of 3 (parse_date vs dateparser.parse, languages=['vi'])"]
    for key, label in (("absolute", "absolute"), ("other", "the rest")):
        group = dates[key]
        lines.append(
            f"  {label:<9} {len(group['shapes']):>2} shapes: parse_date "
            f"{group['parse_date_us_mean']:.0f} µs, dateparser {group['dateparser_us_mean']:.0f}"
            f" µs: {group['speedup']:.1f}× (slowest: {group['slowest_shape']!r} "
            f"{group['min_speedup']:.1f}×)")
    missed = [s["text"] for g in dates.values() for s in g["shapes"]
              if s["parse_date"] is None and s["dateparser"] is not None]
    if missed:
        lines.append(f"  note: parse_date gave no date where dateparser did: {missed}")
    return lines


def _distributed_lines(dist: dict | None) -> list[str]:
    if not dist:
        return []
    one, two = dist["one"], dist["two"]
    return ["", "Distributed (scrapy-redis, same corpus)",
            f"  1 worker : {one['pages']} pages in {one['seconds']:.0f} s, "
            f"{one['pages_per_second']:.1f} pages/s, {one['records']} records",
            f"  2 workers: {two['pages']} pages in {two['seconds']:.0f} s, "
            f"{two['pages_per_second']:.1f} pages/s, {two['records']} records "
            f"({' + '.join(map(str, two['records_per_worker']))}), "
            f"{two['duplicates']} duplicates",
            f"  speed-up of 2 workers over 1: {dist['speedup']:.2f}× (2 cores)"]


def console(results: dict, found: list[Target]) -> str:
    corpus, crawl = results["corpus"], results["crawl"]
    machine = results["machine"]
    lines = [
        f"lnv_crawler benchmark: {machine['cpus']} cores (load average "
        f"{machine['load_average_at_start']:.1f} at start), Python {machine['python']}, "
        f"server {results['server']}, {results['elapsed_seconds'] / 60:.1f} min in all",
        f"corpus: {corpus['articles']} article pages ({corpus['article_bytes']['min'] // 1000}–"
        f"{corpus['article_bytes']['max'] // 1000} KB, mean "
        f"{corpus['article_bytes']['mean'] // 1000} KB) + {corpus['listing_pages']} listing/home "
        f"pages = {corpus['pages']} pages, seed {corpus['seed']}; lnv_crawler at {results['code']}",
        "",
        *_crawl_lines(crawl),
    ]
    scale = results.get("scale")
    if scale:
        run = scale["run"]
        lines.append(f"Scale: lnv on {scale['articles']} articles: {run['pages']} pages in "
                     f"{run['seconds']:.0f} s ({run['pages_per_second']:.1f} pages/s), "
                     f"peak RSS {run['peak_rss_mb']:.0f} MB = {scale['rss_ratio']:.2f}× the "
                     f"{corpus['articles']}-article crawl")
    lines += _distributed_lines(results.get("distributed"))
    lines += ["", *_archive_lines(results.get("archive"))] if results.get("archive") else []
    lines += ["", *_parse_lines(results["parse"]), "", *_date_lines(results["dates"])]
    lines += ["", *results["checks"]] if results["checks"] else []
    lines += ["", "Targets", *(t.line() for t in found)]
    return "\n".join(lines)


def _page_objects(parse: dict) -> str:
    """How the page objects ran (results of earlier versions do not say: from source)."""
    return parse.get("page_objects", "source")


# -- Markdown and JSON -----------------------------------------------------------------


def markdown(results: dict, found: list[Target]) -> str:
    corpus, crawl, parse = results["corpus"], results["crawl"], results["parse"]
    rows = [
        *((label, f"{crawl[engine]['pages_per_second']:.0f} pages/s "
                  f"({crawl[engine]['cpu_ms_per_page']:.0f} CPU ms/page), peak RSS "
                  f"{crawl[engine]['peak_rss_mb']:.0f} MB")
          for engine, label in (("lnv", "Crawl, `scrapy crawl lnv` (mirror mode)"),
                                ("bare", "Crawl, bare Scrapy spider (same links, no parsing)"),
                                ("warc", "Crawl, `scrapy crawl lnv` with the WARC archive on"))),
        ("`lxml.html.fromstring` per page", f"{parse['lxml_fromstring_ms']:.1f} ms"),
        ("`ArticlePage(...).to_item()` per page",
         f"{parse['lnv_article_page_ms']:.1f} ms (modules {_page_objects(parse)})"),
    ]
    if parse.get("trafilatura_extract_ms"):
        rows.append(("`trafilatura.extract` per page", f"{parse['trafilatura_extract_ms']:.1f} ms"))
    dist = results.get("distributed")
    if dist:
        rows.append(("Distributed: 2 workers / 1 worker (scrapy-redis)",
                     f"{dist['speedup']:.2f}× ({dist['one']['pages_per_second']:.0f} → "
                     f"{dist['two']['pages_per_second']:.0f} pages/s, "
                     f"{dist['two']['duplicates']} duplicates)"))
    archive = results.get("archive")
    if archive:
        rows.append(("WARC archive on disk", f"{crawl['warc']['archive_bytes_per_page'] / 1000:.1f}"
                                             " KB per page fetched"))
        rows.append(("`lnv-crawler reparse`, 1 job / 2 jobs", " / ".join(
            f"{run['pages_per_second']:.0f} pages/s ({run['cpu_ms_per_page']:.0f} CPU ms/page)"
            for run in archive["runs"])))
    table = ["| measurement | result |", "| --- | --- |", *(f"| {a} | {b} |" for a, b in rows)]
    table += ["", "| target | measured | goal | status |", "| --- | --- | --- | --- |"]
    for t in found:
        value = "not run" if t.value is None else f"{t.value:.2f}{t.unit}"
        table.append(f"| {t.name} | {value} | {t.wanted} | {t.status} |")
    header = (f"`make bench` on {results['machine']['cpus']} cores, {results['server']}, "
              f"{corpus['articles']} synthetic article pages of 60–100 KB "
              f"({corpus['pages']} pages with listings), 16 concurrent requests:")
    return "\n".join([header, "", *table])


def write_json(path: Path, results: dict, found: list[Target]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**results, "targets": [{**asdict(t), "status": t.status} for t in found]}
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", "utf-8")
