"""sse_core.stainless inside the real writer-sdk and openai clients.

Each SDK test points a real client (sync or async) at a real HTTP server on
127.0.0.1 and streams through the SDK's public API, once with the SDK's own
decoder and once after ``install(client)``. On well-formed streams both must
give exactly the chunks the server sent. Where the SDK's decoder is wrong,
the test first shows the SDK failing without sse_core, then the right chunks
with it; such tests are named after the SDK behaviour they correct.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable

import openai
import pytest
import writerai

from sse_core import LimitExceededError, encode, encode_comment
from sse_core.stainless import (
    SDK_MAX_EVENT_SIZE,
    SDK_MAX_LINE_SIZE,
    SDKEvent,
    SSEDecoder,
    install,
)
from tests.sse_server import Pause, Response, SSEServer, Step

# -- what the server sends ------------------------------------------------------

# Multibyte characters (2, 3 and 4 bytes in UTF-8) and U+2028, which
# str.splitlines() would take for a line break, inside JSON strings.
PIECES = ["", "Hello", ", wö", "rld ", "👋", " ≠ ∅\u2028ok"]
TEXT = "".join(PIECES)
MESSAGES = [{"role": "user", "content": "Say hello"}]


def writer_chat_chunk(content: str | None, finish: str | None = None) -> dict[str, Any]:
    # The Writer dialect: every delta key present, with explicit nulls.
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "palmyra-x5",
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "delta": {
                    "content": content,
                    "role": "assistant",
                    "tool_calls": None,
                    "graph_data": {"sources": None, "status": None, "subqueries": None},
                    "llm_data": None,
                    "translation_data": None,
                },
                "logprobs": None,
            }
        ],
        "usage": None,
        "system_fingerprint": "v1",
        "service_tier": None,
    }


USAGE = {"completion_tokens": 6, "prompt_tokens": 3, "total_tokens": 9}

WRITER_CHAT = [
    *(writer_chat_chunk(piece) for piece in PIECES),
    writer_chat_chunk(None, "stop"),
    {**writer_chat_chunk(None), "choices": [], "usage": USAGE},
]

WRITER_COMPLETIONS = [{"value": piece} for piece in PIECES]


def openai_chat_chunk(
    delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    # The sparse OpenAI dialect: absent keys are omitted.
    return {
        "id": "chatcmpl-2",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "gpt-4o-mini",
        "choices": [
            {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        ],
    }


OPENAI_CHAT = [
    openai_chat_chunk({"role": "assistant", "content": ""}),
    *(openai_chat_chunk({"content": piece}) for piece in PIECES[1:]),
    openai_chat_chunk({}, "stop"),
    {**openai_chat_chunk({}), "choices": [], "usage": USAGE},
]

OPENAI_COMPLETIONS = [
    {
        "id": "cmpl-3",
        "object": "text_completion",
        "created": 1700000000,
        "model": "gpt-3.5-turbo-instruct",
        "choices": [
            {"index": 0, "text": piece, "logprobs": None, "finish_reason": None}
        ],
    }
    for piece in PIECES
]


def data(payload: object) -> bytes:
    """One event whose data is ``payload`` as JSON, raw UTF-8 on the wire."""
    return encode(json.dumps(payload, ensure_ascii=False))


DONE = encode("[DONE]")
KEEP_ALIVE = encode_comment("keep-alive")


def well_formed(payloads: list[Any], *, done: bool, eol: bytes) -> bytes:
    """A stream of ``payloads`` with keep-alive comments, lines ending in ``eol``."""
    body = b"".join(data(payload) + KEEP_ALIVE for payload in payloads)
    if done:
        body += DONE
    return body.replace(b"\n", eol)


# -- how the server writes it ---------------------------------------------------


def one_write(body: bytes) -> list[Step]:
    return [body]


def byte_by_byte(body: bytes) -> list[Step]:
    return [body[i : i + 1] for i in range(len(body))]


def awkward_splits(body: bytes) -> list[Step]:
    """Cut between every CR and LF, and inside every multibyte character."""
    cuts = [
        i
        for i in range(1, len(body))
        if (body[i - 1] == 13 and body[i] == 10) or 0x80 <= body[i] <= 0xBF
    ]
    bounds = [0, *cuts, len(body)]
    return [body[start:end] for start, end in zip(bounds, bounds[1:])]


def test_awkward_splits_cut_inside_crlf_and_characters() -> None:
    body = "data: ö€👋\r\n\r\n".encode()
    assert awkward_splits(body) == [
        b"data: \xc3",
        b"\xb6\xe2",
        b"\x82",
        b"\xac\xf0",
        b"\x9f",
        b"\x91",
        b"\x8b\r",
        b"\n\r",
        b"\n",
    ]


def trickle(body: bytes) -> list[Step]:
    """Odd-sized pieces with a pause before each: a slow server."""
    steps: list[Step] = []
    for start in range(0, len(body), 97):
        steps += [Pause(0.002), body[start : start + 97]]
    return steps


# -- the SDKs -----------------------------------------------------------------------

CLIENTS: dict[tuple[str, str], Callable[..., Any]] = {
    ("writer", "sync"): writerai.Writer,
    ("writer", "async"): writerai.AsyncWriter,
    ("openai", "sync"): openai.OpenAI,
    ("openai", "async"): openai.AsyncOpenAI,
}


def new_client(sdk: str, mode: str, server: SSEServer, *, ours: bool) -> Any:
    # Writer's paths start with /v1, OpenAI's base URL ends with it.
    base_url = server.base_url if sdk == "writer" else server.base_url + "/v1"
    client = CLIENTS[sdk, mode](api_key="test-key", base_url=base_url, max_retries=0)
    return install(client) if ours else client


@dataclass(frozen=True)
class Endpoint:
    """A streaming method of an SDK and a well-formed reply to it."""

    sdk: str
    name: str
    call: Callable[[Any], Any]  # client -> Stream, or awaitable AsyncStream
    payloads: list[dict[str, Any]]
    done: bool  # whether the reply ends with [DONE]
    path: str


ENDPOINTS = [
    Endpoint(
        "writer",
        "chat.chat",
        lambda c: c.chat.chat(model="palmyra-x5", messages=MESSAGES, stream=True),
        WRITER_CHAT,
        True,
        "/v1/chat",
    ),
    Endpoint(
        "writer",
        "completions.create",
        lambda c: c.completions.create(model="palmyra-x5", prompt="Hi", stream=True),
        WRITER_COMPLETIONS,
        False,  # the Writer docs show completion streams without [DONE]
        "/v1/completions",
    ),
    Endpoint(
        "openai",
        "chat.completions.create",
        lambda c: c.chat.completions.create(
            model="gpt-4o-mini", messages=MESSAGES, stream=True
        ),
        OPENAI_CHAT,
        True,
        "/v1/chat/completions",
    ),
    Endpoint(
        "openai",
        "completions.create",
        lambda c: c.completions.create(
            model="gpt-3.5-turbo-instruct", prompt="Hi", stream=True
        ),
        OPENAI_COMPLETIONS,
        True,
        "/v1/completions",
    ),
]
CHAT = {endpoint.sdk: endpoint for endpoint in ENDPOINTS if "chat" in endpoint.name}


def dump(chunk: Any) -> Any:
    return chunk.to_dict()


def collect(mode: str, client: Any, call: Callable[[Any], Any]) -> list[Any]:
    """Stream one call to its end; return each chunk as a dict."""
    if mode == "sync":
        with client:
            return [dump(chunk) for chunk in call(client)]

    async def main() -> list[Any]:
        async with client:
            stream = await call(client)
            return [dump(chunk) async for chunk in stream]

    return asyncio.run(main())


Serve = Callable[[list[Step]], SSEServer]


@pytest.fixture(scope="module")
def server() -> Iterator[SSEServer]:
    # One server for the module: stopping one waits for its 0.5 s poll.
    with SSEServer(lambda request: Response()) as server:
        yield server


@pytest.fixture
def serve(server: SSEServer) -> Serve:
    """Make the server answer every request with ``steps``; return it."""

    def serve(steps: list[Step]) -> SSEServer:
        server.handler = lambda request: Response(steps=steps)
        server.requests.clear()
        return server

    return serve


def stream_both(
    serve: Serve, sdk: str, mode: str, steps: list[Step], call: Callable[[Any], Any]
) -> tuple[list[Any], list[Any]]:
    """The chunks with the SDK's decoder, then with sse_core's."""
    server = serve(steps)
    theirs = collect(mode, new_client(sdk, mode, server, ours=False), call)
    ours = collect(mode, new_client(sdk, mode, server, ours=True), call)
    return theirs, ours


MODES = ["sync", "async"]
WRITES = [
    pytest.param(one_write, b"\n", id="one-write-LF"),
    pytest.param(byte_by_byte, b"\r", id="byte-by-byte-CR"),
    pytest.param(awkward_splits, b"\r\n", id="split-in-CRLF-and-characters"),
    pytest.param(trickle, b"\r\n", id="slow-trickle-CRLF"),
]


# -- well-formed streams: the same chunks as the SDK's decoder --------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("write", "eol"), WRITES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.sdk}-{e.name}")
def test_well_formed_stream_gives_the_sdks_chunks(
    serve: Serve,
    endpoint: Endpoint,
    write: Callable[[bytes], list[Step]],
    eol: bytes,
    mode: str,
) -> None:
    body = well_formed(endpoint.payloads, done=endpoint.done, eol=eol)
    server = serve(write(body))
    theirs = collect(
        mode, new_client(endpoint.sdk, mode, server, ours=False), endpoint.call
    )
    ours = collect(
        mode, new_client(endpoint.sdk, mode, server, ours=True), endpoint.call
    )
    paths = [request.path for request in server.requests]
    assert ours == theirs == endpoint.payloads
    assert paths == [endpoint.path] * 2


@dataclass(frozen=True)
class Helper:
    """An SDK's chat streaming helper (a context manager of typed events)."""

    sdk: str
    open: Callable[[Any], Any]


HELPERS = [
    Helper("writer", lambda c: c.chat.stream(model="palmyra-x5", messages=MESSAGES)),
    Helper(
        "openai",
        lambda c: c.chat.completions.stream(model="gpt-4o-mini", messages=MESSAGES),
    ),
]


def collect_helper(mode: str, client: Any, helper: Helper) -> tuple[list[Any], Any]:
    """The helper's events as dicts, and its final completion."""
    if mode == "sync":
        with client, helper.open(client) as stream:
            events = [event.to_dict() for event in stream]
            return events, stream.get_final_completion()

    async def main() -> tuple[list[Any], Any]:
        async with client, helper.open(client) as stream:
            events = [event.to_dict() async for event in stream]
            return events, await stream.get_final_completion()

    return asyncio.run(main())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("write", "eol"), WRITES[1:3])
@pytest.mark.parametrize("helper", HELPERS, ids=lambda h: f"{h.sdk}-chat-stream")
def test_chat_streaming_helper_gives_the_sdks_events(
    serve: Serve,
    helper: Helper,
    write: Callable[[bytes], list[Step]],
    eol: bytes,
    mode: str,
) -> None:
    body = well_formed(CHAT[helper.sdk].payloads, done=True, eol=eol)
    server = serve(write(body))
    client = new_client(helper.sdk, mode, server, ours=False)
    their_events, their_final = collect_helper(mode, client, helper)
    client = new_client(helper.sdk, mode, server, ours=True)
    our_events, our_final = collect_helper(mode, client, helper)
    sent = server.requests
    assert our_events == their_events
    chunks = [e for e in our_events if e["type"] == "chunk"]
    assert [e["chunk"] for e in chunks] == CHAT[helper.sdk].payloads
    deltas = [e["delta"] for e in our_events if e["type"] == "content.delta"]
    assert "".join(deltas) == TEXT
    assert our_final.to_dict() == their_final.to_dict()
    assert our_final.choices[0].message.content == TEXT
    assert our_final.choices[0].finish_reason == "stop"
    assert [r.headers["x-stainless-helper-method"] for r in sent] == [
        "chat.completions.stream" if helper.sdk == "openai" else "chat.stream"
    ] * 2


# -- where the SDKs' decoder is wrong -------------------------------------------------

FIRST, SECOND = 0, 1


def payloads(sdk: str) -> list[dict[str, Any]]:
    return CHAT[sdk].payloads[FIRST : SECOND + 1]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sdk", ["writer", "openai"])
def test_leading_bom_no_longer_loses_the_first_chunk(
    serve: Serve, sdk: str, mode: str
) -> None:
    first, second = payloads(sdk)
    # 9.2.5: one leading U+FEFF is skipped; here it also arrives split.
    steps: list[Step] = [b"\xef", b"\xbb", b"\xbf" + data(first), data(second), DONE]
    theirs, ours = stream_both(serve, sdk, mode, steps, CHAT[sdk].call)
    assert theirs == [second]
    assert ours == [first, second]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sdk", ["writer", "openai"])
def test_keep_alive_after_an_id_no_longer_raises_json_decode_error(
    serve: Serve, sdk: str, mode: str
) -> None:
    # The SDKs never clear their last event ID, so every blank line after an
    # id dispatches an empty event, and json.loads("") fails.
    first, second = payloads(sdk)
    steps: list[Step] = [b"id: 1\n" + data(first), KEEP_ALIVE, data(second), DONE]
    server = serve(steps)
    with pytest.raises(json.JSONDecodeError):
        collect(mode, new_client(sdk, mode, server, ours=False), CHAT[sdk].call)
    ours = collect(mode, new_client(sdk, mode, server, ours=True), CHAT[sdk].call)
    assert ours == [first, second]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sdk", ["writer", "openai"])
def test_retry_only_block_no_longer_raises_json_decode_error(
    serve: Serve, sdk: str, mode: str
) -> None:
    # 9.2.6: a block without data dispatches nothing; the SDKs dispatch an
    # empty event for a lone retry field.
    first, second = payloads(sdk)
    steps: list[Step] = [encode(retry=3000), data(first), data(second), DONE]
    server = serve(steps)
    with pytest.raises(json.JSONDecodeError):
        collect(mode, new_client(sdk, mode, server, ours=False), CHAT[sdk].call)
    ours = collect(mode, new_client(sdk, mode, server, ours=True), CHAT[sdk].call)
    assert ours == [first, second]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sdk", ["writer", "openai"])
def test_invalid_utf8_no_longer_raises_unicode_decode_error(
    serve: Serve, sdk: str, mode: str
) -> None:
    first, second = payloads(sdk)
    # The first piece's content becomes "H\xffi": one byte that is never UTF-8.
    corrupt = data(first).replace(b'"content": ""', b'"content": "H\xffi"')
    assert corrupt != data(first)
    steps: list[Step] = [corrupt, data(second), DONE]
    server = serve(steps)
    with pytest.raises(UnicodeDecodeError):
        collect(mode, new_client(sdk, mode, server, ours=False), CHAT[sdk].call)
    ours = collect(mode, new_client(sdk, mode, server, ours=True), CHAT[sdk].call)
    # 9.2.5: decoded with replacement, as a browser does.
    repaired = copy.deepcopy(first)
    repaired["choices"][0]["delta"]["content"] = "H\ufffdi"
    assert ours == [repaired, second]


@pytest.mark.parametrize("mode", MODES)
def test_writer_sdk_no_longer_drops_explicit_event_message(
    serve: Serve, mode: str
) -> None:
    # 9.2.6: "event: message" is the default type, the same as no event field.
    # Writer's Stream keeps only events whose name is None.
    first, second = payloads("writer")
    steps: list[Step] = [b"event: message\n" + data(first), data(second), DONE]
    theirs, ours = stream_both(serve, "writer", mode, steps, CHAT["writer"].call)
    assert theirs == [second]
    assert ours == [first, second]


@pytest.mark.parametrize("mode", MODES)
def test_writer_sdk_no_longer_splits_a_crlf_across_reads_after_a_lone_cr(
    serve: Serve,
    mode: str,
) -> None:
    # "data: ...\r" then "\r\n" is a line, then a blank line. Writer's
    # _iter_chunks emits a block at the first "\r\r", so the "\n" of the CRLF
    # starts the next block as one more blank line: after an id, an empty event.
    first, second = payloads("writer")
    steps: list[Step] = [
        b"id: 7\r" + data(first).replace(b"\n", b"\r"),
        b"\n" + data(second),
        DONE,
    ]
    server = serve(steps)
    with pytest.raises(json.JSONDecodeError):
        collect(
            mode,
            new_client("writer", mode, server, ours=False),
            CHAT["writer"].call,
        )
    ours = collect(
        mode, new_client("writer", mode, server, ours=True), CHAT["writer"].call
    )
    assert ours == [first, second]


@pytest.mark.parametrize("mode", MODES)
def test_openai_sdk_no_longer_parses_a_named_event_without_data(
    serve: Serve, mode: str
) -> None:
    # 9.2.6: a block without data dispatches nothing. OpenAI's Stream parses the
    # data of every event, whatever its name, and json.loads("") fails.
    first, second = payloads("openai")
    steps: list[Step] = [
        encode(event="ping", data=None),
        data(first),
        data(second),
        DONE,
    ]
    assert steps[0] == b"event: ping\n\n"
    server = serve(steps)
    with pytest.raises(json.JSONDecodeError):
        collect(
            mode,
            new_client("openai", mode, server, ours=False),
            CHAT["openai"].call,
        )
    ours = collect(
        mode, new_client("openai", mode, server, ours=True), CHAT["openai"].call
    )
    assert ours == [first, second]


# -- the SDKs' own stream rules still apply -------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sdk", ["writer", "openai"])
def test_done_still_ends_the_stream(serve: Serve, sdk: str, mode: str) -> None:
    first, second = payloads(sdk)
    steps: list[Step] = [data(first), DONE, data(second), DONE]
    theirs, ours = stream_both(serve, sdk, mode, steps, CHAT[sdk].call)
    assert ours == theirs == [first]


def raised(mode: str, client: Any, call: Callable[[Any], Any]) -> Exception:
    with pytest.raises(Exception) as info:
        collect(mode, client, call)
    assert isinstance(info.value, Exception)
    return info.value


@pytest.mark.parametrize("mode", MODES)
def test_writer_error_event_still_raises_api_status_error(
    serve: Serve, mode: str
) -> None:
    first, _ = payloads("writer")
    body = {"errors": [{"description": "Model overloaded", "key": "fail.overloaded"}]}
    steps: list[Step] = [data(first), encode(json.dumps(body), event="error"), DONE]
    call = CHAT["writer"].call
    server = serve(steps)
    theirs = raised(mode, new_client("writer", mode, server, ours=False), call)
    ours = raised(mode, new_client("writer", mode, server, ours=True), call)
    assert type(ours) is type(theirs) is writerai.APIStatusError
    assert isinstance(ours, writerai.APIStatusError)
    assert isinstance(theirs, writerai.APIStatusError)
    assert ours.status_code == theirs.status_code == 200
    assert ours.body == theirs.body == body
    assert ours.message == theirs.message == str(body)


@pytest.mark.parametrize("mode", MODES)
def test_openai_error_data_still_raises_api_error(serve: Serve, mode: str) -> None:
    first, _ = payloads("openai")
    error = {"message": "Rate limit reached", "type": "requests", "code": None}
    steps: list[Step] = [data(first), data({"error": error}), DONE]
    call = CHAT["openai"].call
    server = serve(steps)
    theirs = raised(mode, new_client("openai", mode, server, ours=False), call)
    ours = raised(mode, new_client("openai", mode, server, ours=True), call)
    assert type(ours) is type(theirs) is openai.APIError
    assert isinstance(ours, openai.APIError)
    assert isinstance(theirs, openai.APIError)
    assert ours.message == theirs.message == "Rate limit reached"
    assert ours.body == theirs.body == error


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sdk", ["writer", "openai"])
def test_bounds_are_enforced_inside_the_sdk(serve: Serve, sdk: str, mode: str) -> None:
    first, second = payloads(sdk)
    steps: list[Step] = [data(first), data({"big": "x" * 5000}), data(second), DONE]
    server = serve(steps)
    client = install(new_client(sdk, mode, server, ours=False), max_event_size=4096)
    error = raised(mode, client, CHAT[sdk].call)
    assert isinstance(error, LimitExceededError)
    assert error.limit == "max_event_size"


# -- install(): every path of a client, and its copies ---------------------------------

BOM_STEPS: dict[str, list[Step]] = {
    sdk: [b"\xef\xbb\xbf" + data(payloads(sdk)[FIRST]), DONE] for sdk in CHAT
}


def bom_corrected(sdk: str, mode: str, client: Any, call: Callable[[Any], Any]) -> bool:
    """Whether ``call`` on ``client`` streamed with sse_core (the SDK loses it)."""
    return collect(mode, client, call) == [payloads(sdk)[FIRST]]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sdk", ["writer", "openai"])
def test_copies_of_an_installed_client_keep_the_decoder(
    serve: Serve, sdk: str, mode: str
) -> None:
    call = CHAT[sdk].call
    make_copies: list[Callable[[Any], Any]] = [
        lambda client: client.copy(),
        lambda client: client.with_options(timeout=30),
        lambda client: client.with_options(max_retries=1).copy(
            default_headers={"X-A": "b"}
        ),
    ]
    server = serve(BOM_STEPS[sdk])
    plain = new_client(sdk, mode, server, ours=False)
    assert not bom_corrected(sdk, mode, plain, call)
    # A copy shares its parent's HTTP client, which collect() closes: one
    # parent per copy.
    assert [
        bom_corrected(
            sdk, mode, make_copy(new_client(sdk, mode, server, ours=True)), call
        )
        for make_copy in make_copies
    ] == [True] * 3
    assert server.requests[-1].headers["x-a"] == "b"


def with_raw_response(sdk: str, mode: str) -> Callable[[Any], Any]:
    # client.with_raw_response.<resource>.<method>(...).parse() -> Stream
    def call(client: Any) -> Any:
        raw = client.with_raw_response
        create = raw.chat.chat if sdk == "writer" else raw.chat.completions.create
        kwargs: dict[str, Any] = {"messages": MESSAGES, "stream": True, "model": "m"}
        if mode == "sync":
            return create(**kwargs).parse()

        async def parse() -> Any:
            # openai's raw responses are "legacy": parse() is sync even here.
            stream = (await create(**kwargs)).parse()
            return await stream if inspect.isawaitable(stream) else stream

        return parse()

    return call


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sdk", ["writer", "openai"])
def test_raw_response_path_uses_the_decoder(serve: Serve, sdk: str, mode: str) -> None:
    server = serve(BOM_STEPS[sdk])
    call = with_raw_response(sdk, mode)
    assert not bom_corrected(sdk, mode, new_client(sdk, mode, server, ours=False), call)
    assert bom_corrected(sdk, mode, new_client(sdk, mode, server, ours=True), call)


def collect_streaming_response(sdk: str, mode: str, client: Any) -> list[Any]:
    # <resource>.with_streaming_response.<method>(...) as response: response.parse()
    resource = client.chat if sdk == "writer" else client.chat.completions
    method = "chat" if sdk == "writer" else "create"
    create = getattr(resource.with_streaming_response, method)
    kwargs: dict[str, Any] = {"messages": MESSAGES, "stream": True, "model": "m"}
    if mode == "sync":
        with client, create(**kwargs) as response:
            return [dump(chunk) for chunk in response.parse()]

    async def main() -> list[Any]:
        async with client, create(**kwargs) as response:
            return [dump(chunk) async for chunk in await response.parse()]

    return asyncio.run(main())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sdk", ["writer", "openai"])
def test_streaming_response_path_uses_the_decoder(
    serve: Serve, sdk: str, mode: str
) -> None:
    first = payloads(sdk)[FIRST]
    server = serve(BOM_STEPS[sdk])
    theirs = collect_streaming_response(
        sdk, mode, new_client(sdk, mode, server, ours=False)
    )
    ours = collect_streaming_response(
        sdk, mode, new_client(sdk, mode, server, ours=True)
    )
    assert theirs == []
    assert ours == [first]


class SSECoreWriter(writerai.Writer):
    """The subclass recipe from the README."""

    def _make_sse_decoder(self) -> SSEDecoder:  # type: ignore[override]
        return SSEDecoder()


def test_subclass_recipe_uses_the_decoder_and_survives_copy(serve: Serve) -> None:
    server = serve(BOM_STEPS["writer"])
    for make in (SSECoreWriter, lambda **kw: SSECoreWriter(**kw).with_options()):
        client = make(api_key="test-key", base_url=server.base_url, max_retries=0)
        assert type(client) is SSECoreWriter
        assert bom_corrected("writer", "sync", client, CHAT["writer"].call)


def test_install_returns_the_client_and_can_be_repeated() -> None:
    client = writerai.Writer(api_key="test-key")
    assert install(client) is client
    assert type(client) is writerai.Writer
    assert isinstance(client._make_sse_decoder(), SSEDecoder)
    assert install(client, max_line_size=1024) is client
    assert repr(client._make_sse_decoder()).startswith("SSEDecoder(max_line_size=1024,")
    # The copy wrappers are rebuilt from the class, not stacked.
    assert client.copy.__wrapped__ is writerai.Writer.copy
    assert isinstance(client.copy()._make_sse_decoder(), SSEDecoder)


def test_install_rejects_what_is_not_an_sse_client() -> None:
    with pytest.raises(TypeError, match="no _make_sse_decoder"):
        install(object())

    class AWSEventStreamDecoder:  # what anthropic's Bedrock client returns
        pass

    class BedrockLike(writerai.Writer):
        def _make_sse_decoder(self) -> Any:
            return AWSEventStreamDecoder()

    with pytest.raises(TypeError, match="AWSEventStreamDecoder"):
        install(BedrockLike(api_key="test-key"))


def test_install_rejects_bad_bounds_at_once() -> None:
    client = openai.OpenAI(api_key="test-key")
    with pytest.raises(ValueError, match="max_event_size"):
        install(client, max_event_size=0)
    assert "_make_sse_decoder" not in vars(client)


# -- the decoder on its own ----------------------------------------------------------

STREAM = (
    b"\xef\xbb\xbfdata: 1\r\n\r\n"
    b"event: message\ndata: 2\n\n"
    b"event:\ndata: 3\n\n"
    b'id: 9\nevent: update\nretry: 250\ndata: {"a": [1]}\n\n'
    b"id\ndata: 5\n\n"
    b"data: unterminated"
)
EXPECTED = [
    SDKEvent(None, "1", None, None, ("data: 1",)),
    # openai and anthropic (the default) see an explicit ``event: message``.
    SDKEvent("message", "2", None, None, ("event: message", "data: 2")),
    SDKEvent(None, "3", None, None, ("event:", "data: 3")),
    SDKEvent(
        "update",
        '{"a": [1]}',
        "9",
        250,
        ("id: 9", "event: update", "retry: 250", 'data: {"a": [1]}'),
    ),
    SDKEvent(None, "5", None, None, ("id", "data: 5")),
]
# writer-sdk yields chunks only for unnamed events: the default type is None.
EXPECTED_WRITER = [
    event._replace(event=None) if event.event == "message" else event
    for event in EXPECTED
]


def test_the_default_type_is_none_for_writer_sdk_named_for_the_others() -> None:
    writer = SSEDecoder(explicit_message=False)
    assert list(writer.iter_bytes([STREAM])) == EXPECTED_WRITER
    assert list(SSEDecoder().iter_bytes([STREAM])) == EXPECTED


def test_raw_keeps_comments_and_unknown_fields_in_order() -> None:
    stream = b"retry: 1500\r\n: keep-alive\rid: 42\nfoo:bar\ndata:x\n\n: alone\n\n"
    (event,) = SSEDecoder().iter_bytes([stream[i : i + 1] for i in range(len(stream))])
    assert event.raw == ("retry: 1500", ": keep-alive", "id: 42", "foo:bar", "data:x")
    # anthropic's refusal fallback passes an event through as its raw lines.
    assert list(SSEDecoder().iter_bytes(["\n".join(event.raw).encode() + b"\n\n"])) == [
        event
    ]


def test_a_block_without_data_is_not_dispatched_and_leaves_no_raw_lines() -> None:
    # 9.2.6 "dispatch the event" step 2: the SDKs' decoders dispatch it.
    events = list(SSEDecoder().iter_bytes([b"event: ping\n\ndata: a\n\n"]))
    assert events == [SDKEvent(None, "a", raw=("data: a",))]


def test_iter_bytes_yields_sdk_shaped_events_from_any_byte_chunks() -> None:
    pieces = [STREAM[i : i + 3] for i in range(0, len(STREAM), 3)]
    mixed: list[bytes | bytearray | memoryview] = [
        bytearray(piece) if i % 3 == 0 else memoryview(piece) if i % 3 == 1 else piece
        for i, piece in enumerate(pieces)
    ]
    decoder = SSEDecoder()
    assert list(decoder.iter_bytes(iter(pieces))) == EXPECTED
    assert list(decoder.iter_bytes(mixed)) == EXPECTED  # any iterable


def test_each_stream_starts_afresh() -> None:
    # The SDKs build one decoder per response, but one decoder may serve many:
    # neither the id nor the cut event of a stream leaks into the next.
    decoder = SSEDecoder()
    first = list(decoder.iter_bytes([b"id: 9\ndata: a\n\ndata: cut"]))
    assert first == [SDKEvent(data="a", id="9", raw=("id: 9", "data: a"))]
    second = list(decoder.iter_bytes([b"data: x\n\n"]))
    assert second == [SDKEvent(data="x", raw=("data: x",))]


def test_importing_the_module_imports_no_sdk() -> None:
    code = (
        "import sys, sse_core.stainless; "
        "print(sorted({'openai', 'writerai', 'anthropic', 'httpx'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_aiter_bytes_yields_the_same_events() -> None:
    async def chunks() -> Any:
        for i in range(len(STREAM)):
            yield STREAM[i : i + 1]

    async def main() -> list[SDKEvent]:
        return [event async for event in SSEDecoder().aiter_bytes(chunks())]

    assert asyncio.run(main()) == EXPECTED


def test_sdk_event_has_the_sdk_event_interface() -> None:
    event = EXPECTED[3]
    assert (event.event, event.data, event.id, event.retry) == (
        "update",
        '{"a": [1]}',
        "9",
        250,
    )
    assert event.json() == {"a": [1]}
    assert repr(event).startswith(
        "SDKEvent(event='update', data='{\"a\": [1]}', id='9', retry=250, raw=("
    )
    with pytest.raises(json.JSONDecodeError):
        SDKEvent(data="").json()


def test_install_reports_event_names_as_each_sdk_expects() -> None:
    import anthropic
    import openai
    import writerai

    stream = [b"event: message\ndata: {}\n\n"]
    clients = {
        writerai.Writer(api_key="x"): None,
        openai.OpenAI(api_key="x"): "message",
        anthropic.Anthropic(api_key="x"): "message",
    }
    for client, name in clients.items():
        decoder = install(client)._make_sse_decoder()
        assert [event.event for event in decoder.iter_bytes(stream)] == [name]
        # The bounds pass openai's 64 MiB + 1 byte event.
        assert repr(decoder).startswith(
            f"SSEDecoder(max_line_size={SDK_MAX_LINE_SIZE}, "
            f"max_event_size={SDK_MAX_EVENT_SIZE}, "
        )
        assert SDK_MAX_EVENT_SIZE > 64 * 1024 * 1024 + 1
