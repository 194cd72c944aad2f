"""The Python server compared with: infinity-emb in its own venv (made on first use)."""

import json
import os
import subprocess
import sys

from ..errors import ToolError
from ..paths import TOOLS

PINS = os.path.join(TOOLS, "requirements.d", "bench-serve-infinity.venv")
LAUNCHER = os.path.join(TOOLS, "bench", "infinity_server.py")
PACKAGES = ("infinity-emb", "torch", "sentence-transformers", "transformers", "fastapi", "uvicorn", "numpy")


def ensure_venv(venv, log):
    py = os.path.join(venv, "bin", "python")
    if os.path.exists(os.path.join(venv, "bin", "infinity_emb")):
        return py
    log(f"creating {venv} with infinity-emb ({os.path.relpath(PINS, os.path.dirname(TOOLS))}); a few minutes, once")
    for cmd in ([sys.executable, "-m", "venv", venv],
                [py, "-m", "pip", "install", "-q", "-r", PINS]):
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode != 0:
            raise ToolError(f"{' '.join(cmd)} failed:\n{p.stderr[-3000:]}")
    return py


def versions(py):
    code = ("import importlib.metadata as m, json, platform; "
            f"print(json.dumps({{p: m.version(p) for p in {PACKAGES!r}}} | {{'python': platform.python_version()}}))")
    p = subprocess.run([py, "-c", code], capture_output=True, text=True)
    if p.returncode != 0:
        raise ToolError(f"cannot read package versions in {py}: {p.stderr.strip()}")
    return json.loads(p.stdout)
