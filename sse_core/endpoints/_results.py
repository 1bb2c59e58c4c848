"""What the accumulators build: the final result of each endpoint's stream.

They are views too, over JSON objects the accumulators assemble in the shape
of the endpoint's non-streaming response (``to_dict()`` gives that JSON), so
they read, compare and copy like chunks.
"""

from __future__ import annotations

import json
from typing import Any

from ._chunks import (
    ChatCompletionUsage,
    GraphData,
    LLMData,
    Logprobs,
    References,
    Source,
    Stage,
    Subquery,
    TranslationData,
    WebSearchSource,
)
from ._errors import ContentFilterFinishReasonError, LengthFinishReasonError
from ._view import (
    Items,
    ItemsOrEmpty,
    NullableItems,
    Object,
    ObjectOrEmpty,
    Required,
    Scalar,
    View,
)

__all__ = [
    "ApplicationOutput",
    "ChatChoice",
    "ChatCompletion",
    "ChatMessage",
    "Question",
    "ToolCall",
    "ToolFunction",
    "WebSearchResponse",
]


class ToolFunction(View):
    """The function a tool call invokes, with its complete arguments."""

    __slots__ = ()
    name = Scalar(str)
    arguments = Required(str)
    """The argument fragments, concatenated in arrival order (JSON text)."""

    @property
    def parsed_arguments(self) -> Any:
        """``json.loads(arguments)``; ``None`` if the arguments are not valid JSON."""
        try:
            return json.loads(self.arguments)
        except (ValueError, RecursionError):
            return None


class ToolCall(View):
    """A tool call merged from its fragments (by ``index``).

    ``id``, ``type`` and ``function.name`` come from the first fragment that
    carries them: later fragments never replace them (Writer repeats them as
    ``null``).
    """

    __slots__ = ()
    index = Required(int)
    id = Scalar(str)
    type = Scalar(str)
    function = ObjectOrEmpty(ToolFunction)


class ChatMessage(View):
    """A choice's message, accumulated from its deltas.

    ``content`` and ``refusal`` are ``None`` if no delta carried them;
    ``graph_data`` keeps the last ``status`` and the last non-empty
    ``sources`` and ``subqueries``; ``llm_data`` and ``translation_data`` are
    the last non-null ones. Delta keys the schema does not know are kept in
    :attr:`~View.extras` (last non-null value).
    """

    __slots__ = ()
    role = Scalar(str)
    content = Scalar(str)
    refusal = Scalar(str)
    tool_calls = Items(ToolCall)
    graph_data = Object(GraphData)
    llm_data = Object(LLMData)
    translation_data = Object(TranslationData)


class ChatChoice(View):
    """One choice of the final completion."""

    __slots__ = ()
    index = Required(int)
    message = ObjectOrEmpty(ChatMessage)
    finish_reason = Scalar(str)
    """The last non-null ``finish_reason`` (``None`` if the stream never sent one)."""
    logprobs = Object(Logprobs)


class ChatCompletion(View):
    """The completion a chat stream adds up to (``ChatCompletion`` in the SDK).

    ``id``, ``created`` and ``model`` come from the first chunk that carries
    them (Writer sends a new id on every chunk); ``usage``,
    ``system_fingerprint`` and ``service_tier`` are the last non-null ones.
    Choices are in ``index`` order.
    """

    __slots__ = ()
    id = Scalar(str)
    object = Scalar(str)
    created = Scalar(int)
    model = Scalar(str)
    choices = ItemsOrEmpty(ChatChoice)
    usage = Object(ChatCompletionUsage)
    system_fingerprint = Scalar(str)
    service_tier = Scalar(str)

    def raise_for_finish_reason(self) -> ChatCompletion:
        """Raise if a choice stopped on ``"length"`` or ``"content_filter"``.

        Raises :class:`~sse_core.endpoints.LengthFinishReasonError` or
        :class:`~sse_core.endpoints.ContentFilterFinishReasonError` for the
        first such choice, carrying this completion; returns ``self``
        otherwise, so it chains: ``stream.final().raise_for_finish_reason()``.
        """
        for choice in self.choices:
            reason = choice.finish_reason
            if reason == "length":
                raise LengthFinishReasonError(self, choice.index, reason)
            if reason == "content_filter":
                raise ContentFilterFinishReasonError(self, choice.index, reason)
        return self


class ApplicationOutput(View):
    """What a no-code application's stream adds up to.

    ``title`` and ``content`` are the pieces concatenated; ``stages`` are
    merged by ``id`` in order of first appearance, each with its content
    pieces concatenated and its source URLs in order, without duplicates.
    """

    __slots__ = ()
    title = Scalar(str)
    content = Required(str)
    stages = ItemsOrEmpty(Stage)


class Question(View):
    """What a Knowledge Graph question stream adds up to (``Question`` in the SDK).

    ``answer`` is the pieces concatenated; ``question`` and ``references``
    are the last non-null ones; ``sources`` and ``subqueries`` the last
    non-empty ones.
    """

    __slots__ = ()
    answer = Required(str)
    question = Scalar(str)
    sources = NullableItems(Source)
    subqueries = NullableItems(Subquery)
    references = Object(References)


class WebSearchResponse(View):
    """What a web search stream adds up to (``ToolWebSearchResponse`` in the SDK).

    ``query`` is the last non-null one; ``answer`` the pieces concatenated
    (``None`` if none came); ``sources`` in order of arrival, merged by
    ``url`` (a later entry for the same URL updates the earlier one).
    """

    __slots__ = ()
    query = Scalar(str)
    answer = Scalar(str)
    sources = ItemsOrEmpty(WebSearchSource)
