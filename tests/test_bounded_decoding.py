"""Compressed bodies are decoded a bounded piece at a time, by every client.

Two bombs from a real local server, as in the hardening issue: ~170 KiB of
gzip expanding to 10 M tiny events, and ~200 KiB expanding to one 200 MiB
line read with ``max_line_size=1 MiB``. No ``feed()`` may get more than
``MAX_FEED`` bytes, and the peak of traced memory must stay under
``2 * max_line_size + 16 MiB``, for every helper, every EventSource and the
command line.
"""

from __future__ import annotations

import asyncio
import contextlib
import tracemalloc
import zlib
from collections.abc import Iterator
from typing import Any, Callable

import aiohttp
import httpx
import pytest
import requests
import urllib3
from hypothesis import given
from hypothesis import strategies as st

from sse_core import (
    ContentEncodingError,
    EventStreamParser,
    LimitExceededError,
    Reconnector,
    ReconnectPolicy,
    ServerSentEvent,
    iter_events,
)
from sse_core._http import MAX_FEED, BodyDecoder, decoded
from sse_core.transports import aiohttp as sse_aiohttp
from sse_core.transports import httpx as sse_httpx
from sse_core.transports import open_stream
from sse_core.transports import requests as sse_requests
from sse_core.transports import urllib as sse_urllib
from sse_core.transports import urllib3 as sse_urllib3

from .clients import ALL_KINDS, run_source
from .sse_server import Request, Response, SSEServer

MiB = 1024 * 1024
MAX_LINE = 1 * MiB
BOUND = 2 * MAX_LINE + 16 * MiB
EVENTS_TO_READ = 30_000  # enough: the unbounded path blew up on the first read


def _compress(block: bytes, repeat: int, wbits: int = 31) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return b"".join(
        [*(compressor.compress(block) for _ in range(repeat)), compressor.flush()]
    )


TINY_EVENTS = _compress(b"data: x\n\n" * 100_000, 100)  # 10 M events


def _long_line() -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(b"data: ")]
    block = b"x" * MiB
    parts += [compressor.compress(block) for _ in range(200)]
    parts.append(compressor.flush())
    return b"".join(parts)


LONG_LINE = _long_line()  # one 200 MiB line


class RecordingParser(EventStreamParser):
    """Remembers the largest single feed()."""

    largest = 0

    def feed(self, data: bytes | bytearray | memoryview) -> list[ServerSentEvent]:
        type(self).largest = max(type(self).largest, len(data))
        return super().feed(data)


def bomb_handler(request: Request) -> Response:
    body = TINY_EVENTS if "tiny" in request.path else LONG_LINE
    if "last-event-id" in request.headers or request.path.endswith("/again"):
        return Response(status=204, headers={})
    return Response(
        headers={"Content-Type": "text/event-stream", "Content-Encoding": "gzip"},
        steps=[body[i : i + 16384] for i in range(0, len(body), 16384)],
        chunked=False,
    )


@pytest.fixture(scope="module")
def server() -> Iterator[SSEServer]:
    with SSEServer(bomb_handler) as running:
        yield running


@contextlib.contextmanager
def measured() -> Iterator[list[int]]:
    """Trace allocations; yields a list that gets the peak, in bytes."""
    RecordingParser.largest = 0
    peak: list[int] = []
    tracemalloc.start()
    try:
        yield peak
    finally:
        peak.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()


def consume(events: Iterator[ServerSentEvent]) -> tuple[int, BaseException | None]:
    count = 0
    try:
        for _ in events:
            count += 1
            if count == EVENTS_TO_READ:
                break
    except LimitExceededError as exc:
        return count, exc
    return count, None


async def aconsume(events: Any) -> tuple[int, BaseException | None]:
    count = 0
    try:
        async for _ in events:
            count += 1
            if count == EVENTS_TO_READ:
                break
    except LimitExceededError as exc:
        return count, exc
    return count, None


def new_parser() -> EventStreamParser:
    return RecordingParser(max_line_size=MAX_LINE)


def with_httpx(url: str) -> tuple[int, BaseException | None]:
    with (
        httpx.Client() as client,
        sse_httpx.connect_sse(client, "GET", url, parser=new_parser()) as stream,
    ):
        return consume(stream.iter_events())


def with_httpx_async(url: str) -> tuple[int, BaseException | None]:
    async def main() -> tuple[int, BaseException | None]:
        async with httpx.AsyncClient() as client:
            connect = sse_httpx.aconnect_sse(client, "GET", url, parser=new_parser())
            async with connect as stream:
                return await aconsume(stream.aiter_events())

    return asyncio.run(main())


def with_aiohttp(url: str) -> tuple[int, BaseException | None]:
    async def main() -> tuple[int, BaseException | None]:
        async with aiohttp.ClientSession() as session:
            connect = sse_aiohttp.aconnect_sse(session, "GET", url, parser=new_parser())
            async with connect as stream:
                return await aconsume(stream.aiter_events())

    return asyncio.run(main())


def with_requests(url: str) -> tuple[int, BaseException | None]:
    with (
        requests.Session() as session,
        sse_requests.connect_sse(session, "GET", url, parser=new_parser()) as stream,
    ):
        return consume(stream.iter_events())


def with_urllib3(url: str) -> tuple[int, BaseException | None]:
    with (
        urllib3.PoolManager() as pool,
        sse_urllib3.connect_sse(pool, "GET", url, parser=new_parser()) as stream,
    ):
        return consume(stream.iter_events())


def with_stdlib(url: str) -> tuple[int, BaseException | None]:
    with sse_urllib.open_stream(url) as chunks:
        return consume(iter_events(chunks, new_parser()))


def with_open_stream(url: str) -> tuple[int, BaseException | None]:
    with open_stream(url) as chunks:
        return consume(iter_events(chunks, new_parser()))


HELPERS: dict[str, Callable[[str], tuple[int, BaseException | None]]] = {
    "httpx": with_httpx,
    "httpx-async": with_httpx_async,
    "aiohttp": with_aiohttp,
    "requests": with_requests,
    "urllib3": with_urllib3,
    "stdlib-urllib": with_stdlib,
    "open_stream": with_open_stream,
}


def check_bounds(peak: list[int]) -> None:
    assert RecordingParser.largest <= MAX_FEED
    assert peak[0] < BOUND, f"peak {peak[0] / MiB:.1f} MiB"


@pytest.mark.parametrize("helper", HELPERS)
def test_helpers_read_the_tiny_events_bomb_in_bounded_pieces(
    server: SSEServer, helper: str
) -> None:
    with measured() as peak:
        count, error = HELPERS[helper](server.url("/tiny"))
    assert (count, error) == (EVENTS_TO_READ, None)
    check_bounds(peak)


@pytest.mark.parametrize("helper", HELPERS)
def test_helpers_stop_the_long_line_bomb_at_the_bound(
    server: SSEServer, helper: str
) -> None:
    with measured() as peak:
        count, error = HELPERS[helper](server.url("/line"))
    assert count == 0 and isinstance(error, LimitExceededError)
    check_bounds(peak)


@pytest.mark.parametrize("bomb", ["tiny", "line"])
@pytest.mark.parametrize("kind", ALL_KINDS)
def test_event_sources_stay_bounded(server: SSEServer, kind: str, bomb: str) -> None:
    count = [0]

    def stop(event: ServerSentEvent, source: object) -> bool:
        count[0] += 1
        return count[0] == EVENTS_TO_READ

    policy = ReconnectPolicy(max_attempts=1)
    reconnector = Reconnector(policy, parser=new_parser())
    with measured() as peak:
        # Keep no events: count them (run_source would collect them all).
        outcome = run_source(kind, server.url(f"/{bomb}"), reconnector, stop=stop)
        outcome.events.clear()
    if bomb == "tiny":
        assert outcome.error is None and count[0] == EVENTS_TO_READ
    else:
        assert isinstance(outcome.error, LimitExceededError)
    check_bounds(peak)


@pytest.mark.parametrize("stdlib", [False, True])
def test_the_command_line_stays_bounded(
    server: SSEServer, stdlib: bool, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    import importlib.util

    from sse_core._cli import main

    if stdlib:
        monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with measured() as peak:
        status = main([server.url("/line"), "--max-line-size", str(MAX_LINE)])
    assert status == 1
    assert "max_line_size" in capsys.readouterr().err
    assert peak[0] < BOUND, f"peak {peak[0] / MiB:.1f} MiB"


# -- the decoder itself ---------------------------------------------------------------


def gzip(data: bytes) -> bytes:
    return _compress(data, 1)


def pieces_of(decoder: BodyDecoder, data: bytes, size: int) -> list[bytes]:
    out = []
    for start in range(0, len(data), size):
        out += decoder.decode(data[start : start + size])
    out += decoder.flush()
    return out


SAMPLE = b"id: 1\ndata: hello\n\n" * 5000


@pytest.mark.parametrize(
    ("encoding", "body"),
    [
        ("gzip", gzip(SAMPLE)),
        ("x-gzip", gzip(SAMPLE)),
        ("GZip", gzip(SAMPLE)),
        ("deflate", _compress(SAMPLE, 1, zlib.MAX_WBITS)),  # zlib-wrapped (RFC)
        ("deflate", _compress(SAMPLE, 1, -zlib.MAX_WBITS)),  # raw, as some send
        ("gzip", gzip(SAMPLE[:50000]) + gzip(SAMPLE[50000:])),  # two members
        ("deflate, gzip", gzip(_compress(SAMPLE, 1, zlib.MAX_WBITS))),
        ("identity", SAMPLE),
        ("", SAMPLE),
    ],
)
@pytest.mark.parametrize("size", [1, 7, 4096, 1 << 20])
def test_decoder_gives_the_body_in_bounded_pieces(
    encoding: str, body: bytes, size: int
) -> None:
    if size == 1 and len(body) > 20000:
        body_pieces = pieces_of(BodyDecoder(encoding), body, 97)
    else:
        body_pieces = pieces_of(BodyDecoder(encoding), body, size)
    assert b"".join(body_pieces) == SAMPLE
    assert max(map(len, body_pieces)) <= MAX_FEED


def test_a_bomb_decodes_in_pieces_of_max_feed() -> None:
    body = _compress(b"\n" * MiB, 40)  # 40 MiB from ~40 KiB
    sizes = {len(piece) for piece in decoded([body], "gzip")}
    assert max(sizes) == MAX_FEED


@given(st.binary(max_size=3000), st.lists(st.integers(1, 500), max_size=20))
def test_any_split_of_the_input_gives_the_same_output(
    data: bytes, splits: list[int]
) -> None:
    body = gzip(data)
    chunks, start = [], 0
    for size in splits:
        chunks.append(body[start : start + size])
        start += size
    chunks.append(body[start:])
    assert b"".join(decoded(chunks, "gzip")) == data


@pytest.mark.parametrize("encoding", ["br", "zstd", "compress", "gzip, br"])
def test_encodings_not_decoded_here_are_refused(encoding: str) -> None:
    with pytest.raises(ContentEncodingError) as caught:
        BodyDecoder(encoding)
    assert caught.value.encoding == encoding


def test_corrupt_data_is_a_typed_error() -> None:
    with pytest.raises(ContentEncodingError):
        list(decoded([b"\x1f\x8b\x08\x00garbage" * 10], "gzip"))
    with pytest.raises(ContentEncodingError):
        list(decoded([b"\xff\xff\xff\xff"], "deflate"))


def test_an_unsupported_encoding_fails_an_accepted_stream(server: SSEServer) -> None:
    def handler(request: Request) -> Response:
        return Response(
            headers={"Content-Type": "text/event-stream", "Content-Encoding": "br"},
            steps=[b"\x00\x01"],
        )

    with SSEServer(handler) as br_server:
        url = br_server.url("/")
        with httpx.Client() as client, pytest.raises(ContentEncodingError):  # noqa: SIM117 - Python 3.9
            with sse_httpx.connect_sse(client, "GET", url) as stream:
                list(stream.iter_events())
        outcome = run_source("requests", url)
        assert isinstance(outcome.error, ContentEncodingError)


def test_identity_chunks_over_max_feed_are_cut() -> None:
    assert [len(p) for p in decoded([b"x" * (MAX_FEED * 2 + 1)], "")] == [
        MAX_FEED,
        MAX_FEED,
        1,
    ]
    assert list(decoded([b""], "")) == []
