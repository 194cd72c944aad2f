"""`tools/bench.py serve`: `swiftlet serve` under concurrent load, against Swiftlet
in-process and against a Python embedding server (docs/BENCHMARKS.md)."""
