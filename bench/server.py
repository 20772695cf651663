"""One static server for every crawl of the benchmark, on 127.0.0.1 only.

nginx (Debian's nginx-light, installed with apt-get when missing and possible)
serves each corpus on its own port, at the site's own URL paths:
/slug-<id>.html is a file, /<category> and /<category>/p2 are folders with an
index.html. Without nginx a threaded http.server does the same, in-process.
Either one counts the pages it answered with 200, per corpus. Both send ETag and
Last-Modified and answer conditional requests with 304 (the incremental-run tests
count the http.server's answers per path).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

_START_TIMEOUT = 10.0
_STOP_TIMEOUT = 10.0


class StaticServer(Protocol):
    kind: str

    def base_url(self, corpus: str) -> str: ...

    def pages_served(self, corpus: str) -> int: ...


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_listening(port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


# -- nginx ---------------------------------------------------------------------------


def find_nginx(install: bool = True) -> str | None:
    """The nginx binary; installs nginx-light (or nginx) with apt-get when allowed."""
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None)
    if found or not install or not shutil.which("apt-get"):
        return found
    print("bench: installing nginx from Debian's packages (apt-get)...", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "timeout": 600}
    subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
    for package in ("nginx-light", "nginx"):
        done = subprocess.run(["apt-get", "install", "-y", "-qq", package], check=False, **quiet)
        if done.returncode == 0:
            break
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").is_file()
                                      else None)


def _nginx_conf(work: Path, roots: dict[str, tuple[int, Path]]) -> str:
    servers = "".join(
        f"  server {{ listen 127.0.0.1:{port}; root {root}; "
        "location / { try_files $uri $uri/index.html =404; } }\n"
        for port, root in roots.values())
    temps = "".join(f"  {kind}_temp_path {work}/{kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (
        f"worker_processes 1;\npid {work}/nginx.pid;\nerror_log {work}/error.log warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n  default_type text/html;\n  charset utf-8;\n"
        "  log_format bench '$server_port $status';\n"
        f"  access_log {work}/access.log bench;\n"
        "  sendfile on;\n  tcp_nopush on;\n  keepalive_requests 100000;\n"
        "  open_file_cache max=20000 inactive=120s;\n"
        f"{temps}{servers}}}\n"
    )


class NginxServer:
    kind = "nginx"

    def __init__(self, binary: str, roots: dict[str, Path], work: Path):
        self.ports = {name: _free_port() for name in roots}
        self.work = work
        version = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False,
                                 timeout=_START_TIMEOUT).stderr.strip()
        self.kind = f"nginx {version.rsplit('/', 1)[-1]}"
        conf = work / "nginx.conf"
        conf.write_text(_nginx_conf(work, {n: (self.ports[n], r.resolve())
                                           for n, r in roots.items()}))
        self.process = subprocess.Popen(
            [binary, "-p", str(work), "-e", str(work / "error.log"), "-c", str(conf),
             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def base_url(self, corpus: str) -> str:
        return f"http://127.0.0.1:{self.ports[corpus]}"

    def pages_served(self, corpus: str) -> int:
        log = self.work / "access.log"
        wanted = f"{self.ports[corpus]} 200"
        if not log.is_file():
            return 0
        with log.open() as lines:
            return sum(1 for line in lines if line.rstrip("\n") == wanted)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(_STOP_TIMEOUT)


# -- threaded http.server --------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _CorpusHTTPServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        file = self.server.root / path.lstrip("/")
        if file.is_dir():
            file = file / "index.html"
        if ".." in Path(path).parts or not file.is_file():
            self._send(path, 404, b"<html><body>404</body></html>")
            return
        stat = file.stat()
        validators = [("ETag", f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'),
                      ("Last-Modified", formatdate(stat.st_mtime, usegmt=True))]
        if self._not_modified(validators[0][1], int(stat.st_mtime)):
            self._send(path, 304, b"", validators)
            return
        self._send(path, 200, file.read_bytes(), validators)

    def _not_modified(self, etag: str, mtime: int) -> bool:
        """RFC 9110 §13.1: If-None-Match decides when given, else If-Modified-Since."""
        tags = self.headers.get("If-None-Match")
        if tags is not None:
            return tags.strip() == "*" or etag in (t.strip() for t in tags.split(","))
        since = self.headers.get("If-Modified-Since")
        try:
            return bool(since) and mtime <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False

    def _send(self, path: str, status: int, body: bytes,
              headers: list[tuple[str, str]] | None = None) -> None:
        self.send_response(status)
        for name, value in headers or []:
            self.send_header(name, value)
        if status != 304:  # a 304 has no body, and no length of one
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        with self.server.lock:
            self.server.statuses[status] += 1
            self.server.answers[(path, status)] += 1

    def log_message(self, format: str, *args: object) -> None:
        """Requests are counted, not logged."""


class _CorpusHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.answers: Counter[tuple[str, int]] = Counter()  # (path, status) -> count


class PythonServer:
    kind = "python http.server (threaded)"

    def __init__(self, roots: dict[str, Path]):
        self.servers = {name: _CorpusHTTPServer(root.resolve()) for name, root in roots.items()}
        for server in self.servers.values():
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def base_url(self, corpus: str) -> str:
        return f"http://127.0.0.1:{self.servers[corpus].server_address[1]}"

    def pages_served(self, corpus: str) -> int:
        server = self.servers[corpus]
        with server.lock:
            return server.statuses[200]

    def answers(self, corpus: str) -> Counter[tuple[str, int]]:
        """(path, status) -> answers since the last call, which starts a new count."""
        server = self.servers[corpus]
        with server.lock:
            answers, server.answers = server.answers, Counter()
        return answers

    def stop(self) -> None:
        for server in self.servers.values():
            server.shutdown()
            server.server_close()


@contextmanager
def serving(roots: dict[str, Path], prefer_nginx: bool = True) -> Iterator[StaticServer]:
    """Serve each corpus (name -> folder) for the duration of a block."""
    binary = find_nginx() if prefer_nginx else None
    with tempfile.TemporaryDirectory(prefix="lnv-bench-nginx-") as work:
        server: NginxServer | PythonServer | None = None
        if binary:
            server = NginxServer(binary, roots, Path(work))
            deadline = time.monotonic() + _START_TIMEOUT
            if not all(_wait_listening(p, deadline) for p in server.ports.values()):
                print("bench: nginx did not start, falling back to http.server", flush=True)
                server.stop()
                server = None
        if server is None:
            server = PythonServer(roots)
        try:
            yield server
        finally:
            server.stop()
