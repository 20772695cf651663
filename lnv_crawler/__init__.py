"""lnv_crawler: a Scrapy crawler of langngheviet.com.vn."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lnv_crawler")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "unknown"
