"""Event streams with the standard library only (:mod:`urllib.request`).

Used by the command line when httpx is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING

from .._errors import BadResponseError
from .._reconnect import ResponseVerdict, classify_response
from ._common import READ_SIZE, read_chunks, read_start, request_headers

if TYPE_CHECKING:
    import http.client

__all__ = ["open_stream"]


def _chunks(response: http.client.HTTPResponse) -> Iterator[bytes]:
    return read_chunks(response.read1)


@contextmanager
def open_stream(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float | None = 30.0,
    method: str = "GET",
    body: bytes | None = None,
) -> Iterator[Iterator[bytes]]:
    """Request an event stream and give its body as an iterator of byte chunks.

    ``timeout`` bounds the connection and each read, in seconds (``None``:
    wait forever); redirects are followed. HTTP 204 gives an empty body.

    Raises:
        BadResponseError: the response is not 2xx or not ``text/event-stream``.
        OSError: the server cannot be reached or a read timed out
            (``urllib.error.URLError`` is an ``OSError``).
        http.client.HTTPException: the connection broke mid-body
            (``http.client.IncompleteRead``).
    """
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url, data=body, headers=request_headers(headers), method=method
    )
    try:
        response: http.client.HTTPResponse = urllib.request.urlopen(
            request, timeout=timeout
        )
    except urllib.error.HTTPError as exc:
        # urllib raises for any status outside 2xx; the error is the response.
        with exc:
            body_start = read_start(iter(partial(exc.read, READ_SIZE), b""))
        raise BadResponseError(
            exc.code, exc.headers.get("Content-Type", ""), body_start, url
        ) from None
    with response:
        content_type = response.headers.get("Content-Type", "")
        verdict = classify_response(response.status, content_type)
        if verdict is ResponseVerdict.FAIL:
            raise BadResponseError(
                response.status, content_type, read_start(_chunks(response)), url
            )
        yield _chunks(response) if verdict is ResponseVerdict.OPEN else iter(())
