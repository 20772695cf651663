"""A loopback HTTP server that misbehaves on purpose, for fault-injection crawls.

Each URL path is routed to a *fault*: a function that answers one request through
the handler, well (`page`) or badly (a 503 before the page, headers then silence,
a reset mid-body, a body shorter than its Content-Length, a gzip bomb, a 30 MB
page...). Paths without a route go to the server's fallback, a 404 by default.
The server records the path and arrival time of every request it receives.

It speaks HTTP/1.0: one request per connection, so a fault that stops writing
ends the response with the connection (orderly close, or RST where asked).
"""

from __future__ import annotations

import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HANG_LIMIT = 60.0  # seconds a hanging answer waits at most (the fixture ends it sooner)
_CHUNK = 1 << 20
_NOT_FOUND = "<html><body><h1>Không tìm thấy trang</h1></body></html>".encode()

Fault = Callable[["FaultHandler"], None]


@dataclass(frozen=True)
class Hit:
    path: str  # the request target as received, query included
    at: float  # time.monotonic() on arrival


class FaultHandler(BaseHTTPRequestHandler):
    server: FaultServer
    server_version = "lnv-faultserver/1"

    def do_GET(self) -> None:
        self.server.hits.append(Hit(self.path, time.monotonic()))
        fault = self.server.routes.get(urlsplit(self.path).path, self.server.fallback)
        with suppress(OSError):  # the client may hang up first: that is its right
            fault(self)

    def head(self, status: int, headers: Iterable[tuple[str, str]]) -> None:
        """Status line and headers, flushed; the body is up to the fault."""
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the hits list is the log."""


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    # Scrapy opens connections in bursts; socketserver's backlog of 5 drops SYNs,
    # each costing a 1 s retransmit to the crawl.
    request_queue_size = 128

    def __init__(self, routes: dict[str, Fault] | None = None, fallback: Fault | None = None):
        super().__init__(("127.0.0.1", 0), FaultHandler)
        self.routes: dict[str, Fault] = routes or {}
        self.fallback: Fault = fallback or not_found
        self.hits: list[Hit] = []
        self.release = threading.Event()  # set at shutdown: hanging answers end

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def paths(self) -> list[str]:
        return [hit.path for hit in self.hits]

    def times(self, path: str) -> list[float]:
        """Arrival times of the requests for one path, in order."""
        return [hit.at for hit in self.hits if hit.path == path]


@contextmanager
def serving(routes: dict[str, Fault] | None = None,
            fallback: Fault | None = None) -> Iterator[FaultServer]:
    """Run a FaultServer on a free loopback port for the duration of a block."""
    server = FaultServer(routes, fallback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- faults -------------------------------------------------------------------------


def page(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200,
         headers: Iterable[tuple[str, str]] = ()) -> Fault:
    """A well-formed answer."""
    def answer(handler: FaultHandler) -> None:
        handler.head(status, [("Content-Type", content_type),
                              ("Content-Length", str(len(body))), *headers])
        handler.wfile.write(body)
    return answer


def not_found(handler: FaultHandler) -> None:
    page(_NOT_FOUND, status=404)(handler)


def first_then(first: Fault, then: Fault, times: int = 1) -> Fault:
    """`first` for the first `times` requests of the path, `then` afterwards."""
    def answer(handler: FaultHandler) -> None:
        seen = len(handler.server.times(handler.path))
        (first if seen <= times else then)(handler)
    return answer


def redirect(location: str, status: int = 302) -> Fault:
    return page(b"", status=status, headers=[("Location", location)])


def hang_after_headers(handler: FaultHandler) -> None:
    """Headers promising a body, then nothing until the client gives up."""
    handler.head(200, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "5000")])
    handler.server.release.wait(HANG_LIMIT)


def silence(handler: FaultHandler) -> None:
    """The request is read and never answered."""
    handler.server.release.wait(HANG_LIMIT)


def reset_mid_body(body: bytes) -> Fault:
    """Half the body, then a TCP reset (SO_LINGER 0 makes close() send RST, not FIN)."""
    def answer(handler: FaultHandler) -> None:
        handler.head(200, [("Content-Type", "text/html; charset=utf-8"),
                           ("Content-Length", str(len(body)))])
        handler.wfile.write(body[: len(body) // 2])
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
    return answer


def short_body(body: bytes) -> Fault:
    """Half the body promised by Content-Length, then an orderly close."""
    def answer(handler: FaultHandler) -> None:
        handler.head(200, [("Content-Type", "text/html; charset=utf-8"),
                           ("Content-Length", str(len(body)))])
        handler.wfile.write(body[: len(body) // 2])
    return answer


def huge_page(size: int, declare_length: bool) -> Fault:
    """`size` bytes of HTML paragraphs, with a Content-Length or delimited by the close."""
    paragraph = "<p>Làng nghề truyền thống giữ lửa qua bao thế hệ.</p>\n".encode()
    block = paragraph * (_CHUNK // len(paragraph))

    def answer(handler: FaultHandler) -> None:
        length = [("Content-Length", str(size))] if declare_length else []
        handler.head(200, [("Content-Type", "text/html; charset=utf-8"), *length])
        sent = 0
        while sent < size:
            piece = block[: size - sent]
            handler.wfile.write(piece)
            sent += len(piece)
    return answer


@cache
def gzip_bomb_body(inflated_mib: int) -> bytes:
    """A valid gzip stream of `inflated_mib` MiB of zeros, about 1 KB per MiB.

    After a full flush the deflate state is reset, so every further MiB of zeros
    compresses to the same bytes: the stream is built by repetition in a blink
    instead of compressing gigabytes.
    """
    zeros = bytes(_CHUNK)
    gz = zlib.compressobj(9, zlib.DEFLATED, 31)
    head = gz.compress(zeros) + gz.flush(zlib.Z_FULL_FLUSH)
    repeat = gz.compress(zeros) + gz.flush(zlib.Z_FULL_FLUSH)
    final_block = gz.flush()[:-8]  # the last empty block, without this stream's trailer
    crc = 0
    for _ in range(inflated_mib):
        crc = zlib.crc32(zeros, crc)
    trailer = struct.pack("<II", crc, (inflated_mib * _CHUNK) & 0xFFFFFFFF)
    return head + repeat * (inflated_mib - 1) + final_block + trailer


def gzip_bomb(inflated_mib: int) -> Fault:
    return page(gzip_bomb_body(inflated_mib), headers=[("Content-Encoding", "gzip")])
