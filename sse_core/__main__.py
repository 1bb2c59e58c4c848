"""``python -m sse_core``: see :mod:`sse_core._cli`."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
