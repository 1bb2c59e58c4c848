"""``python -m sse_core --endpoint NAME``: an endpoint's text, as it arrives."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
from pathlib import Path

import pytest

from sse_core import encode
from sse_core._cli import _ENDPOINTS, main
from sse_core.endpoints import ENDPOINTS, stream_events

from .endpoint_streams import STREAMS, read


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def stream_file(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "stream.sse"
    path.write_bytes(data)
    return str(path)


def test_the_cli_knows_every_endpoint() -> None:
    assert _ENDPOINTS == ENDPOINTS


@pytest.mark.parametrize(
    ("endpoint", "name"),
    [
        ("completions", "completions.sse"),
        ("chat", "chat_writer.sse"),
        ("chat", "chat_sparse.sse"),
        ("chat", "chat_graph_data.sse"),
        ("graphs.question", "graphs_question.sse"),
        ("graphs.question", "graphs_question_wrapped.sse"),
        ("web_search", "web_search.sse"),
        ("applications", "applications.sse"),
    ],
)
def test_prints_the_streamed_text(
    capsys: pytest.CaptureFixture[str], endpoint: str, name: str
) -> None:
    with stream_events(endpoint, [read(name)]) as stream:
        result = stream.final()
    text = {
        "completions": lambda r: r,
        "chat": lambda r: r.choices[0].message.content,
        "graphs.question": lambda r: r.answer,
        "web_search": lambda r: r.answer,
        "applications": lambda r: r.content,
    }[endpoint](result)
    status, out, _ = run_main(capsys, "--endpoint", endpoint, str(STREAMS / name))
    assert status == 0
    assert out == text + ("" if text.endswith("\n") else "\n")


def test_chat_with_two_choices_prints_choice_0_live_then_the_others(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run_main(
        capsys, "--endpoint", "chat", str(STREAMS / "chat_n2.sse")
    )
    assert status == 0
    assert out == "Roses are red.\n--- choice 1 ---\nViolets are blue, too.\n"


def test_chat_refusal_and_tool_calls(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(
        capsys, "--endpoint", "chat", str(STREAMS / "chat_refusal.sse")
    )
    assert (status, out) == (0, "I\u2019m sorry, I can\u2019t help with that.\n")
    status, out, err = run_main(
        capsys, "--endpoint", "chat", str(STREAMS / "chat_writer_tool_calls.sse")
    )
    assert status == 0 and out == "\n"
    assert err.splitlines() == [
        '[tool call] get_weather({"city": "Lisbon", "unit": "celsius"})',
        '[tool call] get_time({"tz": "Europe/Lisbon"})',
    ]


def test_applications_title_and_stages_go_to_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run_main(
        capsys, "--endpoint", "applications", str(STREAMS / "applications.sse")
    )
    assert status == 0
    assert out.startswith("# Outlook\nPilot production")
    assert err.splitlines() == [
        "[title] Solid-state batteries: 2024 outlook",
        "[stage s1] Searching for recent pilot lines and cell chemistries\u2026",
        "[stage s2] Comparing energy density claims (Wh/kg)",
        "[stage s3] Drafting the summary 📝",
    ]


def test_web_search_sources_go_to_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run_main(
        capsys, "--endpoint", "web_search", str(STREAMS / "web_search.sse")
    )
    assert err.splitlines() == [
        "[source] https://html.spec.whatwg.org/multipage/server-sent-events.html",
        "[source] https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events/"
        "Using_server-sent_events",
    ]


def test_the_bundled_sample_as_chat(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(capsys, "--endpoint", "chat")
    assert (status, out) == (0, "Server-Sent Events stream one token at a time ✨\n")


def test_an_error_event_exits_1_after_the_text_so_far(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    body = {
        "errors": [{"description": "Rate limit exceeded", "key": "fail.rate_limit"}]
    }
    data = encode('{"value": "Hel"}') + encode(json.dumps(body), event="error")
    status, out, err = run_main(
        capsys, "--endpoint", "completions", stream_file(tmp_path, data)
    )
    assert status == 1
    assert out == "Hel\n"
    assert (
        err
        == "sse_core: the API sent an error: Rate limit exceeded (fail.rate_limit)\n"
    )


def test_data_that_is_not_json_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = encode('{"value": "a"}') + encode("<html>502 Bad Gateway</html>")
    status, out, err = run_main(
        capsys, "--endpoint", "completions", stream_file(tmp_path, data)
    )
    assert (status, out) == (1, "a\n")
    assert err.startswith("sse_core: completions: event data is not JSON")
    assert "502 Bad Gateway" in err


def test_a_wrong_field_type_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = encode('{"choices": [{"index": 0, "delta": {"content": ["a"]}}]}')
    status, _, err = run_main(capsys, "--endpoint", "chat", stream_file(tmp_path, data))
    assert status == 1
    assert err == (
        'sse_core: chat: choices[0].delta.content: expected a string, got ["a"] (an array)\n'
    )


def test_strict_still_reports_a_cut_stream(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = encode('{"value": "a"}') + b'data: {"value": "b'
    path = stream_file(tmp_path, data)
    assert run_main(capsys, "--endpoint", "completions", path)[:2] == (0, "a\n")
    status, out, err = run_main(capsys, "--endpoint", "completions", "--strict", path)
    assert (status, out) == (1, "a\n")
    assert err.startswith("sse_core: stream ended mid-event")


def test_comments_cannot_be_combined_with_endpoint(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--endpoint", "chat", "--comments"])
    assert info.value.code == 2
    assert "--comments cannot be combined with --endpoint" in capsys.readouterr().err


def test_an_unknown_endpoint_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--endpoint", "chat.stream"])
    assert info.value.code == 2
    assert "invalid choice: 'chat.stream'" in capsys.readouterr().err


def test_text_is_printed_as_it_arrives() -> None:
    # Feed the process one event at a time and read each piece back before
    # sending the next: only a flush per piece makes this pass.
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "sse_core", "--endpoint", "completions", "-"]
    popen = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    )
    with popen as process, selectors.DefaultSelector() as selector:
        assert process.stdin is not None and process.stdout is not None
        selector.register(process.stdout, selectors.EVENT_READ)
        for piece in ["Hello", ", wörld", " 🌍"]:
            process.stdin.write(encode(json.dumps({"value": piece})))
            process.stdin.flush()
            expected = piece.encode()
            received = b""
            while len(received) < len(expected):
                # A generous guard against a hang, not a timing assertion.
                assert selector.select(timeout=60), f"no output for {piece!r}"
                received += os.read(process.stdout.fileno(), 1024)
            assert received == expected
        process.stdin.close()
        assert process.stdout.read() == b"\n"
        assert process.wait(timeout=60) == 0


def test_the_core_does_not_import_the_endpoint_layer() -> None:
    # The CLI reads the endpoint names from the light records; the layer's
    # heavy modules load only when an endpoint stream is read.
    code = (
        "import sys, sse_core\n"
        "assert not [m for m in sys.modules if m.startswith('sse_core.endpoints')]\n"
        "import sse_core._cli\n"
        "sse_core._cli.build_argument_parser()\n"
        "loaded = {m for m in sys.modules if m.startswith('sse_core.endpoints')}\n"
        "light = {'', '._records', '._errors', '._limits'}\n"
        "assert loaded == {'sse_core.endpoints' + m for m in light}, loaded\n"
        "sse_core._cli.main(['--endpoint', 'chat'])\n"
        "assert 'sse_core.endpoints._accumulate' in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True)
    assert result.returncode == 0, result.stderr
