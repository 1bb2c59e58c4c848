"""Event streams over requests (``pip install ".[requests]"`` from a checkout).

The body is read with ``response.raw.read1()``, which returns bytes as they
arrive. ``iter_content(chunk_size=None)`` is not enough: on a body without
chunked encoding it waits for the end of the stream (measured with urllib3
2.x), and ``decode_unicode=True`` would decode with a guessed charset where
the standard says UTF-8. It is read raw and decoded by sse_core, a bounded
piece at a time, whatever the ``Content-Encoding``.
"""

from __future__ import annotations

import typing as _t
from contextlib import contextmanager as _cm

from .. import _http
from .._iterate import iter_events as _iter_events
from .._parser import ItemT as _ItemT
from ._common import EventStream

if _t.TYPE_CHECKING:
    from collections.abc import Iterator

    import requests

    from .._events import ServerSentEvent
    from .._parser import EventStreamParser

__all__ = ["EventSource", "connect_sse", "iter_chunks", "iter_events"]


def _raw_chunks(response: requests.Response) -> Iterator[bytes]:
    # The body as received, with urllib3's errors translated as
    # iter_content() translates them.
    import requests.exceptions
    import urllib3.exceptions

    raw = response.raw
    try:
        if hasattr(raw, "read1"):
            yield from _http.read_chunks(_t.cast(_t.Any, raw).read1)
        else:  # urllib3 < 2: stream() returns each chunk of a chunked body
            yield from raw.stream(_http.READ_SIZE, decode_content=False)
    except urllib3.exceptions.ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from exc
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.exceptions.ConnectionError(exc) from exc


def _head(response: requests.Response) -> _http.ResponseHead:
    if hasattr(response.raw, "decode_content"):
        # Read raw from here on: sse_core decodes, within bounds.
        response.raw.decode_content = False
    return _http.ResponseHead(response.status_code, response.headers.get, response.url)


def iter_chunks(response: requests.Response) -> Iterator[bytes]:
    """Yield the decoded body of a ``stream=True`` response as it arrives.

    Pieces hold at most 64 KiB whatever the ``Content-Encoding``. Errors are
    translated as ``iter_content()`` translates them (a cut connection raises
    ``requests.exceptions.ChunkedEncodingError``).
    """
    head = _head(response)
    return _http.decoded(_raw_chunks(response), head.content_encoding)


def iter_events(
    response: requests.Response, parser: EventStreamParser | None = None
) -> Iterator[ServerSentEvent]:
    """Yield the events of a ``stream=True`` response (no status check)."""
    return _iter_events(iter_chunks(response), parser)


@_cm
def connect_sse(
    session: requests.Session,
    method: str,
    url: str,
    *,
    parser: EventStreamParser | None = None,
    **kwargs: _t.Any,
) -> Iterator[EventStream[requests.Response]]:
    """Send a streaming request and give its event stream; closed on exit.

    ``Accept: text/event-stream``, ``Cache-Control: no-cache`` and
    ``Pragma: no-cache`` are added unless ``headers`` sets them; other keyword
    arguments go to ``session.request()``. HTTP 204 gives a stream with no
    events.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
        ContentEncodingError: the body's encoding is not gzip, deflate or none.
    """
    headers = _http.request_headers(kwargs.pop("headers", None))
    with session.request(
        method, url, headers=headers, stream=True, **kwargs
    ) as response:
        _, body = _http.check_response(_head(response), _raw_chunks(response))
        yield EventStream(response, body, parser)


class _Connection(_http.Connection):
    def __init__(self, response: requests.Response) -> None:
        self.response = response
        self.head = _head(response)

    def raw_chunks(self) -> Iterator[bytes]:
        return _raw_chunks(self.response)

    def abort(self) -> None:
        _http.shutdown_socket(self.response.raw)

    def close(self) -> None:
        self.response.close()


class EventSource(_http.SyncEventSource["requests.Session", _ItemT]):
    """A reconnecting event stream over a ``requests.Session``.

    ``EventSource(session, method, url, *, reconnector=None, on_retry=None,
    sleep=None, **kwargs)``: the same as
    :class:`sse_core.transports.httpx.EventSource` (resumption with
    ``Last-Event-ID``, ``on_retry``, :meth:`close` from any thread,
    :meth:`restart`); other keyword arguments go to ``session.request()``,
    which always gets ``stream=True``. Pass ``timeout=(connect, read)`` so a
    silent server is noticed and retried.
    """

    def _connect(self, headers: dict[str, _t.Any]) -> _http.Connection:
        response = self.client.request(
            self.method, self.url, headers=headers, stream=True, **self._kwargs
        )
        return _Connection(response)

    def _retryable(self) -> tuple[type[BaseException], ...]:
        import requests.exceptions

        return (
            requests.exceptions.ConnectionError,
            requests.exceptions.Timeout,
            requests.exceptions.ChunkedEncodingError,
        )


def __dir__() -> list[str]:
    return sorted(__all__)
