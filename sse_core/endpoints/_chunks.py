"""The chunk classes of the five Writer streaming endpoints.

Each class mirrors a writer-sdk 3.0.0 model (the file is named above each
group) with the same attribute names, so code written against the SDK reads
the same. The differences, all deliberate:

* Every field is optional and reads ``None`` when its key is absent or null,
  except ``index`` on choices and tool calls (needed to merge fragments: a
  missing one is a :class:`~sse_core.endpoints.ChunkTypeError`), and a few
  containers that read empty instead: ``ChatCompletionChunk.choices`` and
  ``LogprobsToken.top_logprobs`` (``()``), ``Choice.delta`` and
  ``ApplicationChunk.delta`` (an empty delta).
* Arrays are tuples. ``finish_reason``, ``role`` and other enumerations are
  plain ``str``: the SDK's ``Literal`` types are not enforced on the wire.
* Values are type-checked when read (see :mod:`sse_core.endpoints._view`);
  keys the schema does not know stay in :attr:`~View.raw` and
  :attr:`~View.extras`.
"""

from __future__ import annotations

from typing import Any, cast

from ._view import (
    Items,
    ItemsOrEmpty,
    NullableItems,
    Object,
    ObjectOrEmpty,
    Path,
    Required,
    Scalar,
    ScalarItems,
    View,
)

__all__ = [
    "ApplicationChunk",
    "ApplicationDelta",
    "ChatCompletionChunk",
    "ChatCompletionUsage",
    "Choice",
    "ChoiceDelta",
    "CompletionChunk",
    "CompletionTokensDetails",
    "FileReference",
    "FunctionDelta",
    "GraphData",
    "LLMData",
    "Logprobs",
    "LogprobsToken",
    "PromptTokenDetails",
    "QuestionChunk",
    "References",
    "Source",
    "Stage",
    "Subquery",
    "ToolCallDelta",
    "TopLogprob",
    "TranslationData",
    "WebReference",
    "WebSearchChunk",
    "WebSearchSource",
]

# -- completions: writerai/types/completion_chunk.py ----------------------------


class CompletionChunk(View):
    """One chunk of ``POST /v1/completions`` (text generation)."""

    __slots__ = ()
    value = Scalar(str)
    """The next piece of generated text."""


# -- Knowledge Graph data: writerai/types/shared/graph_data.py, source.py -------


class Source(View):
    """A Knowledge Graph snippet that supports an answer."""

    __slots__ = ()
    file_id = Scalar(str)
    snippet = Scalar(str)


class Subquery(View):
    """A sub-question the Knowledge Graph answered on the way."""

    __slots__ = ()
    answer = Scalar(str)
    query = Scalar(str)
    sources = NullableItems(Source)


class FileReference(View):
    """A snippet of an uploaded file used for an answer (``fileId`` on the wire)."""

    __slots__ = ()
    file_id = Scalar(str, "fileId")
    score = Scalar(float)
    text = Scalar(str)
    cite = Scalar(str)
    page = Scalar(int)


class WebReference(View):
    """A snippet of a web page used for an answer."""

    __slots__ = ()
    score = Scalar(float)
    text = Scalar(str)
    title = Scalar(str)
    url = Scalar(str)


class References(View):
    """The sources of an answer, by kind."""

    __slots__ = ()
    files = Items(FileReference)
    web = Items(WebReference)


class GraphData(View):
    """Knowledge Graph results attached to a chat delta."""

    __slots__ = ()
    sources = NullableItems(Source)
    status = Scalar(str)
    """``"processing"`` then ``"finished"``."""
    subqueries = NullableItems(Subquery)
    references = Object(References)


# -- chat: writerai/types/chat_completion_chunk.py and shared/ ------------------


class FunctionDelta(View):
    """A fragment of a function call: ``arguments`` is a piece of JSON text."""

    __slots__ = ()
    name = Scalar(str)
    arguments = Scalar(str)


class ToolCallDelta(View):
    """A fragment of a tool call (``ToolCallStreaming`` in the SDK).

    Fragments of one call share an ``index``; only the first usually carries
    ``id``, ``type`` and ``function.name``.
    """

    __slots__ = ()
    index = Required(int)
    id = Scalar(str)
    type = Scalar(str)
    function = Object(FunctionDelta)


class LLMData(View):
    """The model and prompt of an LLM tool call."""

    __slots__ = ()
    model = Scalar(str)
    prompt = Scalar(str)


class TranslationData(View):
    """The input of a translation tool call."""

    __slots__ = ()
    source_language_code = Scalar(str)
    source_text = Scalar(str)
    target_language_code = Scalar(str)


class ChoiceDelta(View):
    """What one chunk adds to a choice's message."""

    __slots__ = ()
    content = Scalar(str)
    role = Scalar(str)
    refusal = Scalar(str)
    tool_calls = Items(ToolCallDelta)
    graph_data = Object(GraphData)
    llm_data = Object(LLMData)
    translation_data = Object(TranslationData)


class TopLogprob(View):
    """One of the most likely tokens at a position."""

    __slots__ = ()
    token = Scalar(str)
    logprob = Scalar(float)
    bytes = ScalarItems(int)


class LogprobsToken(View):
    """A generated token with its log probability."""

    __slots__ = ()
    token = Scalar(str)
    logprob = Scalar(float)
    top_logprobs = ItemsOrEmpty(TopLogprob)
    bytes = ScalarItems(int)


class Logprobs(View):
    """Log probabilities of the tokens in a chunk."""

    __slots__ = ()
    content = Items(LogprobsToken)
    refusal = Items(LogprobsToken)


class Choice(View):
    """One choice of a chat chunk (several when the request set ``n``)."""

    __slots__ = ()
    index = Required(int)
    delta = ObjectOrEmpty(ChoiceDelta)
    finish_reason = Scalar(str)
    """``"stop"``, ``"length"``, ``"content_filter"`` or ``"tool_calls"``."""
    logprobs = Object(Logprobs)


class CompletionTokensDetails(View):
    """Breakdown of the completion tokens."""

    __slots__ = ()
    reasoning_tokens = Scalar(int)


class PromptTokenDetails(View):
    """Breakdown of the prompt tokens."""

    __slots__ = ()
    cached_tokens = Scalar(int)


class ChatCompletionUsage(View):
    """Token counts (sent when ``stream_options={"include_usage": True}``)."""

    __slots__ = ()
    completion_tokens = Scalar(int)
    prompt_tokens = Scalar(int)
    total_tokens = Scalar(int)
    completion_tokens_details = Object(CompletionTokensDetails)
    prompt_token_details = Object(PromptTokenDetails)
    """Singular ``prompt_token_details``, as Writer spells it."""


class ChatCompletionChunk(View):
    """One chunk of ``POST /v1/chat``."""

    __slots__ = ()
    id = Scalar(str)
    """Writer sends a new id on every chunk; the SDK helper keeps the first."""
    object = Scalar(str)
    created = Scalar(int)
    model = Scalar(str)
    choices = ItemsOrEmpty(Choice)
    """Empty on a usage-only chunk."""
    service_tier = Scalar(str)
    system_fingerprint = Scalar(str)
    usage = Object(ChatCompletionUsage)


# -- applications: writerai/types/application_generate_content_chunk.py --------


class Stage(View):
    """A step of a research agent's "thinking process"."""

    __slots__ = ()
    id = Scalar(str)
    content = Scalar(str)
    sources = ScalarItems(str)
    """URLs the stage used."""


class ApplicationDelta(View):
    """What one chunk adds to an application's output."""

    __slots__ = ()
    content = Scalar(str)
    title = Scalar(str)
    stages = Items(Stage)


class ApplicationChunk(View):
    """One chunk of ``POST /v1/applications/{id}``.

    ``ApplicationGenerateContentChunk`` in the SDK.
    """

    __slots__ = ()
    delta = ObjectOrEmpty(ApplicationDelta)


# -- graphs.question: writerai/types/question.py ---------------------------------


class QuestionChunk(View):
    """One chunk of ``POST /v1/graphs/question``: a partial ``Question``.

    The server sends the question's fields at the top level, although the SDK
    declares them under ``data`` (``QuestionResponseChunk``); a chunk wrapped
    as ``{"data": {...}}`` is read the same way, and :attr:`raw` keeps the
    wrapper.
    """

    __slots__ = ("_raw",)
    _raw: dict[str, Any]

    answer = Scalar(str)
    """The next piece of the answer."""
    question = Scalar(str)
    sources = NullableItems(Source)
    subqueries = NullableItems(Subquery)
    references = Object(References)

    def __init__(self, obj: dict[str, Any], path: Path = ()) -> None:
        inner = obj.get("data")
        if type(inner) is dict and "answer" not in obj:
            super().__init__(cast("dict[str, Any]", inner), (*path, "data"))
        else:
            super().__init__(obj, path)
        _set_raw(self, obj)

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (self._raw, self._path[:-1] if self.wrapped else self._path),
        )

    @property
    def raw(self) -> dict[str, Any]:
        """The chunk's JSON object as sent, including a ``data`` wrapper."""
        return self._raw

    @property
    def fields(self) -> dict[str, Any]:
        """The question's JSON object: :attr:`raw`, or the object inside its
        ``data`` wrapper. Treat it as read-only."""
        return self._obj

    @property
    def wrapped(self) -> bool:
        """Whether the fields came wrapped in ``{"data": {...}}``."""
        return self._raw is not self._obj


_set_raw = QuestionChunk.__dict__["_raw"].__set__


# -- web_search: writerai/types/tool_web_search_response.py ----------------------


class WebSearchSource(View):
    """A search result."""

    __slots__ = ()
    url = Scalar(str)
    raw_content = Scalar(str)


class WebSearchChunk(View):
    """One chunk of ``POST /v1/tools/web-search``: a partial response.

    The event format is not documented; each chunk is read as a partial
    ``ToolWebSearchResponse``: ``query`` and ``sources`` when they become
    available, ``answer`` in pieces.
    """

    __slots__ = ()
    query = Scalar(str)
    answer = Scalar(str)
    """The next piece of the answer."""
    sources = Items(WebSearchSource)
