"""The convenience over raw bytes: decode, accumulate, iterate, get the result.

::

    with stream_events("chat", response.iter_bytes()) as stream:
        for event in stream:
            ...
        completion = stream.final()

It wires :func:`decode_bytes` to an accumulator. For ``"chat"`` the stream
yields the chat helper events; for the other endpoints it yields the chunks
themselves. Leaving the ``with`` block closes the byte source if it has a
``close()`` (``aclose()`` when async), as a response's byte iterator does.
"""

from __future__ import annotations

from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Generator,
    Iterable,
    Iterator,
)
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar, Union, cast, overload

from .._parser import EventStreamParser
from ._accumulate import (
    ApplicationAccumulator,
    ChatAccumulator,
    CompletionAccumulator,
    QuestionAccumulator,
    WebSearchAccumulator,
)
from ._chunks import ApplicationChunk, CompletionChunk, QuestionChunk, WebSearchChunk
from ._decode import adecode_bytes, chunk_class, decode_bytes
from ._events import ChatStreamEvent
from ._results import ApplicationOutput, ChatCompletion, Question, WebSearchResponse

__all__ = ["AsyncEndpointStream", "EndpointStream", "astream_events", "stream_events"]

_E = TypeVar("_E")
_R = TypeVar("_R")
_Bytes = Union[bytes, bytearray, memoryview]

_ACCUMULATORS: dict[str, type[Any]] = {
    "completions": CompletionAccumulator,
    "chat": ChatAccumulator,
    "applications": ApplicationAccumulator,
    "graphs.question": QuestionAccumulator,
    "web_search": WebSearchAccumulator,
}


class _Helper:
    """One interface over the accumulators: chunk in, events out."""

    __slots__ = ("_accumulator", "_chat")

    def __init__(self, endpoint: str) -> None:
        chunk_class(endpoint)  # the ValueError for an unknown name
        self._accumulator = _ACCUMULATORS[endpoint]()
        self._chat = endpoint == "chat"

    def add(self, chunk: Any) -> Iterable[Any]:
        if self._chat:
            return cast("list[Any]", self._accumulator.add(chunk))
        self._accumulator.add(chunk)
        return (chunk,)

    def end(self) -> Iterable[Any]:
        return self._accumulator.end() if self._chat else ()

    def result(self) -> Any:
        return self._accumulator.result()


def _close(source: object) -> None:
    close = getattr(source, "close", None)
    if callable(close):
        close()


class EndpointStream(Generic[_E, _R]):
    """An endpoint's stream, read from raw bytes: iterate events, then :meth:`final`.

    Made by :func:`stream_events`. Iterating it reads the bytes as it goes;
    a :class:`~sse_core.endpoints.StreamError` is raised at the event that
    caused it, after every event before it.
    """

    __slots__ = ("_error", "_events", "_helper", "_source", "parser")

    def __init__(
        self, endpoint: str, source: Iterable[_Bytes], parser: EventStreamParser | None
    ) -> None:
        self._helper = _Helper(endpoint)
        self.parser = parser if parser is not None else EventStreamParser()
        """The parser reading the bytes (``last_event_id``, ``retry``, ...)."""
        self._source = source
        self._error: Exception | None = None
        self._events = self._run(decode_bytes(endpoint, source, self.parser))

    def _run(self, chunks: Iterator[Any]) -> Generator[_E, None, None]:
        helper = self._helper
        try:
            for chunk in chunks:
                yield from helper.add(chunk)
            yield from helper.end()
        except Exception as exc:
            self._error = exc
            raise

    def __iter__(self) -> Iterator[_E]:
        return self

    def __next__(self) -> _E:
        return next(self._events)

    def final(self) -> _R:
        """Read the rest of the stream and return its result.

        Re-raises the error that ended the stream, if one did. After
        :meth:`close`, returns what was accumulated until then.
        """
        for _ in self._events:
            pass
        if self._error is not None:
            raise self._error
        return cast(_R, self._helper.result())

    def close(self) -> None:
        """Stop reading, and close the byte source if it has ``close()``."""
        self._events.close()
        _close(self._source)

    def __enter__(self) -> EndpointStream[_E, _R]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncEndpointStream(Generic[_E, _R]):
    """Async form of :class:`EndpointStream`, made by :func:`astream_events`."""

    __slots__ = ("_error", "_events", "_helper", "_source", "parser")

    def __init__(
        self,
        endpoint: str,
        source: AsyncIterable[_Bytes],
        parser: EventStreamParser | None,
    ) -> None:
        self._helper = _Helper(endpoint)
        self.parser = parser if parser is not None else EventStreamParser()
        """The parser reading the bytes (``last_event_id``, ``retry``, ...)."""
        self._source = source
        self._error: Exception | None = None
        self._events = self._run(adecode_bytes(endpoint, source, self.parser))

    async def _run(self, chunks: AsyncIterator[Any]) -> AsyncGenerator[_E, None]:
        helper = self._helper
        try:
            async for chunk in chunks:
                for event in helper.add(chunk):
                    yield event
            for event in helper.end():
                yield event
        except Exception as exc:
            self._error = exc
            raise

    def __aiter__(self) -> AsyncIterator[_E]:
        return self

    async def __anext__(self) -> _E:
        return await self._events.__anext__()

    async def final(self) -> _R:
        """Read the rest of the stream and return its result.

        See :meth:`EndpointStream.final`.
        """
        async for _ in self._events:
            pass
        if self._error is not None:
            raise self._error
        return cast(_R, self._helper.result())

    async def aclose(self) -> None:
        """Stop reading, and close the byte source if it has ``aclose()``."""
        await self._events.aclose()
        aclose = getattr(self._source, "aclose", None)
        if callable(aclose):
            await aclose()

    async def __aenter__(self) -> AsyncEndpointStream[_E, _R]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()


@overload
def stream_events(
    endpoint: Literal["chat"],
    chunks: Iterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> EndpointStream[ChatStreamEvent, ChatCompletion]: ...
@overload
def stream_events(
    endpoint: Literal["completions"],
    chunks: Iterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> EndpointStream[CompletionChunk, str]: ...
@overload
def stream_events(
    endpoint: Literal["applications"],
    chunks: Iterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> EndpointStream[ApplicationChunk, ApplicationOutput]: ...
@overload
def stream_events(
    endpoint: Literal["graphs.question"],
    chunks: Iterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> EndpointStream[QuestionChunk, Question]: ...
@overload
def stream_events(
    endpoint: Literal["web_search"],
    chunks: Iterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> EndpointStream[WebSearchChunk, WebSearchResponse]: ...
@overload
def stream_events(
    endpoint: str, chunks: Iterable[_Bytes], *, parser: EventStreamParser | None = None
) -> EndpointStream[Any, Any]: ...
def stream_events(
    endpoint: str, chunks: Iterable[_Bytes], *, parser: EventStreamParser | None = None
) -> EndpointStream[Any, Any]:
    """Read an endpoint's stream from raw byte chunks, with its accumulator.

    Iterate the returned stream for events (chat helper events for
    ``"chat"``, chunks otherwise), then call ``final()`` for the result:
    a :class:`ChatCompletion`, the completed text (``str``), an
    :class:`ApplicationOutput`, a :class:`Question` or a
    :class:`WebSearchResponse`.
    """
    return EndpointStream(endpoint, chunks, parser)


@overload
def astream_events(
    endpoint: Literal["chat"],
    chunks: AsyncIterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> AsyncEndpointStream[ChatStreamEvent, ChatCompletion]: ...
@overload
def astream_events(
    endpoint: Literal["completions"],
    chunks: AsyncIterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> AsyncEndpointStream[CompletionChunk, str]: ...
@overload
def astream_events(
    endpoint: Literal["applications"],
    chunks: AsyncIterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> AsyncEndpointStream[ApplicationChunk, ApplicationOutput]: ...
@overload
def astream_events(
    endpoint: Literal["graphs.question"],
    chunks: AsyncIterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> AsyncEndpointStream[QuestionChunk, Question]: ...
@overload
def astream_events(
    endpoint: Literal["web_search"],
    chunks: AsyncIterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> AsyncEndpointStream[WebSearchChunk, WebSearchResponse]: ...
@overload
def astream_events(
    endpoint: str,
    chunks: AsyncIterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> AsyncEndpointStream[Any, Any]: ...
def astream_events(
    endpoint: str,
    chunks: AsyncIterable[_Bytes],
    *,
    parser: EventStreamParser | None = None,
) -> AsyncEndpointStream[Any, Any]:
    """Async form of :func:`stream_events`, over an async iterable of byte chunks."""
    return AsyncEndpointStream(endpoint, chunks, parser)
