"""sse_core: a spec-exact, incremental, sans-I/O Server-Sent Events parser.

Feed it bytes in whatever pieces the transport delivered; it returns the
events completed so far::

    >>> from sse_core import EventStreamParser
    >>> parser = EventStreamParser()
    >>> parser.feed(b"data: hel")
    []
    >>> parser.feed(b"lo\\r\\n\\r\\n")
    [ServerSentEvent(event='message', data='hello', id='', retry=None)]

It follows the WHATWG HTML Standard, "Parsing an event stream" and
"Interpreting an event stream", has no dependencies and does no I/O.
"""

from ._encoder import EventStreamEncoder, encode, encode_comment
from ._errors import (
    BadResponseError,
    ContentEncodingError,
    EncodeError,
    IncompleteEventError,
    LastEventIdWarning,
    LimitExceededError,
    RetriesExhaustedError,
    SSEError,
    SSEProtocolError,
    SSETypeError,
    SSEUsageError,
)
from ._events import Comment, ServerSentEvent
from ._iterate import aiter_events, iter_events
from ._parser import (
    DEFAULT_MAX_EVENT_SIZE,
    DEFAULT_MAX_LINE_SIZE,
    MAX_RETRY,
    EventStreamParser,
)
from ._reconnect import (
    DEFAULT_RECONNECTION_TIME,
    Reconnector,
    ReconnectPolicy,
    ResponseVerdict,
    classify_response,
    is_event_stream,
)

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_MAX_EVENT_SIZE",
    "DEFAULT_MAX_LINE_SIZE",
    "DEFAULT_RECONNECTION_TIME",
    "MAX_RETRY",
    "BadResponseError",
    "Comment",
    "ContentEncodingError",
    "EncodeError",
    "EventStreamEncoder",
    "EventStreamParser",
    "IncompleteEventError",
    "LastEventIdWarning",
    "LimitExceededError",
    "ReconnectPolicy",
    "Reconnector",
    "ResponseVerdict",
    "RetriesExhaustedError",
    "SSEError",
    "SSEProtocolError",
    "SSETypeError",
    "SSEUsageError",
    "ServerSentEvent",
    "__version__",
    "aiter_events",
    "classify_response",
    "encode",
    "encode_comment",
    "is_event_stream",
    "iter_events",
]
