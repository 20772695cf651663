"""lnv_crawler: a Scrapy crawler of langngheviet.com.vn."""

from importlib.metadata import PackageNotFoundError, version

from . import compiled

compiled.choose()  # before any compiled module is imported

try:
    __version__ = version("lnv_crawler")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "unknown"
