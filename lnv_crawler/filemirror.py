"""`file://` URLs answered like a web server, for mirror runs over a folder of saved
pages (`-a base_url=file:///folder`).

Scrapy's own handler reads the file or raises: a listing saved as a folder
(`khuyen-cong/index.html`, the sample site's layout) raised IsADirectoryError, and a
linked page that was not saved raised FileNotFoundError. Both were download errors,
retried and counted against the failed-request share, so a crawl of saved pages failed.
Here a folder is its `index.html` (as `python -m lnv_crawler.samplesite.server` serves
it) and a missing file is a 404: a dead link of the mirror, as over HTTP.
"""

from __future__ import annotations

from pathlib import Path

from scrapy import Request
from scrapy.core.downloader.handlers.file import FileDownloadHandler
from scrapy.http import Response
from scrapy.responsetypes import responsetypes
from scrapy.utils.asyncio import run_in_thread
from w3lib.url import file_uri_to_path


class SavedPagesHandler(FileDownloadHandler):
    async def download_request(self, request: Request) -> Response:
        path = Path(file_uri_to_path(request.url))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return Response(url=request.url, status=404)
        body = await run_in_thread(path.read_bytes)
        respcls = responsetypes.from_args(filename=str(path), body=body)
        return respcls(url=request.url, body=body)
