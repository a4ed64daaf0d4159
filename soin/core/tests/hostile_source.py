"""A hostile source for the importers that fetch: a real HTTP server on 127.0.0.1, started in
the test, whose every address answers as the test tells it (a page, a redirect, a huge or slow
answer, the wrong type), and which counts what it was asked."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from soin.core.testing import PNG


@dataclass
class Answer:
    """What one address answers: a status, headers and a body, or a body written piece by
    piece (``pieces``, each after ``pause`` seconds), after ``delay`` seconds."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    pieces: Callable[[], Iterator[bytes]] | None = None
    pause: float = 0
    delay: float = 0


def json_answer(data: Any, content_type: str = "application/json") -> Answer:
    return Answer(body=json.dumps(data).encode(), headers={"Content-Type": content_type})


def redirect(location: str, status: int = 302) -> Answer:
    return Answer(status=status, headers={"Location": location})


def png_answer() -> Answer:
    return Answer(body=PNG, headers={"Content-Type": "image/png"})


class HostileSource:
    """The server: ``routes`` maps a path (without the query) to an ``Answer`` or to a
    function of the query string returning one; ``asked`` counts the paths asked for."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer | Callable[[str], Answer]] = {}
        self.asked: Counter[str] = Counter()
        source = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                source.asked[parts.path] += 1
                route = source.routes.get(parts.path)
                answer = route(parts.query) if callable(route) else route
                if answer is None:
                    answer = Answer(status=404, body=b"not here")
                time.sleep(answer.delay)
                try:
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    if answer.pieces is None:
                        self.send_header("Content-Length", str(len(answer.body)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    if answer.pieces is None:
                        self.wfile.write(answer.body)
                        return
                    for piece in answer.pieces():
                        self.wfile.write(piece)
                        self.wfile.flush()
                        time.sleep(answer.pause)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as it should

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.api = f"{self.origin}/api/v1"

    def url(self, path: str) -> str:
        return f"{self.origin}{path}"

    def page(self, results: list[dict[str, Any]], pages: int = 1) -> None:
        """Answer the API's list of innovations with ``results`` on every page."""
        self.routes["/api/v1/innovations"] = json_answer(
            {"count": len(results), "page": 1, "pages": pages, "results": results}
        )


@contextmanager
def hostile_source() -> Iterator[HostileSource]:
    source = HostileSource()
    thread = threading.Thread(target=source.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield source
    finally:
        source.server.shutdown()
        source.server.server_close()
