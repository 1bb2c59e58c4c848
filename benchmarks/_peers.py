"""The parsers under test, each driven through the code path its users run.

Every runner takes the same list of byte reads. ``drain`` is the timed path:
it parses the whole stream and drops the events as they come, as a consumer
loop does. ``collect`` is the untimed path used to check the events: it keeps
them, normalised to ``(event, data, id, retry)``.

How each peer is driven (read from the installed sources):

- sse_core: ``EventStreamParser().feed(read)`` per read, then ``close()``,
  with the default line and event bounds.
- httpx-sse: ``EventSource(response).iter_sse()`` over a real ``httpx.Response``
  whose body is the iterator of reads, as ``connect_sse`` hands it over. In
  httpx-sse 0.4.3 ``iter_sse`` runs httpx's ``iter_bytes``/``iter_text`` (its
  incremental UTF-8 ``TextDecoder``), then its own ``SSELineDecoder`` (CR, LF,
  CRLF only, not httpx's ``LineDecoder``), then ``SSEDecoder``. Only the
  transport under ``iter_raw`` differs from a network response.
- httpx-sse-decoders: the same ``SSELineDecoder`` and ``SSEDecoder`` fed
  directly, each read decoded by an incremental UTF-8 decoder (what httpx's
  ``TextDecoder`` does), without the ``httpx.Response`` around them: the
  fastest way to run httpx-sse's code.
- writer-sdk: ``writerai._streaming.SSEDecoder().iter_bytes(iter(reads))``, what
  ``writerai.Stream`` runs on ``response.iter_bytes()``.
- openai: ``openai._streaming.SSEDecoder().iter_bytes(iter(reads))``, likewise.
- sseclient-py: ``sseclient.SSEClient(iter(reads)).events()``; it iterates the
  source it is given, so the reads arrive unchanged.

A peer whose package is not installed is listed as missing, not installed.
"""

from __future__ import annotations

import collections
import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Callable

from sse_core import EventStreamParser

__all__ = [
    "PARSER_NAMES",
    "Chunks",
    "Event",
    "Runner",
    "available_runners",
    "limit_runner",
    "package_version",
    "set_python_loop",
]

Event = tuple[str, str, str, Any]
"""A normalised event: (event type, data, id, retry)."""

Chunks = Sequence[bytes]


@dataclass(frozen=True)
class Runner:
    """One parser as the harness drives it."""

    name: str
    package: str
    drain: Callable[[Chunks], object]
    collect: Callable[[Chunks], list[Event]]
    idle: Callable[[], tuple[object, ...]] | None
    """The decoder objects one stream creates before its first byte."""

    @property
    def version(self) -> str:
        return package_version(self.package)


def package_version(package: str) -> str:
    """The installed distribution's version, or ``"missing"``."""
    if not package:
        return ""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


# Whether every event goes through a Python for loop (--loop), in a one-item
# list so that set_python_loop can switch it.
_PYTHON_LOOP = [False]


def set_python_loop(loop: bool) -> None:
    """Make every runner visit each event in a Python ``for`` loop (``--loop``)."""
    _PYTHON_LOOP[0] = loop


def _consume(events: Iterator[object]) -> None:
    if _PYTHON_LOOP[0]:
        for _ in events:
            pass
    else:
        # A deque of length 0 pulls every event at C speed and keeps none.
        collections.deque(events, maxlen=0)


# -- sse_core -------------------------------------------------------------------


def _sse_core_drain(chunks: Chunks) -> None:
    # feed() returns each read's events as a finished list: dropping it is the
    # least a consumer does, as the deque is for the peers' iterators. With
    # --loop, every list is iterated, as the peers' iterators are.
    parser = EventStreamParser()
    feed = parser.feed
    if _PYTHON_LOOP[0]:
        for chunk in chunks:
            for _ in feed(chunk):
                pass
    else:
        for chunk in chunks:
            feed(chunk)
    parser.close()


def _sse_core_collect(chunks: Chunks) -> list[Event]:
    parser = EventStreamParser()
    events = []
    for chunk in chunks:
        events.extend(parser.feed(chunk))
    events.extend(parser.close())
    return [(e.event, e.data, e.id, e.retry) for e in events]


SSE_CORE = Runner(
    "sse_core",
    "sse_core",
    _sse_core_drain,
    _sse_core_collect,
    lambda: (EventStreamParser(),),
)


# -- peers ------------------------------------------------------------------------


def _httpx_sse() -> Runner:
    import httpx
    from httpx_sse import EventSource
    from httpx_sse._decoders import SSEDecoder, SSELineDecoder

    def events(chunks: Chunks) -> Iterator[Any]:
        response = httpx.Response(
            200, headers={"content-type": "text/event-stream"}, content=iter(chunks)
        )
        return EventSource(response).iter_sse()

    def collect(chunks: Chunks) -> list[Event]:
        return [(e.event, e.data, e.id, e.retry) for e in events(chunks)]

    return Runner(
        "httpx-sse",
        "httpx-sse",
        lambda chunks: _consume(events(chunks)),
        collect,
        lambda: (SSEDecoder(), SSELineDecoder()),
    )


def _httpx_sse_decoders() -> Runner:
    # httpx-sse's decoders without httpx: what a caller that already has
    # the reads gets at best (httpx's UTF-8 step is an incremental decoder).
    import codecs

    from httpx_sse._decoders import SSEDecoder, SSELineDecoder

    text_decoder = codecs.getincrementaldecoder("utf-8")

    def events(chunks: Chunks) -> Iterator[Any]:
        to_text = text_decoder("replace").decode
        lines = SSELineDecoder()
        decoder = SSEDecoder()
        split = lines.decode
        decode = decoder.decode
        for chunk in chunks:
            for line in split(to_text(chunk)):
                sse = decode(line)
                if sse is not None:
                    yield sse
        for line in lines.flush():
            sse = decode(line)
            if sse is not None:
                yield sse

    def collect(chunks: Chunks) -> list[Event]:
        return [(e.event, e.data, e.id, e.retry) for e in events(chunks)]

    return Runner(
        "httpx-sse-decoders",
        "httpx-sse",
        lambda chunks: _consume(events(chunks)),
        collect,
        lambda: (SSEDecoder(), SSELineDecoder()),
    )


def _sdk(name: str, package: str, module: str) -> Runner:
    streaming = importlib.import_module(module)
    decoder_class = streaming.SSEDecoder
    # openai >= 2 keeps per-stream line state in a helper created by iter_bytes.
    line_decoder_class = getattr(streaming, "_SSELineDecoder", None)

    def collect(chunks: Chunks) -> list[Event]:
        # These decoders report the default event type as None; the standard's
        # name for it is "message" (their Stream layer is where it matters).
        return [
            (e.event or "message", e.data, e.id or "", e.retry)
            for e in decoder_class().iter_bytes(iter(chunks))
        ]

    def idle() -> tuple[object, ...]:
        if line_decoder_class is None:
            return (decoder_class(),)
        return (decoder_class(), line_decoder_class())

    return Runner(
        name,
        package,
        lambda chunks: _consume(decoder_class().iter_bytes(iter(chunks))),
        collect,
        idle,
    )


def _retry_int(retry: str | None) -> int | str | None:
    if retry is None:
        return None
    return int(retry) if retry.isdigit() and retry.isascii() else retry


def _sseclient() -> Runner:
    import sseclient

    # One shared, empty source: the idle size is the client alone.
    source: Iterator[bytes] = iter(())

    def collect(chunks: Chunks) -> list[Event]:
        # Its Event keeps id None when the block had no id, and retry as the
        # raw str: digits compare as int, anything else stays a str (a bug).
        return [
            (e.event, e.data, e.id or "", _retry_int(e.retry))
            for e in sseclient.SSEClient(iter(chunks)).events()
        ]

    return Runner(
        "sseclient-py",
        "sseclient-py",
        lambda chunks: _consume(sseclient.SSEClient(iter(chunks)).events()),
        collect,
        lambda: (sseclient.SSEClient(source),),
    )


_PEERS: dict[str, Callable[[], Runner]] = {
    "httpx-sse": _httpx_sse,
    "httpx-sse-decoders": _httpx_sse_decoders,
    "writer-sdk": lambda: _sdk("writer-sdk", "writer-sdk", "writerai._streaming"),
    "openai": lambda: _sdk("openai", "openai", "openai._streaming"),
    "sseclient-py": _sseclient,
}

PARSER_NAMES = ("sse_core", *_PEERS, "limit")


def available_runners() -> tuple[list[Runner], dict[str, str]]:
    """sse_core and every installed peer; and the peers that could not load."""
    runners = [SSE_CORE]
    missing = {}
    for name, build in _PEERS.items():
        runner = _load(build)
        if isinstance(runner, str):
            missing[name] = f"not installed ({runner}); pip install -e '.[bench]'"
        else:
            runners.append(runner)
    return runners, missing


def _load(build: Callable[[], Runner]) -> Runner | str:
    try:
        return build()
    except ImportError as exc:
        return str(exc)


def limit_runner(limit: Callable[[Chunks], list[tuple[str, str]]]) -> Runner:
    """The workload's limit, shaped as a runner (it yields (event, data) only)."""

    def collect(chunks: Chunks) -> list[Event]:
        return [(event, data, "", None) for event, data in limit(chunks)]

    return Runner("limit", "", limit, collect, None)
