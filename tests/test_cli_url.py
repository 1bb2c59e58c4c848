"""``python -m sse_core URL``: streaming from a real server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from sse_core import EventStreamEncoder, ServerSentEvent, encode, encode_comment

from .sse_server import Pause, Request, Response, SSEServer

EVENTS = [
    ServerSentEvent(data="first", id="1"),
    ServerSentEvent(event="update", data="ü 🎉\nline two", id="2", retry=1500),
    ServerSentEvent(data="{}", id="2"),
]


def _stream() -> bytes:
    encoder = EventStreamEncoder()
    return b"".join(encoder.encode(event) for event in EVENTS)


def _chat(pieces: list[str]) -> bytes:
    chunks = [
        {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": 0, "delta": {"content": piece}}]}
        for piece in pieces
    ]  # fmt: skip
    return b"".join(encode(json.dumps(chunk)) for chunk in chunks) + encode("[DONE]")


def handler(request: Request) -> Response:
    if request.path == "/events":
        body = _stream()
        first = body.index(b"\n\n") + 2
        emoji = body.index("🎉".encode()) + 2
        # Awkward reads: one byte, a keep-alive between events, a cut inside
        # the emoji, a pause.
        steps: list[bytes | Pause] = [body[:1], body[1:first]]
        steps += [encode_comment(" keep-alive"), body[first:emoji], Pause(0.01)]
        steps.append(body[emoji:])
        return Response(steps=steps)
    if request.path == "/chat":
        return Response(steps=[_chat(["Hel", "lo, ", "wörld"])])
    if request.path == "/echo":
        # Echo what the client sent, so the test can check it.
        seen = {
            "method": request.method,
            "body": request.body.decode(),
            "content_type": request.headers.get("content-type"),
            "authorization": request.headers.get("authorization"),
        }
        return Response(steps=[encode(json.dumps(seen))])
    if request.path == "/missing":
        page = b"<!doctype html><title>Not Found</title><h1>Not Found</h1>"
        return Response(404, {"Content-Type": "text/html"}, [page])
    if request.path == "/json":
        return Response(200, {"Content-Type": "application/json"}, [b'{"ok": true}'])
    raise AssertionError(request.path)


@pytest.fixture(scope="module")
def server() -> Iterator[SSEServer]:
    with SSEServer(handler) as running:
        yield running


def run(*args: str, env_block_httpx: bool = False) -> subprocess.CompletedProcess[str]:
    if env_block_httpx:
        # The standard-library path: make `import httpx` fail in the child.
        code = "import sys; sys.modules['httpx'] = None; from sse_core._cli import main; sys.exit(main(sys.argv[1:]))"
        command = [sys.executable, "-c", code, *args]
    else:
        command = [sys.executable, "-m", "sse_core", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("stdlib", [False, True], ids=["httpx", "urllib"])
def test_url_prints_the_exact_events(server: SSEServer, stdlib: bool) -> None:
    result = run(server.url("/events"), env_block_httpx=stdlib)
    assert result.returncode == 0, result.stderr
    printed = [json.loads(line) for line in result.stdout.splitlines()]
    assert printed == [event._asdict() for event in EVENTS]
    assert result.stderr == ""  # no progress when stderr is not a terminal


def test_url_sends_accept_header(server: SSEServer) -> None:
    run(server.url("/events"))
    request = next(r for r in reversed(server.requests) if r.path == "/events")
    assert request.headers["accept"] == "text/event-stream"


@pytest.mark.parametrize("stdlib", [False, True], ids=["httpx", "urllib"])
def test_url_post_with_json_body_and_headers(server: SSEServer, stdlib: bool) -> None:
    result = run(
        server.url("/echo"),
        "-d",
        '{"prompt": "hi"}',
        "-H",
        "Authorization: Bearer k",
        env_block_httpx=stdlib,
    )
    assert result.returncode == 0, result.stderr
    [event] = [json.loads(line) for line in result.stdout.splitlines()]
    assert json.loads(event["data"]) == {
        "method": "POST",
        "body": '{"prompt": "hi"}',
        "content_type": "application/json",
        "authorization": "Bearer k",
    }


def test_url_with_endpoint_prints_streamed_text(server: SSEServer) -> None:
    result = run(server.url("/chat"), "--endpoint", "chat")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Hello, wörld\n"


def test_url_with_endpoint_and_json_prints_chunks(server: SSEServer) -> None:
    result = run(server.url("/chat"), "--endpoint", "chat", "--json")
    assert result.returncode == 0, result.stderr
    chunks = [json.loads(line) for line in result.stdout.splitlines()]
    assert [c["choices"][0]["delta"]["content"] for c in chunks] == [
        "Hel",
        "lo, ",
        "wörld",
    ]


@pytest.mark.parametrize("stdlib", [False, True], ids=["httpx", "urllib"])
def test_http_error_exits_1_with_status_and_body(
    server: SSEServer, stdlib: bool
) -> None:
    result = run(server.url("/missing"), env_block_httpx=stdlib)
    assert result.returncode == 1
    assert result.stdout == ""
    assert "HTTP 404" in result.stderr
    assert "text/html" in result.stderr
    assert "Not Found" in result.stderr


def test_not_an_event_stream_exits_1(server: SSEServer) -> None:
    result = run(server.url("/json"))
    assert result.returncode == 1
    assert "application/json" in result.stderr


@pytest.mark.parametrize("stdlib", [False, True], ids=["httpx", "urllib"])
def test_unreachable_server_exits_1_with_a_clear_message(stdlib: bool) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/events"
    result = run(url, env_block_httpx=stdlib)
    assert result.returncode == 1
    assert result.stderr.startswith(f"sse_core: {url}: ")
    assert "Traceback" not in result.stderr


def test_progress_on_stderr_when_asked(server: SSEServer) -> None:
    def slow(request: Request) -> Response:
        steps: list[bytes | Pause] = []
        for i in range(4):
            steps += [encode(str(i)), Pause(0.3)]
        return Response(steps=steps)

    with SSEServer(slow) as slow_server:
        result = run(slow_server.url("/"), "--progress")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 4
    assert "[sse_core]" in result.stderr
    assert "reads" in result.stderr
    assert result.stderr.endswith("\n")


def test_request_options_need_a_url() -> None:
    result = run("-", "-d", "{}")
    assert result.returncode == 2
    assert "need a URL" in result.stderr


def test_malformed_header_exits_2(server: SSEServer) -> None:
    result = run(server.url("/events"), "-H", "no colon here")
    assert result.returncode == 2
    assert "NAME: VALUE" in result.stderr
