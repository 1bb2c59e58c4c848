"""Transport helpers: sse_core over real HTTP clients and byte streams.

One module per library, each imported only when used, so the core keeps zero
dependencies. Install the extra you need, e.g. ``pip install ".[httpx]"`` from
a checkout (sse_core is not on a package index yet; the README's Install
section also covers wheels):

* :mod:`sse_core.transports.httpx`: ``connect_sse``/``aconnect_sse``, and the
  reconnecting ``EventSource``/``AsyncEventSource``;
* :mod:`sse_core.transports.aiohttp`: ``aconnect_sse``, ``aiter_events``,
  ``AsyncEventSource``;
* :mod:`sse_core.transports.requests`: ``connect_sse``, ``iter_events``,
  ``EventSource``;
* :mod:`sse_core.transports.urllib3`: ``connect_sse``, ``iter_events``,
  ``EventSource``;
* :mod:`sse_core.transports.asyncio`: ``aiter_events`` over an
  ``asyncio.StreamReader``;
* :mod:`sse_core.transports.trio`: ``aiter_events`` over a
  ``trio.abc.ReceiveStream``;
* :mod:`sse_core.transports.urllib`: ``open_stream``, ``EventSource``,
  standard library only.

Helpers that send the request raise :class:`~sse_core.BadResponseError` for a
response that is not 2xx or not ``text/event-stream``, and give an empty stream
for HTTP 204. They all share one path (:mod:`sse_core._http`): the same
request headers, the same check, and bodies decoded a bounded piece at a time.
:func:`open_stream` here picks httpx when it is installed, else the standard
library.
"""

from __future__ import annotations

import typing as _t

from ._common import AsyncEventStream, EventStream

if _t.TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from contextlib import AbstractContextManager

__all__ = ["AsyncEventStream", "EventStream", "open_stream"]


def open_stream(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = 30.0,
    method: str = "GET",
    body: bytes | None = None,
) -> AbstractContextManager[Iterator[bytes]]:
    """Request an event stream; a context manager giving its body as byte chunks.

    ``method`` and ``body`` choose the request (a POST with a JSON body, as
    LLM APIs take; set its ``Content-Type`` in ``headers``).

    Uses httpx when it is installed, else :mod:`urllib.request`; both follow
    redirects and bound the connection and each read by ``timeout`` seconds.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``
            (HTTP 204 gives an empty body).
        OSError or httpx.TransportError: the server cannot be reached or a
            read failed (``urllib.error.URLError`` is an ``OSError``).
    """
    from importlib.util import find_spec

    if find_spec("httpx") is not None:
        from .httpx import open_stream as open_with
    else:
        from .urllib import open_stream as open_with
    return open_with(url, headers=headers, timeout=timeout, method=method, body=body)


def __dir__() -> list[str]:
    # The public names, and the submodules imported so far.
    modules = [
        name
        for name, value in globals().items()
        if isinstance(value, type(_t)) and value.__name__ == f"{__name__}.{name}"
    ]
    return sorted({*__all__, *modules})
