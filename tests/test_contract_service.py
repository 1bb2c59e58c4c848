"""contract/service.py, the LaunchDarkly contract-test service, driven as the harness does.

A stand-in harness: a real stream server (tests/sse_server.py), a callback
server collecting what the service reports, and the service's REST calls.
The checks mirror the harness's basic, comment, HTTP and reconnection tests.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
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
def running() -> Iterator[Service]:
    with Service(("127.0.0.1", 0)) as service:
        thread = threading.Thread(
            target=service.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()
        yield service
        service.shutdown()


@pytest.fixture
def service(running: Service) -> str:
    return f"http://127.0.0.1:{running.server_address[1]}"


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


def start(service: str, callbacks: Callbacks, stream_url: str, **params: Any) -> str:
    """Start a client as the harness does; return its URL."""
    status, headers, _ = call(
        "POST",
        service + "/",
        {
            "streamUrl": stream_url,
            "callbackUrl": f"http://127.0.0.1:{callbacks.server_address[1]}",
            **params,
        },
    )
    assert status == 201
    return service + headers["Location"]


def event(data: str, id: str = "", type: str = "message") -> dict[str, Any]:
    return {"kind": "event", "event": {"type": type, "data": data, "id": id}}


def comment(text: str) -> dict[str, Any]:
    return {"kind": "comment", "comment": text}


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


@pytest.mark.parametrize(
    "params",
    [
        {"callbackUrl": "http://127.0.0.1:9"},
        {"streamUrl": "http://127.0.0.1:9/", "callbackUrl": "x", "lastEventId": "a\nb"},
        {"streamUrl": "http://127.0.0.1:9/", "callbackUrl": "x", "initialDelayMs": "1"},
    ],
)
def test_invalid_parameters_get_400(service: str, params: dict[str, Any]) -> None:
    with pytest.raises(urllib.error.HTTPError) as caught:
        call("POST", service + "/", params)
    assert caught.value.code == 400


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


# -- comments: in stream order, even within one read ------------------------------


def test_a_comment_and_an_event_in_one_read_keep_their_order(
    service: str, callbacks: Callbacks
) -> None:
    # Each bytes step is one write, so one read: before, a comment after an
    # event in the same read was reported first (on_comment fires while the
    # read is parsed, the events only after it).
    script = Script(
        [
            b":before\ndata: one\n\n",
            Pause(0.05),
            b"data: two\n\n:after\n",
            Pause(0.05),
            b"data: three\n\n:x\n:y\ndata: four\n\n",
            Pause(8),
        ]
    )
    with SSEServer(script) as stream:
        client_url = start(service, callbacks, stream.url("/"))
        messages = callbacks.wait_for(8)
        call("DELETE", client_url)
    assert messages == [
        comment("before"),
        event("one"),
        event("two"),
        comment("after"),
        event("three"),
        comment("x"),
        comment("y"),
        event("four"),
    ]


def test_a_bom_then_a_comment_at_the_start(service: str, callbacks: Callbacks) -> None:
    script = Script([b"\xef\xbb\xbf:comment\ndata: Hello\n\n", Pause(8)])
    with SSEServer(script) as stream:
        client_url = start(service, callbacks, stream.url("/"))
        messages = callbacks.wait_for(2)
        call("DELETE", client_url)
    assert messages == [comment("comment"), event("Hello")]


def test_a_one_mib_payload_arrives_whole(service: str, callbacks: Callbacks) -> None:
    data = "x" * (1024 * 1024)
    script = Script([f"data: {data}\n\n".encode(), Pause(8)])
    with SSEServer(script) as stream:
        client_url = start(service, callbacks, stream.url("/"))
        messages = callbacks.wait_for(1)
        call("DELETE", client_url)
    assert messages == [event(data)]


# -- HTTP behaviour -------------------------------------------------------------------


def test_default_method_and_headers(service: str, callbacks: Callbacks) -> None:
    script = Script([b"data: x\n\n", Pause(8)])
    with SSEServer(script) as stream:
        client_url = start(service, callbacks, stream.url("/"))
        callbacks.wait_for(1)
        call("DELETE", client_url)
    (request,) = script.requests
    assert request.method == "GET"
    assert request.headers["accept"] == "text/event-stream"
    assert request.headers["cache-control"] == "no-cache"
    assert request.headers["pragma"] == "no-cache"
    assert "last-event-id" not in request.headers
    assert request.body == b""


def test_post_with_a_content_type(service: str, callbacks: Callbacks) -> None:
    script = Script([b"data: x\n\n", Pause(8)])
    with SSEServer(script) as stream:
        client_url = start(
            service,
            callbacks,
            stream.url("/"),
            method="POST",
            body='{"hello": "world"}',
            headers={"content-type": "application/json; charset=utf-8"},
        )
        callbacks.wait_for(1)
        call("DELETE", client_url)
    (request,) = script.requests
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    assert request.body == b'{"hello": "world"}'


def test_204_stops_the_client_for_good(
    running: Service, service: str, callbacks: Callbacks
) -> None:
    script = Script()  # every request gets 204
    with SSEServer(script) as stream:
        start(service, callbacks, stream.url("/"), initialDelayMs=0)
        (client,) = running.clients.values()
        client._thread.join(5)
        assert not client._thread.is_alive()  # ended: it cannot reconnect
    assert len(script.requests) == 1
    assert callbacks.messages == {}


@pytest.mark.parametrize("status", [301, 307])
def test_a_redirect_is_followed(
    service: str, callbacks: Callbacks, status: int
) -> None:
    requests: list[Request] = []

    def handler(request: Request) -> Response:
        requests.append(request)
        if request.path == "/old":
            return Response(status=status, headers={"Location": "/new"})
        return Response(steps=[b"data: hello\n\n", Pause(8)])

    with SSEServer(handler) as stream:
        client_url = start(service, callbacks, stream.url("/old"))
        messages = callbacks.wait_for(1)
        call("DELETE", client_url)
    assert messages[0] == event("hello")
    assert [request.path for request in requests] == ["/old", "/new"]
    assert requests[1].headers["accept"] == "text/event-stream"


@pytest.mark.parametrize("location", ["empty", "missing"])
@pytest.mark.parametrize("status", [301, 307])
def test_a_redirect_without_a_usable_location_is_an_error(
    service: str, callbacks: Callbacks, status: int, location: str
) -> None:
    # Neither a loop nor a silent retry of the same URL: an error, once.
    headers = {"Location": ""} if location == "empty" else {}

    def handler(request: Request) -> Response:
        return Response(status=status, headers=headers)

    with SSEServer(handler) as stream:
        client_url = start(service, callbacks, stream.url("/"))
        messages = callbacks.wait_for(1)
        call("DELETE", client_url)
    assert [message["kind"] for message in messages] == ["error"]
    assert str(status) in messages[0]["error"]


# -- reconnection --------------------------------------------------------------------


def test_a_partial_event_is_discarded_on_reconnection(
    service: str, callbacks: Callbacks
) -> None:
    script = Script(
        [b"id: abc\ndata: Hello\n\nid: def\ndata: Goodbye", Pause(0.1), Abort()],
        [b"data: We meet again\n\n", Pause(8)],
    )
    with SSEServer(script) as stream:
        client_url = start(service, callbacks, stream.url("/"), initialDelayMs=0)
        messages = callbacks.wait_for(3)
        call("DELETE", client_url)
    assert messages[0] == event("Hello", id="abc")
    assert messages[1]["kind"] == "error"  # the harness ignores one error here
    assert messages[2] == event("We meet again", id="abc")
    assert script.requests[1].headers["last-event-id"] == "abc"


def test_an_empty_id_sends_no_last_event_id(service: str, callbacks: Callbacks) -> None:
    script = Script(
        [b"id: abc\ndata: Hello\n\n", b"id: \ndata: World\n\n", Abort()],
        [Pause(8)],
    )
    with SSEServer(script) as stream:
        client_url = start(service, callbacks, stream.url("/"), initialDelayMs=0)
        messages = callbacks.wait_for(3)
        deadline = time.monotonic() + 5
        while len(script.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        call("DELETE", client_url)
    assert messages[:2] == [event("Hello", id="abc"), event("World")]
    assert "last-event-id" not in script.requests[1].headers
