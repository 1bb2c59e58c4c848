"""mypy --strict sees the chunks' fields and the events, through the typed endpoint
records (exact types) and through names (unions).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from mypy import api as mypy_api

SNIPPET = """
from sse_core import iter_events
from sse_core.endpoints import (
    APPLICATIONS, CHAT, COMPLETIONS, GRAPHS_QUESTION, ChatCompletion, ChunkEvent,
    decode_bytes, decode_chunks, stream_events,
)

def body() -> list[bytes]:
    return []

for chunk in decode_chunks(CHAT, iter_events(body())):
    reveal_type(chunk)  # 1
    reveal_type(chunk.choices[0].delta.content)  # 2
    reveal_type(chunk.choices[0].index)  # 3
    reveal_type(chunk.choices[0].delta.tool_calls)  # 4
    reveal_type(chunk.usage)  # 5
    reveal_type(chunk.raw)  # 6
    bad: int = chunk.choices[0].delta.content  # error 1
    chunk.id = "x"  # error 2

for question in decode_bytes(GRAPHS_QUESTION, body()):
    reveal_type(question.sources)  # 7
for value in decode_bytes(COMPLETIONS, body()):
    reveal_type(value.value)  # 8

with stream_events(CHAT, body()) as stream:
    for event in stream:
        if event.type == "content.delta":
            reveal_type(event)  # 9
            reveal_type(event.choice_index)  # 10
    final: ChatCompletion = stream.final()
    reveal_type(final.choices[0].message.tool_calls)  # 11
    reveal_type(final.choices[0].message.tool_calls[0].function.parsed_arguments)  # 12

with stream_events(APPLICATIONS, body()) as applications:
    reveal_type(applications.final().stages[0].sources)  # 13
    first: ChunkEvent[str] = next(applications)  # error 3

# Names work too, with the union of every endpoint's events and chunks.
with stream_events("web_search", body()) as any_stream:
    for any_event in any_stream:
        if any_event.type == "content.delta":
            reveal_type(any_event.delta)  # 14
for any_chunk in decode_bytes("chat", body()):
    reveal_type(any_chunk)  # 15
"""

EXPECTED_TYPES = [
    "sse_core.endpoints._chunks.ChatCompletionChunk",
    "str | None",
    "int",
    "tuple[sse_core.endpoints._chunks.ToolCallDelta, ...] | None",
    "sse_core.endpoints._chunks.ChatCompletionUsage | None",
    "dict[str, Any]",
    "tuple[sse_core.endpoints._chunks.Source | None, ...] | None",
    "str | None",
    "sse_core.endpoints._events.ContentDeltaEvent",
    "int",
    "tuple[sse_core.endpoints._results.ToolCall, ...] | None",
    "Any",
    "tuple[str, ...] | None",
    "str",
    "sse_core.endpoints._chunks.CompletionChunk | sse_core.endpoints._chunks.ChatCompletionChunk | sse_core.endpoints._chunks.ApplicationChunk | sse_core.endpoints._chunks.QuestionChunk | sse_core.endpoints._chunks.WebSearchChunk",
]


def test_mypy_strict_sees_the_chunk_fields(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(textwrap.dedent(SNIPPET))
    out, err, _ = mypy_api.run(
        [
            "--strict",
            "--no-error-summary",
            "--hide-error-context",
            "--cache-dir",
            str(tmp_path / "cache"),
            # The snippet's own (unchecked) Optional indexing is beside the point.
            "--disable-error-code",
            "index",
            "--disable-error-code",
            "union-attr",
            str(snippet),
        ]
    )
    assert not err
    revealed = re.findall(r'Revealed type is "(.*)"', out)
    assert [t.replace("builtins.", "") for t in revealed] == EXPECTED_TYPES
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert len(errors) == 3, out
    assert 'expression has type "str | None", variable has type "int"' in errors[0]
    assert ":19: error: Incompatible types in assignment" in errors[1]  # chunk.id = ...
    assert "ChunkEvent[str]" in errors[2]
