"""End to end: the bytes of a Writer chat stream to its printed text.

``python -m benchmarks.endtoend [--chunks N] [--repeats N] [--no-memory]``

One workload, every contender in one process, ratios reported:

* the stream: 20,000 ``chat.completion.chunk`` events in Writer's dialect
  as ``tests/data/streams/chat_writer.sse`` records it (compact JSON in the
  server's key order, every key present with explicit ``null``s, a new UUID
  id and ``role`` on every chunk, ``graph_data`` of nulls), then ``[DONE]``,
  cut into reads of 512 B to 16 KiB (a fixed seed);
* ``floor``: the least any Python decoder can do, as issue 11 defines it:
  join the reads, one split into events, ``json.loads`` per event (of the
  bytes), read ``choices[0]["delta"]["content"]``;
* ``floor, str``: the same with one UTF-8 decode of the whole body and
  ``json.loads`` of ``str`` (for information: a stricter floor; the ratios
  and targets are against ``floor``);
* ``sse_core decode``: ``decode_bytes(CHAT, reads)``, reading
  ``chunk.choices[0].delta.content``;
* ``sse_core helper``: ``stream_events(CHAT, reads)``, printing each
  ``content.delta`` event, then ``final()``;
* ``writer-sdk Stream``: ``client.chat.chat(stream=True)`` over
  ``httpx.MockTransport``, reading ``chunk.choices[0].delta.content``;
* ``writer-sdk helper``: ``client.chat.stream()``, printing each
  ``content.delta`` event, then ``get_final_completion()``;
* ``openai Stream``: ``client.chat.completions.create(stream=True)`` over
  its transport's ``MockTransport``.

"Printed" is a write to an in-memory text sink, the same for all, and every
contender must print the floor's text. Each contender runs ``--repeats``
times, interleaved and rotated (a burst of load hits all alike), after a
warm-up run on 20 chunks (imports, the SDKs' type caches); the best run of
each is kept, in CPU time of the process (``time.process_time``).

What the audit of this harness (second wave) checked and changed:

* Garbage collector: the harness used to hold it off. Users run with it on,
  so "GC on" is now the reported default and "GC off" is measured next to it
  in the same run (each run starts after a ``gc.collect()``). Measured: it
  moves every contender by a few per cent at most; the SDK's chunks die young
  and no collection of an old generation is triggered.
* Stream shape: chunks used to be ``json.dumps`` with its default ``", "``
  and ``": "`` separators, another key order and 24-hex-digit ids; they are
  now laid out byte for byte like the recorded Writer wire. Measured: it
  moves no ratio by more than 0.02 (the body is 8.7 MB instead of 9.5 MB).
* Floor: unchanged (it is the issue's definition); ``floor, str`` is added
  because decoding the body once is cheaper than ``json.loads`` of bytes per
  event, so readers can see the ratios against the stricter floor too.
* CPU vs wall time: kept CPU time. On a shared machine, a best-of-N in wall
  time favours short runs (a 0.1 s run finds a quiet moment far more often
  than a 3 s one), which makes a slow contender look slower still: that
  flatters sse_core, not the SDK.
* The SDK is driven as a user drives it: a ``writerai.Writer`` on an
  ``httpx.Client(transport=httpx.MockTransport(...))`` (the documented way to
  give it a transport), ``client.chat.chat(..., stream=True)``, a ``for`` loop
  over the ``Stream``. Its fixed costs (building the client and request, the
  response over the mock transport) were measured at 0.5 ms of ~1,600 ms on
  a one-chunk stream, so they do not tilt the ratio; sse_core reads the same
  reads straight from the list, as the floor does.

Memory (``tracemalloc``, per object, averaged over 200): an idle helper (the
accumulator state before any chunk: ``CHAT.accumulator()``), an idle stream
(``stream_events`` before it is read) and a live stream (a helper stream with
10 chunks read: parser with its unread bytes, decoder, accumulator, the text
so far), next to writer-sdk's ``ChatCompletionStreamState`` and its
``ChatCompletionStream`` with 10 events read (client and response included).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import random
import time
import uuid
from collections.abc import Iterator
from typing import Any, Callable

from ._memory import unavailable

__all__ = ["main", "writer_chat_stream"]

Reads = list[bytes]

_WORDS = (
    "the",
    "stream",
    "of",
    "tokens",
    "arrives",
    "one",
    "piece",
    "at",
    "a",
    "time",
    "while",
    "the",
    "model",
    "writes",
    "its",
    "answer",
    "in",
    "plain",
    "words",
)


def writer_chat_stream(chunks: int = 20_000, seed: int = 1) -> Reads:
    """A Writer-dialect chat stream of ``chunks`` events in 512 B - 16 KiB reads.

    Each chunk is laid out as ``tests/data/streams/chat_writer.sse`` records
    the wire: compact JSON, the server's key order, a UUID id.
    """
    rng = random.Random(seed)
    events = []
    for index in range(chunks):
        last = index == chunks - 1
        chunk = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "object": "chat.completion.chunk",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop" if last else None,
                    "delta": {
                        "content": " " + rng.choice(_WORDS),
                        "role": "assistant",
                        "tool_calls": None,
                        "graph_data": {
                            "sources": None,
                            "status": None,
                            "subqueries": None,
                        },
                        "llm_data": None,
                        "translation_data": None,
                        "refusal": None,
                    },
                    "logprobs": None,
                }
            ],
            "created": 1727000000 + index // 50,
            "model": "palmyra-x-004",
            "usage": None,
            "system_fingerprint": "v1",
            "service_tier": None,
        }
        data = json.dumps(chunk, separators=(",", ":")).encode()
        events.append(b"data: " + data + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    body = b"".join(events)
    reads = []
    position = 0
    while position < len(body):
        size = rng.randint(512, 16 * 1024)
        reads.append(body[position : position + size])
        position += size
    return reads


# -- contenders: each prints the text of the reads into a sink --------------------


def floor(reads: Reads, out: io.StringIO) -> None:
    """Join, one split, json.loads per event, read the content key."""
    write = out.write
    loads = json.loads
    for block in b"".join(reads).split(b"\n\n"):
        if not block:
            continue
        data = block[6:]
        if data == b"[DONE]":
            break
        choices = loads(data)["choices"]
        if choices:
            content = choices[0]["delta"]["content"]
            if content:
                write(content)


def floor_text(reads: Reads, out: io.StringIO) -> None:
    """The floor with one UTF-8 decode of the body, ``json.loads`` of ``str``."""
    write = out.write
    loads = json.loads
    for block in b"".join(reads).decode().split("\n\n"):
        if not block:
            continue
        data = block[6:]
        if data == "[DONE]":
            break
        choices = loads(data)["choices"]
        if choices:
            content = choices[0]["delta"]["content"]
            if content:
                write(content)


def sse_core_decode(reads: Reads, out: io.StringIO) -> None:
    """``decode_bytes(CHAT, ...)``, reading ``choices[0].delta.content``."""
    from sse_core.endpoints import CHAT, decode_bytes

    write = out.write
    for chunk in decode_bytes(CHAT, reads):
        choices = chunk.choices
        if choices:
            content = choices[0].delta.content
            if content:
                write(content)


def sse_core_helper(reads: Reads, out: io.StringIO) -> None:
    """``stream_events(CHAT, ...)``, printing ``content.delta``, then ``final()``."""
    from sse_core.endpoints import CHAT, stream_events

    write = out.write
    with stream_events(CHAT, reads) as stream:
        for event in stream:
            if event.type == "content.delta":
                write(event.delta)
        stream.final()


def _writer_client(reads: Reads) -> Any:
    import httpx
    import writerai

    stream_class = _stream_class(httpx)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "text/event-stream"},
            stream=stream_class(reads),
        )

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return writerai.Writer(
        api_key="x", base_url="http://localhost/v1", http_client=http, max_retries=0
    )


class _ReadStream:
    """An httpx(2) byte stream yielding the reads as they are."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._reads)

    def close(self) -> None:
        pass


def _stream_class(module: Any) -> Any:
    class ReadStream(_ReadStream, module.SyncByteStream):  # type: ignore[misc]
        pass

    return ReadStream


_MESSAGES = [{"role": "user", "content": "hi"}]


def writer_stream(reads: Reads, out: io.StringIO) -> None:
    """writer-sdk ``client.chat.chat(stream=True)``."""
    write = out.write
    client = _writer_client(reads)
    stream = client.chat.chat(model="palmyra-x-004", messages=_MESSAGES, stream=True)
    for chunk in stream:
        if chunk.choices:
            content = chunk.choices[0].delta.content
            if content:
                write(content)


def writer_helper(reads: Reads, out: io.StringIO) -> None:
    """writer-sdk ``client.chat.stream()``, then ``get_final_completion()``."""
    write = out.write
    client = _writer_client(reads)
    with client.chat.stream(model="palmyra-x-004", messages=_MESSAGES) as stream:
        for event in stream:
            if event.type == "content.delta":
                write(event.delta)
        stream.get_final_completion()


def openai_stream(reads: Reads, out: io.StringIO) -> None:
    """openai ``client.chat.completions.create(stream=True)``."""
    import openai

    transport_module = _openai_http()
    stream_class = _stream_class(transport_module)

    def handler(request: Any) -> Any:
        return transport_module.Response(
            200,
            headers={"content-type": "text/event-stream"},
            stream=stream_class(reads),
        )

    http = transport_module.Client(transport=transport_module.MockTransport(handler))
    client = openai.OpenAI(
        api_key="x", base_url="http://localhost/v1", http_client=http, max_retries=0
    )
    write = out.write
    stream = client.chat.completions.create(
        model="palmyra-x-004", messages=_MESSAGES, stream=True
    )
    for chunk in stream:
        if chunk.choices:
            content = chunk.choices[0].delta.content
            if content:
                write(content)


def _openai_http() -> Any:
    # openai 3.x ships on httpx2, older versions on httpx.
    try:
        import httpx2

        return httpx2
    except ImportError:
        import httpx

        return httpx


CONTENDERS: dict[str, Callable[[Reads, io.StringIO], None]] = {
    "floor": floor,
    "floor, str": floor_text,
    "sse_core decode": sse_core_decode,
    "sse_core helper": sse_core_helper,
    "writer-sdk Stream": writer_stream,
    "writer-sdk helper": writer_helper,
    "openai Stream": openai_stream,
}


def _time(
    run: Callable[[Reads, io.StringIO], None], reads: Reads, collect: bool = True
) -> tuple[float, str]:
    out = io.StringIO()
    gc.collect()  # every run starts from the same heap
    if not collect:
        gc.disable()
    try:
        # CPU time, not wall time: on a shared machine, the time spent
        # waiting for a core is the neighbours', not the contender's.
        start = time.process_time()
        run(reads, out)
        elapsed = time.process_time() - start
    finally:
        gc.enable()
    return elapsed, out.getvalue()


GC_MODES = {"GC on": True, "GC off": False}


def measure(
    reads: Reads, repeats: int, names: list[str]
) -> dict[str, dict[str, float]]:
    """Best seconds per GC mode and contender, repeats interleaved and rotated."""
    best = {mode: {name: float("inf") for name in names} for mode in GC_MODES}
    texts: dict[str, str] = {}
    for repeat in range(repeats):
        order = names[repeat % len(names) :] + names[: repeat % len(names)]
        for name in order:
            for mode, collect in GC_MODES.items():
                elapsed, text = _time(CONTENDERS[name], reads, collect)
                best[mode][name] = min(best[mode][name], elapsed)
                texts[name] = text
    expected = texts["floor"]
    for name, text in texts.items():
        if text != expected:
            raise AssertionError(f"{name} printed a different text")
    return best


# -- memory -------------------------------------------------------------------------


def _bytes_per(make: Callable[[], Any], count: int = 200) -> float:
    import tracemalloc  # here, not on import: PyPy has none

    make()  # imports and caches filled outside the measurement
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        kept = [make() for _ in range(count)]
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    del kept
    return (after - before) / count


def memory(reads: Reads) -> dict[str, float]:
    """Bytes held per idle helper and per live stream, sse_core and writer-sdk."""
    from sse_core.endpoints import CHAT, stream_events

    def ours_live() -> Any:
        stream = stream_events(CHAT, iter(reads))
        for _ in range(10):
            next(stream)
        return stream

    results = {
        "sse_core idle helper": _bytes_per(CHAT.accumulator),
        "sse_core idle stream": _bytes_per(lambda: stream_events(CHAT, iter(reads))),
        "sse_core live stream": _bytes_per(ours_live),
    }
    try:
        from writerai import omit
        from writerai.lib.streaming.chat._completions import ChatCompletionStreamState
    except ImportError:
        return results

    def sdk_live() -> Any:
        client = _writer_client(reads)
        manager = client.chat.stream(model="palmyra-x-004", messages=_MESSAGES)
        stream = manager.__enter__()
        for _ in range(10):
            next(stream)
        return stream

    results["writer-sdk idle helper"] = _bytes_per(
        lambda: ChatCompletionStreamState(input_tools=omit, response_format=omit)
    )
    results["writer-sdk live stream"] = _bytes_per(sdk_live, 50)
    return results


def _available(names: list[str]) -> list[str]:
    found = []
    for name in names:
        try:
            _time(CONTENDERS[name], writer_chat_stream(20))
        except ImportError:
            continue
        found.append(name)
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the end-to-end benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-memory", action="store_true")
    args = parser.parse_args(argv)
    reads = writer_chat_stream(args.chunks)
    size = sum(map(len, reads))
    names = _available(list(CONTENDERS))
    best = measure(reads, args.repeats, names)
    print(
        f"{args.chunks} Writer-dialect chat chunks, {size / 1e6:.1f} MB in "
        f"{len(reads)} reads of 512 B - 16 KiB; best of {args.repeats} in CPU time"
    )
    header = "".join(f" {mode + ' ms':>10} {'vs floor':>8}" for mode in GC_MODES)
    print(f"{'contender':<20}{header}")
    for name in names:
        row = "".join(
            f" {best[mode][name] * 1e3:>10.1f} "
            f"{best[mode]['floor'] / best[mode][name]:>8.3f}"
            for mode in GC_MODES
        )
        print(f"{name:<20}{row}")
    print()
    for ours, theirs in (
        ("sse_core decode", "writer-sdk Stream"),
        ("sse_core helper", "writer-sdk helper"),
    ):
        if ours not in names or theirs not in names:
            continue  # a peer that is not installed (writer-sdk on PyPy)
        for mode in GC_MODES:
            times = best[mode]
            print(
                f"{mode:<6}: {ours} {times[theirs] / times[ours]:.1f}x {theirs}; "
                f"{theirs} takes {times[theirs] / times['floor']:.1f}x the floor's time"
            )
    skipped = unavailable()
    if skipped and not args.no_memory:
        print(f"\nmemory: skipped ({skipped})")
    elif not args.no_memory:
        print()
        print(f"{'memory':<26} {'bytes':>8}")
        for name, held in memory(reads).items():
            print(f"{name:<26} {held:>8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
