"""Every reconnecting EventSource, run the same way, for tests that cover them all.

:func:`run_source` iterates one kind of source against a URL until the stream
ends, fails, or ``stop(event)`` says so, and reports what it saw.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any, Callable

import aiohttp
import httpx
import requests
import trio
import urllib3

from sse_core import Comment, Reconnector, ServerSentEvent
from sse_core.transports import aiohttp as sse_aiohttp
from sse_core.transports import httpx as sse_httpx
from sse_core.transports import requests as sse_requests
from sse_core.transports import urllib as sse_urllib
from sse_core.transports import urllib3 as sse_urllib3

SYNC_KINDS = ("httpx", "requests", "urllib3", "urllib")
ASYNC_KINDS = ("httpx-asyncio", "httpx-trio", "aiohttp")
ALL_KINDS = SYNC_KINDS + ASYNC_KINDS


@dataclass
class Outcome:
    """What one run saw (comments too, for ``Reconnector(comments=True)``)."""

    events: list[ServerSentEvent | Comment] = field(default_factory=list)
    error: BaseException | None = None
    retries: list[tuple[BaseException | None, float]] = field(default_factory=list)
    source: Any = None


Stop = Callable[[Any, Any], bool]


def _never(event: ServerSentEvent | Comment, source: Any) -> bool:
    return False


def make_sync_source(
    kind: str, client: Any, url: str, reconnector: Reconnector, **options: Any
) -> Any:
    """An EventSource of ``kind`` over ``client`` (see :func:`sync_client`)."""
    if kind == "httpx":
        return sse_httpx.EventSource(
            client, "GET", url, reconnector=reconnector, **options
        )
    if kind == "requests":
        return sse_requests.EventSource(
            client, "GET", url, reconnector=reconnector, timeout=10, **options
        )
    if kind == "urllib3":
        return sse_urllib3.EventSource(
            client, "GET", url, reconnector=reconnector, retries=False, **options
        )
    assert kind == "urllib"
    return sse_urllib.EventSource(
        None, "GET", url, reconnector=reconnector, timeout=10, **options
    )


def sync_client(kind: str) -> Any:
    """The library client a sync source of ``kind`` takes (a context manager)."""
    if kind == "httpx":
        return httpx.Client(timeout=10)
    if kind == "requests":
        return requests.Session()
    if kind == "urllib3":
        return urllib3.PoolManager(timeout=10)
    import contextlib

    return contextlib.nullcontext()


def run_source(
    kind: str,
    url: str,
    reconnector: Reconnector | None = None,
    *,
    stop: Stop = _never,
    no_sleep: bool = True,
    **options: Any,
) -> Outcome:
    """Iterate a source until it ends, raises, or ``stop(event, source)``."""
    outcome = Outcome()
    reconnector = reconnector if reconnector is not None else Reconnector()

    def on_retry(error: BaseException | None, delay: float) -> None:
        outcome.retries.append((error, delay))

    options.setdefault("on_retry", on_retry)
    if kind in SYNC_KINDS:
        if no_sleep:
            options.setdefault("sleep", lambda delay: None)
        with sync_client(kind) as client:
            source = make_sync_source(kind, client, url, reconnector, **options)
            outcome.source = source
            try:
                with source:
                    for event in source:
                        outcome.events.append(event)
                        if stop(event, source):
                            break
            except Exception as exc:
                outcome.error = exc
        return outcome

    async def no_wait(delay: float) -> None:
        pass

    if no_sleep:
        options.setdefault("sleep", no_wait)

    async def main() -> None:
        if kind == "aiohttp":
            timeout = aiohttp.ClientTimeout(total=None, sock_read=10)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                source = sse_aiohttp.AsyncEventSource(
                    session, "GET", url, reconnector=reconnector, **options
                )
                await consume(source)
        else:
            async with httpx.AsyncClient(timeout=10) as client:
                source = sse_httpx.AsyncEventSource(
                    client, "GET", url, reconnector=reconnector, **options
                )
                await consume(source)

    async def consume(source: Any) -> None:
        outcome.source = source
        try:
            async with source:
                async for event in source:
                    outcome.events.append(event)
                    if stop(event, source):
                        break
        except Exception as exc:
            outcome.error = exc

    run_async(kind, main)
    return outcome


def run_async(kind: str, main: Callable[[], Awaitable[None]]) -> None:
    """Run ``main`` on trio for ``*-trio`` kinds, else on asyncio."""
    if kind.endswith("trio"):
        trio.run(main)
    else:
        asyncio.run(main())  # type: ignore[arg-type]
