"""Typed chunks for Writer's streaming endpoints, without the SDK's stream bugs.

On top of the core parser, this package turns a Writer API event stream into
typed, immutable chunks in the shapes of writer-sdk's models, applies the
stream rules (``[DONE]``, named events, error events, heartbeats) correctly,
and accumulates chunks into the final result::

    from sse_core.endpoints import stream_events

    with stream_events("chat", response.iter_bytes()) as stream:
        for event in stream:
            if event.type == "content.delta":
                print(event.delta, end="")
        completion = stream.final()

The same loop prints the text of every endpoint.

* Endpoints: one record each (:class:`Endpoint`): :data:`COMPLETIONS`,
  :data:`CHAT`, :data:`APPLICATIONS`, :data:`GRAPHS_QUESTION`,
  :data:`WEB_SEARCH`; pass a record for exact static types, or its name
  (:data:`ENDPOINTS`).
* Decoding: :func:`decode_chunks` / :func:`adecode_chunks` (events in),
  :func:`decode_bytes` / :func:`adecode_bytes` (raw bytes in).
* Accumulating: one protocol (:class:`Accumulator`), one accumulator per
  endpoint; or all at once over raw bytes with :func:`stream_events` /
  :func:`astream_events`.
* Bounds: :class:`Limits`.
* Errors: :class:`StreamError` (an :class:`sse_core.SSEError`) and its
  subclasses; :class:`UnknownEndpointError` (an
  :class:`sse_core.SSEUsageError` and a ``ValueError``).

The core package never imports this one. Importing it is cheap: the records,
limits and errors load at once, everything else on first use, so the CLI
can list the endpoints without loading the layer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ._errors import (
    APIError,
    ChunkTypeError,
    ContentFilterFinishReasonError,
    EndpointLimitError,
    FinishReasonError,
    InvalidJSONError,
    LengthFinishReasonError,
    StreamError,
    UnknownEndpointError,
)
from ._limits import (
    DEFAULT_LIMITS,
    Limits,
)
from ._records import (
    APPLICATIONS,
    CHAT,
    COMPLETIONS,
    ENDPOINTS,
    GRAPHS_QUESTION,
    WEB_SEARCH,
    Accumulator,
    Endpoint,
    EndpointName,
)

if TYPE_CHECKING:
    from ._accumulate import (
        ApplicationAccumulator,
        ChatAccumulator,
        CompletionAccumulator,
        QuestionAccumulator,
        WebSearchAccumulator,
    )
    from ._chunks import (
        ApplicationChunk,
        ApplicationDelta,
        ChatCompletionChunk,
        ChatCompletionUsage,
        Choice,
        ChoiceDelta,
        CompletionChunk,
        CompletionTokensDetails,
        FileReference,
        FunctionDelta,
        GraphData,
        LLMData,
        Logprobs,
        LogprobsToken,
        PromptTokenDetails,
        QuestionChunk,
        References,
        Source,
        Stage,
        Subquery,
        ToolCallDelta,
        TopLogprob,
        TranslationData,
        WebReference,
        WebSearchChunk,
        WebSearchSource,
    )
    from ._decode import (
        Chunk,
        adecode_bytes,
        adecode_chunks,
        decode_bytes,
        decode_chunks,
    )
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
        QuestionStreamEvent,
        RefusalDeltaEvent,
        RefusalDoneEvent,
        SearchSourceEvent,
        StageDeltaEvent,
        StageDoneEvent,
        StageSourceEvent,
        StreamEvent,
        TitleDeltaEvent,
        TitleDoneEvent,
        WebSearchStreamEvent,
    )
    from ._results import (
        ApplicationOutput,
        ChatChoice,
        ChatCompletion,
        ChatMessage,
        Question,
        ToolCall,
        ToolFunction,
        WebSearchResponse,
    )
    from ._stream import (
        AsyncEndpointStream,
        EndpointStream,
        astream_events,
        stream_events,
    )
    from ._view import (
        View,
    )

__all__ = [
    "APPLICATIONS",
    "CHAT",
    "COMPLETIONS",
    "DEFAULT_LIMITS",
    "ENDPOINTS",
    "GRAPHS_QUESTION",
    "WEB_SEARCH",
    "APIError",
    "Accumulator",
    "ApplicationAccumulator",
    "ApplicationChunk",
    "ApplicationDelta",
    "ApplicationOutput",
    "ApplicationStreamEvent",
    "AsyncEndpointStream",
    "ChatAccumulator",
    "ChatChoice",
    "ChatCompletion",
    "ChatCompletionChunk",
    "ChatCompletionUsage",
    "ChatMessage",
    "ChatStreamEvent",
    "Choice",
    "ChoiceDelta",
    "Chunk",
    "ChunkEvent",
    "ChunkTypeError",
    "CompletionAccumulator",
    "CompletionChunk",
    "CompletionStreamEvent",
    "CompletionTokensDetails",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "ContentFilterFinishReasonError",
    "Endpoint",
    "EndpointLimitError",
    "EndpointName",
    "EndpointStream",
    "FileReference",
    "FinishReasonError",
    "FunctionDelta",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "GraphData",
    "GraphSourcesEvent",
    "InvalidJSONError",
    "LLMData",
    "LengthFinishReasonError",
    "Limits",
    "Logprobs",
    "LogprobsContentDeltaEvent",
    "LogprobsContentDoneEvent",
    "LogprobsRefusalDeltaEvent",
    "LogprobsRefusalDoneEvent",
    "LogprobsToken",
    "PromptTokenDetails",
    "Question",
    "QuestionAccumulator",
    "QuestionChunk",
    "QuestionStreamEvent",
    "References",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
    "SearchSourceEvent",
    "Source",
    "Stage",
    "StageDeltaEvent",
    "StageDoneEvent",
    "StageSourceEvent",
    "StreamError",
    "StreamEvent",
    "Subquery",
    "TitleDeltaEvent",
    "TitleDoneEvent",
    "ToolCall",
    "ToolCallDelta",
    "ToolFunction",
    "TopLogprob",
    "TranslationData",
    "UnknownEndpointError",
    "View",
    "WebReference",
    "WebSearchAccumulator",
    "WebSearchChunk",
    "WebSearchResponse",
    "WebSearchSource",
    "WebSearchStreamEvent",
    "adecode_bytes",
    "adecode_chunks",
    "astream_events",
    "decode_bytes",
    "decode_chunks",
    "stream_events",
]

# The names loaded on first use, by module: the heavy part of the layer.
_LAZY = {
    "_accumulate": (
        "ApplicationAccumulator",
        "ChatAccumulator",
        "CompletionAccumulator",
        "QuestionAccumulator",
        "WebSearchAccumulator",
    ),
    "_chunks": (
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
    ),
    "_decode": (
        "Chunk",
        "adecode_bytes",
        "adecode_chunks",
        "decode_bytes",
        "decode_chunks",
    ),
    "_events": (
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
    ),
    "_results": (
        "ApplicationOutput",
        "ChatChoice",
        "ChatCompletion",
        "ChatMessage",
        "Question",
        "ToolCall",
        "ToolFunction",
        "WebSearchResponse",
    ),
    "_stream": (
        "AsyncEndpointStream",
        "EndpointStream",
        "astream_events",
        "stream_events",
    ),
    "_view": ("View",),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}
_SUBMODULES = (
    "_accumulate",
    "_chunks",
    "_decode",
    "_errors",
    "_events",
    "_limits",
    "_records",
    "_render",
    "_results",
    "_stream",
    "_view",
)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, *_SUBMODULES})
