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
from dataclasses import dataclass

from ._errors import LimitExceededError, RetriesExhaustedError
from ._events import ServerSentEvent
from ._parser import EventStreamParser

__all__ = [
    "DEFAULT_RECONNECTION_TIME",
    "ReconnectPolicy",
    "Reconnector",
    "ResponseVerdict",
    "classify_response",
    "is_event_stream",
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
    backoff: 0 after a connection that delivered an event, and after ``k``
    failed attempts in a row ``min(max_backoff, backoff * multiplier ** (k - 1))``;
    the result is capped at ``max_delay``.

    So a client never waits less than the server asked (9.2.3 "reestablish the
    connection", step 2), backs off exponentially while attempts fail (step 3
    allows it), and the jitter spreads out clients that lost the same server at
    the same moment.

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
    """

    reconnection_time: float = DEFAULT_RECONNECTION_TIME
    backoff: float = 1.0
    multiplier: float = 2.0
    max_backoff: float = 30.0
    jitter: float = 0.1
    max_attempts: int | None = 5
    max_delay: float = 3600.0

    def __post_init__(self) -> None:
        for name in ("reconnection_time", "backoff", "max_backoff", "max_delay"):
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

    def delay(
        self, reconnection_time: float, failed_attempts: int, rng: random.Random
    ) -> float:
        """The seconds to wait before the next attempt (the formula above)."""
        backoff = 0.0
        if failed_attempts > 0 and self.backoff > 0:
            try:
                backoff = self.backoff * float(self.multiplier) ** (failed_attempts - 1)
            except OverflowError:
                backoff = self.max_backoff
            backoff = min(backoff, self.max_backoff)
        delay = (reconnection_time + backoff) * (1 + self.jitter * rng.random())
        return min(delay, self.max_delay)


class Reconnector:
    """The state of one event source across its connections, without I/O.

    It owns the :class:`EventStreamParser` used for every connection, since the
    parser already keeps what the standard says outlives a connection: the last
    event ID and the reconnection time. A transport drives it like this::

        while True:
            send the request, adding reconnector.request_headers()
            verdict = reconnector.response_received(status, content_type)
            STOP -> return;  FAIL -> raise BadResponseError
            for each chunk of the body: yield from reconnector.feed(chunk)
            delay = reconnector.connection_lost(error_or_None)  # may raise
            sleep(delay)

    Resuming is exact: an event is delivered only once its blank line arrived,
    and only then does its ``id`` become the last event ID. An event cut off by
    a dropped connection is discarded, and the server sends it again after the
    ``Last-Event-ID`` it is given. (This relies on the server numbering its
    events with ``id``: events after the last ``id`` cannot be resumed.)

    Args:
        policy: delays and the attempt limit; ``ReconnectPolicy()`` by default.
        last_event_id: the ID to resume from (for example one saved from an
            earlier run). It cannot contain CR, LF or NUL, which no stream can
            produce and no header can carry.
        parser: a parser with the options you want (bounds, ``on_comment``);
            by default a new one. Give ``last_event_id`` to either, not both.
        rng: the source of jitter; pass ``random.Random(seed)`` for
            reproducible delays.
    """

    __slots__ = ("_delivered", "_failed_attempts", "_parser", "_policy", "_rng")

    def __init__(
        self,
        policy: ReconnectPolicy | None = None,
        *,
        last_event_id: str = "",
        parser: EventStreamParser | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if parser is None:
            parser = EventStreamParser(last_event_id=last_event_id)
        elif last_event_id:
            raise ValueError("pass last_event_id to the parser, not to both")
        if "\r" in parser.last_event_id or "\n" in parser.last_event_id:
            # The parser cannot produce such an ID, and it would end the header.
            raise ValueError(
                f"last_event_id cannot contain CR or LF: {parser.last_event_id!r}"
            )
        self._policy = policy if policy is not None else ReconnectPolicy()
        self._parser = parser
        self._rng = rng if rng is not None else random.Random()
        self._failed_attempts = 0
        self._delivered = False

    @property
    def policy(self) -> ReconnectPolicy:
        """The delays and the attempt limit in force."""
        return self._policy

    @property
    def parser(self) -> EventStreamParser:
        """The parser shared by all connections (reset at each one)."""
        return self._parser

    @property
    def last_event_id(self) -> str:
        """The last event ID received (or given), sent on reconnection."""
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

    def request_headers(self) -> dict[str, str]:
        """The headers that resume the stream: ``Last-Event-ID`` when there is an ID.

        The standard (9.2.3) sends it only when the last event ID is not empty,
        encoded as UTF-8: transports that encode header values as ASCII or
        Latin-1 must pass ``value.encode()`` instead of the string.
        """
        last_event_id = self._parser.last_event_id
        return {"Last-Event-ID": last_event_id} if last_event_id else {}

    def response_received(self, status_code: int, content_type: str) -> ResponseVerdict:
        """Classify a response (see :func:`classify_response`); if OPEN, start a stream.

        Starting a stream resets the parser, which drops whatever the previous
        connection left unfinished but keeps the last event ID and ``retry``.
        """
        verdict = classify_response(status_code, content_type)
        if verdict is ResponseVerdict.OPEN:
            self._parser.reset()
            self._delivered = False
        return verdict

    def feed(self, chunk: bytes | bytearray | memoryview) -> list[ServerSentEvent]:
        """Parse a piece of the current response body; return the events it completed.

        Delivering an event proves the connection works: it resets the count
        of failed attempts, and so the backoff.
        """
        try:
            events = self._parser.feed(chunk)
        except LimitExceededError as exc:
            if exc.events:
                self._mark_delivered()
            raise
        if events:
            self._mark_delivered()
        return events

    def _mark_delivered(self) -> None:
        self._delivered = True
        self._failed_attempts = 0

    def connection_lost(self, error: BaseException | None = None) -> float:
        """Record the end of an attempt; return the seconds to wait before the next.

        Call it when the body ended (``error=None``) or the attempt failed with
        a network error. The attempt counts as failed unless it delivered an
        event since :meth:`response_received`.

        Raises:
            RetriesExhaustedError: ``policy.max_attempts`` attempts in a row
                have failed; ``error`` is its cause.
        """
        if self._delivered:
            self._delivered = False
        else:
            self._failed_attempts += 1
        max_attempts = self._policy.max_attempts
        if max_attempts is not None and self._failed_attempts >= max_attempts:
            raise RetriesExhaustedError(
                self._failed_attempts, self._parser.last_event_id
            ) from error
        return self._policy.delay(
            self.reconnection_time, self._failed_attempts, self._rng
        )

    def __repr__(self) -> str:
        return (
            f"<Reconnector last_event_id={self.last_event_id!r} "
            f"reconnection_time={self.reconnection_time!r}s "
            f"failed_attempts={self._failed_attempts}>"
        )
