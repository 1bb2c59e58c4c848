"""The benchmark workloads: deterministic event streams cut into network reads.

Every workload is built in memory from a fixed seed, so two runs feed the same
bytes in the same pieces to every parser. Each one carries its "limit": the
least pure-Python work that turns the same bytes into the same
``(event type, data)`` pairs (see :mod:`benchmarks._limit`).
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Callable

from . import _limit

__all__ = [
    "HUGE_LINE_SIZES",
    "WORKLOAD_NAMES",
    "Workload",
    "build_workload",
    "huge_line_chunks",
    "huge_line_stream",
]

Limit = Callable[[Sequence[bytes]], list[tuple[str, str]]]


@dataclass(frozen=True)
class Workload:
    """One stream, already cut into the reads every parser is fed."""

    name: str
    description: str
    chunks: tuple[bytes, ...]
    limit: Limit

    @property
    def size(self) -> int:
        """Bytes in the whole stream."""
        return sum(map(len, self.chunks))


WORKLOAD_NAMES = (
    "llm-tokens",
    "per-event",
    "tiny-feeds",
    "big-data",
    "spec-mix",
    "huge-line-drip",
)

# Real token streams mix ASCII word pieces with multi-byte UTF-8 (CJK, emoji,
# accents), so decoding is not the trivial all-ASCII case.
_ASCII_TOKENS = (
    " the", " of", " and", " to", " a", " in", " is", " that", " for", " it",
    " model", " stream", " event", " data", " parser", " token", " Python",
    " response", " server", " client", ",", ".", ":", "\n", "\n\n", " (", ")",
    " **", "**", " `", "`", " -", " 1", "2", "0", "ing", "ed", "ly", " un",
    "able", " Hello", "!", " world", " quick", " brown", " fox", "'s", " \"",
    "\"", " {", "}", " =>", " return", " def", " class", " import", " json",
)  # fmt: skip
_NON_ASCII_TOKENS = (
    "你好", "世界", "数据", "模型", "流式", "事件", "解析", "。", "\uff0c",
    "こんにちは", "データ", "한국어", " café", " naïve", " über", " résumé",
    " 🚀", " 😀", "👍🏽", " ✅", "🎉", " —", " “", "”", " €", " ±", "→",
)  # fmt: skip


def _network_reads(
    stream: bytes, rng: random.Random, low: int, high: int
) -> tuple[bytes, ...]:
    # Read sizes are log-uniform between low and high, the spread a socket
    # delivers; cuts fall anywhere, inside lines and inside UTF-8 sequences.
    log_low, log_high = math.log(low), math.log(high)
    chunks = []
    pos = 0
    while pos < len(stream):
        size = round(math.exp(rng.uniform(log_low, log_high)))
        chunks.append(stream[pos : pos + size])
        pos += size
    return tuple(chunks)


def _tiny_reads(
    stream: bytes, rng: random.Random, low: int, high: int
) -> tuple[bytes, ...]:
    chunks = []
    pos = 0
    while pos < len(stream):
        size = rng.randint(low, high)
        chunks.append(stream[pos : pos + size])
        pos += size
    return tuple(chunks)


def _dumps(obj: object) -> str:
    # Servers send compact JSON with raw UTF-8 (not \\u escapes).
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _token(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return rng.choice(_NON_ASCII_TOKENS)
    return rng.choice(_ASCII_TOKENS)


def _openai_completion(rng: random.Random, index: int, tokens: int) -> list[str]:
    # The sparse dialect (OpenAI, writer-python's recordings): absent keys are
    # omitted; a delta:{} chunk carries finish_reason, then a usage chunk.
    head = {
        "id": f"chatcmpl-{rng.getrandbits(120):030x}",
        "object": "chat.completion.chunk",
        "created": 1731000000 + index,
        "model": "gpt-4o-mini-2024-07-18",
        "service_tier": "default",
        "system_fingerprint": "fp_0ba0d124f1",
    }

    def chunk(delta: dict[str, object], finish: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return _dumps({**head, "choices": [choice], "usage": None})

    datas = [chunk({"role": "assistant", "content": "", "refusal": None})]
    datas.extend(chunk({"content": _token(rng)}) for _ in range(tokens))
    datas.append(chunk({}, "stop"))
    usage = {
        "prompt_tokens": 31,
        "completion_tokens": tokens,
        "total_tokens": 31 + tokens,
    }
    datas.append(_dumps({**head, "choices": [], "usage": usage}))
    return datas


def _writer_completion(rng: random.Random, index: int, tokens: int) -> list[str]:
    # The Writer dialect (palmyra-x-004 recordings in writer-framework): every
    # delta key present with explicit nulls, a new id on every chunk.
    graph = {"sources": None, "status": None, "subqueries": None}

    def chunk(content: str, finish: str | None = None) -> str:
        delta = {
            "content": content,
            "role": "assistant",
            "tool_calls": None,
            "graph_data": graph,
            "llm_data": None,
            "translation_data": None,
            "refusal": None,
        }
        choice = {"index": 0, "finish_reason": finish, "delta": delta, "logprobs": None}
        return _dumps(
            {
                "id": f"{rng.getrandbits(128):032x}",
                "object": "chat.completion.chunk",
                "choices": [choice],
                "created": 1731000000 + index,
                "model": "palmyra-x-004",
                "usage": None,
                "system_fingerprint": "v1",
                "service_tier": None,
            }
        )

    datas = [chunk("")]
    datas.extend(chunk(_token(rng)) for _ in range(tokens))
    datas.append(chunk("", "stop"))
    return datas


def _llm_stream(scale: float) -> bytes:
    rng = random.Random(4001)
    total = max(int(20_000 * scale), 40)
    datas: list[str] = []
    index = 0
    # Consecutive completions, alternating the two wire dialects.
    while len(datas) < total:
        tokens = min(rng.randint(600, 1400), max(total - len(datas) - 3, 1))
        build = _openai_completion if index % 2 == 0 else _writer_completion
        datas.extend(build(rng, index, tokens))
        index += 1
    datas.append("[DONE]")
    return "".join(f"data: {data}\n\n" for data in datas).encode()


def _chat_events(scale: float) -> list[bytes]:
    # A Writer chat stream, one whole event per item: what a server that
    # flushes after every token writes.
    rng = random.Random(4005)
    total = max(int(20_000 * scale), 40)
    datas: list[str] = []
    index = 0
    while len(datas) < total:
        tokens = min(rng.randint(600, 1400), max(total - len(datas) - 2, 1))
        datas.extend(_writer_completion(rng, index, tokens))
        index += 1
    datas.append("[DONE]")
    return [f"data: {data}\n\n".encode() for data in datas]


def _event_reads(events: list[bytes], rng: random.Random) -> tuple[bytes, ...]:
    # One read per event, as the server flushed it; one event in ten arrives
    # in two reads (the socket cut it), so a read is one event or the rest of
    # one, and the cut falls anywhere, blank line and UTF-8 sequences included.
    chunks: list[bytes] = []
    for event in events:
        if rng.random() < 0.1:
            cut = rng.randint(1, len(event) - 1)
            chunks += (event[:cut], event[cut:])
        else:
            chunks.append(event)
    return tuple(chunks)


def _big_data_stream(scale: float) -> bytes:
    rng = random.Random(4002)
    words = [w.strip() or "x" for w in _ASCII_TOKENS + _NON_ASCII_TOKENS]
    blocks = []
    for _ in range(max(int(200 * scale), 4)):
        lines = []
        size = 0
        target = rng.randint(28_000, 36_000)
        while size < target:
            # Short lines, as in pretty-printed JSON or 76-column base64: the
            # per-line cost is what this workload measures.
            line = " ".join(rng.choice(words) for _ in range(rng.randint(3, 30)))
            lines.append(f"data: {line}\n")
            size += len(line) + 7
        blocks.append("".join(lines) + "\n")
    return "".join(blocks).encode()


def _spec_mix_stream(scale: float) -> bytes:
    # Every field and line form of 9.2.6, with CRLF line endings throughout and a
    # leading byte order mark (9.2.5 says skip it). About a third of the blocks
    # dispatch nothing (comments, an id, an event name or a retry alone), and
    # many lines are comments, as on a proxied stream kept alive by pings.
    rng = random.Random(4003)
    out = ['\ufeffid: 0\r\nevent: open\r\ndata: {"status":"connected"}\r\n\r\n']
    out.append("retry: 3000\r\n\r\n")
    next_id = 1
    for _ in range(max(int(10_000 * scale), 20)):
        kind = rng.random()
        body = _dumps({"seq": next_id, "text": "".join(_token(rng) for _ in range(8))})
        if kind < 0.30:
            out.append(f"id: {next_id}\r\nevent: update\r\ndata: {body}\r\n\r\n")
            next_id += 1
        elif kind < 0.42:
            lines = [
                "".join(_token(rng) for _ in range(rng.randint(1, 12))).replace(
                    "\n", " "
                )
                for _ in range(rng.randint(2, 6))
            ]
            if rng.random() < 0.2:
                # U+2028 and U+0085 are content, not line endings (9.2.5).
                lines[0] += "\u2028\x85"
            data = "".join(f"data: {line}\r\n" for line in lines)
            out.append(f"event: log\r\n{data}\r\n")
        elif kind < 0.52:
            out.append(f"data: {body}\r\n\r\n")
        elif kind < 0.64:
            out.append(": ping\r\n\r\n")
        elif kind < 0.70:
            # Comments between blocks, without a blank line of their own.
            out.append(f": keep-alive {next_id}\r\n:\r\n")
        elif kind < 0.75:
            out.append(f"id: {next_id}\r\n\r\n")
            next_id += 1
        elif kind < 0.79:
            out.append("event: heartbeat\r\n\r\n")
        elif kind < 0.84:
            out.append(f"event: message\r\ndata: {body}\r\n\r\n")
        elif kind < 0.88:
            out.append(f"data:{body}\r\ndata:  indented\r\ndata\r\n\r\n")
        elif kind < 0.90:
            out.append(
                f"retry: {rng.choice((1000, 5000, 10000))}\r\ndata: {body}\r\n\r\n"
            )
        elif kind < 0.92:
            out.append("retry: 10000\r\n\r\n")
        elif kind < 0.97:
            out.append(
                f"data: {body}\r\n: keep-alive\r\nx-unknown: 1\r\ndata: tail\r\n\r\n"
            )
        else:
            out.append(f"id: {next_id}\r\nevent:\r\ndata: {body}\r\n\r\n")
            next_id += 1
    return "".join(out).encode()


HUGE_LINE_SIZES = {"1MiB": 1 << 20, "8MiB": 8 << 20}
_HUGE_READ = 64


def huge_line_stream(payload_size: int) -> bytes:
    """One event whose single ``data:`` line holds ``payload_size`` bytes."""
    rng = random.Random(4004)
    unit = "".join(_token(rng).replace("\n", " ") for _ in range(4000)).encode()
    payload = (unit * (payload_size // len(unit) + 1))[:payload_size]
    # Never cut a UTF-8 sequence at the end: back off to a character boundary.
    payload = payload.decode("utf-8", "ignore").encode()
    return b"data: " + payload + b"\n\n"


def huge_line_chunks(payload_size: int) -> tuple[bytes, ...]:
    """The huge event fed in 64-byte pieces."""
    stream = huge_line_stream(payload_size)
    return tuple(stream[i : i + _HUGE_READ] for i in range(0, len(stream), _HUGE_READ))


def build_workload(name: str, scale: float = 1.0) -> Workload:
    """Build the named workload; ``scale`` shrinks the event counts (for --quick)."""
    if name == "llm-tokens":
        stream = _llm_stream(scale)
        return Workload(
            name,
            "chat.completion.chunk events (OpenAI, Writer dialects), 0.5-16 KiB reads",
            _network_reads(stream, random.Random(1), 512, 16 * 1024),
            _limit.single_data_line,
        )
    if name == "per-event":
        return Workload(
            name,
            "Writer chat events, one read per event (one in ten cut in two)",
            _event_reads(_chat_events(scale), random.Random(5)),
            _limit.single_data_line,
        )
    if name == "tiny-feeds":
        stream = _llm_stream(scale)
        return Workload(
            name,
            "the llm-tokens stream in 1-64 byte reads",
            _tiny_reads(stream, random.Random(2), 1, 64),
            _limit.single_data_line,
        )
    if name == "big-data":
        return Workload(
            name,
            "~32 KB events spread over many data lines, 512 B-16 KiB reads",
            _network_reads(_big_data_stream(scale), random.Random(3), 512, 16 * 1024),
            _limit.data_lines,
        )
    if name == "spec-mix":
        return Workload(
            name,
            "BOM, CRLF, ids, event names, retry, comments, multiline data",
            _network_reads(_spec_mix_stream(scale), random.Random(4), 512, 16 * 1024),
            _limit.crlf_fields,
        )
    if name == "huge-line-drip":
        size = HUGE_LINE_SIZES["8MiB"]
        return Workload(
            name,
            "one 8 MiB data line fed in 64-byte reads",
            huge_line_chunks(size),
            _limit.data_lines,
        )
    raise ValueError(
        f"unknown workload {name!r}; choose from {', '.join(WORKLOAD_NAMES)}"
    )
