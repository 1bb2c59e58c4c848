"""Sans-I/O accumulators: chunks in, events and the final result out.

Every accumulator follows one protocol
(:class:`~sse_core.endpoints.Accumulator`): ``add(chunk)`` merges a chunk and
returns the events it causes (a ``chunk`` event first, then ``content.delta``
and the endpoint's own events); ``end()`` returns, once, the ``.done`` events
still pending when the stream ends; ``result()`` returns what the chunks add
up to so far, at any time.

Every merge is linear in the input: choices, tool calls, stages and sources
are found by key in a dict, never searched in a list. The number of states
kept per stream is bounded by :class:`~sse_core.endpoints.Limits`
(``max_choices``, ``max_tool_calls``).

How the chat accumulator merges, and where it differs from writer-sdk's
helper (``writerai/lib/streaming/chat/_completions.py`` and
``writerai/lib/streaming/_deltas.py``):

* Choices are keyed by ``index``, in any order; the first chunk may start at
  any index (the SDK indexes a list by it and fails).
* A tool call is done when its choice finishes (or the stream ends), with
  its complete arguments, once: fragments of several calls may interleave
  (index 0, 1, 0, 1). The SDK reports a call done as soon as another index
  appears, with partial arguments, and never again.
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

from typing import Any, Optional, cast

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
from ._errors import EndpointLimitError
from ._events import (
    ApplicationStreamEvent,
    ChatStreamEvent,
    ChunkEvent,
    CompletionStreamEvent,
    ContentDeltaEvent,
    ContentDoneEvent,
    FunctionToolCallArgumentsDeltaEvent,
    FunctionToolCallArgumentsDoneEvent,
    GraphSourcesEvent,
    LogprobsContentDeltaEvent,
    LogprobsContentDoneEvent,
    LogprobsRefusalDeltaEvent,
    LogprobsRefusalDoneEvent,
    Prefix,
    QuestionStreamEvent,
    RefusalDeltaEvent,
    RefusalDoneEvent,
    SearchSourceEvent,
    StageDeltaEvent,
    StageDoneEvent,
    StageSourceEvent,
    TitleDeltaEvent,
    TitleDoneEvent,
    WebSearchStreamEvent,
)
from ._limits import DEFAULT_LIMITS, Limits
from ._results import (
    ApplicationOutput,
    ChatCompletion,
    Question,
    ToolFunction,
    WebSearchResponse,
)
from ._view import declared_keys

__all__ = [
    "ApplicationAccumulator",
    "ChatAccumulator",
    "CompletionAccumulator",
    "QuestionAccumulator",
    "WebSearchAccumulator",
]

_DELTA_KEYS = declared_keys(ChoiceDelta)
_GRAPH_KEYS = ("sources", "status", "subqueries", "references")
_TEXT_KEYS = frozenset({"content", "role"})
_STR_OR_NONE = (str, type(None))
_PlainChoice = tuple[int, Optional[str], Optional[str], bool, Optional[str]]


def _plain_choices(raw: dict[str, Any]) -> list[_PlainChoice] | None:
    """A chat chunk's choices if the chunk is in the common shape, else None.

    The common shape: no ``usage``; every top-level field the accumulator
    reads a string, an integer or null as its view declares; each choice an
    object with an integer ``index``, a string or null ``finish_reason``,
    null ``logprobs``, and a delta whose ``content`` and ``role`` are strings
    or null, whose ``graph_data`` is null or all null, and whose every other
    key is null. For such a chunk, every view read by
    :meth:`ChatAccumulator._add_views` would succeed and find only what the
    tuples hold: ``(index, role, content, graph_data is an object,
    finish_reason)``.
    """
    get = raw.get
    if get("usage") is not None:
        return None
    for key in ("id", "model", "system_fingerprint", "service_tier"):
        if type(get(key)) not in _STR_OR_NONE:
            return None
    created = get("created")
    if created is not None and type(created) is not int:
        return None
    choices = get("choices")
    if choices is None:
        return []
    if type(choices) is not list:
        return None
    plain: list[_PlainChoice] = []
    items: list[Any] = choices  # pyright: ignore[reportUnknownVariableType]
    for item in items:
        if type(item) is not dict:
            return None
        choice = cast("dict[str, Any]", item)
        index = choice.get("index")
        finish_reason = choice.get("finish_reason")
        if (
            type(index) is not int
            or type(finish_reason) not in _STR_OR_NONE
            or choice.get("logprobs") is not None
        ):
            return None
        raw_delta = choice.get("delta")
        role = content = None
        graph = False
        if raw_delta is not None:
            if type(raw_delta) is not dict:
                return None
            delta = cast("dict[str, Any]", raw_delta)
            for key, value in delta.items():
                if value is None:
                    continue
                if key in _TEXT_KEYS and type(value) is str:
                    continue
                if key == "graph_data" and type(value) is dict:
                    graph_data = cast("dict[str, Any]", value)
                    # A loop, not any() over a generator: this runs for
                    # every Writer-dialect chunk (graph_data of nulls).
                    for name in _GRAPH_KEYS:
                        if graph_data.get(name) is not None:
                            return None
                    graph = True
                    continue
                return None
            role = delta.get("role")
            content = delta.get("content")
        plain.append((index, role, content, graph, finish_reason))
    return plain


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
    choice carries its ``finish_reason``, its done events. ``end()``
    returns the done events of choices that never got a ``finish_reason``;
    call it once, when the stream ends. Delta events are emitted for
    non-empty pieces only.

    Raises :class:`~sse_core.endpoints.EndpointLimitError` when a chunk
    brings a choice index past ``limits.max_choices`` distinct ones, or a
    tool call index past ``limits.max_tool_calls`` in one choice.

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
        "_limits",
        "_model",
        "_service_tier",
        "_usage",
    )

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self._limits = limits
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
        raw = chunk.raw
        plain = _plain_choices(raw)
        if plain is None:
            return self._add_views(chunk)
        # The fast path: the chunk is in the common shape (_plain_choices), so
        # its JSON is read directly; it equals _add_views (tests check it).
        events: list[ChatStreamEvent] = [ChunkEvent(chunk)]
        if self._id is None:
            self._id = raw.get("id")
        if self._created is None:
            self._created = raw.get("created")
        if self._model is None:
            self._model = raw.get("model")
        fingerprint = raw.get("system_fingerprint")
        if fingerprint is not None:
            self._fingerprint = fingerprint
        tier = raw.get("service_tier")
        if tier is not None:
            self._service_tier = tier
        choices = self._choices
        for index, role, content, graph_data, finish_reason in plain:
            state = choices.get(index)
            if state is None:
                state = self._new_choice(index)
            if state.role is None:
                state.role = role
            if content is not None:
                parts = state.content
                if parts is None:
                    parts = state.content = []
                parts.append(content)
                if content:
                    events.append(ContentDeltaEvent(index, content, Prefix(parts)))
            if graph_data and state.graph_data is None:
                state.graph_data = dict.fromkeys(_GRAPH_KEYS)
            if finish_reason is not None:
                state.finish_reason = finish_reason
                if not state.done:
                    _finish(state, events)
        return events

    def _add_views(self, chunk: ChatCompletionChunk) -> list[ChatStreamEvent]:
        # The plain path: every field read through the chunk's typed views.
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
                state = self._new_choice(index)
            self._add_choice(state, choice, events)
        return events

    def _new_choice(self, index: int) -> _ChoiceState:
        choices = self._choices
        limit = self._limits.max_choices
        if len(choices) >= limit:
            raise EndpointLimitError("max_choices", limit, len(choices) + 1)
        state = choices[index] = _ChoiceState(index)
        return state

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
                    tool = _new_tool_call(state, tool_index, self._limits)
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
                merged = state.graph_data = dict.fromkeys(_GRAPH_KEYS)
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


def _new_tool_call(state: _ChoiceState, index: int, limits: Limits) -> _ToolCallState:
    calls = state.tool_calls
    limit = limits.max_tool_calls
    if len(calls) >= limit:
        raise EndpointLimitError("max_tool_calls", limit, len(calls) + 1)
    tool = calls[index] = _ToolCallState(index)
    return tool


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

    __slots__ = ("_ended", "_parts")

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self._parts: list[str] = []
        self._ended = False

    def add(self, chunk: CompletionChunk) -> list[CompletionStreamEvent]:
        """Merge one chunk; return its events."""
        value = chunk.value
        if value:
            parts = self._parts
            parts.append(value)
            return [ChunkEvent(chunk), ContentDeltaEvent(0, value, Prefix(parts))]
        return [ChunkEvent(chunk)]

    def end(self) -> list[CompletionStreamEvent]:
        """The stream ended: the ``content.done`` event (once, if any text came)."""
        return _content_done(self, self._parts)

    def result(self) -> str:
        """The text generated so far."""
        return "".join(self._parts)


def _content_done(accumulator: Any, parts: list[str]) -> list[Any]:
    if accumulator._ended:
        return []
    accumulator._ended = True
    return [ContentDoneEvent(0, "".join(parts))] if parts else []


class ApplicationAccumulator:
    """Builds an :class:`ApplicationOutput` from application chunks.

    Every string of a chunk's ``delta`` is treated as a piece to append (the
    schema calls the object a delta): ``title``, ``content``, and each
    stage's ``content``; stages are merged by ``id``, their source URLs
    de-duplicated in a dict (linear, whatever their number).

    Events per chunk: ``chunk``, ``title.delta``, then per stage
    ``stage.delta`` and a ``stage.source`` per new URL, then
    ``content.delta``. At the end: ``title.done``, a ``stage.done`` per
    stage (stages may interleave, so none is complete before the end), and
    ``content.done``.
    """

    __slots__ = ("_content", "_ended", "_stages", "_title")

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self._title: list[str] | None = None
        self._content: list[str] = []
        self._stages: dict[str | None, tuple[list[str], dict[str, None]]] = {}
        self._ended = False

    def add(self, chunk: ApplicationChunk) -> list[ApplicationStreamEvent]:
        """Merge one chunk; return its events."""
        events: list[ApplicationStreamEvent] = [ChunkEvent(chunk)]
        delta = chunk.delta
        title = delta.title
        if title is not None:
            if self._title is None:
                self._title = []
            self._title.append(title)
            if title:
                events.append(TitleDeltaEvent(title, Prefix(self._title)))
        for stage in delta.stages or ():
            key = stage.id
            state = self._stages.get(key)
            if state is None:
                state = self._stages[key] = ([], {})
            parts, sources = state
            text = stage.content
            if text:
                parts.append(text)
                events.append(StageDeltaEvent(key, text, Prefix(parts)))
            for url in stage.sources or ():
                if url not in sources:
                    sources[url] = None
                    events.append(StageSourceEvent(key, url))
        content = delta.content
        if content:
            self._content.append(content)
            events.append(ContentDeltaEvent(0, content, Prefix(self._content)))
        return events

    def end(self) -> list[ApplicationStreamEvent]:
        """The stream ended: the title, stage and content ``.done`` events (once)."""
        if self._ended:
            return []
        events: list[ApplicationStreamEvent] = []
        title = _joined(self._title)
        if title:
            events.append(TitleDoneEvent(title))
        for key, (parts, sources) in self._stages.items():
            events.append(StageDoneEvent(key, "".join(parts), tuple(sources)))
        events.extend(_content_done(self, self._content))
        return events

    def result(self) -> ApplicationOutput:
        """The output accumulated so far."""
        return ApplicationOutput(
            {
                "title": _joined(self._title),
                "content": "".join(self._content),
                "stages": [
                    {"id": key, "content": "".join(parts), "sources": list(sources)}
                    for key, (parts, sources) in self._stages.items()
                ],
            }
        )


class QuestionAccumulator:
    """Builds a :class:`Question` from Knowledge Graph question chunks.

    Events per chunk: ``chunk``, ``graph.sources`` when the chunk carries a
    non-empty ``sources`` list, ``content.delta`` for its ``answer``; at the
    end, ``content.done``.
    """

    __slots__ = ("_answer", "_ended", "_latest")

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self._answer: list[str] = []
        self._latest: dict[str, Any] = {
            "question": None,
            "sources": None,
            "subqueries": None,
            "references": None,
        }
        self._ended = False

    def add(self, chunk: QuestionChunk) -> list[QuestionStreamEvent]:
        """Merge one chunk; return its events."""
        events: list[QuestionStreamEvent] = [ChunkEvent(chunk)]
        latest = self._latest
        fields = chunk.fields
        if chunk.question is not None:
            latest["question"] = fields["question"]
        if chunk.references is not None:
            latest["references"] = fields["references"]
        sources = chunk.sources
        if sources is not None and (sources or latest["sources"] is None):
            latest["sources"] = fields["sources"]
            if sources:
                events.append(GraphSourcesEvent(sources))
        subqueries = chunk.subqueries
        if subqueries is not None and (subqueries or latest["subqueries"] is None):
            latest["subqueries"] = fields["subqueries"]
        answer = chunk.answer
        if answer:
            self._answer.append(answer)
            events.append(ContentDeltaEvent(0, answer, Prefix(self._answer)))
        return events

    def end(self) -> list[QuestionStreamEvent]:
        """The stream ended: the ``content.done`` event (once, if any answer came)."""
        return _content_done(self, self._answer)

    def result(self) -> Question:
        """The answer accumulated so far."""
        return Question({"answer": "".join(self._answer), **self._latest})


class WebSearchAccumulator:
    """Builds a :class:`WebSearchResponse` from web search chunks.

    Events per chunk: ``chunk``, a ``search.source`` per source whose URL is
    new (or that has none), ``content.delta`` for its ``answer``; at the end,
    ``content.done``.
    """

    __slots__ = ("_answer", "_ended", "_query", "_sources")

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self._query: str | None = None
        self._answer: list[str] | None = None
        self._sources: dict[object, dict[str, Any]] = {}
        self._ended = False

    def add(self, chunk: WebSearchChunk) -> list[WebSearchStreamEvent]:
        """Merge one chunk; return its events."""
        events: list[WebSearchStreamEvent] = [ChunkEvent(chunk)]
        query = chunk.query
        if query is not None:
            self._query = query
        for source in chunk.sources or ():
            url = source.url
            # Sources without a URL cannot be matched: each is kept.
            key: object = url if url is not None else object()
            merged = self._sources.get(key)
            if merged is None:
                merged = self._sources[key] = {}
                events.append(SearchSourceEvent(url, source))
            merged.update((k, v) for k, v in source.raw.items() if v is not None)
        answer = chunk.answer
        if answer is not None:
            if self._answer is None:
                self._answer = []
            self._answer.append(answer)
            if answer:
                events.append(ContentDeltaEvent(0, answer, Prefix(self._answer)))
        return events

    def end(self) -> list[WebSearchStreamEvent]:
        """The stream ended: the ``content.done`` event (once, if any answer came)."""
        return _content_done(self, self._answer or [])

    def result(self) -> WebSearchResponse:
        """The response accumulated so far."""
        return WebSearchResponse(
            {
                "query": self._query,
                "answer": _joined(self._answer),
                "sources": list(self._sources.values()),
            }
        )
