"""A web server on 127.0.0.1 for the fetching tests: routes answer as real servers misbehave, and
every request is logged, so a test can say what was (never) asked for."""
from __future__ import annotations

import gzip
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

Handler = Callable[["Request"], None]


@dataclass
class Request:
    """What a route gets: the handler to answer through, and the server's state."""

    handler: BaseHTTPRequestHandler
    server: Server
    path: str
    count: int  # how many times this path was asked for, this one included

    def send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        h = self.handler
        h.send_response(status)
        headers = dict(headers or {})
        headers.setdefault("Content-Length", str(len(body)))
        for name, value in headers.items():
            h.send_header(name, value)
        h.end_headers()
        h.wfile.write(body)

    def reset(self) -> None:
        """Close the connection with a TCP reset, as a crashing server or a middlebox does."""
        sock = self.handler.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
        self.handler.close_connection = True

    def wait(self, seconds: float) -> None:
        """Sleep, but stop as soon as the server shuts down."""
        self.server.closing.wait(seconds)


@dataclass
class Server:
    routes: dict[str, Handler] = field(default_factory=dict)
    log: list[tuple[float, str, dict[str, str]]] = field(default_factory=list)
    closing: threading.Event = field(default_factory=threading.Event)
    base: str = ""
    active: int = 0
    peak: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.log]

    def times(self, path: str) -> list[float]:
        return [when for when, p, _ in self.log if p == path]

    def url(self, path: str) -> str:
        return self.base + path


def page(body: bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> Handler:
    return lambda r: r.send(status, body, {"Content-Type": content_type})


def gzipped(body: bytes, content_type: str = "text/html; charset=utf-8") -> Handler:
    packed = gzip.compress(body, mtime=0)
    return lambda r: r.send(200, packed, {"Content-Type": content_type, "Content-Encoding": "gzip"})


def chunked(body: bytes, pieces: int = 4, content_type: str = "text/html; charset=utf-8") -> Handler:
    """The body in chunked transfer coding (HTTP/1.1), as dynamic pages are sent."""
    def handle(r: Request) -> None:
        h = r.handler
        h.send_response(200)
        h.send_header("Content-Type", content_type)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        step = max(1, len(body) // pieces)
        for i in range(0, len(body), step):
            part = body[i:i + step]
            h.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        h.wfile.write(b"0\r\n\r\n")
    return handle


def redirect(target: str, status: int = 301) -> Handler:
    return lambda r: r.send(status, b"<p>moved</p>", {"Location": target, "Content-Type": "text/html"})


def robots(text: str) -> Handler:
    return lambda r: r.send(200, text.encode(), {"Content-Type": "text/plain"})


def trickle(body: bytes, every: float) -> Handler:
    """A body sent a few bytes at a time: each read comes soon, the whole takes long."""
    def handle(r: Request) -> None:
        h = r.handler
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for i in range(0, len(body), 16):
            if r.server.closing.is_set():
                return
            h.wfile.write(body[i:i + 16])
            h.wfile.flush()
            r.wait(every)
    return handle


def stall(after: bytes, seconds: float) -> Handler:
    """Headers and the start of a body, then silence."""
    def handle(r: Request) -> None:
        h = r.handler
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(len(after) + 1000))
        h.end_headers()
        h.wfile.write(after)
        h.wfile.flush()
        r.wait(seconds)
        r.handler.close_connection = True
    return handle


def endless(chunk: bytes = b"<p>" + b"x" * 8189 + b"</p>") -> Handler:
    """A body without end (no Content-Length, closed by the server only when the client leaves)."""
    def handle(r: Request) -> None:
        h = r.handler
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        h.close_connection = True
        try:
            while not r.server.closing.is_set():
                h.wfile.write(chunk)
        except OSError:
            return
    return handle


def _handler_class(server: Server) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = self.path
            with server.lock:
                server.log.append((time.monotonic(), path, {k.lower(): v for k, v in self.headers.items()}))
                count = sum(1 for _, p, _ in server.log if p == path)
                server.active += 1
                server.peak = max(server.peak, server.active)
            try:
                route = server.routes.get(path) or server.routes.get(path.split("?")[0])
                request = Request(self, server, path, count)
                if route is None:
                    request.send(404, b"<html><body><h1>Not found</h1></body></html>",
                                 {"Content-Type": "text/html; charset=utf-8"})
                else:
                    route(request)
            except OSError:
                self.close_connection = True
            finally:
                with server.lock:
                    server.active -= 1

        def log_message(self, format: str, *args: object) -> None:
            pass

    return _Handler


@contextmanager
def serving(routes: dict[str, Handler] | None = None, host: str = "127.0.0.1") -> Iterator[Server]:
    """A server on a loopback address (a free port) for the length of the block."""
    state = Server(routes=dict(routes or {}))
    httpd = ThreadingHTTPServer((host, 0), _handler_class(state))
    httpd.daemon_threads = True
    state.base = f"http://{host}:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.closing.set()
        httpd.shutdown()
        httpd.server_close()


def corpus_routes(folder: Path) -> dict[str, Handler]:
    """Every HTML file under ``folder`` at its relative path, as a server without charset headers
    serves saved pages (the pages' own declarations and the detection decide)."""
    routes: dict[str, Handler] = {}
    for path in sorted(folder.rglob("*.html")):
        routes["/" + quote(path.relative_to(folder).as_posix())] = page(path.read_bytes(), "text/html")
    return routes
