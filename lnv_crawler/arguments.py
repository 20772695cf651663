"""Checks of a crawl's `-a` arguments and `LNV_*` settings, before anything runs:
a typo must not turn into a full site crawl, nor a bad value into a traceback per
page. Each problem is one line naming the argument or setting (exit status 2)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.settings import BaseSettings

from . import settings as project_settings
from . import urls

FLAG_VALUES = {"1": True, "true": True, "yes": True, "on": True,
               "0": False, "false": False, "no": False, "off": False}


class InvalidArgument(ValueError):
    """An argument or setting the crawl cannot use."""


def flag(value: Any) -> bool:
    """The value of a boolean argument."""
    try:
        return FLAG_VALUES[str(value).strip().lower()]
    except KeyError:
        raise InvalidArgument(f"{value!r} is not a boolean (use 1 or 0)") from None


def spider_parameters(spidercls: type) -> dict[str, inspect.Parameter]:
    """The named parameters of the spider's __init__: the arguments it knows."""
    parameters = inspect.signature(spidercls.__init__).parameters
    named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return {name: p for name, p in parameters.items() if name != "self" and p.kind in named}


def check_spider_arguments(spidercls: type, spargs: dict[str, str]) -> None:
    known = spider_parameters(spidercls)
    for name, value in spargs.items():
        if name not in known:
            raise InvalidArgument(f"unknown argument -a {name} (the spider takes: "
                                  f"{', '.join(sorted(known))})")
        # A parameter whose default is "0" or "1" is an on/off switch.
        if known[name].default in ("0", "1") and str(value).strip().lower() not in FLAG_VALUES:
            raise InvalidArgument(f"-a {name}={value}: not a boolean (use 1 or 0)")
    base_url = spargs.get("base_url")
    if base_url is not None:
        check_base_url(base_url)
    for raw in (spargs.get("start_urls") or "").split(","):
        if raw.strip() and urls.canonicalize(urls.from_fetch_url(raw.strip(), base_url)) is None:
            where = f"the site or {base_url}" if base_url else urls.SITE_ORIGIN
            raise InvalidArgument(f"-a start_urls: {raw.strip()} is not a page of {where}")


def check_base_url(base_url: str) -> None:
    parts = urlsplit(base_url)
    if parts.scheme == "file":
        if not Path(parts.path).is_dir():
            raise InvalidArgument(f"-a base_url={base_url}: no such folder")
    elif parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidArgument(f"-a base_url={base_url}: not an http(s):// or file:// URL")
    if parts.query or parts.fragment:
        raise InvalidArgument(f"-a base_url={base_url}: a mirror's address has no query")


def check_settings(settings: BaseSettings) -> None:
    """LNV_* settings whose project default is a number, or a table of numbers, must
    be one."""
    for name, default in vars(project_settings).items():
        if not name.startswith("LNV_") or isinstance(default, bool):
            continue
        value = settings.get(name)
        try:
            if isinstance(default, int):
                settings.getint(name)
            elif isinstance(default, float):
                settings.getfloat(name)
            elif isinstance(default, dict):
                for number in settings.getdict(name).values():
                    float(number)
        except (TypeError, ValueError):
            kind = "an integer" if isinstance(default, int) else "a number"
            raise InvalidArgument(f"-s {name}={value}: not {kind}") from None
