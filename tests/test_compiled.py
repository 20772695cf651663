"""The compiled modules (setup.py, lnv_crawler/compiled.py): a source changed since its
build runs from source, LNV_PURE_PYTHON=1 runs every module from source, and the records
are the same either way."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import lnv_crawler.pages.article
from lnv_crawler import compiled

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package `fakepkg` whose module `mod` has a source and a "compiled" file that is
    no extension at all: importing the compiled file fails, so an import tells which of
    the two the import system took."""
    folder = tmp_path / "fakepkg"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "mod.py").write_text("ORIGIN = 'source'\n")
    (folder / f"mod{EXTENSION_SUFFIXES[0]}").write_bytes(b"not a shared object")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield folder
    for name in ("fakepkg", "fakepkg.mod"):
        sys.modules.pop(name, None)
    sys.path_importer_cache.pop(str(folder), None)


def _write_manifest(folder: Path, source_hash: str | None) -> None:
    (folder / compiled.MANIFEST).write_text(json.dumps({"mod.py": source_hash}))


def _source_hash(folder: Path) -> str | None:
    return compiled.source_hash(folder / "mod.py")


def test_a_source_changed_since_its_build_runs_from_source(package):
    _write_manifest(package, "0" * 64)  # the hash of the source it was built from
    with pytest.warns(UserWarning, match="mod.py changed since compiled"):
        assert compiled.choose(package, pure=False) == ["mod.py"]
    assert importlib.import_module("fakepkg.mod").ORIGIN == "source"


def test_an_unchanged_source_runs_compiled(package):
    _write_manifest(package, _source_hash(package))
    assert compiled.choose(package, pure=False) == []
    importlib.import_module("fakepkg")
    with pytest.raises(ImportError):  # the import system took the compiled file
        importlib.import_module("fakepkg.mod")


def test_pure_python_runs_every_compiled_module_from_source(package):
    _write_manifest(package, _source_hash(package))
    assert compiled.choose(package, pure=True) == ["mod.py"]
    assert importlib.import_module("fakepkg.mod").ORIGIN == "source"


def test_no_manifest_changes_nothing(package):
    assert compiled.choose(package, pure=False) == []


def test_make_compiles_again_after_a_source_changed(package, capsys):
    """make's `compiled` step: exit status 1 (then make compiles) only for a change."""
    _write_manifest(package, "0" * 64)
    assert compiled.main(package) == 1
    assert "mod.py changed since compiled: compiling again" in capsys.readouterr().err
    _write_manifest(package, _source_hash(package))
    assert compiled.main(package) == 0
    assert capsys.readouterr().err == ""


def test_make_says_when_nothing_is_compiled(package, capsys):
    assert compiled.main(package) == 0  # no manifest: nothing to compile again
    assert "no module is compiled" in capsys.readouterr().err


def _page_objects_file(environment: dict[str, str]) -> str:
    code = "import lnv_crawler.pages.article as m; print(m.__file__)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout.strip()


@pytest.mark.skipif(os.environ.get("CI") != "true",
                    reason="a machine without a C compiler runs the modules from source")
def test_ci_runs_the_page_objects_compiled():
    assert Path(lnv_crawler.pages.article.__file__).suffix != ".py"
    assert sorted(compiled.built()) == sorted(compiled.COMPILED)


def test_pure_python_gives_the_same_records():
    """The page-object tests against the expected JSON, again with every module from
    source (the rest of the suite runs them as installed: compiled where built)."""
    environment = {**os.environ, "LNV_PURE_PYTHON": "1"}
    assert _page_objects_file(environment).endswith(".py")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_pages.py", "tests/test_variants.py", "tests/test_unseen.py"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]


def test_a_build_without_a_c_compiler_leaves_the_modules_to_run_from_source(tmp_path):
    """setup.py where the C compiler fails: the build still succeeds, an old compiled file
    is removed (it would run beside a newer source), compiled.json lists nothing, and the
    modules run from source."""
    pytest.importorskip("Cython")
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "lnv_crawler", tmp_path / "lnv_crawler",
                    ignore=shutil.ignore_patterns("*.so", "__pycache__", compiled.MANIFEST))
    old_build = tmp_path / "lnv_crawler" / f"text{EXTENSION_SUFFIXES[0]}"
    old_build.write_bytes(b"an old build")
    failing = {**os.environ, "CC": "false", "LDSHARED": "false"}
    done = subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"],
                          cwd=tmp_path, env=failing, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not list((tmp_path / "lnv_crawler").rglob(f"*{EXTENSION_SUFFIXES[0]}"))
    assert compiled.built(tmp_path / "lnv_crawler") == {}
    code = "import lnv_crawler.text as m; print(m.__file__)"
    ran = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                         text=True, timeout=120, check=True)
    assert ran.stdout.strip() == str(tmp_path / "lnv_crawler" / "text.py")
