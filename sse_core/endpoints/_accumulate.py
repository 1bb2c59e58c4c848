"""Sans-I/O accumulators: chunks in, events and the final result out.

Feed chunks one at a time with ``add()``; ``result()`` returns what they add
up to so far, at any time. The chat accumulator also returns helper events
from ``add()``, and the events still pending at the end of the stream from
``end()``.

How the chat accumulator merges, and where it differs from writer-sdk's
helper (``writerai/lib/streaming/chat/_completions.py`` and
``writerai/lib/streaming/_deltas.py``):

* Choices are keyed by ``index``, in any order; the first chunk may start at
  any index (the SDK indexes a list by it and fails).
* ``content``, ``refusal`` and tool ``arguments`` are concatenated; ``role``,
  tool ``id``, ``type`` and ``function.name`` are kept from the first
  non-null value (the SDK replaces ``type`` with Writer's continuation
  ``null``, then fails an assertion).
* ``graph_data.status`` is replaced, not concatenated (the SDK gives
  ``"processingfinished"``); ``sources`` and ``subqueries`` are the last
  non-empty lists (the SDK fails merging two lists of sources).
* ``usage`` is the last non-null one (the SDK keeps the last chunk's, so a
  later ``"usage": null`` loses it).
* A ``finish_reason`` of ``"length"`` or ``"content_filter"`` is reported on
  the result; :meth:`ChatCompletion.raise_for_finish_reason` raises it.
"""

from __future__ import annotations

from typing import Any

from ._chunks import (
    ApplicationChunk,
    ChatCompletionChunk,
    Choice,
    ChoiceDelta,
    CompletionChunk,
    LogprobsToken,
    QuestionChunk,
    WebSearchChunk,
)
from ._events import (
    ChatStreamEvent,
    ChunkEvent,
    ContentDeltaEvent,
    ContentDoneEvent,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    LogprobsRefusalDeltaEvent,
    LogprobsRefusalDoneEvent,
    Prefix,
    RefusalDeltaEvent,
    RefusalDoneEvent,
)
from ._results import (
    ApplicationOutput,
    ChatCompletion,
    Question,
    ToolFunction,
    WebSearchResponse,
)

__all__ = [
    "ApplicationAccumulator",
    "ChatAccumulator",
    "CompletionAccumulator",
    "QuestionAccumulator",
    "WebSearchAccumulator",
]

_DELTA_KEYS = ChoiceDelta._keys


def _joined(parts: list[str] | None) -> str | None:
    return None if parts is None else "".join(parts)


class _ToolCallState:
    __slots__ = ("arguments", "done", "id", "index", "name", "type")

    def __init__(self, index: int) -> None:
        self.index = index
        self.id: str | None = None
        self.type: str | None = None
        self.name: str | None = None
        self.arguments: list[str] = []
        self.done = False

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "id": self.id,
            "type": self.type,
            "function": {"name": self.name, "arguments": "".join(self.arguments)},
        }


class _ChoiceState:
    __slots__ = (
        "content",
        "done",
        "extras",
        "finish_reason",
        "graph_data",
        "index",
        "last_tool",
        "llm_data",
        "logprobs",
        "logprobs_content",
        "logprobs_refusal",
        "refusal",
        "role",
        "tool_calls",
        "translation_data",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.role: str | None = None
        self.content: list[str] | None = None
        self.refusal: list[str] | None = None
        self.tool_calls: dict[int, _ToolCallState] = {}
        self.last_tool: _ToolCallState | None = None
        self.finish_reason: str | None = None
        self.logprobs = False
        self.logprobs_content: list[LogprobsToken] | None = None
        self.logprobs_refusal: list[LogprobsToken] | None = None
        self.graph_data: dict[str, Any] | None = None
        self.llm_data: dict[str, Any] | None = None
        self.translation_data: dict[str, Any] | None = None
        self.extras: dict[str, Any] = {}
        self.done = False

    def to_json(self) -> dict[str, Any]:
        tool_calls = [self.tool_calls[i].to_json() for i in sorted(self.tool_calls)]
        message = {
            "role": self.role,
            "content": _joined(self.content),
            "refusal": _joined(self.refusal),
            "tool_calls": tool_calls or None,
            "graph_data": self.graph_data,
            "llm_data": self.llm_data,
            "translation_data": self.translation_data,
            **self.extras,
        }
        logprobs = None
        if self.logprobs:
            logprobs = {
                "content": _raw_tokens(self.logprobs_content),
                "refusal": _raw_tokens(self.logprobs_refusal),
            }
        return {
            "index": self.index,
            "message": message,
            "finish_reason": self.finish_reason,
            "logprobs": logprobs,
        }


def _raw_tokens(tokens: list[LogprobsToken] | None) -> list[dict[str, Any]] | None:
    return None if tokens is None else [token.raw for token in tokens]


class ChatAccumulator:
    """Builds a :class:`ChatCompletion` from chat chunks, emitting helper events.

    ``add(chunk)`` returns, in order: a :class:`ChunkEvent`, then for each
    choice in the chunk its delta events (``content.delta``,
    ``refusal.delta``, ``tool_calls.function.arguments.delta``,
    ``logprobs.content.delta``, ``logprobs.refusal.delta``) and, when the
    choice carries its ``finish_reason``, its done events. A tool call is
    also done when the next tool call of its choice starts. ``end()``
    returns the done events of choices that never got a ``finish_reason``;
    call it once, when the stream ends. Delta events are emitted for
    non-empty pieces only.

    Handles both wire dialects: Writer's (every key present, explicit
    ``null``, ``role`` and a new ``id`` on every chunk, ``type: null`` on
    tool call continuations, ``finish_reason`` on the last fragment's chunk)
    and the sparse OpenAI-style one (``delta: {}`` with ``finish_reason``,
    then a usage-only chunk with ``choices: []``).
    """

    __slots__ = (
        "_choices",
        "_created",
        "_ended",
        "_fingerprint",
        "_id",
        "_model",
        "_service_tier",
        "_usage",
    )

    def __init__(self) -> None:
        self._choices: dict[int, _ChoiceState] = {}
        self._id: str | None = None
        self._created: int | None = None
        self._model: str | None = None
        self._usage: dict[str, Any] | None = None
        self._fingerprint: str | None = None
        self._service_tier: str | None = None
        self._ended = False

    def add(self, chunk: ChatCompletionChunk) -> list[ChatStreamEvent]:
        """Merge one chunk; return the events it causes."""
        events: list[ChatStreamEvent] = [ChunkEvent(chunk)]
        if self._id is None:
            self._id = chunk.id
        if self._created is None:
            self._created = chunk.created
        if self._model is None:
            self._model = chunk.model
        usage = chunk.usage
        if usage is not None:
            self._usage = usage.raw
        fingerprint = chunk.system_fingerprint
        if fingerprint is not None:
            self._fingerprint = fingerprint
        tier = chunk.service_tier
        if tier is not None:
            self._service_tier = tier
        for choice in chunk.choices:
            index = choice.index
            state = self._choices.get(index)
            if state is None:
                state = self._choices[index] = _ChoiceState(index)
            self._add_choice(state, choice, events)
        return events

    def end(self) -> list[ChatStreamEvent]:
        """The stream ended: return the done events still pending (once)."""
        if self._ended:
            return []
        self._ended = True
        events: list[ChatStreamEvent] = []
        for index in sorted(self._choices):
            state = self._choices[index]
            if not state.done:
                _finish(state, events)
        return events

    def result(self) -> ChatCompletion:
        """The completion accumulated so far (final after the last chunk)."""
        return ChatCompletion(
            {
                "id": self._id,
                "object": "chat.completion",
                "created": self._created,
                "model": self._model,
                "choices": [self._choices[i].to_json() for i in sorted(self._choices)],
                "usage": self._usage,
                "system_fingerprint": self._fingerprint,
                "service_tier": self._service_tier,
            }
        )

    def _add_choice(
        self, state: _ChoiceState, choice: Choice, events: list[ChatStreamEvent]
    ) -> None:
        index = state.index
        delta = choice.delta
        if state.role is None:
            state.role = delta.role
        content = delta.content
        if content is not None:
            if state.content is None:
                state.content = []
            state.content.append(content)
            if content:
                events.append(ContentDeltaEvent(index, content, Prefix(state.content)))
        refusal = delta.refusal
        if refusal is not None:
            if state.refusal is None:
                state.refusal = []
            state.refusal.append(refusal)
            if refusal:
                events.append(RefusalDeltaEvent(index, refusal, Prefix(state.refusal)))
        tool_calls = delta.tool_calls
        if tool_calls:
            for fragment in tool_calls:
                tool_index = fragment.index
                tool = state.tool_calls.get(tool_index)
                if tool is None:
                    # Tool calls stream one after another: a new one means
                    # the one before it is complete.
                    last = state.last_tool
                    if last is not None and not last.done:
                        events.append(_tool_done(index, last))
                    tool = state.tool_calls[tool_index] = _ToolCallState(tool_index)
                    state.last_tool = tool
                if tool.id is None:
                    tool.id = fragment.id
                if tool.type is None:
                    tool.type = fragment.type
                function = fragment.function
                if function is not None:
                    if tool.name is None:
                        tool.name = function.name
                    arguments = function.arguments
                    if arguments:
                        tool.arguments.append(arguments)
                        events.append(
                            FunctionToolCallArgumentsDeltaEvent(
                                index,
                                tool_index,
                                tool.id,
                                tool.name,
                                arguments,
                                Prefix(tool.arguments),
                            )
                        )
        logprobs = choice.logprobs
        if logprobs is not None:
            state.logprobs = True
            tokens = logprobs.content
            if tokens is not None:
                if state.logprobs_content is None:
                    state.logprobs_content = []
                if tokens:
                    state.logprobs_content.extend(tokens)
                    prefix = Prefix(state.logprobs_content)
                    events.append(LogprobsContentDeltaEvent(index, tokens, prefix))
            tokens = logprobs.refusal
            if tokens is not None:
                if state.logprobs_refusal is None:
                    state.logprobs_refusal = []
                if tokens:
                    state.logprobs_refusal.extend(tokens)
                    prefix = Prefix(state.logprobs_refusal)
                    events.append(LogprobsRefusalDeltaEvent(index, tokens, prefix))
        graph_data = delta.graph_data
        if graph_data is not None:
            merged = state.graph_data
            if merged is None:
                merged = state.graph_data = {
                    "sources": None,
                    "status": None,
                    "subqueries": None,
                    "references": None,
                }
            status = graph_data.status
            if status is not None:
                merged["status"] = status
            raw = graph_data.raw
            for key in ("sources", "subqueries"):
                # Read through the view for its type check; keep the JSON.
                items = getattr(graph_data, key)
                if items is not None and (items or merged[key] is None):
                    merged[key] = raw[key]
            if graph_data.references is not None:
                merged["references"] = raw["references"]
        if delta.llm_data is not None:
            state.llm_data = delta.raw["llm_data"]
        if delta.translation_data is not None:
            state.translation_data = delta.raw["translation_data"]
        raw_delta = delta.raw
        if not _DELTA_KEYS.issuperset(raw_delta):
            for key, value in raw_delta.items():
                if key not in _DELTA_KEYS and value is not None:
                    state.extras[key] = value
        finish_reason = choice.finish_reason
        if finish_reason is not None:
            state.finish_reason = finish_reason
            if not state.done:
                _finish(state, events)


def _tool_done(
    choice_index: int, tool: _ToolCallState
) -> FunctionToolCallArgumentsDoneEvent:
    tool.done = True
    arguments = "".join(tool.arguments)
    parsed = ToolFunction({"arguments": arguments}).parsed_arguments
    return FunctionToolCallArgumentsDoneEvent(
        choice_index, tool.index, tool.id, tool.name, arguments, parsed
    )


def _finish(state: _ChoiceState, events: list[ChatStreamEvent]) -> None:
    state.done = True
    index = state.index
    content = _joined(state.content)
    if content:
        events.append(ContentDoneEvent(index, content))
    refusal = _joined(state.refusal)
    if refusal:
        events.append(RefusalDoneEvent(index, refusal))
    for tool_index in sorted(state.tool_calls):
        tool = state.tool_calls[tool_index]
        if not tool.done:
            events.append(_tool_done(index, tool))
    if state.logprobs_content:
        events.append(LogprobsContentDoneEvent(index, tuple(state.logprobs_content)))
    if state.logprobs_refusal:
        events.append(LogprobsRefusalDoneEvent(index, tuple(state.logprobs_refusal)))


class CompletionAccumulator:
    """Concatenates the ``value`` of completion chunks."""

    __slots__ = ("_parts",)

    def __init__(self) -> None:
        self._parts: list[str] = []

    def add(self, chunk: CompletionChunk) -> None:
        """Merge one chunk."""
        value = chunk.value
        if value:
            self._parts.append(value)

    def result(self) -> str:
        """The text generated so far."""
        return "".join(self._parts)


class ApplicationAccumulator:
    """Builds an :class:`ApplicationOutput` from application chunks.

    Every string of a chunk's ``delta`` is treated as a piece to append (the
    schema calls the object a delta): ``title``, ``content``, and each
    stage's ``content``; stages are merged by ``id``.
    """

    __slots__ = ("_content", "_stages", "_title")

    def __init__(self) -> None:
        self._title: list[str] | None = None
        self._content: list[str] = []
        self._stages: dict[str | None, tuple[list[str], list[str]]] = {}

    def add(self, chunk: ApplicationChunk) -> None:
        """Merge one chunk."""
        delta = chunk.delta
        title = delta.title
        if title is not None:
            if self._title is None:
                self._title = []
            self._title.append(title)
        content = delta.content
        if content:
            self._content.append(content)
        for stage in delta.stages or ():
            key = stage.id
            parts, sources = self._stages.setdefault(key, ([], []))
            text = stage.content
            if text:
                parts.append(text)
            for url in stage.sources or ():
                if url not in sources:
                    sources.append(url)

    def result(self) -> ApplicationOutput:
        """The output accumulated so far."""
        return ApplicationOutput(
            {
                "title": _joined(self._title),
                "content": "".join(self._content),
                "stages": [
                    {"id": key, "content": "".join(parts), "sources": sources}
                    for key, (parts, sources) in self._stages.items()
                ],
            }
        )


class QuestionAccumulator:
    """Builds a :class:`Question` from Knowledge Graph question chunks."""

    __slots__ = ("_answer", "_latest")

    def __init__(self) -> None:
        self._answer: list[str] = []
        self._latest: dict[str, Any] = {
            "question": None,
            "sources": None,
            "subqueries": None,
            "references": None,
        }

    def add(self, chunk: QuestionChunk) -> None:
        """Merge one chunk."""
        answer = chunk.answer
        if answer:
            self._answer.append(answer)
        latest = self._latest
        fields = chunk._obj
        if chunk.question is not None:
            latest["question"] = fields["question"]
        if chunk.references is not None:
            latest["references"] = fields["references"]
        for key in ("sources", "subqueries"):
            items = getattr(chunk, key)
            if items is not None and (items or latest[key] is None):
                latest[key] = fields[key]

    def result(self) -> Question:
        """The answer accumulated so far."""
        return Question({"answer": "".join(self._answer), **self._latest})


class WebSearchAccumulator:
    """Builds a :class:`WebSearchResponse` from web search chunks."""

    __slots__ = ("_answer", "_query", "_sources")

    def __init__(self) -> None:
        self._query: str | None = None
        self._answer: list[str] | None = None
        self._sources: dict[object, dict[str, Any]] = {}

    def add(self, chunk: WebSearchChunk) -> None:
        """Merge one chunk."""
        query = chunk.query
        if query is not None:
            self._query = query
        answer = chunk.answer
        if answer is not None:
            if self._answer is None:
                self._answer = []
            self._answer.append(answer)
        for source in chunk.sources or ():
            url = source.url
            # Sources without a URL cannot be matched: each is kept.
            key: object = url if url is not None else object()
            merged = self._sources.setdefault(key, {})
            merged.update((k, v) for k, v in source.raw.items() if v is not None)

    def result(self) -> WebSearchResponse:
        """The response accumulated so far."""
        return WebSearchResponse(
            {
                "query": self._query,
                "answer": _joined(self._answer),
                "sources": list(self._sources.values()),
            }
        )
