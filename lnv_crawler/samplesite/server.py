"""A small static server for the sample site, on 127.0.0.1 only.

URL path P is served from site/P (site/P/index.html for a folder, site/index.html
for /); query strings are ignored. Pages are text/html; charset=utf-8.
Run: python -m lnv_crawler.samplesite.server [--port N] (0 picks a free port).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import SITE_DIR, page_path

_NOT_FOUND = "<html><body><h1>Không tìm thấy trang</h1></body></html>".encode()
_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".txt": "text/plain"}


class SampleSiteHandler(BaseHTTPRequestHandler):
    server_version = "lnv-samplesite/1"

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        self.server.started_paths.append(self.path)
        if self.server.delay:
            time.sleep(self.server.delay)  # a slow site, for tests that stop a crawl midway
        file = page_path(path, self.server.root)
        if ".." in Path(path).parts or not file.is_file():
            self._send(404, _NOT_FOUND, "text/html; charset=utf-8")
            return
        kind = _TYPES.get(file.suffix.lower(), "text/html; charset=utf-8")
        self._send(200, file.read_bytes(), kind)

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # The client may have gone away (a crawl stopped or killed by a test).
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        self.server.requested_paths.append(self.path)


class SampleSiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int = 0, root: Path = SITE_DIR, delay: float = 0.0):
        super().__init__(("127.0.0.1", port), SampleSiteHandler)
        self.root = root
        self.delay = delay
        self.requested_paths: list[str] = []  # answered
        self.started_paths: list[str] = []  # being answered or answered

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@contextmanager
def serving(port: int = 0, root: Path = SITE_DIR,
            delay: float = 0.0) -> Iterator[SampleSiteServer]:
    """Serve the sample site in a background thread for the duration of a block."""
    server = SampleSiteServer(port, root, delay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    try:
        server = SampleSiteServer(args.port)
    except OSError as error:  # most often: the port is taken
        print(f"lnv: cannot serve on 127.0.0.1:{args.port}: {error.strerror or error}",
              file=sys.stderr)
        return 2
    print(f"serving the sample site at {server.base_url}", flush=True)
    with suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
