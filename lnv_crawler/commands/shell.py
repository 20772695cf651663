"""`scrapy shell` in tool mode (see commands/__init__.py)."""

from scrapy.commands.shell import Command as ScrapyShell

from . import tool_command

Command = tool_command(ScrapyShell, __name__)
