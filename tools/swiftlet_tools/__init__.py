"""Swiftlet's Python tools: the .swl writer, the model converter, golden-data generators
and benchmarks. Run through the entry scripts in tools/ (tools/README.md)."""
