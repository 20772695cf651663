"""Where a run writes, decided from its arguments and settings before it starts.

Runs are kept apart, so that no run can poison another's output or state:
- a live crawl writes `output/lnv-<run id>.jsonl` and keeps its state in `output/.state`;
- a mirror-mode crawl (`-a base_url=...`: the sample site, a staging copy, saved
  pages) writes under `output/mirror/` with its own state, `output/mirror/.state`
  (the demo: `output/demo/`), because mirror pages carry real article URLs;
- a one-off run with `-o`/`-O` to a file outside that output folder neither reads nor
  writes the incremental state, unless `-s LNV_STATE_DIR=...` is given.
A mirror run's archive goes beside its output too (`output/mirror/warc`).
Debugging tools (`scrapy shell`, `fetch`, `parse`, `view`) use no state and write nothing.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings
from w3lib.url import file_uri_to_path

from . import __version__

_PROJECT = SETTINGS_PRIORITIES["project"]


def given(settings: BaseSettings, name: str) -> bool:
    """Set on the command line (or by a spider), not just the project default."""
    return (settings.getpriority(name) or 0) > _PROJECT


def user_agent(settings: BaseSettings) -> str:
    return settings.get("LNV_USER_AGENT").format(version=__version__,
                                                 contact=settings.get("LNV_CONTACT"))


def default_feed(settings: BaseSettings, mirror: bool) -> str:
    if mirror and not given(settings, "LNV_DEFAULT_FEED"):
        return settings.get("LNV_MIRROR_FEED")
    return settings.get("LNV_DEFAULT_FEED")


def local_path(uri: str) -> Path | None:
    """The file a feed URI names, placeholders of its file name filled in roughly (only
    its folder matters before the run); None for feeds that are not local files, or
    whose folder is only known once the run has started."""
    folder, _, _ = uri.rpartition("/")
    if "%(" in folder:
        return None
    filled = uri % defaultdict(lambda: "x")
    scheme = urlsplit(filled).scheme
    if scheme == "file":
        return Path(file_uri_to_path(filled))
    if scheme == "" or len(scheme) == 1:  # a plain path (or a Windows drive letter)
        return Path(filled)
    return None


def feed_paths(settings: BaseSettings) -> list[Path]:
    return [path for uri in settings.getdict("FEEDS") if (path := local_path(str(uri)))]


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def state_dir(settings: BaseSettings, mirror: bool, user_feeds: list[Path]) -> str:
    """The run's state folder, "" for none."""
    if given(settings, "LNV_STATE_DIR"):
        return settings.get("LNV_STATE_DIR")
    output = Path(default_feed(settings, mirror)).parent
    if any(not _inside(path, output) for path in user_feeds):
        return ""  # a one-off run elsewhere: no state read, none recorded
    return settings.get("LNV_MIRROR_STATE_DIR") if mirror else settings.get("LNV_STATE_DIR")


def warc_dir(settings: BaseSettings, mirror: bool) -> str:
    """The run's archive folder: a mirror run's beside its output (`output/mirror/warc`),
    so that its pages never mix with the live site's archive."""
    if mirror and not given(settings, "LNV_WARC_DIR") and settings.get("LNV_WARC_DIR"):
        return str(Path(default_feed(settings, mirror)).parent / "warc")
    return settings.get("LNV_WARC_DIR")


def configure_crawl(settings: BaseSettings, spargs: dict[str, str]) -> None:
    """Settings of one `scrapy crawl lnv` run: its feed, state folder, archive folder,
    User-Agent, and the arguments for its summary."""
    mirror = bool(spargs.get("base_url"))
    user_feeds = feed_paths(settings)
    if not settings.getdict("FEEDS"):
        settings.set("FEEDS", {default_feed(settings, mirror): {
            "format": "jsonlines", "encoding": "utf-8"}}, priority="cmdline")
    settings.set("LNV_STATE_DIR", state_dir(settings, mirror, user_feeds), priority="cmdline")
    settings.set("LNV_WARC_DIR", warc_dir(settings, mirror), priority="cmdline")
    settings.set("LNV_RUN", {"arguments": dict(spargs), "mode": "mirror" if mirror else "live",
                             "crawler_version": __version__}, priority="cmdline")
    set_user_agent(settings)


def set_user_agent(settings: BaseSettings) -> None:
    if not given(settings, "USER_AGENT"):
        settings.set("USER_AGENT", user_agent(settings), priority="cmdline")


def configure_tool(settings: BaseSettings) -> None:
    """Settings of a debugging tool run: no state, no summary, no monitors, any URL."""
    values: dict[str, Any] = {"LNV_TOOL": True, "LNV_STATE_DIR": "", "LNV_WARC_DIR": "",
                              "SPIDERMON_ENABLED": False}
    settings.setdict(values, priority="cmdline")
    set_user_agent(settings)
