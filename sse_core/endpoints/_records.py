"""One record per streaming endpoint: the only place that says which exist.

Everything else is derived from these records: the names
:func:`~sse_core.endpoints.decode_bytes` and the CLI accept, the chunk class
and the accumulator of each endpoint, and the static types of the typed
tokens (``decode_bytes(CHAT, ...)`` yields :class:`ChatCompletionChunk`).
Adding an endpoint means one record here plus its chunk, accumulator and
result classes.

This module is light on purpose: it names the classes and imports them only
when they are first used, so ``python -m sse_core`` can list the endpoint
names without loading the endpoint layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar, overload

from ._errors import UnknownEndpointError
from ._limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from ._chunks import (
        ApplicationChunk,
        ChatCompletionChunk,
        CompletionChunk,
        QuestionChunk,
        WebSearchChunk,
    )
    from ._events import (
        ApplicationStreamEvent,
        ChatStreamEvent,
        CompletionStreamEvent,
        QuestionStreamEvent,
        WebSearchStreamEvent,
    )
    from ._results import (
        ApplicationOutput,
        ChatCompletion,
        Question,
        WebSearchResponse,
    )

__all__ = [
    "APPLICATIONS",
    "CHAT",
    "COMPLETIONS",
    "ENDPOINTS",
    "GRAPHS_QUESTION",
    "WEB_SEARCH",
    "Accumulator",
    "Endpoint",
    "EndpointName",
    "lookup",
]

_C = TypeVar("_C")
_E = TypeVar("_E")
_R = TypeVar("_R")
_C_contra = TypeVar("_C_contra", contravariant=True)
_E_co = TypeVar("_E_co", covariant=True)
_R_co = TypeVar("_R_co", covariant=True)


class Accumulator(Protocol[_C_contra, _E_co, _R_co]):
    """What every endpoint's accumulator does: chunks in, events and a result out.

    ``add(chunk)`` merges one chunk and returns the events it causes, starting
    with a ``chunk`` event; ``end()`` returns the events still pending when
    the stream ends (the ``.done`` events of items never finished), once;
    ``result()`` returns what the chunks add up to so far, at any time.
    """

    def add(self, chunk: _C_contra) -> Sequence[_E_co]: ...
    def end(self) -> Sequence[_E_co]: ...
    def result(self) -> _R_co: ...


class Endpoint(Generic[_C, _E, _R]):
    """A streaming endpoint: its name, chunk class, accumulator and text.

    The module constants (:data:`CHAT`, ...) are the records; pass one
    wherever an endpoint name is accepted to get exact static types
    (``Endpoint[chunk, event, result]``). Their string names keep working.
    """

    __slots__ = ("_accumulator", "_chunk", "_loaded", "name", "route", "text")

    def __init__(
        self, name: str, *, route: str, chunk: str, accumulator: str, text: str
    ) -> None:
        self.name = name
        """The endpoint's name, e.g. ``"chat"``."""
        self.route = route
        """The HTTP request that streams it, e.g. ``"POST /v1/chat"``."""
        self.text = text
        """Where its streamed text is, e.g. ``"choices[].delta.content"``:
        what its ``content.delta`` events carry."""
        self._chunk = chunk
        self._accumulator = accumulator
        self._loaded: tuple[Any, Any] | None = None

    def _load(self) -> tuple[Any, Any]:
        loaded = self._loaded
        if loaded is None:
            chunks = import_module(".._chunks", __name__)
            accumulators = import_module(".._accumulate", __name__)
            loaded = self._loaded = (
                getattr(chunks, self._chunk),
                getattr(accumulators, self._accumulator),
            )
        return loaded

    @property
    def chunk_class(self) -> type[_C]:
        """The class of its chunks (imported on first use)."""
        cls: type[_C] = self._load()[0]
        return cls

    def accumulator(self, limits: Limits = DEFAULT_LIMITS) -> Accumulator[_C, _E, _R]:
        """A new accumulator for one stream of this endpoint."""
        made: Accumulator[_C, _E, _R] = self._load()[1](limits)
        return made

    def __repr__(self) -> str:
        return f"<Endpoint {self.name}>"


COMPLETIONS: Endpoint[CompletionChunk, CompletionStreamEvent, str] = Endpoint(
    "completions",
    route="POST /v1/completions",
    chunk="CompletionChunk",
    accumulator="CompletionAccumulator",
    text="value",
)
"""Text generation; its result is the text (``str``)."""

CHAT: Endpoint[ChatCompletionChunk, ChatStreamEvent, ChatCompletion] = Endpoint(
    "chat",
    route="POST /v1/chat",
    chunk="ChatCompletionChunk",
    accumulator="ChatAccumulator",
    text="choices[].delta.content",
)
"""Chat completions."""

APPLICATIONS: Endpoint[ApplicationChunk, ApplicationStreamEvent, ApplicationOutput] = (
    Endpoint(
        "applications",
        route="POST /v1/applications/{application_id}",
        chunk="ApplicationChunk",
        accumulator="ApplicationAccumulator",
        text="delta.content",
    )
)
"""Content generated by a no-code agent (research assistants)."""

GRAPHS_QUESTION: Endpoint[QuestionChunk, QuestionStreamEvent, Question] = Endpoint(
    "graphs.question",
    route="POST /v1/graphs/question",
    chunk="QuestionChunk",
    accumulator="QuestionAccumulator",
    text="answer",
)
"""A question to Knowledge Graphs."""

WEB_SEARCH: Endpoint[WebSearchChunk, WebSearchStreamEvent, WebSearchResponse] = (
    Endpoint(
        "web_search",
        route="POST /v1/tools/web-search",
        chunk="WebSearchChunk",
        accumulator="WebSearchAccumulator",
        text="answer",
    )
)
"""Web search (deprecated by Writer in favour of chat's web search tool)."""

_RECORDS: dict[str, Endpoint[Any, Any, Any]] = {
    record.name: record
    for record in (COMPLETIONS, CHAT, APPLICATIONS, GRAPHS_QUESTION, WEB_SEARCH)
}

ENDPOINTS: tuple[str, ...] = tuple(_RECORDS)
"""The endpoint names, in the order of the records."""

EndpointName = Literal[
    "completions", "chat", "applications", "graphs.question", "web_search"
]
"""The endpoint names as a type (a test checks it lists :data:`ENDPOINTS`)."""


@overload
def lookup(endpoint: Endpoint[_C, _E, _R]) -> Endpoint[_C, _E, _R]: ...
@overload
def lookup(endpoint: str) -> Endpoint[Any, Any, Any]: ...
def lookup(endpoint: object) -> Endpoint[Any, Any, Any]:
    """The record of an endpoint given by name or record.

    Raises :class:`~sse_core.endpoints.UnknownEndpointError` (a
    ``ValueError``) for anything else.
    """
    if isinstance(endpoint, Endpoint):
        return endpoint  # pyright: ignore[reportUnknownVariableType]
    record = _RECORDS.get(endpoint) if isinstance(endpoint, str) else None
    if record is None:
        raise UnknownEndpointError(endpoint, ENDPOINTS)
    return record
