"""One test per rule of the HTML Standard 9.2.5 / 9.2.6, plus the parser's API contract.

Rule names cite the standard: "9.2.5" is "Parsing an event stream", "9.2.6" is
"Interpreting an event stream". Every stream is checked under many splits by
``parse``, so each rule is also a chunk-boundary test.
"""

from __future__ import annotations

import asyncio
import tracemalloc
from collections.abc import AsyncIterator, Iterable

import pytest

from sse_core import (
    MAX_RETRY,
    EventStreamParser,
    IncompleteEventError,
    LimitExceededError,
    ServerSentEvent,
    SSEError,
    SSEProtocolError,
    SSETypeError,
    SSEUsageError,
    aiter_events,
    iter_events,
)

E = ServerSentEvent


def _splits(stream: bytes) -> Iterable[list[bytes]]:
    yield [stream]
    yield [stream[i : i + 1] for i in range(len(stream))]
    for i in range(len(stream) + 1):
        yield [stream[:i], stream[i:]]
    third = len(stream) // 3
    yield [b"", stream[:third], b"", stream[third:], b""]


def parse(stream: bytes, **options: object) -> list[ServerSentEvent]:
    """Parse ``stream`` under many splits; assert they agree; return the events."""
    results = []
    for pieces in _splits(stream):
        parser = EventStreamParser(**options)  # type: ignore[arg-type]
        events = [event for piece in pieces for event in parser.feed(piece)]
        events += parser.close()
        results.append((events, parser.last_event_id, parser.retry, parser.truncated))
    first = results[0]
    for other in results[1:]:
        assert other == first
    return first[0]


def state(stream: bytes) -> EventStreamParser:
    parser = EventStreamParser()
    parser.feed(stream)
    return parser


# -- 9.2.5 Parsing an event stream: decoding ------------------------------------


def test_9_2_5_utf8_decoding() -> None:
    assert parse("data: héllo → 世界 🎉\n\n".encode()) == [E(data="héllo → 世界 🎉")]


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (b"\xff", "\ufffd"),  # never valid
        (b"\x80", "\ufffd"),  # lone continuation byte
        (b"\xe2\x82", "\ufffd"),  # truncated 3-byte sequence: one U+FFFD
        (b"\xc0\xaf", "\ufffd\ufffd"),  # overlong encoding of "/"
        (b"\xed\xa0\x80", "\ufffd\ufffd\ufffd"),  # an encoded surrogate
        (b"a\xf0\x9f\x98b", "a\ufffdb"),  # truncated 4-byte sequence mid-line
    ],
)
def test_9_2_5_invalid_utf8_becomes_replacement_character(
    raw: bytes, text: str
) -> None:
    assert parse(b"data: " + raw + b"\n\n") == [E(data=text)]


def test_9_2_5_truncated_utf8_before_line_ending_is_replaced_not_joined() -> None:
    # The line ending ends the bad sequence; the next line's bytes are not
    # taken as its continuation bytes.
    assert parse(b"data: \xe2\x82\ndata: \xac\n\n") == [E(data="\ufffd\n\ufffd")]


def test_9_2_5_multibyte_character_split_across_feeds_comes_out_whole() -> None:
    parser = EventStreamParser()
    assert parser.feed(b"data: \xf0\x9f") == []
    assert parser.feed(b"\x98\x80\n\n") == [E(data="😀")]


# -- 9.2.5: the byte order mark ---------------------------------------------------


def test_9_2_5_leading_bom_is_skipped() -> None:
    assert parse(b"\xef\xbb\xbfdata: 1\n\n") == [E(data="1")]


def test_9_2_5_bom_split_across_feeds_is_skipped() -> None:
    parser = EventStreamParser()
    events = (
        parser.feed(b"\xef") + parser.feed(b"\xbb") + parser.feed(b"\xbfdata: 1\n\n")
    )
    assert events == [E(data="1")]


def test_9_2_5_only_one_bom_is_skipped() -> None:
    # The second BOM is part of the field name "\ufeffdata", an unknown field.
    assert parse(b"\xef\xbb\xbf\xef\xbb\xbfdata: 1\n\ndata: 2\n\n") == [E(data="2")]


def test_9_2_5_bom_after_the_start_is_content() -> None:
    stream = b"data: 1\n\n\xef\xbb\xbfdata: 2\n\ndata: \xef\xbb\xbf3\n\n"
    assert parse(stream) == [E(data="1"), E(data="\ufeff3")]


def test_9_2_5_bom_not_stripped_after_a_leading_blank_line() -> None:
    assert parse(b"\n\xef\xbb\xbfdata: 1\n\n") == []


# -- 9.2.5: line endings ------------------------------------------------------------


@pytest.mark.parametrize("eol", [b"\r\n", b"\n", b"\r"], ids=["crlf", "lf", "cr"])
def test_9_2_5_three_line_endings(eol: bytes) -> None:
    stream = b"data: a" + eol + b"data: b" + eol + eol + b"data: c" + eol + eol
    assert parse(stream) == [E(data="a\nb"), E(data="c")]


def test_9_2_5_mixed_line_endings() -> None:
    assert parse(b"data: a\rdata: b\r\ndata: c\n\r\n") == [E(data="a\nb\nc")]


def test_9_2_5_crlf_split_across_feeds_is_one_line_ending() -> None:
    parser = EventStreamParser()
    assert parser.feed(b"data: a\r") == []
    # If the LF were a second line ending, this would dispatch "a" now.
    assert parser.feed(b"\ndata: b\r") == []
    assert parser.feed(b"\n\r") == [E(data="a\nb")]
    assert parser.feed(b"\n") == []


def test_9_2_5_cr_cr_is_two_line_endings() -> None:
    assert parse(b"data: a\r\rdata: b\r\r") == [E(data="a"), E(data="b")]


def test_9_2_5_cr_at_end_of_feed_dispatches_without_waiting() -> None:
    parser = EventStreamParser()
    assert parser.feed(b"data: a\r\r") == [E(data="a")]


def test_9_2_5_lone_cr_at_end_of_stream_ends_the_line() -> None:
    parser = EventStreamParser()
    assert parser.feed(b"data: a\n\r") == [E(data="a")]
    assert parser.close() == []
    assert not parser.truncated


@pytest.mark.parametrize(
    "separator",
    ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"],
    ids=["LS", "PS", "NEL", "VT", "FF", "FS", "GS", "RS"],
)
def test_9_2_5_only_cr_and_lf_end_lines(separator: str) -> None:
    stream = f"data: a{separator}b\n\n".encode()
    assert parse(stream) == [E(data=f"a{separator}b")]


def test_9_2_5_final_line_without_line_ending_is_not_a_line() -> None:
    parser = EventStreamParser()
    parser.feed(b"data: a\n\nretry: 5")
    assert parser.retry is None  # the unterminated "retry: 5" was never processed
    parser.close()
    assert parser.retry is None


# -- 9.2.6 Interpreting an event stream: line kinds ---------------------------------


def test_9_2_6_blank_line_dispatches_the_event() -> None:
    parser = EventStreamParser()
    assert parser.feed(b"data: a\n") == []
    assert parser.feed(b"\n") == [E(data="a")]


def test_9_2_6_line_starting_with_colon_is_a_comment() -> None:
    assert parse(b": hello\ndata: a\n:data: b\n\n") == [E(data="a")]


def test_9_2_6_comments_reach_on_comment_in_order() -> None:
    seen: list[str] = []
    parser = EventStreamParser(on_comment=seen.append)
    parser.feed(b": ping\r\n:\n::x\n\n:data: y\r")
    assert seen == [" ping", "", ":x", "data: y"]


def test_9_2_6_comment_only_blocks_dispatch_nothing() -> None:
    assert parse(b": ping\n\n: ping\n\n") == []


def test_9_2_6_field_name_is_text_before_the_first_colon() -> None:
    assert parse(b"data:a:b: c\n\n") == [E(data="a:b: c")]


def test_9_2_6_exactly_one_leading_space_is_removed() -> None:
    assert parse(b"data:a\n\ndata: a\n\ndata:  a\n\ndata:\ta\n\n") == [
        E(data="a"),
        E(data="a"),
        E(data=" a"),
        E(data="\ta"),
    ]


def test_9_2_6_trailing_spaces_are_kept() -> None:
    assert parse(b"data: a  \n\n") == [E(data="a  ")]


def test_9_2_6_line_without_colon_is_a_field_with_empty_value() -> None:
    assert parse(b"data\n\n") == [E(data="")]
    assert parse(b"data\ndata\n\n") == [E(data="\n")]


def test_9_2_6_field_names_are_case_sensitive_and_exact() -> None:
    assert parse(b"Data: a\nDATA: b\ndata : c\n data: d\nevent : x\n\n") == []


def test_9_2_6_unknown_fields_are_ignored() -> None:
    assert parse(b"foo: bar\ndata: a\nbaz\n\n") == [E(data="a")]


# -- 9.2.6: the data field --------------------------------------------------------------


def test_9_2_6_data_lines_are_joined_with_lf() -> None:
    stream = b"data: YHOO\ndata: +2\ndata: 10\n\n"
    assert parse(stream) == [E(data="YHOO\n+2\n10")]


def test_9_2_6_data_empty_value_dispatches_empty_string() -> None:
    assert parse(b"data:\n\n") == [E(data="")]
    assert parse(b"data: \n\n") == [E(data="")]


def test_9_2_6_data_keeps_json_intact() -> None:
    events = parse(b'data: {"a": [1, 2],\ndata:  "b": "x\\ny"}\n\n')
    assert events[0].json() == {"a": [1, 2], "b": "x\ny"}


def test_9_2_6_nul_in_data_is_kept() -> None:
    assert parse(b"data: a\x00b\n\n") == [E(data="a\x00b")]


# -- 9.2.6: the event field ---------------------------------------------------------


def test_9_2_6_event_field_sets_the_type() -> None:
    assert parse(b"event: add\ndata: 1\n\n") == [E(event="add", data="1")]


def test_9_2_6_empty_event_type_means_message() -> None:
    assert parse(b"event:\ndata: 1\n\nevent\ndata: 2\n\n") == [E(data="1"), E(data="2")]


def test_9_2_6_last_event_field_in_a_block_wins() -> None:
    assert parse(b"event: a\nevent: b\ndata: 1\n\n") == [E(event="b", data="1")]


def test_9_2_6_event_type_resets_after_dispatch() -> None:
    assert parse(b"event: a\ndata: 1\n\ndata: 2\n\n") == [
        E(event="a", data="1"),
        E(data="2"),
    ]


def test_9_2_6_blank_line_with_no_data_resets_event_type() -> None:
    assert parse(b"event: a\n\ndata: 1\n\n") == [E(data="1")]


def test_9_2_6_event_type_is_case_sensitive_text() -> None:
    assert parse(b"event: Message\ndata: 1\n\n") == [E(event="Message", data="1")]


# -- 9.2.6: the id field ------------------------------------------------------------------


def test_9_2_6_id_sets_the_event_id() -> None:
    assert parse(b"id: 1\ndata: a\n\n") == [E(data="a", id="1")]


def test_9_2_6_id_persists_across_events() -> None:
    assert parse(b"id: 1\ndata: a\n\ndata: b\n\n") == [
        E(data="a", id="1"),
        E(data="b", id="1"),
    ]


def test_9_2_6_empty_id_resets_the_last_event_id() -> None:
    stream = b"id: 1\ndata: a\n\nid\ndata: b\n\nid: 2\ndata: c\n\nid:\ndata: d\n\n"
    assert [e.id for e in parse(stream)] == ["1", "", "2", ""]


def test_9_2_6_id_with_nul_is_ignored() -> None:
    stream = b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n"
    assert parse(stream) == [E(data="a", id="1"), E(data="b", id="1")]


def test_9_2_6_id_keeps_spaces_and_unicode() -> None:
    assert parse("id:  ü x \ndata: a\n\n".encode()) == [E(data="a", id=" ü x ")]


def test_9_2_6_id_only_block_updates_last_event_id_without_an_event() -> None:
    parser = state(b"id: 7\n\n")
    assert parser.last_event_id == "7"


def test_9_2_6_id_takes_effect_at_the_blank_line_not_before() -> None:
    parser = state(b"id: 7\n")
    assert parser.last_event_id == ""
    assert parser.feed(b"\n") == []
    assert parser.last_event_id == "7"


def test_9_2_6_id_in_unterminated_block_is_lost_at_close() -> None:
    parser = state(b"id: 1\n\nid: 2\ndata: x\n")
    parser.close()
    assert parser.last_event_id == "1"
    assert parser.truncated


def test_9_2_6_last_event_id_string_is_empty_before_any_id() -> None:
    assert EventStreamParser().last_event_id == ""


# -- 9.2.6: the retry field -----------------------------------------------------------------


def test_9_2_6_retry_sets_reconnection_time() -> None:
    parser = state(b"retry: 1500\n\n")
    assert parser.retry == 1500


def test_9_2_6_retry_applies_when_its_line_is_read() -> None:
    parser = state(b"retry: 1500\n")  # no blank line yet
    assert parser.retry == 1500


def test_9_2_6_retry_in_an_event_block_is_on_that_event_only() -> None:
    stream = b"retry: 10\ndata: a\n\ndata: b\n\n"
    assert parse(stream) == [E(data="a", retry=10), E(data="b")]


@pytest.mark.parametrize(
    "value",
    [
        b"+5",
        b"-1",
        b"1_000",
        b"1.5",
        b"5ms",
        b" 5",
        b"5 ",
        b"0x10",
        b"",
        b"\xd9\xa5",
        "\uff15".encode(),
        "\u00b2".encode(),
        b"1e3",
    ],
    ids=repr,
)
def test_9_2_6_retry_other_than_ascii_digits_is_ignored(value: bytes) -> None:
    parser = state(b"retry: 100\n\nretry: " + value + b"\ndata: a\n\n")
    assert parser.retry == 100


def test_9_2_6_retry_without_colon_is_ignored() -> None:
    parser = state(b"retry: 100\n\nretry\n\n")
    assert parser.retry == 100


def test_9_2_6_retry_zero_and_leading_zeros() -> None:
    assert state(b"retry: 0\n").retry == 0
    assert state(b"retry: 000123\n").retry == 123


def test_retry_with_100000_digits_is_clamped_not_raised() -> None:
    assert state(b"retry: " + b"9" * 100_000 + b"\n").retry == MAX_RETRY
    assert state(b"retry: " + b"0" * 100_000 + b"42\n").retry == 42


# -- 9.2.6: dispatch ------------------------------------------------------------------------


def test_9_2_6_empty_data_buffer_dispatches_nothing() -> None:
    assert parse(b"event: x\nid: 1\nretry: 5\n\n\n\n") == []


def test_9_2_6_trailing_lf_of_the_data_buffer_is_removed_once() -> None:
    assert parse(b"data: a\ndata:\n\n") == [E(data="a\n")]


def test_9_2_6_event_id_is_the_last_event_id_at_dispatch() -> None:
    parser = EventStreamParser()
    events = parser.feed(b"data: a\nid: 3\n\n")
    assert events == [E(data="a", id="3")]


def test_9_2_6_whatwg_example_four_blocks_two_events() -> None:
    # The standard's example: the first block dispatches "" (data buffer was
    # "\n"), the second "\n", the last block has no blank line.
    stream = b"data\n\ndata\ndata\n\ndata:"
    assert parse(stream) == [E(data=""), E(data="\n")]


def test_9_2_6_whatwg_example_space_after_colon() -> None:
    assert parse(b"data:test\n\ndata: test\n\n") == [E(data="test"), E(data="test")]


def test_9_2_6_many_events_in_one_feed() -> None:
    stream = b"".join(b"data: %d\n\n" % i for i in range(1000))
    assert [e.data for e in EventStreamParser().feed(stream)] == [
        str(i) for i in range(1000)
    ]


# -- 9.2.6 end of file: close() and truncation ------------------------------------------------


def test_9_2_6_unterminated_event_is_discarded_at_close() -> None:
    parser = EventStreamParser()
    assert parser.feed(b"data: a\n\ndata: b\n") == [E(data="a")]
    assert parser.close() == []
    assert parser.truncated


@pytest.mark.parametrize(
    "tail",
    [b"data: b\n", b"data: b", b"dat", b"id: 9\n", b": partial comment"],
    ids=["data-line", "partial-data", "partial-name", "id-change", "partial-comment"],
)
def test_truncated_when_stream_stops_mid_event(tail: bytes) -> None:
    parser = state(b"data: a\n\n" + tail)
    parser.close()
    assert parser.truncated


@pytest.mark.parametrize(
    "tail",
    [b"", b"\n", b": ping\n", b"event: x\n", b"retry: 5\n", b"id: 1\n\nid: 1\n"],
    ids=["boundary", "blank", "comment", "event-only", "retry-only", "same-id"],
)
def test_not_truncated_when_nothing_observable_is_lost(tail: bytes) -> None:
    parser = state(b"data: a\n\n" + tail)
    parser.close()
    assert not parser.truncated


def test_raise_on_incomplete_reports_what_was_discarded() -> None:
    parser = EventStreamParser(raise_on_incomplete=True)
    parser.feed(b"data: a\n\ndata: b\ndata: c\nda")
    with pytest.raises(IncompleteEventError) as info:
        parser.close()
    assert info.value.data == "b\nc"
    assert info.value.partial_line == b"da"
    assert isinstance(info.value, SSEProtocolError)
    assert parser.closed


def test_raise_on_incomplete_is_quiet_on_a_complete_stream() -> None:
    parser = EventStreamParser(raise_on_incomplete=True)
    parser.feed(b"data: a\n\n")
    assert parser.close() == []


def test_close_is_idempotent() -> None:
    parser = EventStreamParser()
    assert parser.close() == []
    assert parser.close() == []


# -- API: input types and misuse ------------------------------------------------------------


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_feed_accepts_bytes_like(kind: type) -> None:
    parser = EventStreamParser()
    assert parser.feed(kind(b"data: a\n\n")) == [E(data="a")]


def test_feed_accepts_bytes_subclass() -> None:
    class Chunk(bytes):
        pass

    assert EventStreamParser().feed(Chunk(b"data: a\n\n")) == [E(data="a")]


@pytest.mark.parametrize("value", ["data: a\n\n", 5, None, [b"data"]])
def test_feed_rejects_non_bytes(value: object) -> None:
    parser = EventStreamParser()
    with pytest.raises(SSETypeError) as info:
        parser.feed(value)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, SSEUsageError)
    assert type(value).__name__ in str(info.value)


def test_feed_after_close_raises_usage_error() -> None:
    parser = EventStreamParser()
    parser.close()
    with pytest.raises(SSEUsageError, match="after close"):
        parser.feed(b"data: a\n\n")


def test_reset_starts_a_new_stream_and_keeps_id_and_retry() -> None:
    parser = EventStreamParser()
    parser.feed(b"id: 4\nretry: 50\n\ndata: partial")
    parser.close()
    parser.reset()
    assert not parser.closed
    assert parser.last_event_id == "4"
    assert parser.retry == 50
    # A new stream: its BOM is skipped again, and nothing of the old one remains.
    assert parser.feed(b"\xef\xbb\xbfdata: b\n\n") == [E(data="b", id="4")]


def test_reset_can_set_the_last_event_id_to_resume_from() -> None:
    # A reconnecting client resumes after the last event its caller took,
    # which may be before the last one parsed.
    parser = EventStreamParser()
    parser.feed(b"id: 1\ndata: a\n\nid: 2\ndata: b\n\n")
    parser.reset(last_event_id=" 1\t")
    assert parser.last_event_id == " 1\t"
    assert parser.feed(b"data: c\n\n") == [E(data="c", id=" 1\t")]
    for bad in ("a\nb", "a\rb", "a\0b"):
        with pytest.raises(ValueError, match="NUL, CR or LF"):
            parser.reset(last_event_id=bad)
    assert parser.last_event_id == " 1\t"


def test_last_event_id_option_resumes_a_stream() -> None:
    parser = EventStreamParser(last_event_id="41")
    assert parser.last_event_id == "41"
    assert parser.feed(b"data: a\n\nid: 42\ndata: b\n\n") == [
        E(data="a", id="41"),
        E(data="b", id="42"),
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"max_line_size": 0},
        {"max_event_size": -1},
        {"max_line_size": 1.5},
        {"last_event_id": "a\x00b"},
    ],
)
def test_invalid_options_are_rejected(options: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        EventStreamParser(**options)  # type: ignore[arg-type]


def test_options_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        EventStreamParser(100)  # type: ignore[misc]


def test_on_comment_exception_propagates_and_fails_the_parser() -> None:
    def boom(text: str) -> None:
        raise RuntimeError(text)

    parser = EventStreamParser(on_comment=boom)
    with pytest.raises(RuntimeError, match="ping"):
        parser.feed(b":ping\n")
    with pytest.raises(SSEUsageError, match="reset"):
        parser.feed(b"data: a\n\n")


def test_parser_repr_shows_state() -> None:
    parser = EventStreamParser()
    parser.feed(b"id: 1\nretry: 5\n\ndata: x")
    assert (
        repr(parser) == "<EventStreamParser open last_event_id='1' retry=5 buffered=7B>"
    )


# -- Bounds -----------------------------------------------------------------------------------


def test_max_line_size_bounds_a_line_that_never_ends() -> None:
    parser = EventStreamParser(max_line_size=100)
    parser.feed(b"data: " + b"x" * 94)  # exactly 100 bytes buffered: allowed
    with pytest.raises(LimitExceededError) as info:
        parser.feed(b"x")
    error = info.value
    assert (error.limit, error.max_size, error.size) == ("max_line_size", 100, 101)
    assert "max_line_size=100" in str(error)
    assert isinstance(error, SSEProtocolError)


def test_max_line_size_bounds_complete_lines_in_one_feed() -> None:
    parser = EventStreamParser(max_line_size=10)
    with pytest.raises(LimitExceededError) as info:
        parser.feed(b"data: 1\n\ndata: 0123456789\n\ndata: 3\n\n")
    assert info.value.limit == "max_line_size"
    assert info.value.size == 16
    # The event completed before the long line is not lost.
    assert info.value.events == [E(data="1")]


def test_max_line_size_counts_bytes_without_the_line_ending() -> None:
    parser = EventStreamParser(max_line_size=7)
    assert parser.feed(b"data: a\r\n\r\n") == [E(data="a")]


def test_max_event_size_bounds_data_across_lines() -> None:
    parser = EventStreamParser(max_event_size=10)
    assert parser.feed(b"data: 01234\ndata: 0123\n\n") == [E(data="01234\n0123")]
    with pytest.raises(LimitExceededError) as info:
        parser.feed(b"data: 01234\ndata: 01234\n")
    assert (info.value.limit, info.value.max_size, info.value.size) == (
        "max_event_size",
        10,
        11,
    )
    assert "event data exceeds max_event_size=10: reached 11 bytes" in str(info.value)


def test_max_event_size_ignores_comments_and_other_fields() -> None:
    parser = EventStreamParser(max_event_size=5)
    stream = b"".join(
        b": keep-alive %d\nevent: x\nid: %d\n" % (i, i) for i in range(1000)
    )
    assert parser.feed(stream + b"data: 12345\n\n") == [
        E(event="x", data="12345", id="999")
    ]


def test_max_event_size_across_many_small_feeds() -> None:
    parser = EventStreamParser(max_event_size=1000)
    with pytest.raises(LimitExceededError) as info:
        for _ in range(10_000):
            parser.feed(b"data: 0123456789\n")
    assert info.value.limit == "max_event_size"
    assert info.value.size > 1000


def test_max_event_size_in_one_big_feed_keeps_earlier_events() -> None:
    parser = EventStreamParser(max_event_size=50)
    stream = b"data: ok\n\n" * 20 + b"data: 0123456789\n" * 10 + b"\n"
    with pytest.raises(LimitExceededError) as info:
        parser.feed(stream)
    assert info.value.events == [E(data="ok")] * 20


def test_failed_parser_refuses_input_until_reset() -> None:
    parser = EventStreamParser(max_line_size=4)
    with pytest.raises(LimitExceededError):
        parser.feed(b"data: too long")
    with pytest.raises(SSEUsageError, match="reset"):
        parser.feed(b"\n\n")
    assert parser.close() == []
    parser.reset()
    assert parser.feed(b"da\n\n") == []  # "da" is an unknown field
    assert parser.feed(b"data\n\n") == [E(data="")]


def test_all_errors_derive_from_sse_error() -> None:
    for error in (
        LimitExceededError,
        IncompleteEventError,
        SSEUsageError,
        SSETypeError,
    ):
        assert issubclass(error, SSEError)


def test_buffering_a_long_line_does_not_recopy_it() -> None:
    # Feeding one 4 MiB line in 64-byte pieces: no feed may allocate anything
    # near the size already buffered (a parser that re-joins or re-scans its
    # buffer on every feed would allocate the whole buffer each time).
    parser = EventStreamParser()
    piece = b"x" * 64
    parser.feed(b"data: ")
    tracemalloc.start()
    try:
        worst = 0
        for _ in range(65_536):
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            parser.feed(piece)
            worst = max(worst, tracemalloc.get_traced_memory()[1] - before)
    finally:
        tracemalloc.stop()
    assert worst < 4 * 1024 * 1024 // 4
    [event] = parser.feed(b"\n\n")
    assert len(event.data) == 4 * 1024 * 1024


# -- ServerSentEvent ------------------------------------------------------------------------


def test_event_defaults_and_value_semantics() -> None:
    event = E()
    assert (event.event, event.data, event.id, event.retry) == ("message", "", "", None)
    assert E(data="a", id="1") == E(event="message", data="a", id="1", retry=None)
    assert E(data="a") != E(data="b")
    assert hash(E(data="a")) == hash(E(data="a"))


def test_event_is_immutable() -> None:
    event = E(data="a")
    with pytest.raises(AttributeError):
        event.data = "b"  # type: ignore[misc]


def test_event_repr_is_readable() -> None:
    assert repr(E(event="add", data="1", id="7", retry=5)) == (
        "ServerSentEvent(event='add', data='1', id='7', retry=5)"
    )


def test_event_json() -> None:
    assert E(data='{"value": "hi"}').json() == {"value": "hi"}


# -- iter_events / aiter_events -------------------------------------------------------------


STREAM = [
    b"id: 1\r\ndata: a\r",
    b"\n\r\ndata: \xe2\x82",
    b"\xac\n\n: ping\n\ndata: cut",
]
EXPECTED = [E(data="a", id="1"), E(data="€", id="1")]


def test_iter_events() -> None:
    assert list(iter_events(STREAM)) == EXPECTED


def test_iter_events_with_a_configured_parser() -> None:
    comments: list[str] = []
    parser = EventStreamParser(on_comment=comments.append)
    assert list(iter_events(STREAM, parser)) == EXPECTED
    assert comments == [" ping"]
    assert parser.truncated
    assert parser.closed


def test_iter_events_yields_events_before_a_limit_error() -> None:
    parser = EventStreamParser(max_line_size=8)
    seen = []
    with pytest.raises(LimitExceededError):
        for event in iter_events([b"data: 1\n\ndata: 123456789\n\n"], parser):
            seen.append(event)
    assert seen == [E(data="1")]


def test_aiter_events() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for chunk in STREAM:
            await asyncio.sleep(0)
            yield chunk

    async def collect() -> list[ServerSentEvent]:
        return [event async for event in aiter_events(chunks())]

    assert asyncio.run(collect()) == EXPECTED


def test_aiter_events_yields_events_before_a_limit_error() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b"data: 1\n\ndata: 123456789\n\n"

    async def collect(seen: list[ServerSentEvent]) -> None:
        async for event in aiter_events(chunks(), EventStreamParser(max_line_size=8)):
            seen.append(event)

    seen: list[ServerSentEvent] = []
    with pytest.raises(LimitExceededError):
        asyncio.run(collect(seen))
    assert seen == [E(data="1")]


def test_9_2_5_a_stream_of_only_a_bom_is_complete() -> None:
    parser = EventStreamParser(raise_on_incomplete=True)
    assert parser.feed(b"\xef\xbb\xbf") == []
    assert parser.close() == []
    assert not parser.truncated


def test_9_2_5_lf_after_a_split_crlf_then_a_partial_line_is_held() -> None:
    # The read after a CR starts with the LF of that CRLF and then holds only
    # part of the next line: those bytes must wait for the line's end.
    parser = EventStreamParser()
    assert parser.feed(b"data: a\r\n\r") == [E(data="a")]
    assert parser.feed(b"\ndata:") == []
    assert parser.feed(b" b\r\n\r\n") == [E(data="b")]


def test_max_line_size_bounds_a_held_line_across_segments() -> None:
    # A held line is kept in 64 KiB segments: the bound counts all of them.
    parser = EventStreamParser(max_line_size=200_000)
    piece = b"x" * 1000
    parser.feed(b"data: ")
    for _ in range(199):
        parser.feed(piece)
    assert "buffered=199006B" in repr(parser)
    with pytest.raises(LimitExceededError) as info:
        parser.feed(piece)
    assert (info.value.limit, info.value.size) == ("max_line_size", 200_006)


def test_a_line_held_across_segments_comes_out_whole() -> None:
    parser = EventStreamParser(raise_on_incomplete=True)
    chunks = [bytes([65 + i % 26]) * 1000 for i in range(300)]
    parser.feed(b"data: ")
    for chunk in chunks:
        assert parser.feed(chunk) == []
    [event] = parser.feed(b"\n\n")
    assert event.data == b"".join(chunks).decode()
    parser.feed(b"data: " + b"y" * 200_000)
    with pytest.raises(IncompleteEventError) as info:
        parser.close()
    assert info.value.partial_line == b"data: " + b"y" * 200_000


def test_a_line_ended_right_after_its_bytes_were_spilled_to_a_segment() -> None:
    parser = EventStreamParser()
    assert parser.feed(b"data: " + b"x" * 70_000) == []  # over one 64 KiB segment
    assert parser.feed(b"\n\n") == [E(data="x" * 70_000)]


def test_an_open_event_of_many_small_values_keeps_its_data_exact() -> None:
    # Many small values of an open event are folded into one buffer (memory);
    # the data must come out the same, whichever path collected them.
    parser = EventStreamParser()
    for i in range(100):  # one read per line: collected as separate segments
        assert parser.feed(b"data: %d\n" % i) == []
    values = [str(i) for i in range(100)]
    assert parser.feed(b"data:x\n" * 50) == []  # one read: the line interpreter
    assert parser.feed(b"\n") == [E(data="\n".join(values + ["x"] * 50))]
    assert parser.feed(b"data: after\n\n") == [E(data="after")]


def test_repr_after_a_read_ending_in_cr() -> None:
    parser = EventStreamParser()
    parser.feed(b"data: a\r")
    assert repr(parser).startswith("<EventStreamParser open ")
