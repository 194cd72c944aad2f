#!/usr/bin/env python3
"""Checks the examples the documents show are the programs tools/test-clients.sh runs:
each file below must appear verbatim as a fenced code block in each document.

    check_examples.py REPO
"""
import sys
from pathlib import Path

EXAMPLES = {"c": "clients/c/example.c", "python": "clients/python/example.py", "go": "clients/go/example/main.go"}
DOCUMENTS = ["README.md", "docs/C-ABI.md"]


def main(repo):
    repo = Path(repo)
    problems = []
    for doc in DOCUMENTS:
        text = (repo / doc).read_text(encoding="utf-8")
        for fence, path in EXAMPLES.items():
            code = (repo / path).read_text(encoding="utf-8")
            if f"```{fence}\n{code}```\n" not in text:
                problems.append(f"{doc} does not show {path} verbatim in a ```{fence} block")
    for p in problems:
        print(f"check_examples: FAIL: {p}", file=sys.stderr)
    if not problems:
        print(f"check_examples: {len(EXAMPLES)} examples shown verbatim in {', '.join(DOCUMENTS)}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
