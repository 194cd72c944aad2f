#!/usr/bin/env python3
"""`swiftlet serve` under concurrent load vs Swiftlet in-process and infinity-emb
(`tools/bench.py serve`; swiftlet_tools/serve_bench/cli.py says what it measures).

    .venv/bin/python tools/bench.py serve [--quick] [--markdown] [--json OUT]
"""
import sys

from swiftlet_tools.errors import ToolError
from swiftlet_tools.serve_bench.cli import main

if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except ToolError as e:
        sys.exit(f"bench.py serve: error: {e}")
