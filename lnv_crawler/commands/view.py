"""`scrapy view` in tool mode (see commands/__init__.py)."""

from scrapy.commands.view import Command as ScrapyView

from . import tool_command

Command = tool_command(ScrapyView, __name__)
