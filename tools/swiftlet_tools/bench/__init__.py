"""Timing helpers the benchmarks in tools/ run in other interpreters (kept out of the
top-level package, whose modules tools/setup.sh hashes as converter code)."""
