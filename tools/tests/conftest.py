"""The tools' own tests: `python -m pytest -q tools/tests` from the repository root.

tools/ goes on sys.path here, as it does for the scripts in tools/ when Python runs them."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
