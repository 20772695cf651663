"""Instructions a page costs (valgrind's callgrind): ArticlePage(...).to_item() against
lxml.html.fromstring on the bench corpus pages, counted rather than timed, so the
ratio does not move with the machine's load (timings on a shared machine vary by a
third from one pass to the next). Instructions are not time: cache misses are not in
them; `make bench` remains the measure, this is the steady figure beside it.

    python -m bench.instructions [--pages 50]      (after one `make bench` made the corpus)

Three processes run under callgrind: one that loads the pages and warms up, one that
also parses them with lxml, one that also makes their records; the differences, per
page, give each contestant's count. valgrind is Debian's package (apt-get install
valgrind); PYTHONHASHSEED is fixed so that two runs count alike.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys

from . import CORPUS_DIR, PROJECT_DIR
from .markup import SITE

_COLLECTED = re.compile(r"Collected : (\d+)")
_MODES = ("load", "lxml", "lnv")


def _pages(count: int) -> list[tuple[str, str]]:
    from . import corpus
    from .run import MAIN, _sample

    files = _sample(corpus.article_files(CORPUS_DIR / MAIN), count)
    return [(f.read_text("utf-8"), f"{SITE}/{f.name}") for f in files]


def _work(mode: str, count: int) -> None:
    """What one counted process does (after the same loading and warm-up in each)."""
    import lxml.html

    from lnv_crawler.pages.article import ArticlePage

    pages = _pages(count)
    lxml.html.fromstring(pages[0][0])
    ArticlePage(*pages[0]).to_item()
    for html, url in pages if mode != "load" else ():
        if mode == "lxml":
            lxml.html.fromstring(html)
        else:
            ArticlePage(html, url).to_item()


def _count(mode: str, count: int) -> int:
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
               sys.executable, "-m", "bench.instructions", "--worker", mode,
               "--pages", str(count)]
    done = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "0"}, timeout=1800, check=True)
    found = _COLLECTED.search(done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-800:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.instructions", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=50, help="corpus pages, spread evenly")
    parser.add_argument("--worker", choices=_MODES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _work(args.worker, args.pages)
        return 0
    if shutil.which("valgrind") is None:
        print("bench.instructions: valgrind is not installed (apt-get install valgrind)",
              file=sys.stderr)
        return 2
    if not (CORPUS_DIR / "main" / "manifest.json").is_file():
        print("bench.instructions: no corpus yet; `make bench` generates it", file=sys.stderr)
        return 2
    load, lxml_total, lnv_total = (_count(mode, args.pages) for mode in _MODES)
    lxml_each = (lxml_total - load) / args.pages
    lnv_each = (lnv_total - load) / args.pages
    print(f"instructions per page over {args.pages} pages: "
          f"lxml.html.fromstring {lxml_each / 1e6:.2f} M, "
          f"ArticlePage.to_item() {lnv_each / 1e6:.2f} M: {lnv_each / lxml_each:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
