"""Typed chunks for Writer's streaming endpoints, without the SDK's stream bugs.

On top of the core parser, this package turns a Writer API event stream into
typed, immutable chunks in the shapes of writer-sdk's models, applies the
stream rules (``[DONE]``, named events, error events, heartbeats) correctly,
and accumulates chunks into the final result::

    from sse_core.endpoints import decode_bytes

    for chunk in decode_bytes("chat", response.iter_bytes()):
        for choice in chunk.choices:
            print(choice.delta.content or "", end="")

Endpoint names: ``"completions"``, ``"chat"``, ``"applications"``,
``"graphs.question"`` and ``"web_search"``.

* Decoding: :func:`decode_chunks` / :func:`adecode_chunks` (events in),
  :func:`decode_bytes` / :func:`adecode_bytes` (raw bytes in).
* Accumulating: :class:`ChatAccumulator` (with helper events),
  :class:`CompletionAccumulator`, :class:`ApplicationAccumulator`,
  :class:`QuestionAccumulator`, :class:`WebSearchAccumulator`; or all at
  once over raw bytes with :func:`stream_events` / :func:`astream_events`.
* Errors: :class:`StreamError` (an :class:`sse_core.SSEError`) and its
  subclasses :class:`APIError`, :class:`InvalidJSONError`,
  :class:`ChunkTypeError`, :class:`FinishReasonError`.

The core package never imports this one.
"""

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
    ENDPOINTS,
    Chunk,
    EndpointName,
    adecode_bytes,
    adecode_chunks,
    decode_bytes,
    decode_chunks,
)
from ._errors import (
    APIError,
    ChunkTypeError,
    ContentFilterFinishReasonError,
    FinishReasonError,
    InvalidJSONError,
    LengthFinishReasonError,
    StreamError,
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
    RefusalDeltaEvent,
    RefusalDoneEvent,
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
from ._stream import AsyncEndpointStream, EndpointStream, astream_events, stream_events
from ._view import View

__all__ = [
    "ENDPOINTS",
    "APIError",
    "ApplicationAccumulator",
    "ApplicationChunk",
    "ApplicationDelta",
    "ApplicationOutput",
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
    "CompletionTokensDetails",
    "ContentDeltaEvent",
    "ContentDoneEvent",
    "ContentFilterFinishReasonError",
    "EndpointName",
    "EndpointStream",
    "FileReference",
    "FinishReasonError",
    "FunctionDelta",
    "FunctionToolCallArgumentsDeltaEvent",
    "FunctionToolCallArgumentsDoneEvent",
    "GraphData",
    "InvalidJSONError",
    "LLMData",
    "LengthFinishReasonError",
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
    "References",
    "RefusalDeltaEvent",
    "RefusalDoneEvent",
    "Source",
    "Stage",
    "StreamError",
    "Subquery",
    "ToolCall",
    "ToolCallDelta",
    "ToolFunction",
    "TopLogprob",
    "TranslationData",
    "View",
    "WebReference",
    "WebSearchAccumulator",
    "WebSearchChunk",
    "WebSearchResponse",
    "WebSearchSource",
    "adecode_bytes",
    "adecode_chunks",
    "astream_events",
    "decode_bytes",
    "decode_chunks",
    "stream_events",
]
