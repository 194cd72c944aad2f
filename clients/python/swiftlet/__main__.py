"""`python -m swiftlet embed|tokenize|ocr …`: the CLI's JSON lines from Python."""
import sys

from .cli import main

sys.exit(main())
