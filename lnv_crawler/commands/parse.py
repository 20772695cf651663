"""`scrapy parse` in tool mode (see commands/__init__.py)."""

from scrapy.commands.parse import Command as ScrapyParse

from . import tool_command

Command = tool_command(ScrapyParse, __name__)
