"""contract/service.py, the LaunchDarkly contract-test service, driven as the harness does.

A stand-in harness: a real stream server (tests/sse_server.py), a callback
server collecting what the service reports, and the service's REST calls.
The checks mirror the harness's basic, comment, HTTP and reconnection tests.
"""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from contract.service import CAPABILITIES, Service

from .sse_server import Abort, Pause, Request, Response, SSEServer


class Callbacks(ThreadingHTTPServer):
    """Collects the service's callbacks, in their numbered order."""

    daemon_threads = True

    def __init__(self) -> None:
        self.messages: dict[int, dict[str, Any]] = {}
        self.arrived = threading.Condition()

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(inner) -> None:
                body = inner.rfile.read(int(inner.headers["Content-Length"]))
                with self.arrived:
                    number = int(inner.path.rpartition("/")[2])
                    self.messages[number] = json.loads(body)
                    self.arrived.notify_all()
                inner.send_response(202)
                inner.send_header("Content-Length", "0")
                inner.end_headers()

        super().__init__(("127.0.0.1", 0), Handler)

    def wait_for(self, count: int, timeout: float = 5) -> list[dict[str, Any]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout)
            return [self.messages[n] for n in sorted(self.messages)]


@pytest.fixture
def service() -> Iterator[str]:
    with Service(("127.0.0.1", 0)) as running:
        thread = threading.Thread(
            target=running.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        yield f"http://127.0.0.1:{running.server_address[1]}"
        running.shutdown()


@pytest.fixture
def callbacks() -> Iterator[Callbacks]:
    with Callbacks() as running:
        thread = threading.Thread(
            target=running.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        yield running
        running.shutdown()


def call(method: str, url: str, body: Any = None) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    with urllib.request.urlopen(request, timeout=5) as response:
        raw = response.read()
        return response.status, dict(response.headers), json.loads(raw) if raw else None


class Script:
    """Per connection: the steps to send; records each request."""

    def __init__(self, *connections: Iterable[Any]) -> None:
        self.connections = list(connections)
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        if len(self.requests) > len(self.connections):
            return Response(status=204, headers={})
        return Response(steps=self.connections[len(self.requests) - 1])


def test_capabilities(service: str) -> None:
    status, _, body = call("GET", service + "/")
    assert status == 200 and body == {"capabilities": CAPABILITIES}


def test_events_comments_headers_and_restart(
    service: str, callbacks: Callbacks
) -> None:
    silence_over = threading.Event()

    def first_connection() -> Iterator[Any]:
        yield from [b":Hello\n", b"id: abc\ndata: Hello\n\n", Pause(0.05)]
        yield from [b"data: more\n\n", Pause(8)]
        silence_over.set()

    script = Script(first_connection(), [b"data: Thanks\n\n", Pause(8)])
    with SSEServer(script) as stream:
        status, headers, _ = call(
            "POST",
            service + "/",
            {
                "streamUrl": stream.url("/stream"),
                "callbackUrl": f"http://127.0.0.1:{callbacks.server_address[1]}/cb",
                "initialDelayMs": 0,
                "headers": {"header-name-1": "value-1"},
                "method": "REPORT",
                "body": '{"hello": "world"}',
                "lastEventId": "start",
            },
        )
        assert status == 201
        client_url = service + headers["Location"]
        messages = callbacks.wait_for(3)
        assert messages[:3] == [
            {"kind": "comment", "comment": "Hello"},
            {
                "kind": "event",
                "event": {"type": "message", "data": "Hello", "id": "abc"},
            },
            {
                "kind": "event",
                "event": {"type": "message", "data": "more", "id": "abc"},
            },
        ]
        assert call("POST", client_url, {"command": "restart"})[0] == 204
        messages = callbacks.wait_for(4)
        assert messages[3]["event"]["data"] == "Thanks"
        assert not silence_over.is_set()  # the restart cut the silent read
        assert call("DELETE", client_url)[0] == 204
    first, second = script.requests
    for request in (first, second):
        assert request.method == "REPORT"
        assert request.body == b'{"hello": "world"}'
        assert request.headers["accept"] == "text/event-stream"
        assert request.headers["cache-control"] == "no-cache"
        assert request.headers["header-name-1"] == "value-1"
    assert first.headers["last-event-id"] == "start"
    assert second.headers["last-event-id"] == "abc"


def test_a_read_timeout_is_reported_and_retried(
    service: str, callbacks: Callbacks
) -> None:
    script = Script([b"data: Hello\n\n", Pause(3)], [b"data: again\n\n", Abort()])
    with SSEServer(script) as stream:
        _, headers, _ = call(
            "POST",
            service + "/",
            {
                "streamUrl": stream.url("/"),
                "callbackUrl": f"http://127.0.0.1:{callbacks.server_address[1]}",
                "initialDelayMs": 0,
                "readTimeoutMs": 300,
            },
        )
        messages = callbacks.wait_for(4)
        call("DELETE", service + headers["Location"])
    kinds = [message["kind"] for message in messages[:4]]
    assert kinds == ["event", "error", "event", "error"]
    assert "timed out" in messages[1]["error"].lower()
    assert len(script.requests) >= 2
