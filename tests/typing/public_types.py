"""The public types, as a user's type checker sees them.

Checked, never run: CI runs ``mypy --strict`` and ``pyright`` (strict) on
this directory, so each ``assert_type`` fails the build if a public type
changes. Add a line here when you add or reshape a public API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Union

import httpx
from typing_extensions import assert_type

from sse_core import (
    Comment,
    EventStreamEncoder,
    EventStreamParser,
    Reconnector,
    ServerSentEvent,
    aiter_events,
    encode,
    encode_comment,
    iter_events,
)
from sse_core.endpoints import (
    APPLICATIONS,
    CHAT,
    COMPLETIONS,
    GRAPHS_QUESTION,
    WEB_SEARCH,
    ApplicationChunk,
    ApplicationOutput,
    ChatCompletion,
    ChatCompletionChunk,
    ChatStreamEvent,
    Chunk,
    ChunkEvent,
    CompletionChunk,
    ContentDeltaEvent,
    Question,
    QuestionChunk,
    StreamEvent,
    WebSearchChunk,
    WebSearchResponse,
    adecode_bytes,
    astream_events,
    decode_bytes,
    decode_chunks,
    stream_events,
)
from sse_core.transports.httpx import EventSource

BODY: list[bytes] = []


def parser_feed(parser: EventStreamParser) -> None:
    """The parser takes any bytes-like object and returns events."""
    assert_type(parser.feed(b"data: x\n\n"), list[ServerSentEvent])
    assert_type(parser.feed(bytearray(b"data: x\n\n")), list[ServerSentEvent])
    assert_type(parser.feed(memoryview(b"data: x\n\n")), list[ServerSentEvent])
    assert_type(parser.close(), list[ServerSentEvent])
    assert_type(parser.last_event_id, str)
    assert_type(parser.retry, Union[int, None])
    assert_type(parser.truncated, bool)
    event = parser.feed(b"")[0]
    assert_type(event.event, str)
    assert_type(event.data, str)
    assert_type(event.id, str)
    assert_type(event.retry, Union[int, None])


async def whole_streams(chunks: AsyncIterator[bytes]) -> None:
    """``iter_events`` / ``aiter_events`` and the encoder."""
    assert_type(iter_events(BODY), Iterator[ServerSentEvent])
    async for event in aiter_events(chunks):
        assert_type(event, ServerSentEvent)
    assert_type(encode("x", event="e", id="1", retry=10), bytes)
    assert_type(encode_comment("keep-alive"), bytes)
    assert_type(EventStreamEncoder().encode(ServerSentEvent(data="x")), bytes)
    assert_type(Reconnector().request_headers(), dict[str, str])


def comments_in_stream_order() -> None:
    """``comments=True`` widens the item type to events and comments."""
    ordered = EventStreamParser(comments=True)
    assert_type(ordered.feed(b": hi\n"), list[Union[ServerSentEvent, Comment]])
    for item in iter_events(BODY, comments=True):
        assert_type(item, Union[ServerSentEvent, Comment])
    assert_type(Reconnector(), Reconnector[ServerSentEvent])
    assert_type(
        Reconnector(comments=True), Reconnector[Union[ServerSentEvent, Comment]]
    )


def event_sources(client: httpx.Client) -> None:
    """An EventSource yields what its reconnector delivers."""
    url = "http://localhost:8000/stream"
    for event in EventSource(client, "GET", url):
        assert_type(event, ServerSentEvent)
    with_comments = Reconnector(comments=True)
    for item in EventSource(client, "GET", url, reconnector=with_comments):
        assert_type(item, Union[ServerSentEvent, Comment])


# Writer endpoints: the record tokens (COMPLETIONS, CHAT, APPLICATIONS,
# GRAPHS_QUESTION, WEB_SEARCH) give exact types; the plain names ("chat", ...)
# work too and give the union over every endpoint.


def chunk_type_per_endpoint() -> None:
    """Each endpoint record selects its chunk type; a name gives the union."""
    for completion in decode_bytes(COMPLETIONS, BODY):
        assert_type(completion, CompletionChunk)
    for chat in decode_bytes(CHAT, BODY):
        assert_type(chat, ChatCompletionChunk)
        assert_type(chat.choices[0].delta.content, Union[str, None])
    for application in decode_bytes(APPLICATIONS, BODY):
        assert_type(application, ApplicationChunk)
    for question in decode_bytes(GRAPHS_QUESTION, BODY):
        assert_type(question, QuestionChunk)
    for search in decode_bytes(WEB_SEARCH, BODY):
        assert_type(search, WebSearchChunk)
    for chunk in decode_chunks(CHAT, iter_events(BODY)):
        assert_type(chunk, ChatCompletionChunk)
    for any_chunk in decode_bytes("chat", BODY):
        assert_type(any_chunk, Chunk)


async def async_chunk_type(chunks: AsyncIterator[bytes]) -> None:
    async for chunk in adecode_bytes(CHAT, chunks):
        assert_type(chunk, ChatCompletionChunk)


def chat_event_union() -> None:
    """``stream_events(CHAT, ...)`` yields the chat helper events' union."""
    with stream_events(CHAT, BODY) as stream:
        for event in stream:
            assert_type(event, ChatStreamEvent)
            if isinstance(event, ContentDeltaEvent):
                assert_type(event.delta, str)
                assert_type(event.choice_index, int)
            elif isinstance(event, ChunkEvent):
                assert_type(event.chunk, ChatCompletionChunk)
    with stream_events("web_search", BODY) as by_name:
        for any_event in by_name:
            assert_type(any_event, StreamEvent)
            if any_event.type == "content.delta":
                assert_type(any_event.delta, str)


def final_per_endpoint() -> None:
    """``final()`` returns each endpoint's accumulated result."""
    with stream_events(CHAT, BODY) as chat:
        assert_type(chat.final(), ChatCompletion)
    with stream_events(COMPLETIONS, BODY) as completions:
        assert_type(completions.final(), str)
    with stream_events(APPLICATIONS, BODY) as applications:
        assert_type(applications.final(), ApplicationOutput)
    with stream_events(GRAPHS_QUESTION, BODY) as question:
        assert_type(question.final(), Question)
    with stream_events(WEB_SEARCH, BODY) as search:
        assert_type(search.final(), WebSearchResponse)


async def async_final(chunks: AsyncIterator[bytes]) -> None:
    async with astream_events(CHAT, chunks) as chat:
        async for event in chat:
            assert_type(event, ChatStreamEvent)
        assert_type(await chat.final(), ChatCompletion)
    async with astream_events(WEB_SEARCH, chunks) as search:
        assert_type(await search.final(), WebSearchResponse)
