"""Whether the compiled modules run (setup.py compiles the page objects, the text rules,
dates and URLs with Cython, and notes each source's hash in compiled.json).

Python imports a module's compiled file before its source. A source changed since the
build (edited, or pulled without `make install`) would so run its old code: then the
modules of its folder run from their sources, and a warning says to rebuild.
LNV_PURE_PYTHON=1 runs every module from its source (for a debugger, a line profiler,
coverage). Imported first by the package, before any of those modules.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import warnings
from importlib.machinery import (
    BYTECODE_SUFFIXES,
    SOURCE_SUFFIXES,
    FileFinder,
    SourceFileLoader,
    SourcelessFileLoader,
)
from pathlib import Path

PACKAGE = Path(__file__).parent
MANIFEST = "compiled.json"  # in the package folder
# What setup.py compiles (paths in the package): what a page's parse runs.
COMPILED = ("text.py", "dates.py", "urls.py", "pages/agency.py", "pages/article.py",
            "pages/body.py", "pages/byline.py", "pages/dom.py", "pages/listing.py",
            "pages/sections.py")


def built(package: Path = PACKAGE) -> dict[str, str]:
    """{source path in the package: its source_hash when it was compiled}; {} when none
    was."""
    try:
        return json.loads((package / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def source_hash(path: Path) -> str | None:
    """What compiled.json holds for a source (setup.py writes it); None if unreadable."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def changed_since_build(package: Path, hashes: dict[str, str]) -> list[str]:
    """The sources of hashes that no longer hash so."""
    return [name for name, digest in hashes.items()
            if source_hash(package / name) != digest]


def run_from_source(folder: Path) -> None:
    """Imports of the modules in folder read their sources, not their compiled files: the
    import system asks this finder (cached by folder) before it makes one of its own."""
    sys.path_importer_cache[str(folder)] = FileFinder(
        str(folder), (SourceFileLoader, SOURCE_SUFFIXES),
        (SourcelessFileLoader, BYTECODE_SUFFIXES))


def choose(package: Path = PACKAGE, pure: bool | None = None) -> list[str]:
    """Makes the folders of changed (or, pure, of all) compiled modules run from source;
    returns those modules' sources (the other compiled modules of their folders run from
    source too)."""
    hashes = built(package)
    if pure is None:
        pure = os.environ.get("LNV_PURE_PYTHON", "") not in ("", "0")
    names = list(hashes) if pure else changed_since_build(package, hashes)
    for folder in sorted({(package / name).parent for name in names}):
        run_from_source(folder)
    if names and not pure:
        warnings.warn(f"lnv_crawler: {', '.join(names)} changed since compiled: the modules "
                      "of its folder run from source (slower) until `make install`",
                      stacklevel=2)
    return names


def main(package: Path = PACKAGE) -> int:
    """Exit status 1 when a compiled module's source changed since its build (make then
    compiles again), else 0."""
    hashes = built(package)
    if not hashes:  # setup.py found no Cython or no C compiler: nothing is wrong
        print("lnv_crawler: no module is compiled (is a C compiler installed?): the page "
              "objects run as Python, a little slower", file=sys.stderr)
    changed = changed_since_build(package, hashes)
    if changed:
        print(f"lnv_crawler: {', '.join(changed)} changed since compiled: compiling again",
              file=sys.stderr)
    return 1 if changed else 0
