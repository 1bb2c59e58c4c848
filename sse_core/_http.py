"""The HTTP side of an event stream, written once for every client library.

Each module in :mod:`sse_core.transports` only adapts its library's I/O (send
a request, read raw body bytes, close); everything else lives here, without
importing any library, so the core and the command line may use it too:

* :func:`request_headers`: what a browser's ``EventSource`` sends (Fetch);
* :func:`check_response` / :func:`acheck_response`: the verdict on a response
  (event stream, 204, failure, retry) and its body, decoded;
* :class:`BodyDecoder`: ``Content-Encoding`` decoded incrementally, with a
  bounded output per step, so that no single ``feed()`` sees more than
  :data:`MAX_FEED` bytes however small the compressed input;
* :class:`SyncEventSource` / :class:`AsyncEventSource`: the reconnect loop
  behind every ``EventSource``, driving a :class:`~sse_core.Reconnector`.
"""

from __future__ import annotations

import abc
import threading
import zlib
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Generator,
    Iterable,
    Iterator,
    Mapping,
)
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar, Union, cast

from ._errors import BadResponseError, ContentEncodingError, SSEError
from ._parser import ItemT
from ._reconnect import Reconnector, ResponseVerdict, classify_response

if TYPE_CHECKING:
    from types import TracebackType

__all__ = [
    "BODY_START_SIZE",
    "MAX_FEED",
    "READ_SIZE",
    "REQUEST_HEADERS",
    "AsyncConnection",
    "AsyncEventSource",
    "BodyDecoder",
    "Connection",
    "OnRetry",
    "ResponseHead",
    "SyncEventSource",
    "acheck_response",
    "adecoded",
    "aread_start",
    "check_response",
    "decoded",
    "read_chunks",
    "read_start",
    "request_headers",
    "shutdown_socket",
]

READ_SIZE = 64 * 1024
"""The most a transport asks for in one read."""

MAX_FEED = 64 * 1024
"""The most one ``feed()`` receives: decoded output is cut to this size."""

BODY_START_SIZE = 512
"""How much of a rejected response's body :class:`BadResponseError` carries."""

REQUEST_HEADERS = {
    "Accept": "text/event-stream",
    "Cache-Control": "no-cache",
    "Pragma": "no-cache",
    "Accept-Encoding": "gzip, deflate",
}
"""Sent unless the caller set them (in any case).

The HTML Standard (9.2.2) fetches with the "no-store" cache mode, which Fetch
puts on the wire as ``Cache-Control: no-cache`` and ``Pragma: no-cache``
(web-platform-tests ``fetch/http-cache/cache-mode.any.js``).
``Accept-Encoding`` names what :class:`BodyDecoder` decodes within bounds.
"""

OnRetry = Callable[[Union[BaseException, None], float], object]
"""``on_retry(error, delay)``: called before each wait; ``error`` is ``None``
when the stream ended cleanly."""


def request_headers(
    headers: Mapping[str, Any] | Iterable[tuple[str, Any]] | None,
    reconnector: Reconnector[Any] | None = None,
    *,
    resume_as_bytes: bool = True,
) -> dict[str, Any]:
    """``headers`` plus the :data:`REQUEST_HEADERS` it does not set, plus resumption.

    With a ``reconnector``, its ``Last-Event-ID`` is added (replacing any the
    caller set), as UTF-8 bytes unless ``resume_as_bytes`` is false (for
    libraries that take only ``str`` and encode it as UTF-8 themselves).
    """
    pairs: Iterable[tuple[str, Any]] = ()
    if isinstance(headers, Mapping):
        pairs = cast("Mapping[str, Any]", headers).items()
    elif headers is not None:
        pairs = headers
    given = dict(pairs)
    present = {name.lower() for name in given}
    merged: dict[str, Any] = {
        name: value
        for name, value in REQUEST_HEADERS.items()
        if name.lower() not in present
    }
    merged.update(given)
    if reconnector is not None:
        resume = reconnector.request_headers()
        for name in [name for name in merged if name.lower() == "last-event-id"]:
            del merged[name]
        for name, value in resume.items():
            # 9.2.4: the value is UTF-8; most libraries encode str as Latin-1.
            merged[name] = value.encode() if resume_as_bytes else value
    return merged


def read_chunks(read1: Callable[[int], bytes]) -> Iterator[bytes]:
    """Yield what each ``read1(READ_SIZE)`` returns, until it returns ``b""``.

    Give it a ``read1``: it returns what has arrived, where ``read(n)`` would
    wait for ``n`` bytes (or the end) and hold events back.
    """
    return iter(partial(read1, READ_SIZE), b"")


def _pieces(data: bytes) -> Iterator[bytes]:
    # A chunk larger than MAX_FEED (from a library that reads more) is cut.
    if len(data) <= MAX_FEED:
        if data:
            yield data
        return
    view = memoryview(data)
    for start in range(0, len(data), MAX_FEED):
        yield bytes(view[start : start + MAX_FEED])


class _Inflater:
    """One zlib-family coding, decoded with at most MAX_FEED bytes out per step."""

    __slots__ = ("_head", "_obj", "_wbits")

    def __init__(self, wbits: int) -> None:
        self._wbits = wbits
        self._obj = zlib.decompressobj(wbits)
        # "deflate" is zlib-wrapped by the RFC, raw in some servers: keep the
        # first bytes until the zlib header is known good, to retry as raw.
        self._head: bytes | None = b"" if wbits == zlib.MAX_WBITS else None

    def push(self, data: bytes) -> Iterator[bytes]:
        while True:
            obj = self._obj
            try:
                out = obj.decompress(data, MAX_FEED)
            except zlib.error:
                if self._head is None:
                    raise
                # Not a zlib header: raw deflate (RFC 1951) after all.
                data, self._head = self._head + data, None
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            if self._head is not None:
                seen = self._head + data
                # Two bytes without an error: the zlib header is good.
                self._head = None if out or len(seen) >= 2 else seen
            if out:
                yield out
            if obj.eof:
                # gzip allows several members in a row; anything after a
                # zlib or raw stream is ignored, as browsers do.
                data = obj.unused_data
                if data and self._wbits == 31:
                    self._obj = zlib.decompressobj(31)
                    continue
                return
            data = obj.unconsumed_tail
            # A full piece may leave output pending inside zlib: ask again.
            if not data and len(out) < MAX_FEED:
                return

    def flush(self) -> Iterator[bytes]:
        # Whatever is still held without new input, capped per step too.
        obj = self._obj
        while not obj.eof:
            out = obj.decompress(obj.unconsumed_tail, MAX_FEED)
            if not out:
                return
            yield out


_CODINGS = {"gzip": 31, "x-gzip": 31, "deflate": zlib.MAX_WBITS}


class BodyDecoder:
    """Decode a body's ``Content-Encoding`` incrementally, with bounded output.

    Every piece :meth:`decode` yields holds at most :data:`MAX_FEED` bytes, and
    the decoder holds at most its input and zlib's window: a 100 KiB gzip body
    that inflates to gigabytes is read as a stream of 64 KiB pieces, never as a
    whole.

    Raises:
        ContentEncodingError: an encoding other than ``gzip``, ``x-gzip``,
            ``deflate`` or ``identity`` (at construction), or corrupt data.
    """

    __slots__ = ("_encoding", "_stages")

    def __init__(self, content_encoding: str) -> None:
        self._encoding = content_encoding
        codings = [coding.strip().lower() for coding in content_encoding.split(",")]
        # Codings are listed in the order they were applied: undo from the end.
        stages: list[_Inflater] = []
        for coding in reversed(codings):
            if coding in ("", "identity"):
                continue
            if coding not in _CODINGS:
                raise ContentEncodingError(content_encoding, "unsupported coding")
            stages.append(_Inflater(_CODINGS[coding]))
        self._stages = tuple(stages)

    def decode(self, data: bytes) -> Iterator[bytes]:
        """Yield the decoded pieces of the next raw bytes, each at most MAX_FEED."""
        if not self._stages:
            return _pieces(data)
        return self._run(0, [data], final=False)

    def flush(self) -> Iterator[bytes]:
        """Yield what the decoders still hold at the end of the body."""
        if not self._stages:
            return iter(())
        return self._run(0, [], final=True)

    def _run(self, index: int, inputs: list[bytes], final: bool) -> Iterator[bytes]:
        stage = self._stages[index]
        try:
            outputs = [stage.push(data) for data in inputs]
            if final:
                outputs.append(stage.flush())
            for output in outputs:
                for piece in output:
                    if index + 1 == len(self._stages):
                        yield piece
                    else:
                        yield from self._run(index + 1, [piece], final=False)
        except zlib.error as exc:
            raise ContentEncodingError(self._encoding, str(exc)) from None
        if final and index + 1 < len(self._stages):
            yield from self._run(index + 1, [], final=True)


def decoded(chunks: Iterable[bytes], content_encoding: str) -> Iterator[bytes]:
    """The decoded body of raw ``chunks``, in pieces of at most :data:`MAX_FEED`."""
    decoder = BodyDecoder(content_encoding)
    for chunk in chunks:
        yield from decoder.decode(chunk)
    yield from decoder.flush()


async def adecoded(
    chunks: AsyncIterable[bytes], content_encoding: str
) -> AsyncIterator[bytes]:
    """Async form of :func:`decoded`."""
    decoder = BodyDecoder(content_encoding)
    async for chunk in chunks:
        for piece in decoder.decode(chunk):
            yield piece
    for piece in decoder.flush():
        yield piece


def read_start(chunks: Iterable[bytes]) -> bytes:
    """Read up to :data:`BODY_START_SIZE` bytes of a rejected body, for the error.

    A failure while reading returns what was read: the body only illustrates
    the error, and must not replace it with a network error.
    """
    start = b""
    try:
        for chunk in chunks:
            start += chunk
            if len(start) >= BODY_START_SIZE:
                break
    except Exception:  # see the docstring
        pass
    return start[:BODY_START_SIZE]


async def aread_start(chunks: AsyncIterable[bytes]) -> bytes:
    """Async form of :func:`read_start`."""
    start = b""
    try:
        async for chunk in chunks:
            start += chunk
            if len(start) >= BODY_START_SIZE:
                break
    except Exception:  # see read_start
        pass
    return start[:BODY_START_SIZE]


class ResponseHead:
    """What the check needs from a response: its status and a few headers.

    Args:
        status: the HTTP status.
        header: ``header(name)`` gives a header's value, or ``None``; names
            are given in their usual case (``"Content-Type"``), so pass a
            case-insensitive getter such as ``response.headers.get``.
        url: the URL, for messages.
        decoded: whether the library already decoded ``Content-Encoding``.
    """

    __slots__ = ("content_encoding", "content_type", "retry_after", "status", "url")

    def __init__(
        self,
        status: int,
        header: Callable[[str], str | None],
        url: str = "",
        *,
        decoded: bool = False,
    ) -> None:
        self.status = status
        self.content_type = header("Content-Type") or ""
        self.content_encoding = "" if decoded else header("Content-Encoding") or ""
        self.retry_after = header("Retry-After")
        self.url = url


def _verdict(
    head: ResponseHead, reconnector: Reconnector[Any] | None
) -> ResponseVerdict:
    if reconnector is None:
        return classify_response(head.status, head.content_type)
    return reconnector.response_received(
        head.status, head.content_type, retry_after=head.retry_after
    )


def _rejection(head: ResponseHead, body_start: bytes) -> BadResponseError:
    return BadResponseError(head.status, head.content_type, body_start, head.url)


def _start_body(
    head: ResponseHead, verdict: ResponseVerdict
) -> tuple[BodyDecoder | None, bool]:
    # The decoder for an accepted or rejected body; whether to read at all.
    if verdict is ResponseVerdict.STOP:
        return None, False
    try:
        return BodyDecoder(head.content_encoding), True
    except ContentEncodingError:
        if verdict is ResponseVerdict.OPEN:
            raise
        return None, False  # a rejection is reported without its body


def check_response(
    head: ResponseHead,
    raw: Iterable[bytes],
    reconnector: Reconnector[Any] | None = None,
) -> tuple[ResponseVerdict, Iterator[bytes]]:
    """Judge a response to an event stream request; give its decoded body.

    The verdict is :func:`~sse_core.classify_response`'s, or the
    ``reconnector``'s (which may say RETRY). OPEN gives the body decoded in
    pieces of at most :data:`MAX_FEED` bytes; STOP (HTTP 204) an empty body.

    Raises:
        BadResponseError: FAIL or RETRY; it carries the body's first bytes.
        ContentEncodingError: an accepted body in an encoding not decoded here.
    """
    verdict = _verdict(head, reconnector)
    decoder, readable = _start_body(head, verdict)
    body = _decode_all(decoder, raw) if decoder is not None else iter(())
    if verdict is ResponseVerdict.OPEN or verdict is ResponseVerdict.STOP:
        return verdict, body
    raise _rejection(head, read_start(body) if readable else b"")


def _decode_all(decoder: BodyDecoder, raw: Iterable[bytes]) -> Iterator[bytes]:
    for chunk in raw:
        yield from decoder.decode(chunk)
    yield from decoder.flush()


async def _adecode_all(
    decoder: BodyDecoder, raw: AsyncIterable[bytes]
) -> AsyncIterator[bytes]:
    async for chunk in raw:
        for piece in decoder.decode(chunk):
            yield piece
    for piece in decoder.flush():
        yield piece


async def _nothing() -> AsyncIterator[bytes]:
    return
    yield  # makes this an async generator


async def acheck_response(
    head: ResponseHead,
    raw: AsyncIterable[bytes],
    reconnector: Reconnector[Any] | None = None,
) -> tuple[ResponseVerdict, AsyncIterator[bytes]]:
    """Async form of :func:`check_response`."""
    verdict = _verdict(head, reconnector)
    decoder, readable = _start_body(head, verdict)
    body = _adecode_all(decoder, raw) if decoder is not None else _nothing()
    if verdict is ResponseVerdict.OPEN or verdict is ResponseVerdict.STOP:
        return verdict, body
    raise _rejection(head, await aread_start(body) if readable else b"")


def shutdown_socket(sock: object) -> bool:
    """Shut a socket down for reading and writing, from any thread; never raise.

    A read blocked on it in another thread returns at once (closing the file
    descriptor would not wake it). Takes a :class:`socket.socket`, an object
    with a ``shutdown(how)`` method (a trio socket), a file descriptor, or an
    object with a ``fileno()`` method (a response); returns whether it did
    something.
    """
    import os
    import socket

    target: Any = sock
    try:
        if isinstance(target, socket.socket):
            # socket.socket's own shutdown: an SSLSocket's would also drop
            # its SSL object under the reading thread.
            socket.socket.shutdown(target, socket.SHUT_RDWR)
        elif isinstance(target, int) or callable(getattr(target, "fileno", None)):
            fileno = target if isinstance(target, int) else target.fileno()
            # A duplicate descriptor names the same socket: shut that down.
            with socket.socket(fileno=os.dup(fileno)) as dup:
                dup.shutdown(socket.SHUT_RDWR)
        else:
            target.shutdown(socket.SHUT_RDWR)
    except Exception:  # closed already, no socket: nothing to cut
        return False
    return True


# -- the reconnect loop ----------------------------------------------------------


class Connection(abc.ABC):
    """One request's response, as a library adapter exposes it to the loop."""

    head: ResponseHead

    @abc.abstractmethod
    def raw_chunks(self) -> Iterator[bytes]:
        """The body's bytes as received (still encoded), as they arrive."""

    @abc.abstractmethod
    def abort(self) -> None:
        """Make a read blocked in another thread return now (never raises)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the response."""


class AsyncConnection(abc.ABC):
    """Async form of :class:`Connection`; :meth:`abort` stays synchronous."""

    head: ResponseHead

    @abc.abstractmethod
    def raw_chunks(self) -> AsyncIterator[bytes]:
        """The body's bytes as received (still encoded), as they arrive."""

    @abc.abstractmethod
    def abort(self) -> None:
        """Make a pending read return now (never raises)."""

    @abc.abstractmethod
    async def aclose(self) -> None:
        """Release the response."""


ErrorTypes = tuple[type[BaseException], ...]
ClientT = TypeVar("ClientT")


class _SourceState(Generic[ClientT, ItemT]):
    """What a sync and an async source share: options, flags, error triage.

    A source yields what its reconnector delivers: events, or events and
    comments in stream order for ``Reconnector(comments=True)`` (the item
    type follows the reconnector's, so a type checker sees it too).
    """

    # The request keywords a source takes besides ``headers``; None: any (they
    # go to the library's request call, which checks them).
    _options: frozenset[str] | None = None

    def __init__(
        self,
        client: ClientT,
        method: str,
        url: Any,
        *,
        reconnector: Reconnector[ItemT] | None,
        on_retry: OnRetry | None,
        kwargs: dict[str, Any],
    ) -> None:
        self.client = client
        self.method = method
        self.url = url
        if reconnector is None:
            # ItemT is ServerSentEvent here (its default): no reconnector given.
            reconnector = cast("Reconnector[ItemT]", Reconnector())
        self.reconnector = reconnector
        self.on_retry = on_retry
        self._headers = kwargs.pop("headers", None)
        if self._options is not None and not self._options.issuperset(kwargs):
            unknown = sorted(set(kwargs) - self._options)
            raise TypeError(f"unexpected keyword arguments: {unknown}")
        self._kwargs = kwargs
        self._closed = False
        self._restarting = False

    @property
    def last_event_id(self) -> str:
        """The last event ID delivered: the ``Last-Event-ID`` of the next attempt."""
        return self.reconnector.last_event_id

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` (or ``aclose``) was called."""
        return self._closed

    def _request_headers(self) -> dict[str, Any]:
        return request_headers(self._headers, self.reconnector)

    def _interrupted(self) -> bool:
        return self._closed or self._restarting

    def _failure(self, exc: Exception, retryable: ErrorTypes) -> BaseException | None:
        """The cause to retry after (None if close() or restart() did it), or raise."""
        if isinstance(exc, BadResponseError):
            if exc.status_code in self.reconnector.policy.retry_statuses:
                return exc
            raise exc
        if isinstance(exc, SSEError):
            raise exc
        if isinstance(exc, retryable):
            return exc
        if self._interrupted():
            # Whatever a read says once close() or restart() cut it.
            return None
        raise exc

    def _lost(self, error: BaseException | None) -> float | None:
        """The delay before the next attempt, or None to go on at once."""
        if self._restarting:
            return None
        delay = self.reconnector.connection_lost(error)
        if self.on_retry is not None:
            self.on_retry(error, delay)
        return delay


class SyncEventSource(_SourceState[ClientT, ItemT], abc.ABC):
    """The reconnect loop of every sync ``EventSource``; adapters add the I/O.

    A subclass implements :meth:`_connect` (send the request with the headers
    given, return a :class:`Connection`) and :meth:`_retryable` (the
    library's network errors), and stays generic in the item type. Iterating
    yields events (and comments, with ``Reconnector(comments=True)``);
    :meth:`close` may be called from any thread, :meth:`restart` too.
    """

    def __init__(
        self,
        client: ClientT,
        method: str,
        url: Any,
        *,
        reconnector: Reconnector[ItemT] | None = None,
        on_retry: OnRetry | None = None,
        sleep: Callable[[float], object] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            client,
            method,
            url,
            reconnector=reconnector,
            on_retry=on_retry,
            kwargs=kwargs,
        )
        self._sleep = sleep
        self._wakeup = threading.Event()
        # Held while the generator runs: close() from another thread must not
        # close it then ("generator already executing"), only abort the read.
        self._step = threading.RLock()
        self._events: Generator[ItemT, None, None] | None = None
        self._connection: Connection | None = None

    @abc.abstractmethod
    def _connect(self, headers: dict[str, Any]) -> Connection:
        """Send the request; return its response (any status)."""

    @abc.abstractmethod
    def _retryable(self) -> ErrorTypes:
        """What a dropped or unreachable server raises."""

    def __iter__(self) -> SyncEventSource[ClientT, ItemT]:
        return self

    def __next__(self) -> ItemT:
        with self._step:
            if self._events is None:
                self._events = self._run()
            return next(self._events)

    def _run(self) -> Generator[ItemT, None, None]:
        retryable = self._retryable()
        while not self._closed:
            self._restarting = False
            self._wakeup.clear()
            error: BaseException | None = None
            try:
                connection = self._connect(self._request_headers())
            except Exception as exc:
                error = self._failure(exc, retryable)
            else:
                self._connection = connection
                try:
                    if (yield from self._read(connection)):
                        return
                except Exception as exc:
                    error = self._failure(exc, retryable)
                finally:
                    self._connection = None
                    connection.close()
            delay = None if self._closed else self._lost(error)
            if delay is not None:
                self._wait(delay)

    def _read(self, connection: Connection) -> Generator[ItemT, None, bool]:
        # Yield the events of one response; return whether it said to stop.
        if self._interrupted():
            return False
        state = self.reconnector
        verdict, body = check_response(connection.head, connection.raw_chunks(), state)
        for chunk in body:
            yield from state.deliver(chunk)
            if self._interrupted():
                return False
        return verdict is ResponseVerdict.STOP

    def _wait(self, delay: float) -> None:
        if self._sleep is not None:
            self._sleep(delay)
        elif not self._interrupted():
            self._wakeup.wait(delay)

    def _abort(self) -> None:
        connection = self._connection
        if connection is not None:
            connection.abort()

    def restart(self) -> None:
        """Drop the current connection and reconnect at once, with ``Last-Event-ID``.

        Callable from any thread; events of the read in progress are still
        delivered. A wait before reconnection is cut short.
        """
        self._restarting = True
        self._wakeup.set()
        self._abort()

    def close(self) -> None:
        """Stop: iteration ends, the current response is closed.

        Callable from any thread: a read blocked in the iterating thread is
        cut, and that thread's loop ends without an error.
        """
        self._closed = True
        self._wakeup.set()
        self._abort()
        if self._step.acquire(blocking=False):
            try:
                if self._events is not None:
                    self._events.close()
            except ValueError:
                pass  # called from inside the loop (on_retry): it stops by itself
            finally:
                self._step.release()

    def __enter__(self) -> SyncEventSource[ClientT, ItemT]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class _Done:
    """An already finished awaitable, so ``restart()`` may be awaited or not."""

    def __await__(self) -> Generator[Any, None, None]:
        return
        yield  # makes this a generator


class AsyncEventSource(_SourceState[ClientT, ItemT], abc.ABC):
    """The reconnect loop of every async ``EventSource``; adapters add the I/O.

    A subclass implements :meth:`_connect`, :meth:`_retryable`, and
    :meth:`_wait` (sleep up to a delay, returning early once :meth:`_wake`
    sets the event it keeps in ``_wakeup``), in its event loop library's terms.
    """

    _wakeup: Any = None

    def __init__(
        self,
        client: ClientT,
        method: str,
        url: Any,
        *,
        reconnector: Reconnector[ItemT] | None = None,
        on_retry: OnRetry | None = None,
        sleep: Callable[[float], Awaitable[object]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            client,
            method,
            url,
            reconnector=reconnector,
            on_retry=on_retry,
            kwargs=kwargs,
        )
        self._sleep = sleep
        self._events: AsyncGenerator[ItemT, None] | None = None
        self._stepping = False
        self._connection: AsyncConnection | None = None

    @abc.abstractmethod
    async def _connect(self, headers: dict[str, Any]) -> AsyncConnection:
        """Send the request; return its response (any status)."""

    @abc.abstractmethod
    def _retryable(self) -> ErrorTypes:
        """What a dropped or unreachable server raises."""

    @abc.abstractmethod
    async def _wait(self, delay: float) -> None:
        """Sleep up to ``delay`` seconds, or until ``_wakeup`` (its event) is set."""

    def _wake(self) -> None:
        # Ends a _wait in progress.
        if self._wakeup is not None:
            self._wakeup.set()

    def __aiter__(self) -> AsyncEventSource[ClientT, ItemT]:
        return self

    async def __anext__(self) -> ItemT:
        if self._events is None:
            self._events = self._run()
        self._stepping = True
        try:
            return await self._events.__anext__()
        finally:
            self._stepping = False

    async def _run(self) -> AsyncGenerator[ItemT, None]:
        # _read's async twin is inline: an async generator cannot return a value.
        state = self.reconnector
        retryable = self._retryable()
        while not self._closed:
            self._restarting = False
            error: BaseException | None = None
            try:
                connection = await self._connect(self._request_headers())
            except Exception as exc:
                error = self._failure(exc, retryable)
            else:
                self._connection = connection
                stop = False
                try:
                    if not self._interrupted():
                        verdict, body = await acheck_response(
                            connection.head, connection.raw_chunks(), state
                        )
                        stop = verdict is ResponseVerdict.STOP
                        async for chunk in body:
                            for item in state.deliver(chunk):
                                yield item
                            if self._interrupted():
                                stop = False
                                break
                except Exception as exc:
                    error = self._failure(exc, retryable)
                finally:
                    self._connection = None
                    await connection.aclose()
                if stop:
                    return
            delay = None if self._closed else self._lost(error)
            if delay is not None:
                await self._pause(delay)

    async def _pause(self, delay: float) -> None:
        if self._sleep is not None:
            await self._sleep(delay)
        elif not self._interrupted():
            await self._wait(delay)

    def _abort(self) -> None:
        connection = self._connection
        if connection is not None:
            connection.abort()

    def restart(self) -> Awaitable[None]:
        """Drop the current connection and reconnect at once, with ``Last-Event-ID``.

        Takes effect when called; awaiting the result is allowed, not needed.
        """
        self._restarting = True
        self._wake()
        self._abort()
        return _Done()

    async def aclose(self) -> None:
        """Stop: iteration ends, the current response is closed.

        Callable from another task while one iterates: its read is cut and
        its loop ends without an error.
        """
        self._closed = True
        self._wake()
        self._abort()
        if self._events is not None and not self._stepping:
            await self._events.aclose()

    async def __aenter__(self) -> AsyncEventSource[ClientT, ItemT]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
