"""Reconnection without I/O: what an event source keeps from one connection to the next.

The HTML Standard (9.2.3 "Processing model") has a client reconnect whenever an
event stream ends, cleanly or not, after a delay of at least the *reconnection
time*, which the server may set with ``retry``. On reconnection it sends the
last event ID it saw as the ``Last-Event-ID`` header (9.2.4), so the server can
resume after it. An HTTP 204 tells the client to stop; any other response that
is not an event stream *fails the connection*, and a failed connection is never
retried.

:class:`Reconnector` holds that state and makes those decisions; the transports
in :mod:`sse_core.transports` do the waiting and the requests.
"""

from __future__ import annotations

import enum
import random
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Callable, Generic, Literal, cast, overload

from ._errors import LastEventIdWarning, LimitExceededError, RetriesExhaustedError
from ._events import Comment, ServerSentEvent
from ._parser import EventStreamParser, ItemT

if TYPE_CHECKING:
    from ._interpreter import Item

__all__ = [
    "DEFAULT_RECONNECTION_TIME",
    "ReconnectPolicy",
    "Reconnector",
    "ResponseVerdict",
    "classify_response",
    "is_event_stream",
    "parse_retry_after",
    "sendable_event_id",
]

DEFAULT_RECONNECTION_TIME = 3.0
"""Reconnection time, in seconds, until the server sends ``retry``.

The standard leaves it to the client, "probably in the region of a few
seconds"; 3 s is what WebKit and Chromium use.
"""


class ResponseVerdict(enum.Enum):
    """What to do with an HTTP response to an event stream request."""

    OPEN = "open"
    """A 2xx ``text/event-stream`` response: parse its body."""

    STOP = "stop"
    """HTTP 204 No Content: the server says not to reconnect; an empty stream."""

    FAIL = "fail"
    """Anything else: "fail the connection", without reconnecting."""

    RETRY = "retry"
    """A status the policy lists in ``retry_statuses``: wait, then reconnect.

    Only :meth:`Reconnector.response_received` gives it; the standard itself
    never retries a failed connection.
    """


def is_event_stream(content_type: str) -> bool:
    """Whether a ``Content-Type`` value names ``text/event-stream``.

    Parameters such as ``; charset=utf-8`` are ignored, and MIME types are
    case-insensitive.
    """
    return content_type.partition(";")[0].strip().lower() == "text/event-stream"


def classify_response(status_code: int, content_type: str) -> ResponseVerdict:
    """Decide what an HTTP response to an event stream request means.

    The standard (9.2.3) accepts only a 200 with a ``text/event-stream``
    ``Content-Type`` and names 204 as the way for a server to stop a client
    reconnecting. sse_core accepts any 2xx event stream, since some APIs answer
    a ``POST`` with 201, and treats 204 as the end of the stream rather than an
    error. Everything else fails the connection.
    """
    if status_code == 204:
        return ResponseVerdict.STOP
    if 200 <= status_code < 300 and is_event_stream(content_type):
        return ResponseVerdict.OPEN
    return ResponseVerdict.FAIL


@dataclass(frozen=True)
class ReconnectPolicy:
    """How long to wait between connection attempts, and when to give up.

    The delay before the next attempt, in seconds, is::

        (T + B) * (1 + jitter * U)

    where ``T`` is the reconnection time (the latest ``retry`` the server sent,
    else ``reconnection_time``), ``U`` is uniform in [0, 1), and ``B`` is the
    backoff, ``min(max_backoff, backoff * multiplier ** (k - 1))``, or 0 when
    ``k`` is 0. ``k`` counts the unstable attempts in a row, except the one
    that just ended if it delivered an event: a connection that worked is
    followed by the plain reconnection time once, and only a run of them
    grows the wait. A connection is *stable* when it delivered an event and
    stayed open at least ``reset_after`` seconds; every other attempt
    (refused, rejected, cut before an event, or short) is unstable, and a
    stable one sets ``k`` back to 0. The result is raised to a ``Retry-After``
    the server sent with a status in ``retry_statuses``, and capped at
    ``max_delay``.

    So a client never waits less than the server asked (9.2.3 "reestablish the
    connection", step 2), backs off exponentially while attempts fail (step 3
    allows it), cannot be made to reconnect in a tight loop by a server that
    sends ``retry: 0`` and an event before each drop, and the jitter spreads
    out clients that lost the same server at the same moment.

    Attributes:
        reconnection_time: the initial reconnection time, in seconds.
        backoff: the extra wait after the first failed attempt, in seconds.
        multiplier: how much the extra wait grows per further failed attempt.
        max_backoff: the largest extra wait, in seconds.
        jitter: the largest random extra, as a fraction of the delay (0 to 1).
        max_attempts: how many connection attempts in a row may fail (end
            without delivering an event) before giving up with
            :class:`RetriesExhaustedError`; ``None`` retries forever, as
            browsers do.
        max_delay: the longest wait, in seconds, whatever the formula gives. A
            server may send any ``retry`` up to 2**63-1 ms; without a cap a
            broken or hostile one could stall a client for centuries (or make
            ``time.sleep`` raise ``OverflowError``).
        reset_after: how long, in seconds, a connection that delivered an
            event must stay open for the backoff to start over (as
            LaunchDarkly's clients do). ``0`` resets it after any connection
            that delivered an event.
        retry_statuses: HTTP statuses to wait on and retry rather than fail
            with :class:`BadResponseError`, such as
            ``frozenset({429, 502, 503, 504})``; their ``Retry-After`` (seconds
            or an HTTP date) lengthens the wait, up to ``max_delay``. Empty by
            default: the standard fails the connection on any such status.
    """

    reconnection_time: float = DEFAULT_RECONNECTION_TIME
    backoff: float = 1.0
    multiplier: float = 2.0
    max_backoff: float = 30.0
    jitter: float = 0.1
    max_attempts: int | None = 5
    max_delay: float = 3600.0
    reset_after: float = 60.0
    retry_statuses: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        for name in (
            "reconnection_time",
            "backoff",
            "max_backoff",
            "max_delay",
            "reset_after",
        ):
            value = getattr(self, name)
            if not value >= 0:  # also rejects NaN
                raise ValueError(f"{name} must be >= 0, got {value!r}")
        if not self.multiplier >= 1:
            raise ValueError(f"multiplier must be >= 1, got {self.multiplier!r}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be between 0 and 1, got {self.jitter!r}")
        if self.max_attempts is not None and (
            type(self.max_attempts) is not int or self.max_attempts < 1
        ):
            raise ValueError(
                "max_attempts must be a positive int or None, "
                f"got {self.max_attempts!r}"
            )
        statuses = frozenset(self.retry_statuses)
        if any(
            type(status) is not int or not 100 <= status <= 599 or 200 <= status < 300
            for status in statuses
        ):
            # A 2xx is an event stream, a 204 or a failure: never a retry.
            raise ValueError(
                "retry_statuses must be HTTP statuses outside 2xx, "
                f"got {sorted(statuses, key=repr)!r}"
            )
        object.__setattr__(self, "retry_statuses", statuses)

    def delay(
        self,
        reconnection_time: float,
        backoff_count: int,
        rng: random.Random,
        retry_after: float = 0.0,
    ) -> float:
        """The seconds to wait before the next attempt (the formula above, k given)."""
        backoff = 0.0
        if backoff_count > 0 and self.backoff > 0:
            try:
                backoff = self.backoff * float(self.multiplier) ** (backoff_count - 1)
            except OverflowError:
                backoff = self.max_backoff
            backoff = min(backoff, self.max_backoff)
        delay = (reconnection_time + backoff) * (1 + self.jitter * rng.random())
        return min(max(delay, retry_after), self.max_delay)


def parse_retry_after(value: str, now: float | None = None) -> float | None:
    """The seconds a ``Retry-After`` value asks to wait, or ``None`` if invalid.

    RFC 9110 10.2.3: either a number of seconds or an HTTP date; a date in the
    past means 0. ``now`` is the current POSIX time (``time.time()``).
    """
    value = value.strip()
    if value.isdigit() and value.isascii():
        return float(value)
    try:
        date = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if date.tzinfo is None:  # RFC 9110: HTTP dates are in GMT
        return None
    if now is None:
        now = time.time()
    return max(0.0, date.timestamp() - now)


# Fetch's header-value normalization strips these (HTTP tab or space, as sent).
_HTTP_WHITESPACE = " \t"
# What no HTTP library will put in a field value (RFC 9110 5.5: field-vchar,
# SP and HTAB only; non-ASCII goes as UTF-8 bytes, which are obs-text).
_UNSENDABLE = frozenset(map(chr, [*range(0x20), 0x7F])) - {"\t"}


def sendable_event_id(last_event_id: str) -> str | None:
    """``last_event_id`` as a ``Last-Event-ID`` value, or ``None`` if it cannot be one.

    Surrounding spaces and tabs are stripped, as Fetch normalizes header
    values; what remains must hold no control character.
    """
    value = last_event_id.strip(_HTTP_WHITESPACE)
    if _UNSENDABLE.isdisjoint(value):
        return value
    return None


class Reconnector(Generic[ItemT]):
    """The state of one event source across its connections, without I/O.

    It owns the :class:`EventStreamParser` used for every connection, since the
    parser already keeps what the standard says outlives a connection: the last
    event ID and the reconnection time. A transport drives it like this::

        while True:
            send the request, adding reconnector.request_headers()
            verdict = reconnector.response_received(status, content_type)
            STOP -> return;  FAIL -> raise BadResponseError
            RETRY -> delay = reconnector.connection_lost(error); sleep; continue
            for each chunk of the body:
                for event in reconnector.deliver(chunk): hand it over
            delay = reconnector.connection_lost(error_or_None)  # may raise
            sleep(delay)

    Resuming is exact: an event is delivered only once its blank line arrived,
    and only then does its ``id`` become the last event ID. An event cut off by
    a dropped connection is discarded, and the server sends it again after the
    ``Last-Event-ID`` it is given. (This relies on the server numbering its
    events with ``id``: events after the last ``id`` cannot be resumed.)

    With ``comments=True`` (or a parser built with it), :meth:`deliver` hands
    over each comment line as a :class:`~sse_core.Comment`, in stream order
    among the events (a ``Reconnector[ServerSentEvent | Comment]`` to a type
    checker), and every ``EventSource`` driven by it yields them. A comment is
    not an event: it never moves :attr:`last_event_id`, and an attempt that
    delivered only comments counts as failed, exactly as without comments.

    Args:
        policy: delays and the attempt limit; ``ReconnectPolicy()`` by default.
        last_event_id: the ID to resume from (for example one saved from an
            earlier run). It cannot contain CR, LF or NUL, which no stream can
            produce and no header can carry.
        parser: a parser with the options you want (bounds, ``on_comment``,
            ``comments``); by default a new one. Give ``last_event_id`` to
            either, not both.
        rng: the source of jitter; pass ``random.Random(seed)`` for
            reproducible delays.
        clock: seconds from a monotonic clock (``time.monotonic``), to tell how
            long a connection stayed open; pass a fake one in tests.
        comments: deliver comments too (the default parser is built with
            ``comments=True``; a parser given must have been).
    """

    __slots__ = (
        "_clock",
        "_delivered",
        "_failed_attempts",
        "_given_id",
        "_opened_at",
        "_parser",
        "_policy",
        "_retry_after",
        "_rng",
        "_unstable_attempts",
        "_warned_id",
    )

    @overload
    def __init__(
        self: Reconnector[ServerSentEvent],
        policy: ReconnectPolicy | None = None,
        *,
        last_event_id: str = ...,
        parser: None = None,
        rng: random.Random | None = ...,
        clock: Callable[[], float] = ...,
        comments: Literal[False] = ...,
    ) -> None: ...

    @overload
    def __init__(
        self: Reconnector[Item],
        policy: ReconnectPolicy | None = None,
        *,
        last_event_id: str = ...,
        parser: None = None,
        rng: random.Random | None = ...,
        clock: Callable[[], float] = ...,
        comments: Literal[True],
    ) -> None: ...

    @overload
    def __init__(
        self,
        policy: ReconnectPolicy | None = None,
        *,
        last_event_id: str = ...,
        parser: EventStreamParser[ItemT],
        rng: random.Random | None = ...,
        clock: Callable[[], float] = ...,
    ) -> None: ...

    def __init__(
        self,
        policy: ReconnectPolicy | None = None,
        *,
        last_event_id: str = "",
        parser: EventStreamParser[Any] | None = None,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        comments: bool = False,
    ) -> None:
        if parser is None:
            parser = EventStreamParser(last_event_id=last_event_id, comments=comments)
        elif last_event_id:
            raise ValueError("pass last_event_id to the parser, not to both")
        elif comments and not parser.comments:
            raise ValueError(
                "comments=True with a parser: build the parser with comments=True"
            )
        if "\r" in parser.last_event_id or "\n" in parser.last_event_id:
            # The parser cannot produce such an ID, and it would end the header.
            raise ValueError(
                f"last_event_id cannot contain CR or LF: {parser.last_event_id!r}"
            )
        self._policy = policy if policy is not None else ReconnectPolicy()
        # (The overloads tie ItemT to the parser's items.)
        self._parser = cast("EventStreamParser[ItemT]", parser)
        self._rng = rng if rng is not None else random.Random()
        self._clock = clock
        self._failed_attempts = 0
        self._unstable_attempts = 0
        self._delivered = False
        self._opened_at: float | None = None
        self._retry_after = 0.0
        # The ID of the last event handed over, while deliver() holds events
        # the caller has not taken yet (the parser's ID is then ahead).
        self._given_id: str | None = None
        self._warned_id: str | None = None

    @property
    def policy(self) -> ReconnectPolicy:
        """The delays and the attempt limit in force."""
        return self._policy

    @property
    def parser(self) -> EventStreamParser[ItemT]:
        """The parser shared by all connections (reset at each one)."""
        return self._parser

    @property
    def comments(self) -> bool:
        """Whether :meth:`deliver` hands over comments among the events."""
        return self._parser.comments

    @property
    def last_event_id(self) -> str:
        """The last event ID delivered (or given), sent on reconnection.

        It never runs ahead of what the caller received: events that
        :meth:`deliver` parsed but did not hand over do not count.
        """
        if self._given_id is not None:
            return self._given_id
        return self._parser.last_event_id

    @property
    def reconnection_time(self) -> float:
        """The reconnection time in seconds: the latest ``retry``, else the policy's."""
        retry = self._parser.retry
        if retry is None:
            return self._policy.reconnection_time
        return retry / 1000

    @property
    def failed_attempts(self) -> int:
        """How many connection attempts in a row ended without delivering an event."""
        return self._failed_attempts

    @property
    def unstable_attempts(self) -> int:
        """How many attempts in a row were not stable (see :class:`ReconnectPolicy`)."""
        return self._unstable_attempts

    def request_headers(self) -> dict[str, str]:
        """The headers that resume the stream: ``Last-Event-ID`` when there is an ID.

        The standard (9.2.3) sends it only when the last event ID is not empty,
        encoded as UTF-8: transports that encode header values as ASCII or
        Latin-1 must pass ``value.encode()`` instead of the string. Surrounding
        spaces and tabs are stripped (see :func:`sendable_event_id`); an ID
        that still cannot be sent is left out, with a
        :class:`~sse_core.LastEventIdWarning`, rather than kill the request.
        """
        last_event_id = self.last_event_id
        if not last_event_id:
            return {}
        value = sendable_event_id(last_event_id)
        if value is None:
            if self._warned_id != last_event_id:
                self._warned_id = last_event_id
                warnings.warn(
                    LastEventIdWarning(
                        f"reconnecting without Last-Event-ID: {last_event_id!r} "
                        "cannot be sent as a header value"
                    ),
                    stacklevel=2,
                )
            return {}
        return {"Last-Event-ID": value} if value else {}

    def response_received(
        self, status_code: int, content_type: str, *, retry_after: str | None = None
    ) -> ResponseVerdict:
        """Classify a response (see :func:`classify_response`); if OPEN, start a stream.

        Starting a stream resets the parser, which drops whatever the previous
        connection left unfinished but keeps the last event ID and ``retry``.
        A status in the policy's ``retry_statuses`` gives
        :attr:`ResponseVerdict.RETRY`; pass its ``Retry-After`` header as
        ``retry_after`` to have the next delay honour it.
        """
        verdict = classify_response(status_code, content_type)
        if verdict is ResponseVerdict.OPEN:
            self._start_stream()
        elif (
            verdict is ResponseVerdict.FAIL
            and status_code in self._policy.retry_statuses
        ):
            verdict = ResponseVerdict.RETRY
            seconds = parse_retry_after(retry_after) if retry_after else None
            self._retry_after = seconds or 0.0
        return verdict

    def _start_stream(self) -> None:
        # If the previous connection parsed events the caller never took,
        # resume after the last one handed over, not the last one parsed.
        self._parser.reset(last_event_id=self._given_id)
        self._given_id = None
        self._delivered = False
        self._opened_at = self._clock()

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[ItemT]:
        """Parse a piece of the current response body; return the events it completed.

        Delivering an event proves the connection works: it resets the count
        of failed attempts (a comment does not). On
        :class:`LimitExceededError`, the events the chunk completed before the
        bound are in the error's ``events``.
        """
        self._given_id = None
        try:
            events = self._parser.feed(chunk)
        except LimitExceededError as exc:
            if self._has_event(exc.events):
                self._mark_delivered()
            raise
        if events and self._has_event(events):
            self._mark_delivered()
        return events

    def _has_event(self, items: list[Any]) -> bool:
        # Whether the items hold an event, not only comments.
        if not self._parser.comments:
            return bool(items)
        return any(type(item) is not Comment for item in items)

    def deliver(self, chunk: bytes | bytearray | memoryview) -> Iterator[ItemT]:
        """Like :meth:`feed`, but hand the events over one at a time.

        :attr:`last_event_id` follows the events as they are taken: if the
        caller stops before taking them all, resuming starts after the last
        one it took. Events completed before a bound was crossed (and the
        comments among them) are yielded before :class:`LimitExceededError`
        is raised.
        """
        before = self.last_event_id
        try:
            events = self._parser.feed(chunk)
        except LimitExceededError as exc:
            self._given_id = before
            yield from self._hand_over(exc.events)
            raise
        self._given_id = before
        yield from self._hand_over(events)

    def _hand_over(self, items: list[Any]) -> Iterator[Any]:
        # (Any: the parser's items, ItemT, where a comment is told by its type.)
        comments = self._parser.comments
        for item in items:
            # A comment is not an event: it moves neither the ID nor the
            # attempt count.
            if not comments or type(item) is not Comment:
                self._given_id = item.id
                self._mark_delivered()
            yield item
        # Everything was taken: the parser's ID (which an id-only block may
        # have moved past the last event) is the one to resume from.
        self._given_id = None

    def _mark_delivered(self) -> None:
        self._delivered = True
        self._failed_attempts = 0

    def connection_lost(self, error: BaseException | None = None) -> float:
        """Record the end of an attempt; return the seconds to wait before the next.

        Call it when the body ended (``error=None``), the attempt failed with
        a network error, or a response got :attr:`ResponseVerdict.RETRY`. The
        attempt counts as failed unless it delivered an event since
        :meth:`response_received`, and as unstable unless it also stayed open
        ``policy.reset_after`` seconds.

        Raises:
            RetriesExhaustedError: ``policy.max_attempts`` attempts in a row
                have failed; ``error`` is its cause.
        """
        opened_at, self._opened_at = self._opened_at, None
        delivered, self._delivered = self._delivered, False
        stable = (
            delivered
            and opened_at is not None
            and self._clock() - opened_at >= self._policy.reset_after
        )
        if not delivered:
            self._failed_attempts += 1
        self._unstable_attempts = 0 if stable else self._unstable_attempts + 1
        # k of the formula: an attempt that delivered is not held against
        # itself, only against the attempts after it.
        backoff_count = self._unstable_attempts - (1 if delivered and not stable else 0)
        retry_after, self._retry_after = self._retry_after, 0.0
        max_attempts = self._policy.max_attempts
        if max_attempts is not None and self._failed_attempts >= max_attempts:
            raise RetriesExhaustedError(
                self._failed_attempts, self.last_event_id
            ) from error
        return self._policy.delay(
            self.reconnection_time, backoff_count, self._rng, retry_after
        )

    def __repr__(self) -> str:
        return (
            f"<Reconnector last_event_id={self.last_event_id!r} "
            f"reconnection_time={self.reconnection_time!r}s "
            f"failed_attempts={self._failed_attempts}>"
        )
