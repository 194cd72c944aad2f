"""The Go load generator (tools/bench/loadgen.go): build once, run one cell."""

import json
import os
import shutil
import subprocess

from ..errors import ToolError
from ..paths import TOOLS

SOURCE = os.path.join(TOOLS, "bench", "loadgen.go")


def build(out_dir):
    go = shutil.which("go")
    if not go:
        raise ToolError("go is not on PATH: the load generator is tools/bench/loadgen.go (standard library only)")
    exe = os.path.join(out_dir, "loadgen")
    # GOPATH mode with the proxy off: a single stdlib-only file, never a module download.
    env = dict(os.environ, GO111MODULE="off", GOPROXY="off", GOFLAGS="", CGO_ENABLED="0")
    p = subprocess.run([go, "build", "-o", exe, SOURCE], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise ToolError(f"building {SOURCE} failed:\n{p.stderr}")
    version = subprocess.run([go, "version"], capture_output=True, text=True).stdout.strip()
    return exe, version


def run(exe, server, api, texts_file, per, clients, seconds, model):
    """One cell: clients closed-loop clients sending per texts each request for seconds.

    api "embed" is the sidecar protocol over server.uds; "openai" is /v1/embeddings over
    TCP. Returns the loadgen JSON plus the server's CPU seconds during the timed part."""
    url = f"{server.url}/v1/embeddings" if api == "openai" else "http://swiftlet/v1/embed"
    # Enough requests that time, not count, ends the cell; at least two rounds of clients.
    requests = max(2 * clients, int(seconds * 2000 / per))
    cmd = [exe, "-url", url, "-api", api, "-texts", texts_file, "-per", str(per), "-c", str(clients),
           "-requests", str(requests), "-max-seconds", str(seconds), "-model", model]
    if api == "embed":
        cmd += ["-uds", server.uds]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # loadgen prints "timed" once its warm-up is over, so server CPU covers only the timed part.
    first = p.stdout.readline()
    cpu0 = server.cpu()
    try:
        out, err = p.communicate(timeout=seconds + 900)
    except subprocess.TimeoutExpired:
        p.kill()
        raise ToolError(f"loadgen did not finish: {' '.join(cmd)}")
    cpu1 = server.cpu()
    if p.returncode != 0 or first.strip() != "timed" or not out.strip():
        raise ToolError(f"loadgen failed ({p.returncode}): {err.strip()}")
    res = json.loads(out.strip().splitlines()[-1])
    res["server_cpu_s"] = cpu1 - cpu0
    return res
