"""The exceptions of the endpoint layer: a leaf module (it imports no other).

The tree, under the core's (drawn in ``sse_core/_errors.py``)::

    SSEError
    ├── StreamError                    an endpoint stream went wrong
    │   ├── APIError                   the API reported an error in the stream
    │   ├── InvalidJSONError           a chunk's data is not JSON (also ValueError)
    │   ├── ChunkTypeError             a chunk field holds the wrong JSON type
    │   ├── EndpointLimitError         an event or a merge past an endpoint limit
    │   └── FinishReasonError          a choice stopped early (raised on request)
    │       ├── LengthFinishReasonError
    │       └── ContentFilterFinishReasonError
    └── SSEUsageError
        └── UnknownEndpointError       not an endpoint name (also ValueError)

``except SSEError`` still catches everything sse_core raises. They replace
what writer-sdk 3.0.0 lets escape from ``Stream`` (``writerai/_streaming.py``):
a bare ``json.JSONDecodeError`` for data that is not JSON, an
``APIStatusError`` whose message is the Python repr of the error body, and
nothing at all for an error object sent as an ordinary event.

Every message here is built without recursion, so JSON nested as deeply as
the decoder accepts (about a thousand levels) still gives a readable message,
``repr`` and ``str``, never a ``RecursionError``. No message embeds text of
the JSON decoder's that is not printable ASCII (see :func:`json_error_reason`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from .._errors import SSEError, SSEUsageError

if TYPE_CHECKING:
    from .._events import ServerSentEvent

__all__ = [
    "APIError",
    "ChunkTypeError",
    "ContentFilterFinishReasonError",
    "EndpointLimitError",
    "FinishReasonError",
    "InvalidJSONError",
    "LengthFinishReasonError",
    "StreamError",
    "UnknownEndpointError",
    "error_message",
    "json_error_reason",
]


class StreamError(SSEError):
    """Base class of the errors an endpoint stream raises."""


class APIError(StreamError):
    """The API reported an error inside the stream.

    Raised for an ``event: error`` event, and for an ordinary event whose
    payload is an error object (``{"error": ...}`` or Writer's
    ``{"errors": [...]}``).

    Attributes:
        message: a human-readable message drawn from the body (also
            ``str(exc)``): Writer's ``errors[].description`` (with its
            ``key``), OpenAI's ``error.message``, a top-level ``message``; the
            raw text when the data is not JSON; compact JSON otherwise.
        body: the parsed JSON body, or the raw data string if it is not JSON.
        event: the :class:`~sse_core.ServerSentEvent` that carried the error.
    """

    def __init__(self, message: str, body: object, event: ServerSentEvent) -> None:
        super().__init__(message)
        self.message = message
        self.body = body
        self.event = event


class InvalidJSONError(StreamError, ValueError):
    """An event that should carry a JSON chunk carries something else.

    Attributes:
        data: the event's raw data.
        event: the :class:`~sse_core.ServerSentEvent` itself.
        reason: what the JSON decoder reported, as printable ASCII: its own
            words when they are (:func:`json_error_reason`), and the position,
            e.g. ``"Expecting value: line 1 column 1 (char 0)"``.
    """

    def __init__(self, event: ServerSentEvent, reason: str) -> None:
        # Checked here too, so that no caller can make str(exc) fail.
        reason = _printable(reason) or "invalid JSON"
        preview = event.data if len(event.data) <= 80 else event.data[:77] + "..."
        super().__init__(f"event data is not JSON ({reason}): {preview!r}")
        self.data = event.data
        self.event = event
        self.reason = reason


class ChunkTypeError(StreamError):
    """A chunk field holds a JSON value of the wrong type.

    Raised when the field is read (chunks are decoded lazily), never as a
    crash deep inside user code.

    Attributes:
        path: where the value sits in the chunk, e.g.
            ``"choices[0].delta.content"`` (``""`` for the chunk itself).
        expected: what the schema allows, e.g. ``"a string"``.
        value: the JSON value found (``None`` for a missing required field).
    """

    def __init__(self, path: str, expected: str, value: object) -> None:
        where = path or "the chunk"
        if value is None:
            detail = "it is missing or null"
        else:
            detail = f"got {_preview(value)} ({_json_type(value)})"
        super().__init__(f"{where}: expected {expected}, {detail}")
        self.path = path
        self.expected = expected
        self.value = value


class FinishReasonError(StreamError):
    """A chat choice stopped early: its ``finish_reason`` was not a success.

    Raised by :meth:`ChatCompletion.raise_for_finish_reason()
    <sse_core.endpoints.ChatCompletion.raise_for_finish_reason>`, never while
    streaming: the completion is always reported in full first.

    Attributes:
        finish_reason: the reason (``"length"`` or ``"content_filter"``).
        index: the index of the choice.
        completion: the accumulated :class:`~sse_core.endpoints.ChatCompletion`
            (typed ``Any`` here so that this module imports no other).
    """

    def __init__(self, completion: Any, index: int, finish_reason: str) -> None:
        super().__init__(
            f"choice {index} stopped with finish_reason={finish_reason!r}: "
            + _FINISH_REASONS.get(finish_reason, "the output is incomplete")
        )
        self.finish_reason = finish_reason
        self.index = index
        self.completion = completion


class EndpointLimitError(StreamError):
    """An event or the accumulated stream crossed one of the endpoint limits.

    Raised at once, before the offending payload is decoded or merged: see
    :class:`~sse_core.endpoints.Limits` for the limits and their defaults.

    Attributes:
        limit: the name of the limit (``"max_payload_size"``,
            ``"max_choices"`` or ``"max_tool_calls"``).
        max_size: its configured value.
        size: the size that was reached (at least ``max_size + 1``).
    """

    def __init__(self, limit: str, max_size: int, size: int) -> None:
        super().__init__(f"{limit} exceeded: {size} > {max_size}")
        self.limit = limit
        self.max_size = max_size
        self.size = size


class UnknownEndpointError(SSEUsageError, ValueError):
    """A name that is not one of the streaming endpoints.

    Attributes:
        endpoint: the name given.
        known: the endpoint names that exist.
    """

    def __init__(self, endpoint: object, known: tuple[str, ...]) -> None:
        names = ", ".join(repr(name) for name in known)
        super().__init__(f"unknown endpoint {endpoint!r}; expected one of {names}")
        self.endpoint = endpoint
        self.known = known


class LengthFinishReasonError(FinishReasonError):
    """A choice stopped at the token limit (``finish_reason == "length"``)."""


class ContentFilterFinishReasonError(FinishReasonError):
    """A choice was cut by the content filter (``"content_filter"``)."""


_FINISH_REASONS = {
    "length": "the output was cut at the token limit",
    "content_filter": "the output was cut by the content filter",
}


def error_message(body: Any) -> str:
    """The human-readable message of an error body, never a Python repr."""
    whole: Any = body  # kept un-narrowed for the fallback below
    if isinstance(body, str):
        return body
    if isinstance(body, dict):
        fields = cast("dict[str, Any]", body)
        error: Any = fields.get("error")
        if isinstance(error, str) and error:
            return error
        if isinstance(error, dict):
            message = cast("dict[str, Any]", error).get("message")
            if isinstance(message, str) and message:
                return message
        # Writer: ErrorObject{errors: [{description, key, extras}], tpe}
        # (writerai/types/shared/error_object.py).
        errors: Any = fields.get("errors")
        if isinstance(errors, list):
            entries: list[Any] = errors  # pyright: ignore[reportUnknownVariableType]
            parts = [_describe(entry) for entry in entries]
            text = "; ".join(part for part in parts if part)
            if text:
                return text
        for key in ("message", "detail", "description"):
            value = fields.get(key)
            if isinstance(value, str) and value:
                return value
    text = _compact(whole)
    # The body is bounded by max_payload_size; the message need not be.
    return text if len(text) <= 1000 else text[:997] + "..."


def json_error_reason(exc: BaseException) -> str:
    """What ``json.loads`` reported, safe to format and to print anywhere.

    For a ``JSONDecodeError``: the decoder's words if they are printable
    ASCII (else ``"invalid JSON"``), then always its position, as in
    ``str(exc)``. For another error (``RecursionError``, a ``ValueError``
    for too many digits): its text on the same terms, else its type's name.
    """
    if isinstance(exc, json.JSONDecodeError):
        words = _printable(exc.msg) or "invalid JSON"
        return f"{words}: line {exc.lineno} column {exc.colno} (char {exc.pos})"
    return _printable(exc) or type(exc).__name__


def _printable(text: object) -> str:
    """``str(text)`` if it is printable ASCII, else ``""``; never raises.

    The decoder's text cannot be trusted as is: PyPy's quotes the offending
    character of the data (a control character would reach a terminal), and
    PyPy 7.3.11 builds that quote wrongly for any non-ASCII character, e.g.
    in ``json.loads("\\ufffd")``: a str object holding only the first byte
    of the character's UTF-8 form, which raises ``SystemError`` when
    formatted. The round trip through bytes yields a fresh, valid str or
    fails; the object given is never returned.
    """
    try:
        clean = str(text).encode("utf-8").decode("ascii")
    except Exception:  # any failure on a broken object means "unusable"
        return ""
    if not clean.isprintable():
        return ""
    return clean if len(clean) <= 200 else clean[:197] + "..."


def _describe(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    if not isinstance(entry, dict):
        return ""
    fields = cast("dict[str, Any]", entry)
    description = fields.get("description")
    key = fields.get("key")
    if isinstance(description, str) and description:
        return f"{description} ({key})" if isinstance(key, str) and key else description
    return key if isinstance(key, str) else ""


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _compact(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (RecursionError, ValueError, TypeError):
        # Nested deeper than the encoder recurses (json.loads accepts more).
        return f"<{_json_type(value)} nested too deeply to show>"


def _preview(value: object) -> str:
    text = _compact(value)
    return text if len(text) <= 60 else text[:57] + "..."
