"""Side-by-side benchmarks of sse_core and the SSE decoders in use today.

Run ``python -m benchmarks --help``; see benchmarks/README.md.
"""
