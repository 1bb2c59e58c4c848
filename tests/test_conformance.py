"""Conformance suite: public test material for event stream parsers, replayed here.

Every case is a byte stream (as its source delivers it, chunk by chunk) and the
exact events, last event ID, reconnection time and comments the HTML Standard
(9.2.5 "Parsing an event stream", 9.2.6 "Interpreting an event stream") gives
for it. Each case runs under six feeding strategies (see ``STRATEGIES``): one
feed, the source's own chunks, one byte at a time, every two-piece split, a
few three-piece splits with empty pieces, and ``iter_events``.

Sources, one section each below:

* web-platform-tests ``eventsource/`` (the browsers' shared suite): the
  ``format-*`` tests, ``event-data``, and the parser rules implied by the
  reconnection tests. The bytes are rebuilt from the server scripts the tests
  call (``resources/message.py`` and friends), not from the tests' titles.
* the WHATWG HTML Standard, section 9.2: the example streams of 9.2.1 and
  9.2.6, the comment keep-alive of 9.2.7, and one case per rule the examples
  leave implicit.
* the test suite of the JavaScript parser ``eventsource-parser``.
* the tests of .NET's ``System.Net.ServerSentEvents.SseParser``.
* Chromium's Blink ``EventSourceParser`` unit tests.

Only facts (input bytes, expected events) are taken over. Where another
implementation expects something the standard's algorithm does not give, the
case asserts the standard's answer and a comment names the disagreement.

Out of scope: web-platform-tests files that test networking or the DOM API,
not parsing (one line each):

* ``eventsource-close`` (its ``readyState`` checks; the bodies of its
  reconnection test are kept), ``eventsource-onopen``,
  ``eventsource-readyState``: the ``EventSource`` object's states.
* ``eventsource-constructor-*`` (``url-bogus``, ``empty-url``,
  ``non-same-origin``, ``document-domain``, ``stringify``,
  ``url-multi-window``): URL resolution in the constructor.
* ``eventsource-url``, ``eventsource-prototype``, ``eventsource-eventtarget``
  (beyond its default stream), ``eventsource-onmessage-trusted``,
  ``eventsource-onmessage-realm``, ``interfaces``: the DOM interface.
* ``eventsource-cross-origin``: CORS checks (``withCredentials``, origins).
* ``eventsource-cross-origin-preflight``: the CORS preflight for an unsafe
  ``Last-Event-ID`` header (its id handling is kept below).
* ``eventsource-request-cancellation``, ``eventsource-bfcache``: fetch
  cancellation and the back/forward cache.
* ``format-mime-bogus``, ``format-mime-trailing-semicolon``,
  ``format-mime-valid-bogus``: ``Content-Type`` checks before parsing.
* ``request-accept``, ``request-cache-control``, ``request-credentials``,
  ``request-redirect``, ``request-status-error``: request headers, redirects
  and HTTP status handling.
* ``eventsource-reconnect`` and ``eventsource-close`` (timing, and the 204
  that ends a source), ``format-field-retry`` and ``format-field-retry-bogus``
  (their 25 % timing window): the reconnection itself; the ``retry`` values
  and bodies they imply are kept below.
* ``dedicated-worker/`` and ``shared-worker/``: the same tests run in workers.
* ``eventsource-from-readable-stream``: the API surface (``url``,
  ``withCredentials``, locked streams, error events); its streams are kept.

Also left out: Blink's ``StopWhileParsing`` (a ``Stop()`` API this parser does
not have) and the .NET tests of item-parser delegates, cancellation and
enumeration (API, not parsing); their streams add no new rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import pytest

from sse_core import EventStreamParser, ServerSentEvent, iter_events

# -- case model ---------------------------------------------------------------


def sse(
    data: str, *, event: str = "message", id: str = "", retry: int | None = None
) -> ServerSentEvent:
    """The event the standard dispatches, every field spelled out."""
    return ServerSentEvent(event=event, data=data, id=id, retry=retry)


@dataclass(frozen=True)
class Connection:
    """One response body: its chunks as the source writes them, and its events."""

    chunks: tuple[bytes, ...]
    events: tuple[ServerSentEvent, ...]
    truncated: bool = False

    @property
    def stream(self) -> bytes:
        return b"".join(self.chunks)


@dataclass(frozen=True)
class Case:
    """A stream (or a series of reconnections) and the state it must leave."""

    id: str
    connections: tuple[Connection, ...]
    last_event_id: str = ""
    retry: int | None = None
    # None: the source says nothing about comments, so they are not checked.
    comments: tuple[str, ...] | None = None
    initial_last_event_id: str = ""


def _chunks(body: bytes | Sequence[bytes]) -> tuple[bytes, ...]:
    return (body,) if isinstance(body, bytes) else tuple(body)


def case(
    case_id: str,
    body: bytes | Sequence[bytes],
    events: Sequence[ServerSentEvent],
    *,
    truncated: bool = False,
    last_event_id: str = "",
    retry: int | None = None,
    comments: Sequence[str] | None = None,
    initial_last_event_id: str = "",
) -> Case:
    """A single-connection case."""
    return Case(
        case_id,
        (Connection(_chunks(body), tuple(events), truncated),),
        last_event_id,
        retry,
        None if comments is None else tuple(comments),
        initial_last_event_id,
    )


def connection(
    body: bytes | Sequence[bytes],
    events: Sequence[ServerSentEvent],
    *,
    truncated: bool = False,
) -> Connection:
    return Connection(_chunks(body), tuple(events), truncated)


def reconnecting(
    case_id: str,
    connections: Sequence[Connection],
    *,
    last_event_id: str = "",
    retry: int | None = None,
) -> Case:
    """A case over several connections; the parser is ``reset()`` between them.

    ``reset()`` keeps the last event ID and the reconnection time, which belong
    to the event source (9.2.3), as a browser keeps them across reconnections.
    """
    return Case(case_id, tuple(connections), last_event_id, retry)


# -- web-platform-tests -------------------------------------------------------
# https://github.com/web-platform-tests/wpt/tree/master/eventsource
# (copies read: nodejs/node test/fixtures/wpt/eventsource/, and
# mozilla-firefox/firefox testing/web-platform/tests/eventsource/ for the newer
# format-bom-utf-16 and format-bom-split).


def message_py(message: bytes, *, newline_none: bool = False) -> bytes:
    """The body ``eventsource/resources/message.py`` sends for a ``message``.

    It writes ``message``, then ``\\n\\n`` unless ``newline=none``, then always
    one more ``\\n``. Its ``sleep`` parameter only delays the response and its
    ``mime`` parameter only sets ``Content-Type``: neither changes the bytes.
    """
    return message + (b"" if newline_none else b"\n\n") + b"\n"


def last_event_id_py(idvalue: bytes = "…".encode()) -> bytes:
    """``resources/last-event-id.py`` on a request without ``Last-Event-ID``."""
    return b"id: " + idvalue + b"\nretry: 200\ndata: hello\n\n"


def last_event_id_py_echo(header: bytes) -> bytes:
    """``resources/last-event-id.py`` on a reconnection: it echoes the header."""
    return b"data: " + header + b"\n\n"


# format-comments.any.js: its two long comments are 2048 "x" each.
_X2048 = "x" * 2048

# resources/message2.py writes these pieces one at a time, in a loop; the test
# reads the first three events, which this first round delivers.
_MESSAGE2_WRITES = (
    b"data:msg",
    b"\n",
    b"data: msg",
    b"\n\n",
    b":",
    b"\n",
    b"falsefield:msg",
    b"\n\n",
    b"falsefield:msg",
    b"\n",
    b"Data:data",
    b"\n\n",
    b"data",
    b"\n\n",
    b"data:end",
    b"\n\n",
)

# format-field-id-null.window.js: each id value contains U+0000, so the field is
# ignored (9.2.6 "id"); the reconnection sends no Last-Event-ID, so
# last-event-id.py answers with the same first body again.
_NUL_ID_VALUES = {
    "nul_nul": b"\x00\x00",
    "x_nul": b"x\x00",
    "nul_x": b"\x00x",
    "x_nul_x": b"x\x00x",
    "space_nul": b" \x00",
}

# resources/cors-unsafe-last-event-id.py fixtures (eventsource-cross-origin-
# preflight.window.js): the id must come back byte for byte, whatever it holds.
_PREFLIGHT_IDS = {
    "safe": "abc",
    "long": "a" * 255,
    "unsafe": "e5p3n<3k0k0s",
}

WPT_CASES = [
    # format-bom.any.js: only the first BOM of the stream is skipped; the second
    # one starts the field name "\ufeffdata", which is unknown, so "2" never fires.
    case(
        "wpt_format_bom_only_leading_bom_skipped",
        message_py("\ufeffdata:1\n\n\ufeffdata:2\n\ndata:3".encode()),
        [sse("1"), sse("3")],
    ),
    # format-bom-2.any.js: of two leading BOMs only one is skipped.
    case(
        "wpt_format_bom_2_double_bom",
        message_py("\ufeff\ufeffdata:1\n\ndata:2\n\ndata:3".encode()),
        [sse("2"), sse("3")],
    ),
    # format-bom-utf-16.any.js (firefox-main): streams are always UTF-8, so a
    # UTF-16 BOM decodes to two U+FFFD and the first field name is unknown.
    case(
        "wpt_format_bom_utf_16le_not_a_bom",
        message_py(b"\xff\xfedata:1\n\ndata:2"),
        [sse("2")],
    ),
    case(
        "wpt_format_bom_utf_16be_not_a_bom",
        message_py(b"\xfe\xffdata:1\n\ndata:2"),
        [sse("2")],
    ),
    # format-bom-split.any.js (firefox-main), via xhr/resources/content-in-
    # chunks.py: the BOM's first byte arrives alone, and is still skipped.
    case(
        "wpt_format_bom_split_across_chunks",
        [b"\xef", b"\xbb\xbfdata:1\n\ndata:2\n\n"],
        [sse("1"), sse("2")],
    ),
    # format-comments.any.js: comments of every shape, and CR, LF, CRLF endings.
    case(
        "wpt_format_comments",
        message_py(
            (
                "data:1\r:\0\n:\r\ndata:2\n:"
                + _X2048
                + "\rdata:3\n:data:fail\r:"
                + _X2048
                + "\ndata:4\n"
            ).encode(),
            newline_none=True,
        ),
        [sse("1\n2\n3\n4")],
        comments=["\0", "", _X2048, "data:fail", _X2048],
    ),
    # format-data-before-final-empty-line.any.js: the stream ends before the
    # blank line of "id:test / data:test2", so that event and its id are dropped
    # (9.2.6, end of file). message.py ignores Last-Event-ID, so the reconnection
    # replays the body: the test's second message is "test1" with an empty id.
    reconnecting(
        "wpt_format_data_before_final_empty_line",
        [
            connection(
                message_py(
                    b"retry:1000\ndata:test1\n\nid:test\ndata:test2", newline_none=True
                ),
                [sse("test1", retry=1000)],
                truncated=True,
            ),
            connection(
                message_py(
                    b"retry:1000\ndata:test1\n\nid:test\ndata:test2", newline_none=True
                ),
                [sse("test1", retry=1000)],
                truncated=True,
            ),
        ],
        retry=1000,
    ),
    # format-field-data.any.js: "data:" gives "", two bare "data" lines give "\n".
    case(
        "wpt_format_field_data",
        message_py(b"data:\n\ndata\ndata\n\ndata:test"),
        [sse(""), sse("\n"), sse("test")],
    ),
    # format-field-event-empty.any.js: an empty event type means "message".
    case(
        "wpt_format_field_event_empty",
        message_py(b"event: \ndata:data"),
        [sse("data")],
    ),
    # format-field-event.any.js: the event type applies to its own block only.
    case(
        "wpt_format_field_event",
        message_py(b"event:test\ndata:x\n\ndata:x"),
        [sse("x", event="test"), sse("x")],
    ),
    # format-field-id.any.js: the id is reported on the event, kept across the
    # reconnection (it is sent back as Last-Event-ID), and reported again.
    reconnecting(
        "wpt_format_field_id_last_event_id",
        [
            connection(last_event_id_py(), [sse("hello", id="…", retry=200)]),
            connection(last_event_id_py_echo("…".encode()), [sse("…", id="…")]),
        ],
        last_event_id="…",
        retry=200,
    ),
    # format-field-id-2.any.js: the same over two reconnections.
    reconnecting(
        "wpt_format_field_id_2_two_reconnections",
        [
            connection(last_event_id_py(), [sse("hello", id="…", retry=200)]),
            connection(last_event_id_py_echo("…".encode()), [sse("…", id="…")]),
            connection(last_event_id_py_echo("…".encode()), [sse("…", id="…")]),
        ],
        last_event_id="…",
        retry=200,
    ),
    # format-field-id-3.window.js with resources/last-event-id2.py?type=1..3.
    case(
        "wpt_format_field_id_3_persists",
        b"id: 1\ndata: 1\n\ndata: 2\n\nid: 2\ndata:3\n\ndata:4\n\n",
        [sse("1", id="1"), sse("2", id="1"), sse("3", id="2"), sse("4", id="2")],
        last_event_id="2",
    ),
    case(
        "wpt_format_field_id_3_resets",
        b"id: 1\ndata: 1\n\nid:\ndata:2\n\ndata:3\n\n",
        [sse("1", id="1"), sse("2"), sse("3")],
    ),
    case(
        "wpt_format_field_id_3_resets_without_colon",
        b"id: 1\ndata: 1\n\nid\ndata:2\n\ndata:3\n\n",
        [sse("1", id="1"), sse("2"), sse("3")],
    ),
    *(
        reconnecting(
            f"wpt_format_field_id_null_{name}",
            [
                connection(last_event_id_py(value), [sse("hello", retry=200)]),
                connection(last_event_id_py(value), [sse("hello", retry=200)]),
            ],
            retry=200,
        )
        for name, value in _NUL_ID_VALUES.items()
    ),
    # format-field-parsing.any.js: field names are case-sensitive and exact
    # ("Data", "data\0", "\0data", "da-ta", "data_5", " data" are all unknown).
    case(
        "wpt_format_field_parsing",
        message_py(
            b"data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\r"
            b"data_5\ndata:3\rdata:\r\n data:32\ndata:4\n",
            newline_none=True,
        ),
        [sse("\0\n 2\n1\n3\n\n4")],
    ),
    # format-field-retry-bogus.any.js: "1000x" is not all digits and is ignored;
    # the reconnection time stays 3000 (the test measures it).
    case(
        "wpt_format_field_retry_bogus",
        message_py(b"retry:3000\nretry:1000x\ndata:x"),
        [sse("x", retry=3000)],
        retry=3000,
    ),
    # format-field-retry-empty.any.js: a bare "retry" field is ignored.
    case(
        "wpt_format_field_retry_empty",
        message_py(b"retry\ndata:test"),
        [sse("test")],
    ),
    # format-field-retry.any.js: "03000" is read in base ten, not octal.
    case(
        "wpt_format_field_retry_leading_zero_is_decimal",
        message_py(b"retry:03000\ndata:x"),
        [sse("x", retry=3000)],
        retry=3000,
    ),
    # format-field-unknown.any.js: " data" (leading space), "foobar", and a line
    # with no colon are unknown fields; the comment is ignored.
    case(
        "wpt_format_field_unknown",
        message_py(
            b"data:test\n data\ndata\nfoobar:xxx\njustsometext\n"
            b":thisisacommentyay\ndata:test"
        ),
        [sse("test\n\ntest")],
        comments=["thisisacommentyay"],
    ),
    # format-leading-space.any.js: only a space is stripped, not a tab; a lone
    # CR ends a line.
    case(
        "wpt_format_leading_space",
        message_py(b"data:\ttest\rdata: \ndata:test"),
        [sse("\ttest\n\ntest")],
    ),
    # format-newlines.any.js: CRLF, LF and CR; the final CR and message.py's LF
    # make one CRLF blank line.
    case(
        "wpt_format_newlines",
        message_py(b"data:test\r\ndata\ndata:test\r\n\r", newline_none=True),
        [sse("test\n\ntest")],
    ),
    # format-null-character.any.js: U+0000 in data is kept.
    case(
        "wpt_format_null_character",
        message_py(b"data:\0\n\n"),
        [sse("\0")],
    ),
    # format-utf-8.any.js: decoded as UTF-8 whatever the charset parameter says.
    case(
        "wpt_format_utf_8_always",
        message_py("data:ok…".encode()),
        [sse("ok…")],
    ),
    # event-data.any.js with resources/message2.py, in the pieces it writes.
    case(
        "wpt_event_data_message2_lines_and_data",
        _MESSAGE2_WRITES,
        [sse("msg\nmsg"), sse(""), sse("end")],
        comments=[""],
    ),
    # eventsource-onmessage.any.js, eventsource-eventtarget.any.js: message.py's
    # default message.
    case(
        "wpt_eventsource_onmessage_default_message",
        message_py(b"data: data"),
        [sse("data")],
    ),
    # eventsource-reconnect.window.js, resources/status-reconnect.py?status=200:
    # the first body only sets the reconnection time; it holds after reconnecting.
    reconnecting(
        "wpt_eventsource_reconnect_retry_without_event",
        [
            connection(b"retry: 2\n", []),
            connection(b"data: data\n\n", [sse("data")]),
        ],
        retry=2,
    ),
    # The same with ok_first: an event in the first body, then the reconnection.
    reconnecting(
        "wpt_eventsource_reconnect_ok_first",
        [
            connection(b"retry: 2\ndata: ok\n\n", [sse("ok", retry=2)]),
            connection(b"data: data\n\n", [sse("data")]),
        ],
        retry=2,
    ),
    # eventsource-close.window.js with resources/reconnect-fail.py: the first two
    # bodies (the third is a 204, which ends the source: HTTP, out of scope).
    reconnecting(
        "wpt_eventsource_close_reconnect_fail_bodies",
        [
            connection(b"retry: 2\ndata: opened\n\n", [sse("opened", retry=2)]),
            connection(b"data: reconnected\n\n", [sse("reconnected")]),
        ],
        retry=2,
    ),
    *(
        reconnecting(
            f"wpt_cross_origin_preflight_{fixture}_last_event_id_kept",
            [
                connection(
                    f"id: {value}\nretry: 200\ndata: {fixture}\n\n".encode(),
                    [sse(fixture, id=value, retry=200)],
                ),
                connection(
                    f"event: success\ndata: got {value}, expected {value}\n\n".encode(),
                    [sse(f"got {value}, expected {value}", event="success", id=value)],
                ),
            ],
            last_event_id=value,
            retry=200,
        )
        for fixture, value in _PREFLIGHT_IDS.items()
    ),
    # eventsource-from-readable-stream.any.js: the streams of its parsing tests.
    case(
        "wpt_from_readable_stream_message",
        b"data: hello\n\n",
        [sse("hello")],
    ),
    case(
        "wpt_from_readable_stream_multi_line_data",
        b"data: hello\ndata: world\n\n",
        [sse("hello\nworld")],
    ),
    case(
        "wpt_from_readable_stream_multiple_events",
        b"data: first\n\ndata: second\n\n",
        [sse("first"), sse("second")],
    ),
    case(
        "wpt_from_readable_stream_custom_event_type",
        b"event: custom\ndata: hello\n\n",
        [sse("hello", event="custom")],
    ),
    case(
        "wpt_from_readable_stream_ignores_comments",
        b": this is a comment\ndata: hello\n\n",
        [sse("hello")],
        comments=[" this is a comment"],
    ),
    case(
        "wpt_from_readable_stream_data_split_across_chunks",
        [b"da", b"ta: hel", b"lo\n\n"],
        [sse("hello")],
    ),
    case(
        "wpt_from_readable_stream_id_sets_last_event_id",
        b"id: 42\ndata: hello\n\n",
        [sse("hello", id="42")],
        last_event_id="42",
    ),
    case(
        "wpt_from_readable_stream_retry_sets_reconnection_time",
        b"retry: 5000\ndata: hello\n\n",
        [sse("hello", retry=5000)],
        retry=5000,
    ),
    case(
        "wpt_from_readable_stream_retry_non_digit_ignored",
        b"retry: bogus\ndata: hello\n\n",
        [sse("hello")],
    ),
    case("wpt_from_readable_stream_empty_stream", b"", []),
    case(
        "wpt_from_readable_stream_cr_lf_crlf_line_endings",
        b"data: cr\r\rdata: lf\n\ndata: crlf\r\n\r\n",
        [sse("cr"), sse("lf"), sse("crlf")],
    ),
    case(
        "wpt_from_readable_stream_strips_leading_bom",
        b"\xef\xbb\xbfdata: hello\n\n",
        [sse("hello")],
    ),
    # Two bodies piped into one TransformStream: one continuous stream, one parser.
    case(
        "wpt_from_readable_stream_two_streams_piped",
        [b"data: first\n\n", b"data: second\n\n"],
        [sse("first"), sse("second")],
    ),
    case(
        "wpt_from_readable_stream_last_event_id_persists",
        [b"id: 42\ndata: first\n\n", b"data: after-reconnect\n\n"],
        [sse("first", id="42"), sse("after-reconnect", id="42")],
        last_event_id="42",
    ),
    case(
        "wpt_from_readable_stream_retry_persists",
        [b"retry: 3000\ndata: first\n\n", b"data: after-reconnect\n\n"],
        [sse("first", retry=3000), sse("after-reconnect")],
        retry=3000,
    ),
]

# -- WHATWG HTML Standard 9.2 -------------------------------------------------
# https://html.spec.whatwg.org/multipage/server-sent-events.html

_INTRO_MESSAGES = (
    b"data: This is the first message.\n"
    b"\n"
    b"data: This is the second message, it\n"
    b"data: has two lines.\n"
    b"\n"
    b"data: This is the third message.\n"
)

_FOUR_BLOCKS = (
    b": test stream\n"
    b"\n"
    b"data: first event\n"
    b"id: 1\n"
    b"\n"
    b"data:second event\n"
    b"id\n"
    b"\n"
    b"data:  third event\n"
)

WHATWG_CASES = [
    # 9.2.1 Introduction, the first stream. It is printed without the blank line
    # after its last block; a server sends one, or the third message never fires.
    case(
        "whatwg_intro_three_messages",
        _INTRO_MESSAGES + b"\n",
        [
            sse("This is the first message."),
            sse("This is the second message, it\nhas two lines."),
            sse("This is the third message."),
        ],
    ),
    case(
        "whatwg_intro_three_messages_as_printed_last_not_dispatched",
        _INTRO_MESSAGES,
        [
            sse("This is the first message."),
            sse("This is the second message, it\nhas two lines."),
        ],
        truncated=True,
    ),
    # 9.2.1 Introduction, the stream with two event types.
    case(
        "whatwg_intro_event_types_add_remove",
        b"event: add\ndata: 73857293\n\n"
        b"event: remove\ndata: 2153\n\n"
        b"event: add\ndata: 113411\n\n",
        [
            sse("73857293", event="add"),
            sse("2153", event="remove"),
            sse("113411", event="add"),
        ],
    ),
    # 9.2.6 example: data lines are joined with LF.
    case(
        "whatwg_example_multiline_data_yhoo",
        b"data: YHOO\ndata: +2\ndata: 10\n\n",
        [sse("YHOO\n+2\n10")],
    ),
    # 9.2.6 example: four blocks. The comment fires nothing; "id: 1" sets the
    # last event ID; a bare "id" resets it to ""; only one leading space is
    # removed from " third event".
    case(
        "whatwg_example_four_blocks_ids_and_comment",
        _FOUR_BLOCKS + b"\n",
        [
            sse("first event", id="1"),
            sse("second event"),
            sse(" third event"),
        ],
        comments=[" test stream"],
    ),
    # The same example's note: the end of the stream does not dispatch the last
    # block; only a blank line does.
    case(
        "whatwg_example_four_blocks_last_block_needs_blank_line",
        _FOUR_BLOCKS,
        [sse("first event", id="1"), sse("second event")],
        truncated=True,
        comments=[" test stream"],
    ),
    case(
        "whatwg_example_four_blocks_stream_ends_mid_line",
        _FOUR_BLOCKS[:-1],
        [sse("first event", id="1"), sse("second event")],
        truncated=True,
        comments=[" test stream"],
    ),
    # 9.2.6 example: fires events with data "" and "\n"; the last block has no
    # blank line after it and is discarded.
    case(
        "whatwg_example_two_events_empty_and_newline",
        b"data\n\ndata\ndata\n\ndata:",
        [sse(""), sse("\n")],
        truncated=True,
    ),
    # 9.2.6 example: two identical events, the space after the colon is optional.
    case(
        "whatwg_example_two_identical_events_space_after_colon",
        b"data:test\n\ndata: test\n\n",
        [sse("test"), sse("test")],
    ),
    # 9.2.7 Authoring notes: a comment line every 15 seconds or so keeps legacy
    # proxies from dropping the connection; comments dispatch nothing.
    case(
        "whatwg_authoring_keepalive_comment_lines",
        b":\n\ndata: first\n\n:\n\n:\n\n:\ndata: second\n\n:\n\n",
        [sse("first"), sse("second")],
        comments=["", "", "", "", ""],
    ),
    # 9.2.5: a line ends at CRLF, a lone LF or a lone CR ("c\r" then a CRLF blank
    # line).
    case(
        "whatwg_rule_crlf_lf_cr_line_endings",
        b"data: a\r\ndata: b\ndata: c\r\r\n",
        [sse("a\nb\nc")],
    ),
    # 9.2.6 "If the line contains a colon": the value is everything after the
    # first colon.
    case(
        "whatwg_rule_value_after_first_colon",
        b"data: a:b: c\n\n",
        [sse("a:b: c")],
    ),
    # 9.2.6 dispatch, step 1: the last event ID is set at every blank line, even
    # when the data buffer is empty and nothing is dispatched.
    case(
        "whatwg_rule_id_in_block_without_data_takes_effect",
        b"id: 5\n\ndata: x\n\n",
        [sse("x", id="5")],
        last_event_id="5",
    ),
    # 9.2.6 dispatch, step 2: an empty data buffer still clears the event type.
    case(
        "whatwg_rule_event_type_cleared_by_block_without_data",
        b"event: a\n\ndata: x\n\n",
        [sse("x")],
    ),
    # 9.2.6 "retry": the reconnection time is set when the field is processed,
    # whether or not its block dispatches.
    case(
        "whatwg_rule_retry_in_block_without_data_takes_effect",
        b"retry: 7\n\n",
        [],
        retry=7,
    ),
    # 9.2.6 "retry": only ASCII digits. "-1", "1.5", Arabic-Indic digits and a
    # second leading space are ignored; "0" is valid.
    case(
        "whatwg_rule_retry_ascii_digits_only",
        "retry: 0\ndata: a\n\n"
        "retry: -1\nretry: 1.5\nretry: \u0661\u0662\nretry:  5\ndata: b\n\n".encode(),
        [sse("a", retry=0), sse("b")],
        retry=0,
    ),
    # 9.2.6 end of file: pending data and a pending id are discarded.
    case(
        "whatwg_rule_eof_discards_pending_event_and_id",
        b"data: kept\n\nid: 9\ndata: dropped\n",
        [sse("kept")],
        truncated=True,
    ),
    # 9.2.5 "UTF-8 decode" (Encoding Standard): one U+FFFD per maximal invalid
    # subpart: FF and FE each; a truncated E2 82 once; F0 80 80 and an encoded
    # surrogate ED A0 80 three times.
    case(
        "whatwg_rule_utf8_decode_replacement_characters",
        b"data: \xff\xfe\n\ndata: \xe2\x82\n\ndata: \xf0\x80\x80\n\n"
        b"data: \xed\xa0\x80\n\n",
        [
            sse("\ufffd\ufffd"),
            sse("\ufffd"),
            sse("\ufffd\ufffd\ufffd"),
            sse("\ufffd\ufffd\ufffd"),
        ],
    ),
]

# -- eventsource-parser (JavaScript) ------------------------------------------
# https://github.com/rexxars/eventsource-parser/tree/main/test
# (parse.test.ts, stream.test.ts; streams from fixtures.ts and format.ts). The
# fixtures feed strings; here they are their UTF-8 bytes, chunk for chunk.
#
# Disagreement, all cases: eventsource-parser reports an event's id only when
# its own block has an "id" field. The standard reports the last event ID
# string, which persists (9.2.6 dispatch, step 1), so later events carry it.


def _format_event(
    data: str, *, event: str = "", retry: int = 0, id: str | None = None
) -> bytes:
    """format.ts ``formatEvent``: event, retry, id, then one data line per line."""
    out = ""
    if event:
        out += f"event: {event}\n"
    if retry:
        out += f"retry: {retry}\n"
    if id is not None:
        out += f"id: {id}\n"
    out += "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"
    return out.encode()


# Most fixtures end with formatEvent({event: 'done', data: '✔'}).
_DONE = _format_event("✔", event="done")
_DONE_EVENT = sse("✔", event="done")


# getCommentsFixtureStream's fifth comment is 100 emoji (ZWJ sequences); three
# of them stand in for the hundred: they only ever reach on_comment.
_EMOJI_COMMENT = (
    ": \U0001f636\u200d\U0001f32b\ufe0f"
    " \U0001f62e\u200d\U0001f4a8"
    " \U0001f635\u200d\U0001f4ab :"
)
_RUSSIAN_FIRST = "\u041f\u0435\u0440\u0432\u044b\u0439"  # "Первый"
_ARABIC_THIRD = "\u062b\u0627\u0644\u062b"
_MALAYALAM_FOURTH = "\u0d28\u0d3e\u0d32\u0d3e\u0d2e\u0d24\u0d4d\u0d24\u0d46"
_LONG_X = "x" * (2 * 1024 + 1)  # getMixedCommentsFixtureStream's longString
_JSON_ERROR_LINE = (
    b'{"error":"Internal Server Error",'
    b'"message":"The server could not process your request"}'
)

EVENTSOURCE_PARSER_CASES = [
    case(
        "eventsource_parser_basic_unnamed_events",
        [_format_event(str(i)) for i in range(5)] + [_DONE],
        [sse("0"), sse("1"), sse("2"), sse("3"), sse("4"), _DONE_EVENT],
    ),
    case(
        "eventsource_parser_identified_events_with_retry",
        [
            _format_event("1337", event="tick", retry=50, id="1337"),
            _format_event("1338", event="tick", retry=50, id="1338"),
            _DONE,
        ],
        [
            sse("1337", event="tick", id="1337", retry=50),
            sse("1338", event="tick", id="1338", retry=50),
            # eventsource-parser: no id here (see the note above).
            sse("✔", event="done", id="1338"),
        ],
        last_event_id="1338",
        retry=50,
    ),
    case(
        "eventsource_parser_heartbeat_comments",
        [
            piece
            for letter in "ABCDE"
            for piece in (": \u2665\n\n".encode(), _format_event(letter))
        ]
        + [_DONE],
        [sse(letter) for letter in "ABCDE"] + [_DONE_EVENT],
        comments=[" \u2665"] * 5,
    ),
    case(
        "eventsource_parser_multiline_data_events",
        [
            b"event: stock\n",
            b"data: YHOO\n",
            b"data: +2\n",
            b"data: 10\n\n",
            b"event: stock\n",
            b"data: GOOG\n",
            b"data: -8\n",
            b"data: 1881\n\n",
            _DONE,
        ],
        [
            sse("YHOO\n+2\n10", event="stock"),
            sse("GOOG\n-8\n1881", event="stock"),
            _DONE_EVENT,
        ],
    ),
    case(
        "eventsource_parser_multibyte_after_empty_lines",
        ["\n\n\n\nid: 1\ndata: 我現在都看實況不玩遊戲\n\n".encode(), _DONE],
        [sse("我現在都看實況不玩遊戲", id="1"), sse("✔", event="done", id="1")],
        last_event_id="1",
    ),
    # "stream containing byte-order mark (multiple places)" and "... decoded
    # U+FEFF ... (multiple places)": the same bytes once UTF-8 encoded.
    case(
        "eventsource_parser_bom_in_multiple_places",
        [
            b"\xef\xbb\xbfdata: bomful 1\n\n",
            b"\xef\xbb\xbfdata: bomful 2\n\n",
            b"data: bomless 3\n\n",
            _DONE,
        ],
        [sse("bomful 1"), sse("bomless 3"), _DONE_EVENT],
    ),
    case(
        "eventsource_parser_carriage_returns",
        [b"data: dog\r", b"data: bark\r\r", b"data: cat\r", b"data: meow\r\r", _DONE],
        [sse("dog\nbark"), sse("cat\nmeow"), _DONE_EVENT],
    ),
    case(
        "eventsource_parser_line_feeds",
        [b"data: cow\n", b"data: moo\n\n", b"data: horse\n", b"data: neigh\n\n", _DONE],
        [sse("cow\nmoo"), sse("horse\nneigh"), _DONE_EVENT],
    ),
    case(
        "eventsource_parser_carriage_returns_and_line_feeds",
        [
            b"data: sheep\r\n",
            b"data: bleat\r\n\r\n",
            b"data: pig\r\n",
            b"data: oink\r\n\r\n",
            _DONE,
        ],
        [sse("sheep\nbleat"), sse("pig\noink"), _DONE_EVENT],
    ),
    case(
        "eventsource_parser_odd_comments",
        [
            b": Hello\n\n",
            b":" * 300,
            b"\n",
            b"data: First\n\n",
            f": {_RUSSIAN_FIRST}".encode(),
            ": 第二".encode(),
            b"\n",
            b"data: Second\n\n",
            *[b": Moop \n"] * 10,
            f": {_ARABIC_THIRD}".encode(),
            b"\n",
            b"data: Third\n\n",
            f":{_MALAYALAM_FOURTH}".encode(),
            b"\n",
            b"data: Fourth\n\n",
            _EMOJI_COMMENT.encode(),
            b"\n",
            b"data: Fifth\n\n",
            _DONE,
        ],
        [
            sse("First"),
            sse("Second"),
            sse("Third"),
            sse("Fourth"),
            sse("Fifth"),
            _DONE_EVENT,
        ],
        comments=[
            " Hello",
            ":" * 299,
            f" {_RUSSIAN_FIRST}: 第二",
            *[" Moop "] * 10,
            f" {_ARABIC_THIRD}",
            _MALAYALAM_FOURTH,
            _EMOJI_COMMENT[1:],
        ],
    ),
    # "data:5" has no blank line after it, so it is never dispatched.
    case(
        "eventsource_parser_mixed_comments_last_not_emitted",
        [
            b"data:1\r\r:\0\n:\r\ndata:2\n\n:",
            _LONG_X.encode(),
            b"\rdata:3\n\n:data:fail\r:",
            _LONG_X.encode(),
            b"\ndata:4\n\n",
            b"data:5",
        ],
        [sse("1"), sse("2"), sse("3"), sse("4")],
        truncated=True,
        comments=["\0", "", _LONG_X, "data:fail", _LONG_X],
    ),
    case(
        "eventsource_parser_empty_event_field",
        [b"event:\ndata: Hello 1\n\n", b"event:\n\n", _DONE],
        [sse("Hello 1"), _DONE_EVENT],
    ),
    # eventsource-parser reports an error for the empty "retry:"; the standard
    # ignores a value that is not ASCII digits, so the 500 stands.
    case(
        "eventsource_parser_empty_retry_field",
        [
            _format_event("🥌", retry=500, id="1"),
            "id:2\nretry:\ndata:🧹\n\n".encode(),
            _format_event("✅", id="3"),
        ],
        [sse("🥌", id="1", retry=500), sse("🧹", id="2"), sse("✅", id="3")],
        last_event_id="3",
        retry=500,
    ),
    case(
        "eventsource_parser_oddly_shaped_data_field",
        [b"data:\n\ndata\ndata\n\ndata:test\n\n", _DONE],
        [sse(""), sse("\n"), sse("test"), _DONE_EVENT],
    ),
    # A CR ending a feed may be half of a CRLF (eventsource-parser issue #17).
    case(
        "eventsource_parser_cr_at_chunk_end_is_half_crlf",
        [b"data: A\r\n", b"data: B\r", b"\n", b"data: C\r\n", b"\n"],
        [sse("A\nB\nC")],
    ),
    case(
        "eventsource_parser_partially_incorrect_retry",
        b"retry:1000\nretry:2000x\ndata:x\n\n",
        [sse("x", retry=1000)],
        retry=1000,
    ),
    case(
        "eventsource_parser_id_with_nul_keeps_buffered_id",
        b"id: 123\nid: bad\0id\ndata: hello\n\n",
        [sse("hello", id="123")],
        last_event_id="123",
    ),
    case(
        "eventsource_parser_id_block_without_data_at_blank_line",
        [b"id: 42\n", b"\n"],
        [],
        last_event_id="42",
    ),
    case(
        "eventsource_parser_id_with_nul_in_block_without_data",
        [b"id: 42\n", b"\n", b"id: bad\0id\n\n"],
        [],
        last_event_id="42",
    ),
    case(
        "eventsource_parser_empty_id_block_resets",
        [b"id: 42\n", b"\n", b"id: bad\0id\n\n", b"id:\n\n"],
        [],
    ),
    case(
        "eventsource_parser_id_before_event_in_same_block",
        b"id: 42\ndata: hello\n\n",
        [sse("hello", id="42")],
        last_event_id="42",
    ),
    case("eventsource_parser_id_block_cr", b"id: 42\r\r", [], last_event_id="42"),
    case("eventsource_parser_id_block_crlf", b"id: 42\r\n\r\n", [], last_event_id="42"),
    # The "retry: 500" block has no data: the reconnection time changes, but no
    # event carries it.
    case(
        "eventsource_parser_incorrect_retry_fields",
        b"\nretry: 500\n\ndata: first\n\nretry: 50x\n\ndata: second\n\n",
        [sse("first"), sse("second")],
        retry=500,
    ),
    case(
        "eventsource_parser_unknown_fields",
        [
            b"data:abc\n data\ndata\nfoobar:xxx\njustsometext\n"
            b":thisisacommentyay\ndata:123\n\n",
            _DONE,
        ],
        [sse("abc\n\n123"), _DONE_EVENT],
        comments=["thisisacommentyay"],
    ),
    # A JSON error body instead of an event stream: nothing is dispatched.
    case(
        "eventsource_parser_invalid_stream_not_newline_terminated",
        _JSON_ERROR_LINE,
        [],
        truncated=True,
    ),
    case(
        "eventsource_parser_invalid_stream_newline_terminated",
        _JSON_ERROR_LINE + b"\n",
        [],
    ),
    case(
        "eventsource_parser_invalid_stream_no_field_separator",
        b"Well, this is not what I expected\n",
        [],
    ),
    # The maxBufferSize tests' streams, without the bound (this parser's bounds
    # are tested elsewhere): what each stream means.
    case(
        "eventsource_parser_unterminated_unknown_field_then_event",
        [
            b"unknown-field",
            b": this content is ignored even without a terminator",
            b"\ndata: ok\n\n",
        ],
        [sse("ok")],
    ),
    case(
        "eventsource_parser_invalid_field_name_then_event",
        [
            b"datax",
            b": this started like data, but is not a valid field",
            b"\ndata: ok\n\n",
        ],
        [sse("ok")],
    ),
    case(
        "eventsource_parser_split_valid_field_name",
        [b"da", b"ta\n\n"],
        [sse("")],
    ),
    case(
        "eventsource_parser_unterminated_comment_then_event",
        [
            b":" * 64,
            b"this content is ignored even without a terminator",
            b"\ndata: ok\n\n",
        ],
        [sse("ok")],
        comments=[":" * 63 + "this content is ignored even without a terminator"],
    ),
    case(
        "eventsource_parser_comment_crlf_one_terminator",
        [b"data: one\n:", b"ignored\r\ndata: two\n\n"],
        [sse("one\ntwo")],
        comments=["ignored"],
    ),
    case(
        "eventsource_parser_comment_crlf_split_across_chunks",
        [b"data: one\n:", b"ignored\r", b"\ndata: two\n\n"],
        [sse("one\ntwo")],
        comments=["ignored"],
    ),
    case(
        "eventsource_parser_comment_bare_cr_at_chunk_end",
        [b"data: one\n:", b"ignored\r", b"data: two\n\n"],
        [sse("one\ntwo")],
        comments=["ignored"],
    ),
    case(
        "eventsource_parser_comment_with_own_bare_cr",
        [b"data: one\n:ignored\r", b"data: two\n\n"],
        [sse("one\ntwo")],
        comments=["ignored"],
    ),
    case(
        "eventsource_parser_comment_with_trailing_cr_then_lf",
        [b"data: one\n:ignored\r", b"\ndata: two\n\n"],
        [sse("one\ntwo")],
        comments=["ignored"],
    ),
    case(
        "eventsource_parser_bare_field_cr_at_chunk_boundary",
        [b"data: one\ndata\r", b"\ndata: two\n\n"],
        [sse("one\n\ntwo")],
    ),
    case(
        "eventsource_parser_unknown_field_cr_at_chunk_boundary",
        [b"garbage\r", b"data: ok\n\n"],
        [sse("ok")],
    ),
    case(
        "eventsource_parser_blank_cr_line_dispatches_once",
        [b"data: one\r", b"\r", b"\n"],
        [sse("one")],
    ),
    case(
        "eventsource_parser_split_comment",
        [b":", b"preserved", b"\n"],
        [],
        comments=["preserved"],
    ),
    case(
        "eventsource_parser_data_without_blank_line_never_dispatches",
        [f"data: chunk-{i}\n".encode() for i in range(50)],
        [],
        truncated=True,
    ),
    case(
        "eventsource_parser_many_small_events",
        [f"data: {i}\n\n".encode() for i in range(100)],
        [sse(str(i)) for i in range(100)],
    ),
    # stream.test.ts "can use EventSourceParserStream".
    case(
        "eventsource_parser_stream_ten_events",
        [_format_event(f"Hello {i}", event="foo", id=f"evt-{i}") for i in range(10)],
        [sse(f"Hello {i}", event="foo", id=f"evt-{i}") for i in range(10)],
        last_event_id="evt-9",
    ),
]

# -- .NET System.Net.ServerSentEvents -----------------------------------------
# https://github.com/dotnet/runtime/blob/main/src/libraries/
#   System.Net.ServerSentEvents/tests/SseParserTests.cs
# Most tests run once per line ending: "\r", "\n" and "\r\n".

_NEWLINES = {"lf": "\n", "cr": "\r", "crlf": "\r\n"}

_BOOK_1 = (
    '{\n   "title": "The Catcher in the Rye",\n   "author": "J.D. Salinger",\n'
    '   "published_year": 1951,\n   "genre": "Fiction"\n}'
)
_BOOK_2 = (
    '{\n   "title": "1984",\n   "author": "George Orwell",\n'
    '   "published_year": 1949,\n   "genre": "Fiction"\n}'
)
_OPENAI_CHUNK_1 = (
    '{"id":"xxx","object":"chat.completion.chunk","created":1679168243,'
    '"model":"mmm","choices":[{"delta":{"content":"!"},"index":0,'
    '"finish_reason":null}]}'
)
_OPENAI_CHUNK_2 = (
    '{"id":"yyy","object":"chat.completion.chunk","created":1679168243,'
    '"model":"mmm","choices":[{"delta":{},"index":0,"finish_reason":"stop"}]}'
)
_LONG_LINES = ["".join(f"{i} " for _ in range(i)) for i in range(1, 101)]


def _dotnet_cases(name: str, nl: str) -> list[Case]:
    five = nl * 5
    return [
        case(f"dotnet_sse_parser_blank_line_no_items_{name}", nl.encode(), []),
        case(
            f"dotnet_sse_parser_two_blank_lines_no_items_{name}", (nl * 2).encode(), []
        ),
        case(
            f"dotnet_sse_parser_multiple_blank_lines_between_items_{name}",
            (
                f"event:A{nl}data:1{nl}id:2{nl}retry:300{nl}{five}"
                f"event:B{nl}data:4{nl}id:5{nl}retry:600{nl}{five}"
                f"event:C{nl}data:7{nl}id:8{nl}retry:900{nl}{five}"
            ).encode(),
            [
                sse("1", event="A", id="2", retry=300),
                sse("4", event="B", id="5", retry=600),
                sse("7", event="C", id="8", retry=900),
            ],
            last_event_id="8",
            retry=900,
        ),
        case(
            f"dotnet_sse_parser_html_spec_example1_{name}",
            _INTRO_MESSAGES.decode().replace("\n", nl).encode() + nl.encode(),
            [
                sse("This is the first message."),
                sse("This is the second message, it\nhas two lines."),
                sse("This is the third message."),
            ],
        ),
        case(
            f"dotnet_sse_parser_html_spec_example2_{name}",
            (
                f"event: add{nl}data: 73857293{nl}{nl}"
                f"event: remove{nl}data: 2153{nl}{nl}"
                f"event: add{nl}data: 113411{nl}{nl}"
            ).encode(),
            [
                sse("73857293", event="add"),
                sse("2153", event="remove"),
                sse("113411", event="add"),
            ],
        ),
        case(
            f"dotnet_sse_parser_html_spec_example3_{name}",
            f"data: YHOO{nl}data: +2{nl}data: 10{nl}{nl}".encode(),
            [sse("YHOO\n+2\n10")],
        ),
        case(
            f"dotnet_sse_parser_html_spec_example4_{name}",
            _FOUR_BLOCKS.decode().replace("\n", nl).encode() + nl.encode(),
            [sse("first event", id="1"), sse("second event"), sse(" third event")],
        ),
        case(
            f"dotnet_sse_parser_html_spec_example4_inherited_ids_{name}",
            (
                f": test stream{nl}{nl}data: first event{nl}id: 1{nl}{nl}"
                f"data:second event{nl}{nl}data:  third event{nl}id: 42{nl}{nl}"
            ).encode(),
            [
                sse("first event", id="1"),
                sse("second event", id="1"),
                sse(" third event", id="42"),
            ],
            last_event_id="42",
        ),
        case(
            f"dotnet_sse_parser_html_spec_example5_{name}",
            f"data{nl}{nl}data{nl}data{nl}{nl}data:".encode(),
            [sse(""), sse("\n")],
            truncated=True,
        ),
        case(
            f"dotnet_sse_parser_html_spec_example5_with_colon_{name}",
            f"data{nl}{nl}data:{nl}data{nl}{nl}data:".encode(),
            [sse(""), sse("\n")],
            truncated=True,
        ),
        case(
            f"dotnet_sse_parser_html_spec_example6_{name}",
            f"data:test{nl}{nl}data: test{nl}{nl}".encode(),
            [sse("test"), sse("test")],
        ),
        # "retry: 12345678910" exceeds 32 bits and is kept; an invalid value
        # leaves the reconnection time as it was.
        case(
            f"dotnet_sse_parser_retry_sets_reconnection_interval_{name}",
            (
                f": test stream{nl}{nl}data: first event{nl}{nl}"
                f"data:second event{nl}retry: 42{nl}{nl}"
                f"data:  third event{nl}retry: 12345678910{nl}{nl}"
                f"data:fourth event{nl}{nl}"
                f"data:fifth event{nl}retry: invalidmilliseconds{nl}{nl}"
            ).encode(),
            [
                sse("first event"),
                sse("second event", retry=42),
                sse(" third event", retry=12345678910),
                sse("fourth event"),
                sse("fifth event"),
            ],
            retry=12345678910,
        ),
        case(
            f"dotnet_sse_parser_json_content_{name}",
            (
                "".join(f"data: {line}{nl}" for line in _BOOK_1.split("\n"))
                + nl
                + "".join(f"data: {line}{nl}" for line in _BOOK_2.split("\n"))
                + nl
            ).encode(),
            [sse(_BOOK_1), sse(_BOOK_2)],
        ),
        case(
            f"dotnet_sse_parser_bom_valid_skipped_{name}",
            b"\xef\xbb\xbfdata:hi"
            + (nl * 2).encode()
            + b"data:there"
            + (nl * 2).encode(),
            [sse("hi"), sse("there")],
        ),
        # A partial BOM is invalid UTF-8: one U+FFFD starts the field name.
        case(
            f"dotnet_sse_parser_bom_partial1_line_skipped_{name}",
            b"\xefdata:hi" + (nl * 2).encode() + b"data:there" + (nl * 2).encode(),
            [sse("there")],
        ),
        case(
            f"dotnet_sse_parser_bom_partial2_line_skipped_{name}",
            b"\xef\xbbdata:hi" + (nl * 2).encode() + b"data:there" + (nl * 2).encode(),
            [sse("there")],
        ),
        case(
            f"dotnet_sse_parser_long_lines_{name}",
            "".join(f"data: {s}{nl}{nl}" for s in _LONG_LINES).encode(),
            [sse(s) for s in _LONG_LINES],
        ),
        case(
            f"dotnet_sse_parser_openai_streaming_response_{name}",
            (
                f"data: {_OPENAI_CHUNK_1}{nl}{nl}"
                f"data: {_OPENAI_CHUNK_2}{nl}{nl}"
                f"data: [DONE]{nl}{nl}"
            ).encode(),
            [sse(_OPENAI_CHUNK_1), sse(_OPENAI_CHUNK_2), sse("[DONE]")],
        ),
    ]


DOTNET_CASES = [
    case("dotnet_sse_parser_empty_no_items", b"", []),
    # A partial BOM alone is one invalid byte sequence, left mid-line.
    case("dotnet_sse_parser_bom_interrupted1_no_items", b"\xef", [], truncated=True),
    case(
        "dotnet_sse_parser_bom_interrupted2_no_items", b"\xef\xbb", [], truncated=True
    ),
    # A whole BOM alone is a complete, empty stream (9.2.5: stream = [ bom ]
    # *event): nothing was cut off.
    case("dotnet_sse_parser_bom_interrupted3_no_items", b"\xef\xbb\xbf", []),
    *(c for name, nl in _NEWLINES.items() for c in _dotnet_cases(name, nl)),
]

# -- Chromium Blink EventSourceParser -----------------------------------------
# https://chromium.googlesource.com/chromium/src/+/main/third_party/blink/
#   renderer/modules/eventsource/event_source_parser_test.cc
# Blink's tests feed bytes in the calls shown (Enqueue); "OneByOne" tests are the
# byte_at_a_time strategy, which every case here runs anyway.

CHROMIUM_CASES = [
    case("chromium_empty_message_event_not_dispatched", b"\n", []),
    case("chromium_dispatch_simple_message_event", b"data:hello\n\n", [sse("hello")]),
    case(
        "chromium_construct_with_last_event_id",
        b"data:hello\n\n",
        [sse("hello", id="hoge")],
        last_event_id="hoge",
        initial_last_event_id="hoge",
    ),
    case(
        "chromium_dispatch_message_event_with_last_event_id",
        [b"id:99\ndata:hello\n", b"\n"],
        [sse("hello", id="99")],
        last_event_id="99",
    ),
    case(
        "chromium_last_event_id_updated_when_data_empty",
        [b"id:99\n", b"\n"],
        [],
        last_event_id="99",
    ),
    case(
        "chromium_custom_event_type",
        b"event:foo\ndata:hello\n\n",
        [sse("hello", event="foo")],
    ),
    case(
        "chromium_retry_takes_effect_without_dispatch",
        b"retry:999\n",
        [],
        retry=999,
    ),
    case(
        "chromium_event_type_reset",
        b"event:foo\ndata:hello\n\ndata:bye\n\n",
        [sse("hello", event="foo"), sse("bye")],
    ),
    case("chromium_data_reset", b"data:hello\n\n\n", [sse("hello")]),
    case(
        "chromium_last_event_id_not_reset",
        b"id:99\ndata:hello\n\ndata:bye\n\n",
        [sse("hello", id="99"), sse("bye", id="99")],
        last_event_id="99",
    ),
    case(
        "chromium_various_newlines",
        b"data:hello\r\n\rdata:bye\r\r",
        [sse("hello"), sse("bye")],
    ),
    # Blink restores its default reconnection delay on a bare "retry" (its test
    # calls this unspecified, crbug.com/587980). The standard sets the time only
    # from a value of ASCII digits and otherwise ignores the field, as
    # eventsource-parser and WPT format-field-retry-empty treat it: no change.
    case("chromium_retry_with_empty_value_ignored", b"retry\n", []),
    case(
        "chromium_non_digit_retry_ignored",
        [
            b"retry:a0\n",
            b"retry:xi\n",
            b"retry:2a\n",
            b"retry:09a\n",
            b"retry:1\b\n",
            b"retry:  1234\n",
            b"retry:456 \n",
        ],
        [],
    ),
    case(
        "chromium_unrecognized_field_ignored",
        b"data:hello\nhoge:fuga\npiyo\n\n",
        [sse("hello")],
    ),
    case(
        "chromium_comment_ignored",
        b"data:hello\n:event:a\n\n",
        [sse("hello")],
        comments=["event:a"],
    ),
    case(
        "chromium_bom_ignored_only_at_start",
        [b"\xef\xbb\xbfdata:hello\n", b"\xef\xbb\xbfdata:bye\n", b"\n"],
        [sse("hello")],
    ),
    case(
        "chromium_colonless_line_is_name_only_field",
        b"data:hello\nevent:a\nevent\n\n",
        [sse("hello")],
    ),
    case(
        "chromium_at_most_one_leading_space_skipped",
        b"data:  hello  \nevent:  type \n\n",
        [sse(" hello  ", event=" type ")],
    ),
    case(
        "chromium_data_accumulates",
        b"data\ndata:hello\ndata: world\ndata\n\n",
        [sse("\nhello\nworld\n")],
    ),
    case(
        "chromium_event_does_not_accumulate",
        b"data:hello\nevent:a\nevent:b\n\n",
        [sse("hello", event="b")],
    ),
    case(
        "chromium_feed_data_one_by_one",
        b"data:hello\r\ndata:world\revent:a\revent:b\nid:4\n\nid:8\ndata:bye\r\n\r",
        [sse("hello\nworld", event="b", id="4"), sse("bye", id="8")],
        last_event_id="8",
    ),
    case(
        "chromium_invalid_utf8_sequence",
        b"data:\xffhello\xc2\ndata:bye\n\n",
        [sse("\ufffdhello\ufffd\nbye")],
    ),
    case(
        "chromium_ignore_id_having_null_character",
        b"id:99\ndata:hello\n\nid:4\x0023\ndata:bye\n\n",
        [sse("hello", id="99"), sse("bye", id="99")],
        last_event_id="99",
    ),
]

CASES = (
    WPT_CASES + WHATWG_CASES + EVENTSOURCE_PARSER_CASES + DOTNET_CASES + CHROMIUM_CASES
)

# -- feeding strategies -------------------------------------------------------

# Streams up to this size are split in two at every position; longer ones at
# every line ending and multi-byte character, and at a fixed stride between.
_ALL_SPLITS_LIMIT = 2048
_STRIDE = 127

Chunker = Callable[[Connection], Iterator[list[bytes]]]


def _split_points(stream: bytes) -> list[int]:
    size = len(stream)
    if size <= _ALL_SPLITS_LIMIT:
        return list(range(size + 1))
    points = set(range(0, size + 1, _STRIDE)) | {size}
    for index, byte in enumerate(stream):
        if byte in b"\r\n" or byte >= 0x80:
            points.update((index, index + 1))
    return sorted(points)


def _three_way_points(stream: bytes) -> list[tuple[int, int]]:
    size = len(stream)
    ends = [i for i, byte in enumerate(stream) if byte in b"\r\n"]
    first, last = (ends[0], ends[-1]) if ends else (size // 2, size // 2)
    pairs = {
        (0, 0),  # two empty pieces first
        (0, size),  # empty first piece, whole stream, empty last piece
        (size, size),  # two empty pieces last
        (size // 2, size // 2),  # an empty middle piece
        (size // 3, 2 * size // 3),
        (min(1, size), max(min(1, size), size - 1)),
        (first, min(first + 1, size)),  # the first line ending on its own
        (last, min(last + 1, size)),  # the last line ending on its own
        (first, last),
    }
    return sorted(pairs)


def _one_feed(conn: Connection) -> Iterator[list[bytes]]:
    yield [conn.stream]


def _declared_chunks(conn: Connection) -> Iterator[list[bytes]]:
    yield list(conn.chunks)


def _byte_at_a_time(conn: Connection) -> Iterator[list[bytes]]:
    stream = conn.stream
    yield [stream[i : i + 1] for i in range(len(stream))]


def _every_two_piece_split(conn: Connection) -> Iterator[list[bytes]]:
    stream = conn.stream
    for i in _split_points(stream):
        yield [stream[:i], stream[i:]]


def _three_piece_splits(conn: Connection) -> Iterator[list[bytes]]:
    stream = conn.stream
    for i, j in _three_way_points(stream):
        yield [stream[:i], stream[i:j], stream[j:]]


# name -> (chunkings of one connection, whether to go through iter_events)
STRATEGIES: dict[str, tuple[Chunker, bool]] = {
    "one_feed": (_one_feed, False),
    "declared_chunks": (_declared_chunks, False),
    "byte_at_a_time": (_byte_at_a_time, False),
    "every_two_piece_split": (_every_two_piece_split, False),
    "three_piece_splits": (_three_piece_splits, False),
    "iter_events": (_declared_chunks, True),
}


def _plans(conformance_case: Case, chunker: Chunker) -> Iterator[list[list[bytes]]]:
    # Vary one connection at a time; the others arrive in one piece.
    whole = [[c.stream] for c in conformance_case.connections]
    for index, conn in enumerate(conformance_case.connections):
        for chunks in chunker(conn):
            plan = list(whole)
            plan[index] = chunks
            yield plan


def _replay(
    conformance_case: Case, plan: Sequence[Sequence[bytes]], *, via_iter: bool
) -> None:
    comments: list[str] = []
    parser = EventStreamParser(
        on_comment=comments.append,
        last_event_id=conformance_case.initial_last_event_id,
    )
    for number, (conn, chunks) in enumerate(
        zip(conformance_case.connections, plan), start=1
    ):
        sizes = [len(c) for c in chunks]
        where = f"connection {number}, {len(sizes)} chunks of sizes {sizes[:8]}"
        if via_iter:
            events = list(iter_events(chunks, parser))
        else:
            events = [event for chunk in chunks for event in parser.feed(chunk)]
            events += parser.close()
        assert events == list(conn.events), where
        assert parser.truncated is conn.truncated, where
        parser.reset()
    assert parser.last_event_id == conformance_case.last_event_id
    assert parser.retry == conformance_case.retry
    if conformance_case.comments is not None:
        assert comments == list(conformance_case.comments)


# -- tests --------------------------------------------------------------------


def test_case_ids_are_unique() -> None:
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("strategy", list(STRATEGIES))
@pytest.mark.parametrize("conformance_case", CASES, ids=[c.id for c in CASES])
def test_conformance(conformance_case: Case, strategy: str) -> None:
    chunker, via_iter = STRATEGIES[strategy]
    for plan in _plans(conformance_case, chunker):
        _replay(conformance_case, plan, via_iter=via_iter)
