"""Scrapy commands of the project: `crawl` (commands/crawl.py) and the debugging tools
`shell`, `fetch`, `parse` and `view`, which here use no state, write no summary or
output and fetch any URL they are given (a sample page, a saved file://, a mirror)."""

from __future__ import annotations

import argparse

from scrapy.commands import ScrapyCommand

from ..runs import configure_tool


def tool_command(base: type[ScrapyCommand], module: str) -> type[ScrapyCommand]:
    """Scrapy's command `base` in tool mode (Scrapy finds a command by its module)."""

    def process_options(self: ScrapyCommand, args: list[str], opts: argparse.Namespace) -> None:
        base.process_options(self, args, opts)
        assert self.settings is not None
        configure_tool(self.settings)

    return type("Command", (base,), {"__module__": module, "process_options": process_options})
