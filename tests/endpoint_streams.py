"""The recorded-style endpoint streams in ``tests/data/streams`` and how to read them.

Each file is an event stream as a Writer endpoint sends it, built from the
shapes recorded in ``writer-streams.md`` (writer-sdk 3.0.0 models, the
palmyra-x-004 chunks in writer-framework's tests, writer-python's sparse
stream, the docs' samples):

=================================  ===============  =======================================
file                               endpoint         what it exercises
=================================  ===============  =======================================
completions.sse                    completions      leading ``""``, no ``[DONE]``, keep-alive,
                                                    emoji, CJK
chat_writer.sse                    chat             Writer dialect (explicit nulls, new id and
                                                    role on every chunk, graph_data nulls,
                                                    ``system_fingerprint: "v1"``), U+2028,
                                                    U+2029, usage on the last chunk
chat_sparse.sse                    chat             sparse dialect, CRLF, ``delta: {}`` with
                                                    finish_reason, usage-only ``choices: []``
chat_writer_tool_calls.sse         chat             Writer tool calls in tiny fragments,
                                                    ``type: null`` continuations, content
                                                    between calls, finish on the last fragment
chat_sparse_tool_calls.sse         chat             sparse tool calls (the SDK helper works)
chat_n2.sse                        chat             n=2 interleaved, choice 1 stops on length
chat_n2_first_index_1.sse          chat             n=2, the first chunk is choice 1
chat_refusal.sse                   chat             streamed refusal
chat_logprobs.sse                  chat             logprobs per token
chat_graph_data.sse                chat             graph_data processing -> finished, sources
                                                    with a null entry, subqueries
chat_writer_usage_then_null.sse    chat             usage, then a chunk with ``usage: null``
applications.sse                   applications     JSON spread over several ``data:`` lines,
                                                    title, stages by id with sources
graphs_question.sse                graphs.question  flat Question chunks, ``event: ping``,
                                                    retry-only block, references
graphs_question_wrapped.sse        graphs.question  ``{"data": {...}}`` chunks, no ``[DONE]``
web_search.sse                     web_search       partial responses: query, sources, answer
=================================  ===============  =======================================
"""

from __future__ import annotations

from pathlib import Path

STREAMS = Path(__file__).resolve().parent / "data" / "streams"


def endpoint_of(name: str) -> str:
    """The endpoint a stream file belongs to, from its name."""
    for prefix, endpoint in (
        ("completions", "completions"),
        ("chat", "chat"),
        ("applications", "applications"),
        ("graphs_question", "graphs.question"),
        ("web_search", "web_search"),
    ):
        if name.startswith(prefix):
            return endpoint
    raise ValueError(name)


def stream_names() -> list[str]:
    """Every stream file, sorted."""
    return sorted(path.name for path in STREAMS.glob("*.sse"))


def read(name: str) -> bytes:
    """A stream file's bytes."""
    return (STREAMS / name).read_bytes()
