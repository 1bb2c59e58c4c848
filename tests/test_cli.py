"""``python -m sse_core``: the core command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from sse_core._cli import main


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "sse_core", *args], input=stdin, capture_output=True
    )


def test_sample_stream_prints_one_json_object_per_event() -> None:
    result = run()
    assert result.returncode == 0
    events = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert events[0] == {
        "event": "message",
        "data": events[0]["data"],
        "id": "1",
        "retry": None,
    }
    assert json.loads(events[0]["data"])["object"] == "chat.completion.chunk"
    assert events[-1]["data"] == "[DONE]"
    assert {"event": "notice", "data": "a multi-line\nevent with a name"}.items() <= (
        events[-2].items()
    )


def test_stdin_with_crlf_and_unicode() -> None:
    result = run("-", stdin="id: 5\r\ndata: ü 🎉\r\n\r\n".encode())
    assert result.returncode == 0
    line = result.stdout.decode().strip()
    assert json.loads(line) == {
        "event": "message",
        "data": "ü 🎉",
        "id": "5",
        "retry": None,
    }
    assert "ü 🎉" in line  # not escaped


def test_file_argument(tmp_path: Path) -> None:
    path = tmp_path / "stream.sse"
    path.write_bytes(b"retry: 10\ndata: a\n\n")
    assert main([str(path)]) == 0


def test_comments_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "stream.sse"
    path.write_bytes(b": ping\n\ndata: a\n\n")
    assert main([str(path), "--comments"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert next(json.loads(line) for line in lines) == {"comment": " ping"}


def test_strict_exits_1_on_a_cut_stream() -> None:
    result = run("-", "--strict", stdin=b"data: a\n\ndata: b")
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    assert b"mid-event" in result.stderr


def test_limit_error_exits_1_with_message() -> None:
    result = run("-", "--max-line-size", "4", stdin=b"data: too long\n\n")
    assert result.returncode == 1
    assert b"max_line_size=4" in result.stderr


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["/nonexistent/stream.sse"]) == 2
    assert "cannot read" in capsys.readouterr().err
