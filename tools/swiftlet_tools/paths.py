"""Where the repository's parts are, wherever a tool is started from."""

import os

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TOOLS)
GOLDEN = os.path.join(REPO, "golden")
