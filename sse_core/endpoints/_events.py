"""The events the chat accumulator emits while it builds the completion.

They follow writer-sdk's ``writerai/lib/streaming/chat/_events.py`` (same
class names and ``type`` strings), with one difference that matters for
``n > 1``: every event about a choice carries ``choice_index``, so deltas of
different choices can be told apart. Tool call events also carry
``tool_index`` (the SDK's ``index``) and the call's ``id``.

``snapshot`` (the text so far) is computed when read, so streaming a long
answer costs time linear in its length, not quadratic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Literal, TypeVar, Union

from ._chunks import ChatCompletionChunk, LogprobsToken

__all__ = [
    "ChatStreamEvent",
    "ChunkEvent",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "LogprobsContentDeltaEvent",
    "LogprobsContentDoneEvent",
    "LogprobsRefusalDeltaEvent",
    "LogprobsRefusalDoneEvent",
    "Prefix",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
]

_T = TypeVar("_T")


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
class ChunkEvent:
    """A chunk arrived (emitted first, before the events it causes)."""

    type: ClassVar[Literal["chunk"]] = "chunk"
    chunk: ChatCompletionChunk


@dataclass(frozen=True)
class ContentDeltaEvent:
    """A choice's content grew by ``delta`` (never empty)."""

    type: ClassVar[Literal["content.delta"]] = "content.delta"
    choice_index: int
    delta: str
    _prefix: Prefix[str] = field(repr=False, compare=False)

    @property
    def snapshot(self) -> str:
        """The choice's content so far, this delta included."""
        return _text(self._prefix)


@dataclass(frozen=True)
class ContentDoneEvent:
    """A choice's content is complete (at its ``finish_reason``, or at the end)."""

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
    """A tool call is complete: the next call started, or its choice finished."""

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


ChatStreamEvent = Union[
    ChunkEvent,
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
