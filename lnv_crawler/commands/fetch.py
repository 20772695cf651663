"""`scrapy fetch` in tool mode (see commands/__init__.py)."""

from scrapy.commands.fetch import Command as ScrapyFetch

from . import tool_command

Command = tool_command(ScrapyFetch, __name__)
