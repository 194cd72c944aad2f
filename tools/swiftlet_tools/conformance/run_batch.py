"""All prepared cases through `swiftlet run --batch`, in as few launches as possible: one,
plus one more after any case that kills the process (that case is then a failure)."""

import json
import os
import subprocess
from typing import Dict, List

from .convert_all import Prepared


def run_all(swiftlet: str, items: List[Prepared], work: str) -> Dict[int, str]:
    """Index → error text for the items that did not run; the rest wrote their outputs."""
    errors: Dict[int, str] = {}
    start = 0
    while start < len(items):
        batch = os.path.join(work, f"batch-{start}.txt")
        with open(batch, "w") as f:
            f.write("".join(p.batch_line() + "\n" for p in items[start:]))
        proc = subprocess.run([swiftlet, "run", "--threads", "1", "--batch", batch],
                              capture_output=True, text=True)
        last_started, finished = None, set()
        for line in proc.stdout.splitlines():
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if "case" not in msg:
                continue
            k = start + msg["case"]
            if msg.get("start"):
                last_started = k
            elif "error" in msg:
                errors[k] = msg["error"]
                finished.add(k)
            elif msg.get("ok"):
                finished.add(k)
        if proc.returncode == 0:
            break
        if last_started is None or last_started in finished:
            raise RuntimeError(f"swiftlet run --batch failed before any case: {proc.stderr.strip()[-500:]}")
        # The process died inside this case (a trap or a signal): that is the case's failure.
        errors[last_started] = f"process died (exit {proc.returncode}): {proc.stderr.strip()[-300:]}"
        start = last_started + 1
    return errors
