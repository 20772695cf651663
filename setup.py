"""The hot modules (page objects, text rules, dates, URLs) compiled with Cython from their
unchanged Python source, where Cython and a C compiler are at hand: `pip install` (and
so `make install`) does it, with Cython from pyproject.toml's build requirements. A page's
parse then costs about 8 % less CPU time (README, Performance). Without a compiler the
same modules run as Python, and the records are the same either way.

Each built module's source hash goes into lnv_crawler/compiled.json, which
lnv_crawler/compiled.py reads at import: a module edited since its build runs from source.
Everything else (project metadata, packages) is in pyproject.toml.
"""

from __future__ import annotations

import json
import os
import runpy
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

# Read from its file: an import of the package would already choose what runs.
_GUARD = runpy.run_path("lnv_crawler/compiled.py")
COMPILED, MANIFEST, source_hash = _GUARD["COMPILED"], _GUARD["MANIFEST"], _GUARD["source_hash"]


def _extensions() -> list:
    try:
        from Cython.Build import cythonize
    except ImportError:  # a build without its build requirements (--no-build-isolation)
        return []
    extensions = cythonize(
        [f"lnv_crawler/{name}" for name in COMPILED], build_dir="build/cython", quiet=True,
        nthreads=os.cpu_count() or 1,
        # Python's semantics exactly: annotations are not checked as C types (lxml's text
        # results are str subclasses), functions stay introspectable and picklable.
        compiler_directives={"language_level": 3, "binding": True, "annotation_typing": False})
    for extension in extensions:
        extension.optional = True  # no compiler: that module runs as Python
    return extensions


class BuildExt(build_ext):
    """build_ext that compiles on every core and writes compiled.json: the source hash of
    each module it built."""

    def finalize_options(self) -> None:
        super().finalize_options()
        if not self.parallel:
            self.parallel = os.cpu_count() or 1

    def run(self) -> None:
        # An old build of a module whose compilation now fails must not stay beside it.
        for extension in self.extensions:
            Path(self.get_ext_fullpath(extension.name)).unlink(missing_ok=True)
        super().run()
        package = Path(self.get_ext_fullpath("lnv_crawler.text")).parent  # where it builds
        built = {}
        for extension in self.extensions:
            if Path(self.get_ext_fullpath(extension.name)).exists():
                name = extension.name.removeprefix("lnv_crawler.").replace(".", "/") + ".py"
                built[name] = source_hash(Path("lnv_crawler", name))
        package.mkdir(parents=True, exist_ok=True)
        (package / MANIFEST).write_text(json.dumps(built, indent=1, sort_keys=True) + "\n")


setup(ext_modules=_extensions(), cmdclass={"build_ext": BuildExt})
