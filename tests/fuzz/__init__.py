"""Coverage-guided fuzzing of sse_core with atheris.

Three targets, each a function from an input (bytes) to nothing, that raises
``AssertionError`` when an invariant breaks (see :mod:`tests.fuzz.targets`):

* ``parser``: any bytes, fed in pieces chosen by the input, with options
  chosen by the input (small bounds, ``raise_on_incomplete``, a resumed
  ``last_event_id``);
* ``encoder``: values built from the input, through ``encode`` and
  ``EventStreamEncoder`` and back through the parser;
* ``endpoints``: an event stream through every endpoint decoder and
  accumulator of :mod:`sse_core.endpoints`.

Files:

* ``corpus/<target>/``: the seed corpus, built from the repository's test
  streams by ``python -m tests.fuzz.make_corpus``;
* ``regressions/<target>/``: every input that ever found a bug, with a line
  in ``regressions/README.md`` saying what it found;
* ``corpus-work/<target>/`` (not committed): where long runs keep the new
  inputs they find.

``tests/test_fuzz.py`` replays both corpora through the invariants on every
test run, then runs a short, bounded atheris campaign per target. A long run,
from the repository's root, for an hour on two cores::

    mkdir -p tests/fuzz/corpus-work/parser
    python -m tests.fuzz parser -max_total_time=3600 -fork=2 \\
        tests/fuzz/corpus-work/parser tests/fuzz/corpus/parser

libFuzzer writes the new inputs it finds to the first directory, and an input
that fails to ``crash-<sha1>`` in the current directory (or under
``-artifact_prefix=``); ``python -m tests.fuzz parser crash-<sha1>`` replays
it. A failing input goes to ``regressions/<target>/`` once understood.
"""
