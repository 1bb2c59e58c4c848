"""``python -m sse_core``: the core command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from sse_core import DEFAULT_MAX_EVENT_SIZE, DEFAULT_MAX_LINE_SIZE, encode
from sse_core._cli import build_argument_parser, main


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


def test_the_limits_are_checked_as_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--max-event-size", "0"])
    assert info.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert "--max-event-size: expected a positive integer, got '0'" in line


# -- a note when the input held no events ---------------------------------------


def binary_file(tmp_path: Path) -> Path:
    # What a program file looks like to the parser: lines of bytes that name
    # no field, so every one is ignored (9.2.6) and no event is dispatched.
    path = tmp_path / "program"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40)
    return path


@pytest.mark.parametrize("source", ["generated", "/bin/ls"])
def test_a_file_that_is_not_an_event_stream_gets_a_note(
    tmp_path: Path, source: str
) -> None:
    # Issue 12: `python -m sse_core /bin/ls` printed nothing and exited 0.
    path = Path(source) if source.startswith("/") else binary_file(tmp_path)
    if not path.exists():
        pytest.skip(f"{path} does not exist on this system")
    result = run(str(path))
    assert result.returncode == 0
    assert result.stdout == b""
    [note] = result.stderr.decode().splitlines()
    size = path.stat().st_size
    assert note.startswith(f"sse_core: no events in {size:,} bytes of input")
    assert note.endswith("is it an event stream?")


def test_the_note_goes_with_endpoint_output_too(tmp_path: Path) -> None:
    result = run("--endpoint", "chat", str(binary_file(tmp_path)))
    assert (result.returncode, result.stdout) == (0, b"")
    assert result.stderr.startswith(b"sse_core: no events in ")


@pytest.mark.parametrize(
    ("stream", "args", "note"),
    [
        (b"", [], ""),
        (b"data: a\n\n", [], ""),
        (b": keep-alive\n\n", ["--comments"], ""),
        (b": keep-alive\n\n", [], "sse_core: no events in 14 bytes of input"),
        (b"data: a\n\ndata: b", [], "sse_core: the input ended in the middle of"),
    ],
    ids=["empty", "events", "comments-shown", "comments-only", "cut"],
)
def test_notes(stream: bytes, args: list[str], note: str) -> None:
    result = run("-", *args, stdin=stream)
    assert result.returncode == 0
    assert result.stderr.decode().startswith(note)
    assert result.stderr.count(b"\n") == (1 if note else 0)


# -- progress -------------------------------------------------------------------


def test_progress_on_a_file_shows_a_summary(tmp_path: Path) -> None:
    # Issue 12: --progress on a file showed nothing.
    path = tmp_path / "stream.sse"
    path.write_bytes(b"data: a\n\ndata: b\n\n")
    result = run("--progress", str(path))
    assert result.returncode == 0
    assert len(result.stdout.splitlines()) == 2
    [summary] = result.stderr.decode().splitlines()
    assert summary.startswith("[sse_core] 18 bytes in 1 read, ")
    assert summary.endswith(" s")


def test_no_progress_off_a_terminal_by_default(tmp_path: Path) -> None:
    result = run("-", stdin=b"data: a\n\n")
    assert result.stderr == b""


# -- help -----------------------------------------------------------------------


def test_every_option_has_help() -> None:
    # Issue 12: --max-line-size and --max-event-size had none.
    parser = build_argument_parser()
    for action in parser._actions:
        assert action.help, action.option_strings or action.dest


def test_help_ends_with_the_exit_statuses() -> None:
    from sse_core._cli import EXIT_STATUSES

    text = build_argument_parser().format_help()
    table = text[text.index("exit status:") :]
    for status, meaning in EXIT_STATUSES:
        row = re.search(rf"^  {status} +(.*(?:\n {{7}}.*)*)", table, re.MULTILINE)
        assert row is not None, status
        assert " ".join(row.group(1).split()) == meaning


def test_python_m_names_itself_so() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert result.stdout.startswith(b"usage: python -m sse_core ")


def test_the_installed_command_names_itself_sse_core(tmp_path: Path) -> None:
    # Issue 12: `sse-core --help` called itself `python -m sse_core`. This is
    # the script pip writes for the [project.scripts] entry point.
    script = tmp_path / "sse-core"
    script.write_text(
        "import re\nimport sys\nfrom sse_core._cli import main\n"
        "if __name__ == '__main__':\n"
        "    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        "    sys.exit(main())\n"
    )
    result = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True
    )
    assert result.returncode == 0
    assert result.stdout.startswith(b"usage: sse-core ")
    result = subprocess.run(
        [sys.executable, str(script), "--frobnicate"], capture_output=True
    )
    assert result.returncode == 2
    assert result.stderr.endswith(b"(see sse-core --help)\n")


# -- docs/cli.md matches the code -------------------------------------------------

CLI_PAGE = Path(__file__).parent.parent / "docs" / "cli.md"


def test_the_docs_table_of_exit_statuses_is_the_help_table() -> None:
    from sse_core._cli import EXIT_STATUSES

    page = CLI_PAGE.read_text(encoding="utf-8")
    table = page[page.index("| Status | Meaning |") :].split("\n\n")[0]
    rows = [line.strip("|").split("|") for line in table.splitlines()[2:]]
    # The page may set options in `code`; the words are the same.
    documented = tuple(
        (int(status), meaning.strip().replace("`", "")) for status, meaning in rows
    )
    assert documented == EXIT_STATUSES


def test_the_docs_describe_every_option() -> None:
    page = CLI_PAGE.read_text(encoding="utf-8")
    options = [
        option
        for action in build_argument_parser()._actions
        for option in action.option_strings
    ]
    assert options and [o for o in options if f"`{o}" not in page] == []
    assert "sse-core" in page
    # The defaults the page states are the parser's.
    assert f"(default {DEFAULT_MAX_LINE_SIZE:,}," in page
    assert f"(default {DEFAULT_MAX_EVENT_SIZE:,}," in page


@pytest.mark.parametrize("endpoint", [[], ["--endpoint", "completions"]])
def test_a_reader_that_stops_early_is_not_an_error(
    tmp_path: Path, endpoint: list[str]
) -> None:
    # `sse-core ... | head -n 1`: stdout's pipe closes; status 0, stderr quiet.
    path = tmp_path / "big.sse"
    path.write_bytes(b"".join(encode(f'{{"value": "{n}"}}') for n in range(100_000)))
    command = [sys.executable, "-m", "sse_core", str(path), *endpoint]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(1)
        process.stdout.close()
        err = process.stderr.read()
        assert process.wait(timeout=60) == 0
    assert err == b""


@pytest.mark.parametrize("endpoint", [[], ["--endpoint", "completions"]])
def test_memory_does_not_grow_with_the_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, endpoint: list[str]
) -> None:
    # The CLI keeps counters, not the stream: a stream four times as long
    # peaks at about the same traced memory (reads are 64 KiB). With
    # --endpoint it also keeps the text (see below).
    path = tmp_path / "stream.sse"
    peaks = []
    for count in (5_000, 20_000):
        path.write_bytes(encode(json.dumps({"value": "x" * 40})) * count)
        with open(os.devnull, "w", encoding="utf-8") as sink:
            monkeypatch.setattr(sys, "stdout", sink)
            tracemalloc.start()
            try:
                assert main([str(path), *endpoint]) == 0
                peaks.append(tracemalloc.get_traced_memory()[1])
            finally:
                tracemalloc.stop()
    if not endpoint:
        assert peaks[1] < peaks[0] * 1.5 + 64 * 1024, peaks
    else:
        # With --endpoint the text goes through the helper events, whose
        # accumulator keeps the streamed text (for the .done events and
        # final()): memory grows with the text, a few bytes per character,
        # never with the raw stream around it.
        extra_text = (20_000 - 5_000) * 40
        assert peaks[1] - peaks[0] < 6 * extra_text, peaks
