"""Every reconnecting EventSource against a real, sloppy or hostile, local server.

Each test runs for every client (httpx sync, asyncio and trio; requests;
urllib3; aiohttp; the standard library's urllib), through tests/clients.py.
Waits between attempts are recorded, not slept, except where a test is about
waiting; each test stops by itself.
"""

from __future__ import annotations

import random
import threading
import time
import tracemalloc
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from sse_core import (
    BadResponseError,
    Comment,
    EventStreamEncoder,
    EventStreamParser,
    LastEventIdWarning,
    LimitExceededError,
    Reconnector,
    ReconnectPolicy,
    ServerSentEvent,
    SSEError,
)

from .clients import (
    ALL_KINDS,
    ASYNC_KINDS,
    SYNC_KINDS,
    make_sync_source,
    run_async,
    run_source,
    sync_client,
)
from .sse_server import Abort, Pause, Request, Response, SSEServer, Step

FAST = ReconnectPolicy(jitter=0, max_attempts=None, reset_after=0)


def numbered(count: int) -> list[ServerSentEvent]:
    return [ServerSentEvent(data=f"event {n}", id=str(n)) for n in range(1, count + 1)]


def body_after(events: list[ServerSentEvent], last_event_id: str | None) -> bytes:
    """What a resuming server sends: the events after ``last_event_id``."""
    start = int(last_event_id) if last_event_id else 0
    encoder = EventStreamEncoder()
    return b"".join(encoder.encode(event) for event in events[start:])


@dataclass(frozen=True)
class Drop:
    """Send the body up to ``at`` (a fraction of it), then end the connection.

    ``eof``: a clean end of a close-delimited body; else the chunked body is
    cut without its terminator. ``after_cr``: move the cut just past a CR of
    a CRLF (the body then uses CRLF line endings).
    """

    at: float
    eof: bool = False
    after_cr: bool = False


class Resuming:
    """Serves ``events`` after Last-Event-ID; one plan per connection, then 204."""

    def __init__(self, events: list[ServerSentEvent], plans: list[Drop]) -> None:
        self.events = events
        self.plans = plans
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        attempt = len(self.requests) - 1
        if attempt >= len(self.plans):
            return Response(status=204, headers={})
        plan = self.plans[attempt]
        body = body_after(self.events, request.headers.get("last-event-id"))
        if plan.after_cr:
            body = body.replace(b"\n", b"\r\n")
        cut = int(len(body) * plan.at)
        if plan.after_cr:
            cut = body.find(b"\r", cut) + 1 or len(body)
        pieces: list[Step] = [body[i : i + 50] for i in range(0, cut, 50)]
        if plan.eof:
            return Response(steps=pieces, chunked=False)
        return Response(steps=[*pieces, Abort()])


@pytest.fixture(scope="module")
def server() -> Iterator[SSEServer]:
    with SSEServer(Resuming([], [])) as running:
        yield running


def random_drops(seed: int, count: int) -> list[Drop]:
    rng = random.Random(seed)
    drops = []
    for _ in range(count):
        kind = rng.choice(["mid-line", "after-cr", "eof"])
        drops.append(
            Drop(
                at=rng.random() * 0.3,
                eof=kind == "eof",
                after_cr=kind == "after-cr",
            )
        )
    return drops


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_exactly_once_in_order_across_random_drops(
    server: SSEServer, kind: str
) -> None:
    events = numbered(150)
    handler = server.handler = Resuming(events, random_drops(seed=len(kind), count=25))
    handler.plans.append(Drop(at=1.0, eof=True))  # the rest, then a clean end
    outcome = run_source(kind, server.url("/numbered"), Reconnector(FAST))
    assert outcome.error is None
    assert outcome.events == events
    assert len(handler.requests) == 27  # 26 bodies, then the 204
    assert handler.requests[-1].headers["last-event-id"] == "150"
    # One wait before each reconnection; none after the 204.
    assert len(outcome.retries) == 26


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_request_headers_per_fetch(server: SSEServer, kind: str) -> None:
    plans = [Drop(at=0.5), Drop(at=1.0, eof=True)]
    handler = server.handler = Resuming(numbered(3), plans)
    outcome = run_source(kind, server.url("/h"), Reconnector(FAST))
    assert outcome.error is None and outcome.events == numbered(3)
    first, second, _ = handler.requests
    for request in (first, second):
        assert request.headers["accept"] == "text/event-stream"
        assert request.headers["cache-control"] == "no-cache"
        assert request.headers["pragma"] == "no-cache"
    assert "last-event-id" not in first.headers
    assert second.headers["last-event-id"] == "2"  # the cut is in event 3


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_on_retry_gets_the_cause_and_the_delay(server: SSEServer, kind: str) -> None:
    server.handler = Resuming(numbered(4), [Drop(at=0.6), Drop(at=1.0, eof=True)])
    policy = ReconnectPolicy(reconnection_time=0.25, jitter=0, backoff=0, reset_after=0)
    outcome = run_source(kind, server.url("/r"), Reconnector(policy))
    assert outcome.error is None and outcome.events == numbered(4)
    (cut, cut_delay), (end, end_delay) = outcome.retries
    assert isinstance(cut, Exception) and not isinstance(cut, SSEError)
    assert end is None  # a clean end of stream
    assert cut_delay == end_delay == 0.25


# -- hostile IDs ------------------------------------------------------------------


class IdThenDrop:
    """Sends one event with ``id``, then drops; on reconnection, 204."""

    def __init__(self, event_id: bytes) -> None:
        self.event_id = event_id
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        if len(self.requests) > 1:
            return Response(status=204, headers={})
        return Response(steps=[b"id:" + self.event_id + b"\ndata: x\n\n", Abort()])


# (the id field's value, the Last-Event-ID the server gets or None, warned?)
HOSTILE_IDS = {
    "trailing-space": (b" 5 ", "5", False),
    "leading-space": (b"  5", "5", False),
    "lone-tab": (b"\t", None, False),  # blank once normalized: no ID at all
    "vertical-tab": (b"\x0b5", None, True),
    "form-feed": (b"5\x0c", None, True),
    "escape": (b"a\x1bb", None, True),
    "delete": (b"\x7f", None, True),
    "tab-inside": (b"a\tb", "a\tb", False),
    "non-ascii": (
        " caf\u00e9".encode(),
        "caf\u00e9".encode().decode("latin-1"),
        False,
    ),
}


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_an_id_no_header_can_carry_never_kills_the_source(
    server: SSEServer, kind: str, hostile: str
) -> None:
    raw_id, sent, warned = HOSTILE_IDS[hostile]
    handler = server.handler = IdThenDrop(raw_id)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outcome = run_source(kind, server.url("/id"), Reconnector(FAST))
    assert outcome.error is None
    assert [event.data for event in outcome.events] == ["x"]
    assert len(handler.requests) == 2
    assert handler.requests[1].headers.get("last-event-id") == sent
    id_warnings = [w for w in caught if issubclass(w.category, LastEventIdWarning)]
    assert len(id_warnings) == warned


# -- bounds: nothing lost, nothing skipped ---------------------------------------


class TwoEventsThenLongLine:
    """One write: two events, then a line over the client's bound."""

    def __init__(self) -> None:
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        if request.headers.get("last-event-id"):
            return Response(steps=[b"id: 3\ndata: three\n\n"])
        body = b"id: 1\ndata: one\n\nid: 2\ndata: two\n\ndata: " + b"x" * 200 + b"\n"
        return Response(steps=[body])


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_events_before_a_bound_are_delivered_then_the_error(
    server: SSEServer, kind: str
) -> None:
    server.handler = TwoEventsThenLongLine()
    reconnector = Reconnector(FAST, parser=EventStreamParser(max_line_size=64))
    outcome = run_source(kind, server.url("/limit"), reconnector)
    assert [event.id for event in outcome.events] == ["1", "2"]
    assert isinstance(outcome.error, LimitExceededError)
    assert reconnector.last_event_id == "2"


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_last_event_id_never_passes_an_event_not_received(
    server: SSEServer, kind: str
) -> None:
    handler = server.handler = TwoEventsThenLongLine()
    reconnector = Reconnector(FAST, parser=EventStreamParser(max_line_size=64))
    first = run_source(
        kind, server.url("/limit"), reconnector, stop=lambda event, source: True
    )
    assert [event.id for event in first.events] == ["1"]
    assert reconnector.last_event_id == first.source.last_event_id == "1"
    assert len(handler.requests) == 1
    # Resuming with the same reconnector asks for what came after event 1.
    requests: list[Request] = []

    def resume(request: Request) -> Response:
        requests.append(request)
        if len(requests) == 1:
            return Response(steps=[b"id: 2\ndata: two\n\ndata: no id\n\n"])
        return Response(status=204, headers={})

    server.handler = resume
    second = run_source(kind, server.url("/resume"), reconnector)
    assert second.error is None
    assert requests[0].headers["last-event-id"] == "1"
    assert [(event.id, event.data) for event in second.events] == [
        ("2", "two"),
        ("2", "no id"),
    ]


# -- the retry: 0 flood -------------------------------------------------------------


class Flood:
    """``retry: 0``, one event, drop: forever (the test stops it)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, request: Request) -> Response:
        self.count += 1
        return Response(steps=[b"retry: 0\ndata: x\n\n", Abort()])


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_retry_zero_drop_loop_is_slowed_by_the_default_policy(
    server: SSEServer, kind: str
) -> None:
    # Real connections, simulated time: each wait is added to the clock
    # instead of slept, until 10 simulated seconds have passed.
    handler = server.handler = Flood()
    waited: list[float] = []

    def stop_after_ten_seconds(event: ServerSentEvent, source: object) -> bool:
        return sum(waited) >= 10

    def record(error: BaseException | None, delay: float) -> None:
        waited.append(delay)

    outcome = run_source(
        kind,
        server.url("/flood"),
        Reconnector(),  # the default policy
        stop=stop_after_ten_seconds,
        on_retry=record,
    )
    assert outcome.error is None
    assert handler.count <= 10
    assert waited[:4] == pytest.approx([0, 1, 2, 4], rel=0.11)  # jitter: up to 10%


# -- retry_statuses -----------------------------------------------------------------


class BusyThenOpen:
    """503 with Retry-After, then the stream, then 204."""

    def __init__(self, retry_after: str) -> None:
        self.retry_after = retry_after
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        if len(self.requests) == 1:
            return Response(
                status=503,
                headers={"Content-Type": "text/plain", "Retry-After": self.retry_after},
                steps=[b"busy"],
            )
        if len(self.requests) == 2:
            return Response(steps=[b"id: 1\ndata: ok\n\n"])
        return Response(status=204, headers={})


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_retry_statuses_wait_for_retry_after(server: SSEServer, kind: str) -> None:
    handler = server.handler = BusyThenOpen("7")
    policy = ReconnectPolicy(
        jitter=0, reconnection_time=0.5, retry_statuses=frozenset({429, 503})
    )
    outcome = run_source(kind, server.url("/busy"), Reconnector(policy))
    assert outcome.error is None
    assert [event.data for event in outcome.events] == ["ok"]
    (busy, busy_delay), (end, _) = outcome.retries
    assert isinstance(busy, BadResponseError) and busy.status_code == 503
    assert busy.body_start == b"busy"
    assert busy_delay == 7.0  # Retry-After wins over 0.5 + 1 s of backoff
    assert end is None
    assert len(handler.requests) == 3


@pytest.mark.parametrize("kind", ["httpx", "aiohttp"])
def test_a_status_not_listed_still_fails(server: SSEServer, kind: str) -> None:
    server.handler = BusyThenOpen("1")
    policy = ReconnectPolicy(retry_statuses=frozenset({429}))
    outcome = run_source(kind, server.url("/busy"), Reconnector(policy))
    assert isinstance(outcome.error, BadResponseError)
    assert outcome.error.status_code == 503
    assert outcome.retries == []


# -- close() from another thread, restart() -----------------------------------------


class Silence:
    """Steps that end in a long pause, recording whether the pause ran out.

    Tests check that a close or a restart cut the read *before* the server's
    silence ended, rather than timing it.
    """

    def __init__(self, seconds: float = 8.0) -> None:
        self.seconds = seconds
        self.over = threading.Event()

    def after(self, *before: bytes) -> Iterator[Step]:
        yield from before
        yield Pause(self.seconds)
        self.over.set()


class OneEventThenSilence:
    """Sends ``id: n`` events, then stays silent for ``silence`` seconds."""

    def __init__(self) -> None:
        self.silences = [Silence(), Silence()]
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        n = len(self.requests)
        if n > 2:
            return Response(status=204, headers={})
        event = f"id: {n}\ndata: event {n}\n\n".encode()
        return Response(steps=self.silences[n - 1].after(event))


@pytest.mark.parametrize("kind", SYNC_KINDS)
def test_close_from_another_thread_ends_a_blocked_read(
    server: SSEServer, kind: str
) -> None:
    handler = server.handler = OneEventThenSilence()
    received = threading.Event()
    outcome: dict[str, object] = {}
    with sync_client(kind) as client:
        source = make_sync_source(kind, client, server.url("/quiet"), Reconnector())

        def consume() -> None:
            try:
                for event in source:
                    outcome.setdefault("events", []).append(event)  # type: ignore[union-attr]
                    received.set()
            except BaseException as exc:
                outcome["error"] = exc

        thread = threading.Thread(target=consume, daemon=True)
        thread.start()
        assert received.wait(5)
        time.sleep(0.05)  # let it block in the next read
        source.close()
        thread.join(5)
        assert not thread.is_alive()
        assert not handler.silences[0].over.is_set()  # the read was cut
    assert "error" not in outcome
    assert [event.id for event in outcome["events"]] == ["1"]  # type: ignore[union-attr]
    assert source.closed and list(source) == []


@pytest.mark.parametrize("kind", SYNC_KINDS)
def test_restart_from_another_thread_reconnects_with_last_event_id(
    server: SSEServer, kind: str
) -> None:
    handler = server.handler = OneEventThenSilence()
    received: list[ServerSentEvent] = []
    first = threading.Event()
    with sync_client(kind) as client:
        source = make_sync_source(
            kind, client, server.url("/quiet"), Reconnector(), sleep=None
        )

        def consume() -> None:
            for event in source:
                received.append(event)
                first.set()

        thread = threading.Thread(target=consume, daemon=True)
        thread.start()
        assert first.wait(5)
        time.sleep(0.05)
        source.restart()  # cuts the silent read; no wait before reconnecting
        deadline = time.monotonic() + 5
        while len(received) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        source.restart()
        thread.join(5)
        assert not thread.is_alive()
    assert not any(silence.over.is_set() for silence in handler.silences)
    assert [event.id for event in received] == ["1", "2"]
    assert [r.headers.get("last-event-id") for r in handler.requests] == [
        None,
        "1",
        "2",
    ]


class SilentThenEnding:
    """Event 1 then silence; after a reconnection, event 2 and a clean end; 204."""

    def __init__(self) -> None:
        self.silence = Silence()
        self.silence_over_at_reconnection: bool | None = None
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        n = len(self.requests)
        if n == 1:
            return Response(steps=self.silence.after(b"id: 1\ndata: one\n\n"))
        if n == 2:
            self.silence_over_at_reconnection = self.silence.over.is_set()
        if n == 2:
            return Response(steps=[b"id: 2\ndata: two\n\n"])
        return Response(status=204, headers={})


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_restart_inside_the_loop(server: SSEServer, kind: str) -> None:
    handler = server.handler = SilentThenEnding()

    def restart_after_one(event: ServerSentEvent, source: object) -> bool:
        if event.id == "1":
            source.restart()  # type: ignore[attr-defined]
        return False

    outcome = run_source(
        kind, server.url("/quiet"), Reconnector(FAST), stop=restart_after_one
    )
    assert outcome.error is None
    assert [event.id for event in outcome.events] == ["1", "2"]
    assert handler.requests[1].headers["last-event-id"] == "1"
    # No wait before the restarted connection: on_retry ran once, at the end.
    assert [error for error, _ in outcome.retries] == [None]
    assert handler.silence_over_at_reconnection is False  # cut, not waited out


@pytest.mark.parametrize("kind", ASYNC_KINDS)
def test_aclose_from_another_task_ends_a_pending_read(
    server: SSEServer, kind: str
) -> None:
    import aiohttp
    import anyio
    import httpx

    from sse_core.transports import aiohttp as sse_aiohttp
    from sse_core.transports import httpx as sse_httpx

    handler = server.handler = OneEventThenSilence()
    url = server.url("/quiet")
    seen: list[ServerSentEvent] = []

    async def main() -> None:
        async def consume(source: object) -> None:
            async for event in source:  # type: ignore[attr-defined]
                seen.append(event)

        async def run(source: object) -> None:
            async with anyio.create_task_group() as group:
                group.start_soon(consume, source)
                while not seen:
                    await anyio.sleep(0.01)
                await anyio.sleep(0.05)
                await source.aclose()  # type: ignore[attr-defined]

        if kind == "aiohttp":
            async with aiohttp.ClientSession() as session:
                await run(sse_aiohttp.AsyncEventSource(session, "GET", url))
        else:
            async with httpx.AsyncClient() as client:
                await run(sse_httpx.AsyncEventSource(client, "GET", url))

    run_async(kind, main)
    assert [event.id for event in seen] == ["1"]
    assert not handler.silences[0].over.is_set()  # the read was cut


def test_close_cuts_a_wait_short(server: SSEServer) -> None:
    server.handler = Flood()
    policy = ReconnectPolicy(reconnection_time=30, jitter=0)
    with sync_client("httpx") as client:
        source = make_sync_source(
            "httpx", client, server.url("/flood"), Reconnector(policy)
        )
        waiting = threading.Event()
        source.on_retry = lambda error, delay: waiting.set()
        thread = threading.Thread(target=lambda: list(source), daemon=True)
        thread.start()
        assert waiting.wait(5)
        source.close()
        thread.join(5)  # well within the 30 s reconnection time
        assert not thread.is_alive()


def test_sources_dir_shows_only_the_public_names() -> None:
    import sse_core.transports as package
    from sse_core.transports import (
        aiohttp,
        asyncio,
        httpx,
        requests,
        trio,
        urllib,
        urllib3,
    )

    for module in (aiohttp, asyncio, httpx, requests, trio, urllib, urllib3):
        assert dir(module) == sorted(module.__all__), module.__name__
    submodules = {"_common", "aiohttp", "asyncio", "httpx", "requests", "trio"}
    submodules |= {"urllib", "urllib3"}
    assert set(dir(package)) <= set(package.__all__) | submodules
    assert set(package.__all__) <= set(dir(package))


@pytest.mark.parametrize("kind", ["httpx", "urllib"])
def test_close_from_on_retry_stops_without_a_wait(server: SSEServer, kind: str) -> None:
    handler = server.handler = Flood()
    with sync_client(kind) as client:
        source = make_sync_source(
            kind, client, server.url("/flood"), Reconnector(), sleep=None
        )
        source.on_retry = lambda error, delay: source.close()
        assert [event.data for event in source] == ["x"]
    assert handler.count == 1


def test_the_stdlib_source_refuses_unknown_options_at_once() -> None:
    from sse_core.transports.urllib import EventSource

    with pytest.raises(TypeError, match="json"):
        EventSource(None, "GET", "http://127.0.0.1:9/", json={"a": 1})


# -- comments, in stream order (Reconnector(comments=True)) -------------------------


def commented_stream(count: int) -> tuple[bytes, list[ServerSentEvent | Comment]]:
    """Events with comments between them, between their fields and at the end.

    Returns the body (CRLF and LF line endings mixed) and the items a parser
    with comments gives, in order.
    """
    body = b""
    items: list[ServerSentEvent | Comment] = []
    for n in range(1, count + 1):
        ending = b"\r\n" if n % 3 == 0 else b"\n"
        body += b": before %d" % n + ending
        body += b"id: %d" % n + ending + b":inside %d" % n + ending
        body += b"data: event %d" % n + ending + ending
        items += [
            Comment(f" before {n}"),
            Comment(f"inside {n}"),
            ServerSentEvent(data=f"event {n}", id=str(n)),
        ]
    body += b":the end\n"
    items.append(Comment("the end"))
    return body, items


def random_writes(body: bytes, rng: random.Random) -> list[Step]:
    """``body`` cut into writes of 1 to 40 bytes (each a read, or part of one)."""
    steps: list[Step] = []
    start = 0
    while start < len(body):
        size = rng.randint(1, 40)
        steps.append(body[start : start + size])
        start += size
    return steps


class OnceThen204:
    """The body in the given writes, a clean end, then 204 on reconnection."""

    def __init__(self, steps: list[Step]) -> None:
        self.steps = steps
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        if len(self.requests) > 1:
            return Response(status=204, headers={})
        return Response(steps=self.steps)


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("seed", [1, 2])
def test_comments_arrive_in_stream_order_under_random_read_splits(
    server: SSEServer, kind: str, seed: int
) -> None:
    body, items = commented_stream(40)
    steps = random_writes(body, random.Random(seed))
    server.handler = OnceThen204(steps)
    reconnector = Reconnector(FAST, comments=True)
    outcome = run_source(kind, server.url("/comments"), reconnector)
    assert outcome.error is None
    assert outcome.events == items
    assert reconnector.last_event_id == "40"  # comments never move it
    # The default: the same stream, events only.
    server.handler = OnceThen204(steps)
    default = run_source(kind, server.url("/comments"), Reconnector(FAST))
    assert default.error is None
    assert default.events == [i for i in items if isinstance(i, ServerSentEvent)]


class CommentedResuming:
    """``commented_stream`` after Last-Event-ID, cut at random; 204 when done."""

    def __init__(self, count: int, drops: int, seed: int) -> None:
        self.count = count
        self.drops = drops
        self.rng = random.Random(seed)
        self.requests: list[Request] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(request)
        if len(self.requests) > self.drops + 1:
            return Response(status=204, headers={})
        start = int(request.headers.get("last-event-id") or 0)
        body = commented_stream(self.count)[0]
        # Resume at the comment that opens the event after `start`.
        body = body[body.index(b": before %d" % (start + 1)) :]
        steps = random_writes(body, self.rng)
        if len(self.requests) <= self.drops:
            steps = steps[: self.rng.randint(1, max(1, len(steps) // 4))]
            steps.append(Abort())
        return Response(steps=steps)


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_comments_across_drops_keep_their_place_before_their_event(
    server: SSEServer, kind: str
) -> None:
    # A comment is not resumable: one sent before a cut is sent again with
    # the events after Last-Event-ID. But each one arrives in its place, and
    # the events arrive exactly once, in order.
    handler = server.handler = CommentedResuming(count=30, drops=8, seed=len(kind))
    reconnector = Reconnector(FAST, comments=True)
    outcome = run_source(kind, server.url("/resume"), reconnector)
    assert outcome.error is None
    events = [item for item in outcome.events if isinstance(item, ServerSentEvent)]
    assert events == numbered(30)
    # Each connection gives a run of the stream's items, in order, from the
    # comment that opens the event after the last one delivered.
    items = commented_stream(30)[1]
    position = resumptions = 0
    last_id = 0
    for item in outcome.events:
        if position < len(items) and item == items[position]:
            position += 1
        else:
            assert item == Comment(f" before {last_id + 1}")
            position = items.index(item) + 1
            resumptions += 1
        if isinstance(item, ServerSentEvent):
            last_id = int(item.id)
    assert position == len(items)
    assert resumptions <= 8
    assert len(handler.requests) == 10


def _comment_bomb() -> bytes:
    # ~100 KiB of gzip expanding to 10 M comment lines (70 MB).
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = b": ping\n" * 100_000
    return b"".join(
        [*(compressor.compress(block) for _ in range(100)), compressor.flush()]
    )


COMMENT_BOMB = _comment_bomb()


def comment_bomb(request: Request) -> Response:
    if "last-event-id" in request.headers:
        return Response(status=204, headers={})
    return Response(
        headers={"Content-Type": "text/event-stream", "Content-Encoding": "gzip"},
        steps=[COMMENT_BOMB[i : i + 16384] for i in range(0, len(COMMENT_BOMB), 16384)],
        chunked=False,
    )


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_a_compressed_comment_bomb_stays_bounded(server: SSEServer, kind: str) -> None:
    # Comments are read a bounded piece at a time like events: each feed()
    # gets at most 64 KiB, so it returns at most ~9 K comments, however
    # small the compressed input.
    server.handler = comment_bomb
    taken = [0]

    def stop(item: object, source: object) -> bool:
        taken[0] += 1
        return taken[0] == 30_000

    reconnector = Reconnector(ReconnectPolicy(max_attempts=1), comments=True)
    tracemalloc.start()
    try:
        outcome = run_source(kind, server.url("/bomb"), reconnector, stop=stop)
        assert outcome.events[-1] == Comment(" ping")
        outcome.events.clear()  # what run_source kept, not what the source held
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert outcome.error is None and taken[0] == 30_000
    assert peak < 16 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"
