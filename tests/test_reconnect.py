"""Reconnection: the sans-I/O Reconnector, then httpx's EventSource against a real server.

The fault tests cut the connection at chosen bytes (mid-stream, mid-line,
mid-event, inside a UTF-8 character, between CR and LF), and check that the
client resumes with the right ``Last-Event-ID``, waits the delays its policy
computed (recorded by an injected sleep, so no test waits on the clock), stops
on HTTP 204, gives up after the configured attempts, and delivers the intended
events exactly once each.
"""

from __future__ import annotations

import asyncio
import math
import random
import socket
import warnings
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from typing import Callable, Union

import httpx
import pytest
import trio
from hypothesis import given
from hypothesis import strategies as st

from sse_core import (
    BadResponseError,
    Comment,
    EventStreamEncoder,
    EventStreamParser,
    LastEventIdWarning,
    LimitExceededError,
    ServerSentEvent,
    encode,
)
from sse_core._reconnect import (
    DEFAULT_RECONNECTION_TIME,
    Reconnector,
    ReconnectPolicy,
    ResponseVerdict,
    RetriesExhaustedError,
    classify_response,
    is_event_stream,
    parse_retry_after,
    sendable_event_id,
)
from sse_core.transports.httpx import AsyncEventSource, EventSource

from .sse_server import Abort, Request, Response, SSEServer

SSE = "text/event-stream"
# reset_after=0: any connection that delivered an event resets the backoff,
# which keeps these delays easy to predict (tests below cover reset_after).
NO_JITTER = ReconnectPolicy(
    reconnection_time=0.5,
    backoff=0.25,
    max_backoff=1.0,
    jitter=0,
    max_attempts=3,
    reset_after=0,
)

# -- the decision after a response ---------------------------------------------


@pytest.mark.parametrize(
    ("status", "content_type", "verdict"),
    [
        (200, SSE, ResponseVerdict.OPEN),
        (200, "text/event-stream; charset=utf-8", ResponseVerdict.OPEN),
        (200, " Text/Event-Stream ;charset=UTF-8", ResponseVerdict.OPEN),
        (201, SSE, ResponseVerdict.OPEN),
        (204, "", ResponseVerdict.STOP),
        (204, SSE, ResponseVerdict.STOP),
        (200, "application/json", ResponseVerdict.FAIL),
        (200, "text/event-streams", ResponseVerdict.FAIL),
        (200, "", ResponseVerdict.FAIL),
        (301, SSE, ResponseVerdict.FAIL),
        (404, SSE, ResponseVerdict.FAIL),
        (500, "text/html", ResponseVerdict.FAIL),
        (503, SSE, ResponseVerdict.FAIL),
    ],
)
def test_classify_response(
    status: int, content_type: str, verdict: ResponseVerdict
) -> None:
    assert classify_response(status, content_type) is verdict
    assert is_event_stream(content_type) == (
        content_type.split(";", maxsplit=1)[0].strip().lower() == SSE
    )


# -- Last-Event-ID ---------------------------------------------------------------


def open_stream(reconnector: Reconnector) -> None:
    verdict = reconnector.response_received(200, SSE)
    assert verdict is ResponseVerdict.OPEN


def test_no_header_until_an_id_arrives() -> None:
    reconnector = Reconnector()
    assert reconnector.request_headers() == {}
    open_stream(reconnector)
    assert reconnector.feed(b"data: no id\n\n") == [ServerSentEvent(data="no id")]
    assert reconnector.request_headers() == {}
    reconnector.feed(b"id: 7\ndata: x\n\n")
    assert reconnector.request_headers() == {"Last-Event-ID": "7"}
    # An empty id resets the last event ID: the header is no longer sent.
    reconnector.feed(b"id\ndata: y\n\n")
    assert reconnector.last_event_id == ""
    assert reconnector.request_headers() == {}


def test_an_unfinished_block_does_not_move_the_last_event_id() -> None:
    reconnector = Reconnector()
    open_stream(reconnector)
    reconnector.feed(b"id: 1\ndata: one\n\nid: 2\ndata: tw")
    assert reconnector.request_headers() == {"Last-Event-ID": "1"}
    reconnector.connection_lost()
    open_stream(reconnector)
    assert reconnector.last_event_id == "1"
    # The cut block is gone: the server's replay starts clean.
    assert reconnector.feed(b"id: 2\ndata: two\n\n") == [
        ServerSentEvent(data="two", id="2")
    ]


def test_initial_last_event_id_and_custom_parser() -> None:
    assert Reconnector(last_event_id="41").request_headers() == {"Last-Event-ID": "41"}
    seen: list[str] = []
    parser = EventStreamParser(on_comment=seen.append, last_event_id="\u00e9")
    reconnector = Reconnector(parser=parser)
    assert reconnector.parser is parser
    assert reconnector.request_headers() == {"Last-Event-ID": "\u00e9"}
    open_stream(reconnector)
    assert reconnector.feed(b": hi\ndata: x\n\n") == [
        ServerSentEvent(data="x", id="\u00e9")
    ]
    assert seen == [" hi"]


@pytest.mark.parametrize("bad", ["a\nb", "a\rb", "\r\n", "a\0b"])
def test_ids_no_header_can_carry_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="last_event_id"):
        Reconnector(last_event_id=bad)


def test_last_event_id_goes_to_the_parser_or_the_reconnector_not_both() -> None:
    with pytest.raises(ValueError, match="not to both"):
        Reconnector(last_event_id="1", parser=EventStreamParser())


# -- delays ------------------------------------------------------------------------


def test_default_policy() -> None:
    policy = ReconnectPolicy()
    assert policy.reconnection_time == DEFAULT_RECONNECTION_TIME == 3.0
    assert Reconnector().reconnection_time == 3.0
    assert policy.max_attempts == 5


def test_retry_sets_the_reconnection_time_and_survives_reconnection() -> None:
    reconnector = Reconnector(NO_JITTER)
    assert reconnector.reconnection_time == 0.5
    open_stream(reconnector)
    # 9.2.6: retry takes effect when its line is parsed, even in a block that
    # is never finished.
    reconnector.feed(b"data: x\n\nretry: 2500\ndata: cut")
    assert reconnector.reconnection_time == 2.5
    assert reconnector.connection_lost() == 2.5
    open_stream(reconnector)
    assert reconnector.reconnection_time == 2.5
    reconnector.feed(b"retry: 10\n\n")
    assert reconnector.reconnection_time == 0.01


def test_backoff_grows_per_failed_attempt_and_resets_on_an_event() -> None:
    policy = ReconnectPolicy(
        reconnection_time=3,
        backoff=1,
        multiplier=2,
        max_backoff=5,
        jitter=0,
        reset_after=0,
    )
    reconnector = Reconnector(dataclass_replace(policy, max_attempts=None))
    # T + min(max_backoff, backoff * multiplier ** (k - 1)) after k failures.
    assert [reconnector.connection_lost() for _ in range(5)] == [4, 5, 7, 8, 8]
    assert reconnector.failed_attempts == 5
    open_stream(reconnector)
    reconnector.feed(b"data: alive\n\n")
    assert reconnector.failed_attempts == 0
    # A connection that delivered an event is followed by the plain
    # reconnection time, as the standard says.
    assert reconnector.connection_lost() == 3
    assert reconnector.connection_lost() == 4


def dataclass_replace(policy: ReconnectPolicy, **changes: object) -> ReconnectPolicy:
    from dataclasses import replace

    return replace(policy, **changes)  # type: ignore[arg-type]


def test_backoff_is_capped_even_after_thousands_of_failures() -> None:
    policy = ReconnectPolicy(jitter=0, max_attempts=None, max_backoff=7)
    reconnector = Reconnector(policy)
    for _ in range(5000):
        delay = reconnector.connection_lost()
    assert delay == policy.reconnection_time + 7


def test_no_backoff_waits_the_reconnection_time_only() -> None:
    policy = ReconnectPolicy(backoff=0, jitter=0, max_attempts=None)
    reconnector = Reconnector(policy)
    assert {reconnector.connection_lost() for _ in range(3000)} == {3.0}


@given(
    seed=st.integers(),
    jitter=st.floats(0, 1),
    failures=st.integers(0, 60),
    retry=st.one_of(st.none(), st.integers(0, 10**7)),
)
def test_jitter_only_adds_and_is_reproducible(
    seed: int, jitter: float, failures: int, retry: int | None
) -> None:
    policy = ReconnectPolicy(jitter=jitter, max_attempts=None)
    delays = []
    for _ in range(2):
        reconnector = Reconnector(policy, rng=random.Random(seed))
        if retry is not None:
            open_stream(reconnector)
            reconnector.feed(b"retry: %d\n" % retry)
        delays.append([reconnector.connection_lost() for _ in range(failures + 1)])
    assert delays[0] == delays[1]
    no_jitter = Reconnector(dataclass_replace(policy, jitter=0))
    if retry is not None:
        open_stream(no_jitter)
        no_jitter.feed(b"retry: %d\n" % retry)
    for delay in delays[0]:
        base = no_jitter.connection_lost()
        assert base <= delay <= base * (1 + jitter)


def test_jitter_spreads_delays() -> None:
    policy = ReconnectPolicy(jitter=0.5, reset_after=0)
    reconnector = Reconnector(policy, rng=random.Random(1))
    delays = set()
    for _ in range(20):
        open_stream(reconnector)
        reconnector.feed(b"data: x\n\n")
        delays.add(reconnector.connection_lost())
    assert len(delays) == 20
    assert all(3.0 <= delay < 4.5 for delay in delays)


@pytest.mark.parametrize(
    "changes",
    [
        {"reconnection_time": -1},
        {"reconnection_time": math.nan},
        {"backoff": -0.1},
        {"max_backoff": -1},
        {"multiplier": 0.5},
        {"jitter": 1.5},
        {"jitter": -0.1},
        {"max_attempts": 0},
        {"max_attempts": True},
        {"max_attempts": 2.0},
    ],
)
def test_invalid_policies_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=next(iter(changes))):
        ReconnectPolicy(**changes)  # type: ignore[arg-type]


# -- giving up ---------------------------------------------------------------------


def test_gives_up_after_max_attempts_failures_in_a_row() -> None:
    reconnector = Reconnector(NO_JITTER, last_event_id="9")
    cause = ConnectionRefusedError()
    assert reconnector.connection_lost(cause) == 0.75
    assert reconnector.connection_lost(cause) == 1.0
    with pytest.raises(RetriesExhaustedError) as caught:
        reconnector.connection_lost(cause)
    assert caught.value.attempts == 3
    assert caught.value.last_event_id == "9"
    assert caught.value.__cause__ is cause
    assert "3 connection attempts" in str(caught.value)


def test_an_event_between_failures_restarts_the_count() -> None:
    reconnector = Reconnector(NO_JITTER)
    for _ in range(10):
        reconnector.connection_lost()
        reconnector.connection_lost()
        open_stream(reconnector)
        reconnector.feed(b"data: x\n\n")
        assert reconnector.connection_lost() == 0.5


def test_events_before_a_limit_error_count_as_delivered() -> None:
    reconnector = Reconnector(NO_JITTER, parser=EventStreamParser(max_line_size=16))
    reconnector.connection_lost()
    open_stream(reconnector)
    with pytest.raises(LimitExceededError):
        reconnector.feed(b"data: ok\n\ndata: " + b"x" * 40 + b"\n")
    assert reconnector.failed_attempts == 0


def test_a_rejected_response_leaves_the_parser_alone() -> None:
    reconnector = Reconnector()
    open_stream(reconnector)
    reconnector.feed(b"data: par")
    assert reconnector.response_received(503, SSE) is ResponseVerdict.FAIL
    assert reconnector.feed(b"tial\n\n") == [ServerSentEvent(data="partial")]
    assert reconnector.response_received(204, SSE) is ResponseVerdict.STOP


def test_repr() -> None:
    assert repr(Reconnector(last_event_id="3")) == (
        "<Reconnector last_event_id='3' reconnection_time=3.0s failed_attempts=0>"
    )


# -- resuming, simulated without I/O -----------------------------------------------

# IDs a header can carry (hostile ones are tested in test_hostile_servers.py);
# the server compares them as Fetch sends them, surrounding blanks stripped.
ids = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t"),
    max_size=5,
)


@st.composite
def numbered_events(draw: st.DrawFn) -> list[ServerSentEvent]:
    datas = draw(st.lists(st.text(max_size=20).map(_lf_only), max_size=12))
    return [
        ServerSentEvent(
            event=draw(st.sampled_from(["message", "update"])),
            data=data,
            id=f"{index}:{draw(ids)}",
        )
        for index, data in enumerate(datas)
    ]


def _lf_only(text: str) -> str:
    return text.replace("\r", "")


def server_body(events: list[ServerSentEvent], last_event_id: str) -> bytes:
    """What a resuming server sends: every event after ``last_event_id``."""
    start = 0
    for index, event in enumerate(events):
        if last_event_id and event.id.strip(" \t") == last_event_id:
            start = index + 1
    encoder = EventStreamEncoder(last_event_id)
    return b"".join(encoder.encode(event) for event in events[start:])


@given(
    events=numbered_events(),
    cuts=st.lists(st.floats(0, 1), max_size=6),
    crlf=st.booleans(),
    read_size=st.integers(1, 64),
)
def test_resuming_delivers_every_event_exactly_once(
    events: list[ServerSentEvent], cuts: list[float], crlf: bool, read_size: int
) -> None:
    reconnector = Reconnector(ReconnectPolicy(max_attempts=None))
    delivered: list[ServerSentEvent] = []
    for cut in [*cuts, None]:
        body = server_body(
            events, reconnector.request_headers().get("Last-Event-ID", "")
        )
        if crlf:
            body = body.replace(b"\n", b"\r\n")
        if cut is not None:
            body = body[: int(len(body) * cut)]
        open_stream(reconnector)
        for start in range(0, len(body), read_size):
            delivered += reconnector.feed(body[start : start + read_size])
        reconnector.connection_lost()
    assert delivered == events


# -- EventSource against a real server ---------------------------------------------

EVENTS = [
    ServerSentEvent(data=text, id=str(number))
    for number, text in enumerate(["one", "two", "three", "\u00e9t\u00e9", "five"], 1)
]


@dataclass(frozen=True)
class Cut:
    """Send the body up to and including ``after``, then drop the connection."""

    after: bytes
    crlf: bool = False


@dataclass(frozen=True)
class Complete:
    """Send the whole body and end the response normally."""


@dataclass(frozen=True)
class Nothing:
    """Send the response head, then drop the connection."""


@dataclass(frozen=True)
class Status:
    """Answer with this status, content type and body."""

    status: int
    content_type: str = "application/json"
    body: bytes = b'{"error": "unavailable"}'


Plan = Union[Cut, Complete, Nothing, Status]


class ResumingServer:
    """Replays ``events`` after the request's Last-Event-ID; one plan per connection.

    Once the plans run out, it answers 204 (stop reconnecting). The body
    starts with ``retry: {retry}``.
    """

    def __init__(
        self, plans: list[Plan], events: list[ServerSentEvent] = EVENTS, retry: int = 10
    ) -> None:
        self.plans = plans
        self.events = events
        self.preamble = encode(retry=retry)
        self.last_event_ids: list[str | None] = []

    def __call__(self, request: Request) -> Response:
        last_event_id = request.headers.get("last-event-id")
        self.last_event_ids.append(last_event_id)
        attempt = len(self.last_event_ids) - 1
        if attempt >= len(self.plans):
            return Response(status=204, headers={})
        plan = self.plans[attempt]
        body = self.preamble + server_body(
            self.events, (last_event_id or "").encode("latin-1").decode()
        )
        if isinstance(plan, Cut):
            if plan.crlf:
                body = body.replace(b"\n", b"\r\n")
            end = body.index(plan.after) + len(plan.after)
            return Response(steps=[body[:end], Abort()])
        if isinstance(plan, Complete):
            return Response(steps=[body[i : i + 7] for i in range(0, len(body), 7)])
        if isinstance(plan, Nothing):
            return Response(steps=[Abort()])
        return Response(
            status=plan.status,
            headers={"Content-Type": plan.content_type},
            steps=[plan.body],
        )


class Run:
    """What one EventSource run delivered, and the delays it asked to sleep."""

    def __init__(self) -> None:
        self.events: list[ServerSentEvent] = []
        self.delays: list[float] = []


def run_sync(url: str, reconnector: Reconnector, run: Run) -> None:
    with httpx.Client() as client:
        source = EventSource(
            client, "GET", url, reconnector=reconnector, sleep=run.delays.append
        )
        with source:
            for event in source:
                run.events.append(event)


async def _run_async(url: str, reconnector: Reconnector, run: Run) -> None:
    async def sleep(delay: float) -> None:
        run.delays.append(delay)

    async with httpx.AsyncClient() as client:
        source = AsyncEventSource(
            client, "GET", url, reconnector=reconnector, sleep=sleep
        )
        async with source:
            async for event in source:
                run.events.append(event)


def run_asyncio(url: str, reconnector: Reconnector, run: Run) -> None:
    asyncio.run(_run_async(url, reconnector, run))


def run_trio(url: str, reconnector: Reconnector, run: Run) -> None:
    trio.run(_run_async, url, reconnector, run)


Runner = Callable[[str, Reconnector, Run], None]
RUNNERS = {"sync": run_sync, "asyncio": run_asyncio, "trio": run_trio}


@pytest.fixture(scope="module")
def http() -> Iterator[SSEServer]:
    """One server for the module; each test installs its own handler."""
    with SSEServer(ResumingServer([])) as running:
        yield running


def serve(
    http: SSEServer, plans: list[Plan], runner: Runner, **options: object
) -> tuple:
    """Run an EventSource against a ResumingServer; return (run, server, error)."""
    server = http.handler = ResumingServer(plans, **options)  # type: ignore[arg-type]
    run = Run()
    error: BaseException | None = None
    try:
        runner(http.url("/events"), Reconnector(NO_JITTER), run)
    except Exception as exc:
        error = exc
    return run, server, error


CUTS = {
    "between-events": (Cut(after=b"data: two\n\n"), "2"),
    "mid-line": (Cut(after=b"data: th"), "2"),
    "before-blank-line": (Cut(after=b"data: three\n"), "2"),
    "after-id-field": (Cut(after=b"id: 3\n"), "2"),
    "mid-utf8": (Cut(after=b"data: \xc3"), "3"),
    "between-cr-and-lf": (Cut(after=b"data: three\r", crlf=True), "2"),
    "after-blank-line-cr": (Cut(after=b"data: three\r\n\r", crlf=True), "3"),
}


@pytest.mark.parametrize("cut", CUTS)
@pytest.mark.parametrize("runner", RUNNERS)
def test_resumes_a_cut_stream_without_duplicates_or_losses(
    http: SSEServer, runner: str, cut: str
) -> None:
    plan, resume_from = CUTS[cut]
    run, server, error = serve(http, [plan, Complete()], RUNNERS[runner])
    assert error is None
    assert run.events == EVENTS
    # Reconnect after the cut, then after the clean end; the 204 stops it.
    assert server.last_event_ids == [None, resume_from, "5"]
    assert run.delays == [0.01, 0.01]  # the server's retry: 10


@pytest.mark.parametrize("runner", RUNNERS)
def test_backs_off_while_connections_deliver_nothing(
    http: SSEServer, runner: str
) -> None:
    plans: list[Plan] = [Cut(after=b"data: two\n\n"), Nothing(), Nothing(), Complete()]
    run, server, error = serve(http, plans, RUNNERS[runner])
    assert error is None
    assert run.events == EVENTS
    assert server.last_event_ids == [None, "2", "2", "2", "5"]
    assert run.delays == [0.01, 0.01 + 0.25, 0.01 + 0.5, 0.01]


@pytest.mark.parametrize("runner", RUNNERS)
def test_gives_up_after_max_attempts(http: SSEServer, runner: str) -> None:
    run, server, error = serve(http, [Nothing()] * 10, RUNNERS[runner])
    assert isinstance(error, RetriesExhaustedError)
    assert error.attempts == 3
    assert isinstance(error.__cause__, httpx.RemoteProtocolError)
    assert len(server.last_event_ids) == 3
    # No retry received: the policy's reconnection time, plus the backoff.
    assert run.delays == [0.5 + 0.25, 0.5 + 0.5]
    assert run.events == []


@pytest.mark.parametrize("runner", RUNNERS)
def test_gives_up_on_a_server_that_refuses_connections(runner: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The port is closed now: every attempt is refused.
    run = Run()
    with pytest.raises(RetriesExhaustedError) as caught:
        RUNNERS[runner](f"http://127.0.0.1:{port}/", Reconnector(NO_JITTER), run)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert run.delays == [0.75, 1.0]


@pytest.mark.parametrize("runner", RUNNERS)
def test_stops_on_204(http: SSEServer, runner: str) -> None:
    run, server, error = serve(http, [], RUNNERS[runner])
    assert (run.events, run.delays, error) == ([], [], None)
    assert server.last_event_ids == [None]


@pytest.mark.parametrize(
    "status", [Status(503), Status(404, "text/html", b"<h1>gone</h1>"), Status(200)]
)
@pytest.mark.parametrize("runner", RUNNERS)
def test_a_bad_response_on_reconnection_fails_without_retrying(
    http: SSEServer, runner: str, status: Status
) -> None:
    run, server, error = serve(
        http, [Cut(after=b"data: two\n\n"), status], RUNNERS[runner]
    )
    assert isinstance(error, BadResponseError)
    assert (error.status_code, error.content_type) == (
        status.status,
        status.content_type,
    )
    assert error.body_start == status.body
    assert run.events == EVENTS[:2]
    assert server.last_event_ids == [None, "2"]


@pytest.mark.parametrize("runner", RUNNERS)
def test_honours_the_latest_retry(http: SSEServer, runner: str) -> None:
    events = [
        ServerSentEvent(data="a", id="1"),
        ServerSentEvent(data="b", id="2", retry=20),
        ServerSentEvent(data="c", id="3", retry=1500),
        ServerSentEvent(data="d", id="4", retry=30),
    ]
    plans: list[Plan] = [Cut(after=b"data: b\n\n"), Cut(after=b"retry: 30\n")]
    plans.append(Complete())
    run, _, error = serve(http, plans, RUNNERS[runner], events=events)
    assert error is None
    assert run.events == events
    # Each body starts with retry: 10; a later retry field overrides it, even
    # in a block the cut left unfinished (d's, on the second connection).
    assert run.delays == [0.02, 0.03, 0.03]


@pytest.mark.parametrize("runner", RUNNERS)
def test_no_header_when_the_last_event_id_is_empty(
    http: SSEServer, runner: str
) -> None:
    events = [ServerSentEvent(data="a", id="1"), ServerSentEvent(data="b", id="")]
    run, server, error = serve(
        http, [Cut(after=b"data: b\n\n"), Complete()], RUNNERS[runner], events=events
    )
    assert error is None
    # The server cannot resume after an empty ID: it starts over, by design.
    assert run.events == [*events, *events]
    assert server.last_event_ids == [None, None, None]


@pytest.mark.parametrize("runner", RUNNERS)
def test_non_ascii_ids_are_sent_as_utf8(http: SSEServer, runner: str) -> None:
    events = [event._replace(id=event.id + "\u00e9") for event in EVENTS]
    run, server, error = serve(
        http,
        [Cut(after=b"data: three\n\n"), Complete()],
        RUNNERS[runner],
        events=events,
    )
    assert error is None
    assert run.events == events
    assert server.last_event_ids[1] == "3\u00e9".encode().decode("latin-1")


def test_resumes_from_a_saved_last_event_id(http: SSEServer) -> None:
    server = http.handler = ResumingServer([Complete()])
    run = Run()
    run_sync(http.url("/"), Reconnector(NO_JITTER, last_event_id="3"), run)
    assert run.events == EVENTS[3:]
    assert server.last_event_ids == ["3", "5"]


def test_closing_early_closes_the_response(http: SSEServer) -> None:
    server = http.handler = ResumingServer([Complete()])
    with httpx.Client() as client:
        with EventSource(client, "GET", http.url("/")) as source:
            for event in source:
                assert event == EVENTS[0]
                break
        assert source.last_event_id == "1"
        assert list(source) == []  # closed: nothing more, no reconnection
    assert server.last_event_ids == [None]


@pytest.mark.parametrize("library", ["asyncio", "trio"])
def test_async_default_sleep_runs_on_both_event_loops(
    http: SSEServer, library: str
) -> None:
    http.handler = ResumingServer([Cut(after=b"data: two\n\n"), Complete()], retry=1)

    async def main(url: str) -> list[ServerSentEvent]:
        policy = ReconnectPolicy(jitter=0)
        async with httpx.AsyncClient() as client:
            source = AsyncEventSource(
                client, "GET", url, reconnector=Reconnector(policy)
            )
            return [event async for event in source]

    runner: Callable[[str], Awaitable[list[ServerSentEvent]]] = main
    if library == "asyncio":
        events = asyncio.run(runner(http.url("/")))
    else:
        events = trio.run(runner, http.url("/"))
    assert events == EVENTS


def test_a_huge_retry_is_capped_by_max_delay() -> None:
    # Found by the hardening work: retry up to 2**63-1 ms made time.sleep raise
    # OverflowError, and smaller huge values stalled the client for years.
    reconnector = Reconnector(ReconnectPolicy(jitter=0))
    reconnector.response_received(200, "text/event-stream")
    reconnector.feed(b"retry: 99999999999999999999\ndata: x\n\n")
    delay = reconnector.connection_lost()
    assert delay == ReconnectPolicy().max_delay == 3600.0
    capped = Reconnector(ReconnectPolicy(jitter=0, max_delay=2.5))
    capped.response_received(200, "text/event-stream")
    capped.feed(b"retry: 10000\n\n")
    assert capped.connection_lost() == 2.5


# -- reset_after, the retry: 0 flood, retry_statuses (sans I/O, a fake clock) ------


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_backoff_resets_only_after_a_connection_stayed_up_reset_after() -> None:
    clock = FakeClock()
    policy = ReconnectPolicy(jitter=0, reconnection_time=0, reset_after=60)
    reconnector = Reconnector(policy, clock=clock)

    def connection(seconds: float, events: bytes = b"data: x\n\n") -> float:
        open_stream(reconnector)
        reconnector.feed(events)
        clock.now += seconds
        return reconnector.connection_lost()

    # Short connections grow the backoff even though they delivered events
    # (the first is followed by the plain reconnection time, as in 9.2.3).
    assert [connection(1) for _ in range(5)] == [0, 1, 2, 4, 8]
    assert reconnector.failed_attempts == 0  # they did deliver
    # A connection up 60 s with an event is stable: the backoff starts over.
    assert connection(60) == 0
    assert [connection(59.9) for _ in range(2)] == [0, 1]
    # Up long enough but with nothing delivered: not stable.
    assert connection(120, events=b": keep-alive\n\n") == 4
    assert reconnector.unstable_attempts == 3


def test_reset_after_zero_resets_after_any_delivering_connection() -> None:
    reconnector = Reconnector(
        ReconnectPolicy(jitter=0, reconnection_time=0, reset_after=0),
        clock=FakeClock(),
    )
    for _ in range(5):
        open_stream(reconnector)
        reconnector.feed(b"data: x\n\n")
        assert reconnector.connection_lost() == 0


def test_giving_up_counts_only_attempts_that_delivered_nothing() -> None:
    clock = FakeClock()
    reconnector = Reconnector(ReconnectPolicy(jitter=0, max_attempts=3), clock=clock)
    for _ in range(50):  # delivering, short connections: slowed, never dropped
        open_stream(reconnector)
        reconnector.feed(b"data: x\n\n")
        reconnector.connection_lost()
    reconnector.connection_lost()
    reconnector.connection_lost()
    with pytest.raises(RetriesExhaustedError):
        reconnector.connection_lost()


@pytest.mark.parametrize("seed", range(20))
def test_the_retry_zero_drop_loop_makes_at_most_10_connections_in_10_seconds(
    seed: int,
) -> None:
    # The flood: retry: 0, one event, drop, forever; default policy.
    clock = FakeClock()
    reconnector = Reconnector(rng=random.Random(seed), clock=clock)
    connections = 0
    while clock.now < 10:
        connections += 1
        open_stream(reconnector)
        assert reconnector.feed(b"retry: 0\ndata: x\n\n")
        clock.now += 0.001  # the server drops it at once
        clock.now += reconnector.connection_lost()
    assert connections <= 10
    assert connections == 5  # at 0, 0, ~1, ~3 and ~7 s


def test_retry_statuses_give_retry_and_honour_retry_after() -> None:
    policy = ReconnectPolicy(
        jitter=0, reconnection_time=1, retry_statuses=frozenset({429, 503})
    )
    reconnector = Reconnector(policy)
    verdict = reconnector.response_received(503, "text/html", retry_after="120")
    assert verdict is ResponseVerdict.RETRY
    assert reconnector.connection_lost() == 120
    # Without Retry-After (or an invalid one): the policy's delay.
    assert reconnector.response_received(429, "", retry_after="soon") is (
        ResponseVerdict.RETRY
    )
    assert reconnector.connection_lost() == 1 + 2  # two failures in a row
    # Retry-After never goes past max_delay.
    reconnector.response_received(503, "", retry_after="99999999")
    assert reconnector.connection_lost() == policy.max_delay
    # Statuses not listed still fail; 2xx never retries.
    assert reconnector.response_received(500, "") is ResponseVerdict.FAIL
    assert reconnector.response_received(200, "text/html") is ResponseVerdict.FAIL


def test_retry_statuses_are_off_by_default() -> None:
    assert ReconnectPolicy().retry_statuses == frozenset()
    assert Reconnector().response_received(503, "") is ResponseVerdict.FAIL


@pytest.mark.parametrize("statuses", [{200}, {204}, {99}, {600}, {"503"}, {True}])
def test_retry_statuses_must_be_non_2xx_statuses(statuses: set[object]) -> None:
    with pytest.raises(ValueError, match="retry_statuses"):
        ReconnectPolicy(retry_statuses=frozenset(statuses))  # type: ignore[arg-type]


def test_retry_statuses_accept_any_iterable_and_store_a_frozenset() -> None:
    policy = ReconnectPolicy(retry_statuses=[429, 503])  # type: ignore[arg-type]
    assert policy.retry_statuses == frozenset({429, 503})
    assert hash(policy) == hash(ReconnectPolicy(retry_statuses=frozenset({503, 429})))


def test_reset_after_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="reset_after"):
        ReconnectPolicy(reset_after=-1)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0", 0.0),
        ("120", 120.0),
        (" 7 ", 7.0),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 10.0),  # RFC 9110's example date
        ("Sun, 06 Nov 1994 08:49:17 GMT", 0.0),  # in the past: at once
        ("-5", None),
        ("1.5", None),
        ("soon", None),
        ("", None),
        ("\u0661\u0662", None),  # Arabic-Indic digits are not HTTP digits
        ("Sun, 06 Nov 1994 08:49:37", None),  # no zone: not an HTTP date
    ],
)
def test_parse_retry_after(value: str, seconds: float | None) -> None:
    from email.utils import parsedate_to_datetime

    now = parsedate_to_datetime("Sun, 06 Nov 1994 08:49:27 GMT").timestamp()
    assert parse_retry_after(value, now=now) == seconds


@pytest.mark.parametrize(
    ("last_event_id", "value"),
    [
        ("5", "5"),
        ("5 ", "5"),
        (" \t5\t ", "5"),
        ("a b\tc", "a b\tc"),
        ("\u00e9t\u00e9 \U0001f600", "\u00e9t\u00e9 \U0001f600"),
        (" ", ""),
        ("\x0b", None),
        ("5\x0c", None),
        ("a\x1bb", None),
        ("\x7f", None),
        ("\x01", None),
    ],
)
def test_sendable_event_id(last_event_id: str, value: str | None) -> None:
    assert sendable_event_id(last_event_id) == value


def test_an_unsendable_id_is_left_out_with_one_warning() -> None:
    reconnector = Reconnector(last_event_id="bad\x0bid")
    with pytest.warns(LastEventIdWarning, match="bad"):
        assert reconnector.request_headers() == {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert reconnector.request_headers() == {}  # said once per ID


def test_deliver_moves_last_event_id_only_with_the_events_taken() -> None:
    reconnector = Reconnector(NO_JITTER)
    open_stream(reconnector)
    events = reconnector.deliver(b"id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 3\n\n")
    assert next(events).id == "1"
    assert reconnector.last_event_id == "1"
    assert next(events).id == "2"
    assert reconnector.last_event_id == "2"
    assert list(events) == []
    assert reconnector.last_event_id == "3"  # the id-only block counts, 9.2.6


def test_a_source_that_stops_early_resumes_after_the_last_event_taken() -> None:
    reconnector = Reconnector(NO_JITTER)
    open_stream(reconnector)
    events = reconnector.deliver(b"id: 1\ndata: a\n\nid: 2\ndata: b\n\n")
    assert next(events).id == "1"
    events.close()  # the caller stopped: event 2 was never received
    assert reconnector.last_event_id == "1"
    assert reconnector.request_headers() == {"Last-Event-ID": "1"}
    # The next stream starts from 1: an event without id reports it.
    open_stream(reconnector)
    assert reconnector.feed(b"data: c\n\n") == [ServerSentEvent(data="c", id="1")]


def test_deliver_gives_the_events_before_a_bound_then_raises() -> None:
    reconnector = Reconnector(NO_JITTER, parser=EventStreamParser(max_line_size=16))
    open_stream(reconnector)
    taken = []
    with pytest.raises(LimitExceededError):
        for event in reconnector.deliver(
            b"id: 1\ndata: a\n\nid: 2\ndata: b\n\ndata: " + b"x" * 40
        ):
            taken.append(event.id)
    assert taken == ["1", "2"]
    assert reconnector.last_event_id == "2"


# -- comments, in stream order (Reconnector(comments=True)) -------------------------


def test_comments_are_delivered_in_stream_order_among_the_events() -> None:
    reconnector = Reconnector(NO_JITTER, comments=True)
    assert reconnector.comments and reconnector.parser.comments
    open_stream(reconnector)
    items = list(reconnector.deliver(b": a\nid: 1\ndata: x\n\n:b\n: c\ndata: y\n\n"))
    assert items == [
        Comment(" a"),
        ServerSentEvent(data="x", id="1"),
        Comment("b"),
        Comment(" c"),
        ServerSentEvent(data="y", id="1"),
    ]


def test_the_default_delivers_events_only() -> None:
    reconnector = Reconnector(NO_JITTER)
    assert not reconnector.comments
    open_stream(reconnector)
    assert list(reconnector.deliver(b": a\ndata: x\n\n: b\n")) == [
        ServerSentEvent(data="x")
    ]


def test_a_comment_never_moves_last_event_id() -> None:
    reconnector = Reconnector(NO_JITTER, comments=True, last_event_id="0")
    open_stream(reconnector)
    items = reconnector.deliver(b": before\nid: 1\ndata: x\n\n: after\nid: 2\n")
    assert next(items) == Comment(" before")
    assert reconnector.last_event_id == "0"
    assert next(items).id == "1"  # type: ignore[union-attr]
    assert next(items) == Comment(" after")
    assert reconnector.last_event_id == "1"
    items.close()  # the caller stopped after the comment
    assert reconnector.request_headers() == {"Last-Event-ID": "1"}


def test_an_attempt_that_delivered_only_comments_counts_as_failed() -> None:
    # As without comments: keep-alives alone do not prove the stream works.
    reconnector = Reconnector(NO_JITTER, comments=True)
    for attempt in (1, 2):
        open_stream(reconnector)
        assert list(reconnector.deliver(b": ping\n: ping\n")) == [Comment(" ping")] * 2
        assert reconnector.feed(b": ping\n") == [Comment(" ping")]
        reconnector.connection_lost()
        assert reconnector.failed_attempts == attempt
    open_stream(reconnector)
    assert len(reconnector.feed(b": ping\ndata: x\n\n")) == 2
    assert reconnector.failed_attempts == 0


def test_comments_and_events_before_a_bound_are_delivered_then_the_error() -> None:
    parser = EventStreamParser(max_line_size=16, comments=True)
    reconnector = Reconnector(NO_JITTER, parser=parser)
    open_stream(reconnector)
    taken: list[ServerSentEvent | Comment] = []
    with pytest.raises(LimitExceededError):
        taken.extend(
            reconnector.deliver(
                b"id: 1\ndata: a\n\n: between\nid: 2\n: inside\ndata: b\n\n"
                b": last\ndata: " + b"x" * 40
            )
        )
    assert taken == [
        ServerSentEvent(data="a", id="1"),
        Comment(" between"),
        Comment(" inside"),
        ServerSentEvent(data="b", id="2"),
        Comment(" last"),
    ]
    assert reconnector.last_event_id == "2"


def test_comments_survive_the_parser_reset_of_each_connection() -> None:
    forever = ReconnectPolicy(jitter=0, max_attempts=None)
    reconnector = Reconnector(forever, comments=True)
    for _ in range(3):
        open_stream(reconnector)  # resets the parser
        assert reconnector.feed(b": hi\n") == [Comment(" hi")]
        reconnector.feed(b"data: cut")
        reconnector.connection_lost()
    # Also after a rewind to the last ID handed over (the _start_stream path).
    open_stream(reconnector)
    items = reconnector.deliver(b"id: 5\ndata: a\n\nid: 6\ndata: b\n\n")
    assert next(items).id == "5"  # type: ignore[union-attr]
    items.close()
    open_stream(reconnector)
    assert reconnector.last_event_id == "5"
    assert reconnector.feed(b": again\n") == [Comment(" again")]


def test_comments_need_a_parser_built_with_them() -> None:
    with pytest.raises(ValueError, match="comments=True"):
        Reconnector(parser=EventStreamParser(), comments=True)
    # A parser built with comments=True is enough by itself.
    assert Reconnector(parser=EventStreamParser(comments=True)).comments
