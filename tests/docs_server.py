"""The demo server behind the documentation's examples.

Every Python block in README.md and docs/ runs in the tests
(tests/test_docs.py), with ``http://localhost:8000`` replaced by this server's
address. It is a :class:`tests.sse_server.SSEServer` (127.0.0.1, a free
port, a background thread, stopped when its ``with`` block ends) answering:

* any method at ``/stream``: ``id: 1`` ``hello`` and ``id: 2`` ``world``, then
  a clean end; a request that carries ``Last-Event-ID`` gets HTTP 204, so a
  reconnecting client stops by itself after one reconnection;
* Writer's streaming routes, under ``/v1`` (writer-sdk's paths already start
  with ``/v1``, so both ``base_url="http://localhost:8000"`` and
  ``base_url="http://localhost:8000/v1"`` reach them): ``chat``,
  ``completions``, ``applications/<id>``, ``graphs/question`` and
  ``tools/web-search``, each with its recorded stream from tests/data/streams/;
* anything else: HTTP 404.

Every response is finite, so every example ends. To try the examples by
hand, ``python -m tests.docs_server`` serves on a free port for a bounded time
(``--seconds``, default 600) and prints its address.
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

from .sse_server import Request, Response, SSEServer

__all__ = ["DEMO_URL", "STREAM_BODY", "WRITER_ROUTES", "DocsServer", "handle"]

#: The base URL the documentation's examples use; tests replace it.
DEMO_URL = "http://localhost:8000"

#: The body of ``/stream``.
STREAM_BODY = b"id: 1\ndata: hello\n\nid: 2\ndata: world\n\n"

_STREAMS = Path(__file__).resolve().parent / "data" / "streams"

#: Writer route (after ``/v1``, repeated or not) -> recorded stream.
WRITER_ROUTES: dict[str, str] = {
    r"chat": "chat_writer.sse",
    r"completions": "completions.sse",
    r"applications/[^/]+": "applications.sse",
    r"graphs/question": "graphs_question.sse",
    r"tools/web-search": "web_search.sse",
}

_ROUTE = re.compile(
    r"(?:/v1)+/(?:" + "|".join(f"({route})" for route in WRITER_ROUTES) + r")/?"
)
_EVENT_STREAM = {"Content-Type": "text/event-stream", "Cache-Control": "no-store"}


def _chunks(body: bytes, size: int = 512) -> list[bytes]:
    # Several writes, so clients see more than one network read.
    return [body[start : start + size] for start in range(0, len(body), size)]


def handle(request: Request) -> Response:
    """Answer one request as described in the module docstring."""
    path = request.path.split("?", 1)[0]
    if path == "/stream":
        if "last-event-id" in request.headers:
            return Response(status=204, headers={}, steps=[])
        return Response(headers=dict(_EVENT_STREAM), steps=[STREAM_BODY])
    match = _ROUTE.fullmatch(path)
    if match is None:
        return Response(
            status=404,
            headers={"Content-Type": "application/json"},
            steps=[b'{"error": "not found"}'],
        )
    index = next(i for i, group in enumerate(match.groups()) if group is not None)
    name = list(WRITER_ROUTES.values())[index]
    body = (_STREAMS / name).read_bytes()
    return Response(headers=dict(_EVENT_STREAM), steps=_chunks(body))


class DocsServer(SSEServer):
    """The demo server, on 127.0.0.1 and a free port (a context manager)."""

    def __init__(self) -> None:
        super().__init__(handle)


def _serve_for(seconds: float) -> None:
    with DocsServer() as server:
        print(f"serving the docs demo on {server.base_url} for {seconds:g} s")
        time.sleep(seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0)
    _serve_for(parser.parse_args().seconds)
