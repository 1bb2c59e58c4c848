"""Run one fuzz target under atheris: ``python -m tests.fuzz TARGET [libFuzzer flags] [DIR...]``.

Run it from the repository's root. ``TARGET`` is ``parser``, ``encoder`` or
``endpoints``; the rest goes to libFuzzer as is (``-runs=N``,
``-max_total_time=S``, ``-jobs=N``, corpus directories: new inputs go to the
first one). ``-max_len`` defaults to 4 KiB (16 KiB for ``endpoints``, whose
seeds are recorded streams of that size).
"""

from __future__ import annotations

import sys

import atheris

MAX_LEN = {"parser": 4096, "encoder": 4096, "endpoints": 16384}


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.exit("usage: python -m tests.fuzz TARGET [libFuzzer flags] [DIR...]")
    # Coverage feedback from the code under test, not from the harness.
    with atheris.instrument_imports(include=["sse_core"]):
        from .targets import TARGETS
    target = argv[1]
    if target not in TARGETS:
        sys.exit(f"unknown target {target!r}; expected one of {', '.join(TARGETS)}")
    flags = argv[2:]
    if not any(flag.startswith("-max_len=") for flag in flags):
        flags.append(f"-max_len={MAX_LEN[target]}")
    # libFuzzer starts -jobs/-fork workers by running argv[0] and the flags
    # through the shell: make that command this module, with its target.
    command = f"{sys.executable} -m tests.fuzz {target}"
    atheris.Setup([command, *flags], TARGETS[target])
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
