"""Every transport helper against a real HTTP server on 127.0.0.1.

One server serves every scenario; each scenario is a stream built with the
encoder and cut into socket writes in a particular way. Each client must return
exactly the events that were encoded, whatever the writes were.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from typing import Callable

import aiohttp
import httpx
import pytest
import requests
import trio
import urllib3

from sse_core import (
    BadResponseError,
    EventStreamEncoder,
    ServerSentEvent,
    encode,
    encode_comment,
    iter_events,
)
from sse_core._http import BODY_START_SIZE, request_headers
from sse_core.transports import aiohttp as sse_aiohttp
from sse_core.transports import asyncio as sse_asyncio
from sse_core.transports import httpx as sse_httpx
from sse_core.transports import open_stream
from sse_core.transports import requests as sse_requests
from sse_core.transports import trio as sse_trio
from sse_core.transports import urllib as sse_urllib
from sse_core.transports import urllib3 as sse_urllib3

from .sse_server import Pause, Request, Response, SSEServer, Step

EVENTS = [
    ServerSentEvent(data="hello"),
    ServerSentEvent(event="update", data='{"n": 1}', id="1"),
    ServerSentEvent(data="two\nlines", id="1"),
    ServerSentEvent(event="empty", data="", id="2"),
    ServerSentEvent(data="caf\u00e9 \u20ac \U0001f600", id="\u00e9t\u00e9", retry=10),
    ServerSentEvent(data="  leading spaces kept but one", id=""),
]


def encode_all(events: list[ServerSentEvent]) -> bytes:
    encoder = EventStreamEncoder()
    return b"".join(encoder.encode(event) for event in events)


STREAM = encode_all(EVENTS)
BIG_EVENTS = [*EVENTS, ServerSentEvent(data="x" * 300_000, id="big")]


def split_after(data: bytes, positions: list[int]) -> list[Step]:
    cuts = [0, *sorted(set(positions)), len(data)]
    return [data[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def one_byte_writes() -> list[Step]:
    return [STREAM[i : i + 1] for i in range(len(STREAM))]


def big_writes() -> list[Step]:
    # Everything in one write, including an event larger than any read buffer.
    return [encode_all(BIG_EVENTS)]


def crlf_split_between_cr_and_lf() -> list[Step]:
    data = STREAM.replace(b"\n", b"\r\n")
    return split_after(data, [i + 1 for i, byte in enumerate(data) if byte == 13])


def cr_only() -> list[Step]:
    data = STREAM.replace(b"\n", b"\r")
    return split_after(data, list(range(7, len(data), 7)))


def multibyte_split() -> list[Step]:
    # A write ends inside every multibyte UTF-8 character.
    continuation = [i for i, byte in enumerate(STREAM) if 0x80 <= byte < 0xC0]
    return split_after(STREAM, continuation)


def keep_alive_comments() -> list[Step]:
    encoder = EventStreamEncoder()
    steps: list[Step] = [encode_comment("keep-alive")]
    for event in EVENTS:
        steps += [b": ping\n", encoder.encode(event), encode_comment()]
    return steps


def slow_trickle() -> list[Step]:
    steps: list[Step] = []
    for piece in split_after(STREAM, list(range(5, len(STREAM), 5))):
        steps += [piece, Pause(0.001)]
    return steps


SCENARIOS: dict[str, tuple[Callable[[], list[Step]], list[ServerSentEvent]]] = {
    "one-byte-writes": (one_byte_writes, EVENTS),
    "big-writes": (big_writes, BIG_EVENTS),
    "crlf": (crlf_split_between_cr_and_lf, EVENTS),
    "cr": (cr_only, EVENTS),
    "multibyte-split": (multibyte_split, EVENTS),
    "keep-alive": (keep_alive_comments, EVENTS),
    "slow-trickle": (slow_trickle, EVENTS),
}

HTML_PAGE = (
    b"<!doctype html><html><head><title>404 Not Found</title></head><body>"
    + b"<p>Nothing here.</p>" * 40
    + b"</body></html>"
)
JSON_ERROR = b'{"error": {"message": "rate limited", "type": "rate_limit"}}'
ERRORS: dict[str, tuple[int, dict[str, str], bytes]] = {
    "html-404": (404, {"Content-Type": "text/html; charset=utf-8"}, HTML_PAGE),
    "json-500": (500, {"Content-Type": "application/json"}, JSON_ERROR),
    "sse-429": (429, {"Content-Type": "text/event-stream"}, b"data: no\n\n"),
    "json-200": (200, {"Content-Type": "application/json"}, JSON_ERROR),
    "no-content-type-200": (200, {}, b"data: hi\n\n"),
}

# Server-side gates for the "is it really incremental" test, by token.
GATES: dict[str, threading.Event] = {}


def gated_steps(token: str) -> Iterator[Step]:
    # Steps are read lazily, one socket write at a time: the second event is
    # written only once the client has seen the first, so a helper that
    # buffers gets "timeout" instead.
    yield encode("first")
    opened = GATES[token].wait(timeout=10)
    yield encode("second" if opened else "timeout")


def handler(request: Request) -> Response:
    _, kind, name, framing = request.path.split("/")
    chunked = framing == "chunked"
    if kind == "scenario":
        steps, _ = SCENARIOS[name]
        content_type = "text/event-stream"
        if name == "keep-alive":
            content_type = "Text/Event-Stream; charset=UTF-8"
        return Response(
            headers={"Content-Type": content_type}, steps=steps(), chunked=chunked
        )
    if kind == "gated":
        return Response(steps=gated_steps(name), chunked=chunked)  # type: ignore[arg-type]
    if kind == "error":
        status, headers, body = ERRORS[name]
        return Response(status=status, headers=headers, steps=[body], chunked=chunked)
    assert kind == "status" and name == "204"
    return Response(status=204, headers={})


@pytest.fixture(scope="module")
def server() -> Iterator[SSEServer]:
    with SSEServer(handler) as running:
        yield running


# -- the clients: each returns the events it read from a URL --------------------

OnEvent = Callable[[ServerSentEvent], None]


def _noop(event: ServerSentEvent) -> None:
    pass


def collect(events: Iterator[ServerSentEvent], on_event: OnEvent) -> list:
    out = []
    for event in events:
        out.append(event)
        on_event(event)
    return out


def with_httpx(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    with httpx.Client() as client, sse_httpx.connect_sse(client, "GET", url) as stream:
        assert isinstance(stream.response, httpx.Response)
        return collect(stream.iter_events(), on_event)


async def _with_httpx_async(url: str, on_event: OnEvent) -> list[ServerSentEvent]:
    out = []
    async with httpx.AsyncClient() as client:
        stream_cm = sse_httpx.aconnect_sse(client, "GET", url)
        async with stream_cm as stream:
            async for event in stream.aiter_events():
                out.append(event)
                on_event(event)
    return out


def with_httpx_asyncio(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    return asyncio.run(_with_httpx_async(url, on_event))


def with_httpx_trio(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    return trio.run(_with_httpx_async, url, on_event)


def with_aiohttp(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    async def main() -> list[ServerSentEvent]:
        out = []
        async with aiohttp.ClientSession() as session:
            stream_cm = sse_aiohttp.aconnect_sse(session, "GET", url)
            async with stream_cm as stream:
                assert isinstance(stream.response, aiohttp.ClientResponse)
                async for event in stream.aiter_events():
                    out.append(event)
                    on_event(event)
        return out

    return asyncio.run(main())


def with_requests(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    with requests.Session() as session:
        stream_cm = sse_requests.connect_sse(session, "GET", url)
        with stream_cm as stream:
            assert isinstance(stream.response, requests.Response)
            return collect(stream.iter_events(), on_event)


def with_urllib3(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    with urllib3.PoolManager() as pool:
        stream_cm = sse_urllib3.connect_sse(pool, "GET", url)
        with stream_cm as stream:
            assert isinstance(stream.response, urllib3.BaseHTTPResponse)
            return collect(stream.iter_events(), on_event)


def with_stdlib(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    with sse_urllib.open_stream(url, timeout=10) as chunks:
        return collect(iter_events(chunks), on_event)


def with_open_stream(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    with open_stream(url, timeout=10) as chunks:
        return collect(iter_events(chunks), on_event)


def _request_line(url: str) -> tuple[str, int, bytes]:
    parsed = urllib3.util.parse_url(url)
    assert parsed.host is not None and parsed.port is not None
    request = f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.host}\r\n\r\n"
    return parsed.host, parsed.port, request.encode()


def with_asyncio_stream(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    # A plain byte stream: send the request by hand, skip the response head,
    # and give the reader (positioned at the body) to the helper.
    async def main() -> list[ServerSentEvent]:
        host, port, request = _request_line(url)
        reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 ")
            out = []
            async for event in sse_asyncio.aiter_events(reader):
                out.append(event)
                on_event(event)
            return out
        finally:
            writer.close()
            await writer.wait_closed()

    return asyncio.run(main())


def with_trio_stream(url: str, on_event: OnEvent = _noop) -> list[ServerSentEvent]:
    async def main() -> list[ServerSentEvent]:
        host, port, request = _request_line(url)
        async with await trio.open_tcp_stream(host, port) as stream:
            await stream.send_all(request)
            head = b""
            while not head.endswith(b"\r\n\r\n"):  # one byte at a time: no overread
                head += await stream.receive_some(1)
            assert head.startswith(b"HTTP/1.1 200 ")
            out = []
            async for event in sse_trio.aiter_events(stream):
                out.append(event)
                on_event(event)
            return out

    return trio.run(main)


HTTP_CLIENTS = {
    "httpx": with_httpx,
    "httpx-asyncio": with_httpx_asyncio,
    "httpx-trio": with_httpx_trio,
    "aiohttp": with_aiohttp,
    "requests": with_requests,
    "urllib3": with_urllib3,
    "stdlib-urllib": with_stdlib,
    "open_stream": with_open_stream,
}
# Raw byte streams see the body as sent, so the server must not chunk it.
BYTE_STREAM_CLIENTS = {"asyncio": with_asyncio_stream, "trio": with_trio_stream}

CASES = [
    (client, framing)
    for client in HTTP_CLIENTS
    for framing in ("chunked", "close-delimited")
] + [(client, "close-delimited") for client in BYTE_STREAM_CLIENTS]
ALL_CLIENTS = {**HTTP_CLIENTS, **BYTE_STREAM_CLIENTS}


@pytest.mark.parametrize("scenario", SCENARIOS)
@pytest.mark.parametrize(("client", "framing"), CASES)
def test_exact_events(
    server: SSEServer, client: str, framing: str, scenario: str
) -> None:
    _, expected = SCENARIOS[scenario]
    events = ALL_CLIENTS[client](server.url(f"/scenario/{scenario}/{framing}"))
    assert events == expected


@pytest.mark.parametrize(("client", "framing"), CASES)
def test_events_arrive_before_the_stream_ends(
    server: SSEServer, client: str, framing: str
) -> None:
    token = uuid.uuid4().hex
    GATES[token] = threading.Event()

    def on_event(event: ServerSentEvent) -> None:
        GATES[token].set()

    events = ALL_CLIENTS[client](server.url(f"/gated/{token}/{framing}"), on_event)
    assert [event.data for event in events] == ["first", "second"]


@pytest.mark.parametrize("error", ERRORS)
@pytest.mark.parametrize("client", HTTP_CLIENTS)
def test_rejected_responses_raise_bad_response_error(
    server: SSEServer, client: str, error: str
) -> None:
    status, headers, body = ERRORS[error]
    url = server.url(f"/error/{error}/chunked")
    with pytest.raises(BadResponseError) as caught:
        HTTP_CLIENTS[client](url)
    assert caught.value.status_code == status
    assert caught.value.content_type == headers.get("Content-Type", "")
    assert caught.value.body_start == body[:BODY_START_SIZE]
    assert caught.value.url == url
    assert str(status) in str(caught.value)


@pytest.mark.parametrize("client", HTTP_CLIENTS)
def test_204_is_an_empty_stream(server: SSEServer, client: str) -> None:
    before = len(server.requests)
    assert HTTP_CLIENTS[client](server.url("/status/204/chunked")) == []
    (request,) = server.requests[before:]
    # Fetch's "no-store" cache mode on the wire (9.2.2; web-platform-tests
    # fetch/http-cache/cache-mode.any.js).
    assert request.headers["accept"] == "text/event-stream"
    assert request.headers["cache-control"] == "no-cache"
    assert request.headers["pragma"] == "no-cache"


def test_request_headers_keep_what_the_caller_set() -> None:
    merged = request_headers(
        {"accept": "text/event-stream, */*", "X-Key": "k", "PRAGMA": "x"}
    )
    assert merged == {
        "Cache-Control": "no-cache",
        "Accept-Encoding": "gzip, deflate",
        "accept": "text/event-stream, */*",
        "X-Key": "k",
        "PRAGMA": "x",
    }
    assert request_headers(None) == {
        "Accept": "text/event-stream",
        "Cache-Control": "no-cache",
        "Pragma": "no-cache",
        "Accept-Encoding": "gzip, deflate",
    }


def test_caller_headers_reach_the_server(server: SSEServer) -> None:
    url = server.url("/status/204/chunked")
    before = len(server.requests)
    with requests.Session() as session:
        headers = {"Authorization": "Bearer t"}
        with sse_requests.connect_sse(session, "GET", url, headers=headers) as stream:
            assert list(stream.iter_events()) == []
    with httpx.Client() as client:
        headers = {"Accept": "*/*", "Authorization": "Bearer t"}
        with sse_httpx.connect_sse(client, "GET", url, headers=headers) as stream:
            assert list(stream.iter_events()) == []
    first, second = server.requests[before:]
    assert first.headers["authorization"] == second.headers["authorization"]
    assert first.headers["accept"] == "text/event-stream"
    assert second.headers["accept"] == "*/*"


def test_parser_state_is_readable_after_the_stream(server: SSEServer) -> None:
    url = server.url("/scenario/one-byte-writes/chunked")
    with httpx.Client() as client, sse_httpx.connect_sse(client, "GET", url) as stream:
        assert list(stream.iter_events()) == EVENTS
    assert stream.parser.last_event_id == EVENTS[-1].id
    assert stream.parser.retry == 10
    assert not stream.parser.truncated


def test_open_stream_falls_back_to_the_standard_library(
    server: SSEServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    url = server.url("/scenario/cr/chunked")
    assert with_open_stream(url) == EVENTS
    assert server.requests[-1].headers["user-agent"].startswith("python-httpx/")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert with_open_stream(url) == EVENTS
    assert server.requests[-1].headers["user-agent"].startswith("Python-urllib/")


def test_optional_libraries_load_only_when_their_module_is_used() -> None:
    code = (
        "import sys, sse_core, sse_core.transports;"
        "from sse_core.transports import aiohttp, asyncio, httpx, requests, trio,"
        " urllib, urllib3;"
        "print(sorted({'httpx', 'aiohttp', 'requests', 'urllib3', 'trio', 'anyio'}"
        " & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
