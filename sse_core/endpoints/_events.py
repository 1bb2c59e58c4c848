"""The events the accumulators emit while they build each endpoint's result.

Every endpoint's stream yields a ``chunk`` event per chunk, ``content.delta``
events for the text it streams (chat: each choice's ``content``;
completions: ``value``; applications: ``delta.content``; graphs.question and
web_search: ``answer``) and a ``content.done`` event when that text is
complete, so one loop prints any endpoint's text::

    for event in stream:
        if event.type == "content.delta":
            print(event.delta, end="")

Each endpoint adds its own events: chat the refusal, tool call and logprobs
events; applications the title and the stages; graphs.question its sources;
web_search each new source. A ``.done`` event fires once, when its item is
complete.

The chat events follow writer-sdk's ``writerai/lib/streaming/chat/_events.py``
(same class names and ``type`` strings), with one difference that matters for
``n > 1``: every event about a choice carries ``choice_index``, so deltas of
different choices can be told apart (it is ``0`` for the endpoints without
choices). Tool call events also carry ``tool_index`` (the SDK's ``index``)
and the call's ``id``.

``snapshot`` (the text so far) is computed when read, so streaming a long
answer costs time linear in its length, not quadratic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, TypeVar, Union

from ._chunks import (
    ApplicationChunk,
    ChatCompletionChunk,
    CompletionChunk,
    LogprobsToken,
    QuestionChunk,
    Source,
    WebSearchChunk,
    WebSearchSource,
)

__all__ = [
    "ApplicationStreamEvent",
    "ChatStreamEvent",
    "ChunkEvent",
    "CompletionStreamEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "GraphSourcesEvent",
    "LogprobsContentDeltaEvent",
    "LogprobsContentDoneEvent",
    "LogprobsRefusalDeltaEvent",
    "LogprobsRefusalDoneEvent",
    "Prefix",
    "QuestionStreamEvent",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
    "SearchSourceEvent",
    "StageDeltaEvent",
    "StageDoneEvent",
    "StageSourceEvent",
    "StreamEvent",
    "TitleDeltaEvent",
    "TitleDoneEvent",
    "WebSearchStreamEvent",
]

_T = TypeVar("_T")
_C = TypeVar("_C")


class Prefix(Generic[_T]):
    """The first ``count`` items of a list that only grows: a snapshot for free."""

    __slots__ = ("_count", "_items")

    def __init__(self, items: list[_T]) -> None:
        self._items = items
        self._count = len(items)

    def as_tuple(self) -> tuple[_T, ...]:
        return tuple(self._items[: self._count])


def _text(prefix: Prefix[str]) -> str:
    return "".join(prefix.as_tuple())


@dataclass(frozen=True)
class ChunkEvent(Generic[_C]):
    """A chunk arrived (emitted first, before the events it causes)."""

    type: ClassVar[Literal["chunk"]] = "chunk"
    chunk: _C

    def __init__(self, chunk: _C) -> None:
        # The generated frozen __init__ calls object.__setattr__ per field;
        # one dict update sets the same attributes at half the cost (one
        # event per chunk). tests/test_endpoint_helpers.py compares them.
        self.__dict__["chunk"] = chunk


@dataclass(frozen=True)
class ContentDeltaEvent:
    """The streamed text grew by ``delta`` (never empty).

    For chat, the text of choice ``choice_index``; for the other endpoints
    (``choice_index == 0``), their one text.
    """

    type: ClassVar[Literal["content.delta"]] = "content.delta"
    choice_index: int
    delta: str
    _prefix: Prefix[str] = field(repr=False, compare=False)

    def __init__(self, choice_index: int, delta: str, _prefix: Prefix[str]) -> None:
        # As ChunkEvent.__init__: the generated one's effect, cheaper.
        self.__dict__.update(choice_index=choice_index, delta=delta, _prefix=_prefix)

    @property
    def snapshot(self) -> str:
        """The text so far, this delta included."""
        return _text(self._prefix)


@dataclass(frozen=True)
class ContentDoneEvent:
    """The text is complete: at a chat choice's ``finish_reason``, else at the end.

    Not emitted when the text is empty.
    """

    type: ClassVar[Literal["content.done"]] = "content.done"
    choice_index: int
    content: str


@dataclass(frozen=True)
class RefusalDeltaEvent:
    """A choice's refusal grew by ``delta`` (never empty)."""

    type: ClassVar[Literal["refusal.delta"]] = "refusal.delta"
    choice_index: int
    delta: str
    _prefix: Prefix[str] = field(repr=False, compare=False)

    @property
    def snapshot(self) -> str:
        """The choice's refusal so far, this delta included."""
        return _text(self._prefix)


@dataclass(frozen=True)
class RefusalDoneEvent:
    """A choice's refusal is complete."""

    type: ClassVar[Literal["refusal.done"]] = "refusal.done"
    choice_index: int
    refusal: str


@dataclass(frozen=True)
class FunctionToolCallArgumentsDeltaEvent:
    """A tool call's arguments grew by ``arguments_delta`` (never empty)."""

    type: ClassVar[Literal["tool_calls.function.arguments.delta"]] = (
        "tool_calls.function.arguments.delta"
    )
    choice_index: int
    tool_index: int
    id: str | None
    name: str | None
    arguments_delta: str
    _prefix: Prefix[str] = field(repr=False, compare=False)

    @property
    def arguments(self) -> str:
        """The arguments so far, this delta included."""
        return _text(self._prefix)


@dataclass(frozen=True)
class FunctionToolCallArgumentsDoneEvent:
    """A tool call is complete: its choice finished, or the stream ended.

    Emitted once per call, with the complete arguments, even when the
    fragments of several calls interleave.
    """

    type: ClassVar[Literal["tool_calls.function.arguments.done"]] = (
        "tool_calls.function.arguments.done"
    )
    choice_index: int
    tool_index: int
    id: str | None
    name: str | None
    arguments: str
    parsed_arguments: Any
    """``json.loads(arguments)``, or ``None`` if they are not valid JSON."""


@dataclass(frozen=True)
class LogprobsContentDeltaEvent:
    """Log probabilities for new content tokens of a choice."""

    type: ClassVar[Literal["logprobs.content.delta"]] = "logprobs.content.delta"
    choice_index: int
    content: tuple[LogprobsToken, ...]
    _prefix: Prefix[LogprobsToken] = field(repr=False, compare=False)

    @property
    def snapshot(self) -> tuple[LogprobsToken, ...]:
        """The choice's content tokens so far."""
        return self._prefix.as_tuple()


@dataclass(frozen=True)
class LogprobsContentDoneEvent:
    """All content token log probabilities of a choice."""

    type: ClassVar[Literal["logprobs.content.done"]] = "logprobs.content.done"
    choice_index: int
    content: tuple[LogprobsToken, ...]


@dataclass(frozen=True)
class LogprobsRefusalDeltaEvent:
    """Log probabilities for new refusal tokens of a choice."""

    type: ClassVar[Literal["logprobs.refusal.delta"]] = "logprobs.refusal.delta"
    choice_index: int
    refusal: tuple[LogprobsToken, ...]
    _prefix: Prefix[LogprobsToken] = field(repr=False, compare=False)

    @property
    def snapshot(self) -> tuple[LogprobsToken, ...]:
        """The choice's refusal tokens so far."""
        return self._prefix.as_tuple()


@dataclass(frozen=True)
class LogprobsRefusalDoneEvent:
    """All refusal token log probabilities of a choice."""

    type: ClassVar[Literal["logprobs.refusal.done"]] = "logprobs.refusal.done"
    choice_index: int
    refusal: tuple[LogprobsToken, ...]


@dataclass(frozen=True)
class TitleDeltaEvent:
    """An application's title grew by ``delta`` (never empty)."""

    type: ClassVar[Literal["title.delta"]] = "title.delta"
    delta: str
    _prefix: Prefix[str] = field(repr=False, compare=False)

    @property
    def snapshot(self) -> str:
        """The title so far, this delta included."""
        return _text(self._prefix)


@dataclass(frozen=True)
class TitleDoneEvent:
    """An application's title is complete (at the end of the stream)."""

    type: ClassVar[Literal["title.done"]] = "title.done"
    title: str


@dataclass(frozen=True)
class StageDeltaEvent:
    """A stage of an application's "thinking" grew by ``delta`` (never empty)."""

    type: ClassVar[Literal["stage.delta"]] = "stage.delta"
    stage_id: str | None
    delta: str
    _prefix: Prefix[str] = field(repr=False, compare=False)

    @property
    def snapshot(self) -> str:
        """The stage's content so far, this delta included."""
        return _text(self._prefix)


@dataclass(frozen=True)
class StageSourceEvent:
    """A stage cited a source URL it had not cited before."""

    type: ClassVar[Literal["stage.source"]] = "stage.source"
    stage_id: str | None
    url: str


@dataclass(frozen=True)
class StageDoneEvent:
    """A stage is complete (at the end of the stream: stages may interleave)."""

    type: ClassVar[Literal["stage.done"]] = "stage.done"
    stage_id: str | None
    content: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class GraphSourcesEvent:
    """A Knowledge Graph answer chunk carried a non-empty list of sources."""

    type: ClassVar[Literal["graph.sources"]] = "graph.sources"
    sources: tuple[Source | None, ...]


@dataclass(frozen=True)
class SearchSourceEvent:
    """A web search result with a URL not seen before (or with no URL)."""

    type: ClassVar[Literal["search.source"]] = "search.source"
    url: str | None
    source: WebSearchSource


CompletionStreamEvent = Union[
    ChunkEvent[CompletionChunk], ContentDeltaEvent, ContentDoneEvent
]
"""Any event of a completions stream."""

ChatStreamEvent = Union[
    ChunkEvent[ChatCompletionChunk],
    ContentDeltaEvent,
    ContentDoneEvent,
    RefusalDeltaEvent,
    RefusalDoneEvent,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    LogprobsRefusalDeltaEvent,
    LogprobsRefusalDoneEvent,
]
"""Any event of a chat stream; narrow with ``isinstance`` or ``event.type``."""

ApplicationStreamEvent = Union[
    ChunkEvent[ApplicationChunk],
    ContentDeltaEvent,
    ContentDoneEvent,
    TitleDeltaEvent,
    TitleDoneEvent,
    StageDeltaEvent,
    StageSourceEvent,
    StageDoneEvent,
]
"""Any event of an applications stream."""

QuestionStreamEvent = Union[
    ChunkEvent[QuestionChunk], ContentDeltaEvent, ContentDoneEvent, GraphSourcesEvent
]
"""Any event of a graphs.question stream."""

WebSearchStreamEvent = Union[
    ChunkEvent[WebSearchChunk], ContentDeltaEvent, ContentDoneEvent, SearchSourceEvent
]
"""Any event of a web_search stream."""

StreamEvent = Union[
    ChatStreamEvent,
    CompletionStreamEvent,
    ApplicationStreamEvent,
    QuestionStreamEvent,
    WebSearchStreamEvent,
]
"""Any event of any endpoint's stream; narrow with ``event.type``."""
