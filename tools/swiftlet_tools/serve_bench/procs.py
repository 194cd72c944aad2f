"""The servers under test as child processes: start, wait until ready, CPU time, stop."""

import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request

from ..errors import ToolError

LOOPBACK = "127.0.0.1"
# Every request of the benchmark stays on loopback, whatever http_proxy says.
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port():
    # A port another process grabs between close and the server's bind makes the server
    # fail to start, which is reported; no retry needed on a benchmark machine.
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    """User + system CPU of pid and its threads so far (/proc/PID/stat fields 14, 15)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """A server process whose stderr goes to a temp file (read back on failure)."""

    def __init__(self, name, cmd, env=None):
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"bench-serve-{name}-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        self.url = None
        self.uds = None

    def log_text(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()

    def wait(self, ready, timeout):
        """Poll ready() until it is true; the server's log in the error if it never is."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise ToolError(f"{self.name} exited with {self.proc.returncode}:\n{self.log_text()[-3000:]}")
            if ready():
                return
            time.sleep(0.2)
        self.stop()
        raise ToolError(f"{self.name} not ready after {timeout} s:\n{self.log_text()[-3000:]}")

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        os.unlink(self.log.name)


def start_swiftlet(binary, model, threads, window, sock, max_clients):
    """`swiftlet serve` on a Unix socket and an ephemeral loopback port."""
    cmd = [binary, "serve", "--socket", sock, "--listen", f"{LOOPBACK}:0", "--model", f"{model_name(model)}={model}",
           "--threads", str(threads), "--batch-window", str(window),
           # All clients come without X-Tenant, i.e. as one tenant; the default cap (32)
           # would turn the 64-client rows into a test of 429s.
           "--tenant-inflight", str(max_clients), "--no-ocr"]
    s = Server("swiftlet serve", cmd)

    def ready():
        text = s.log_text()
        m = re.search(r"listening on http://(127\.0\.0\.1:\d+)", text)
        if m and "listening on unix:" in text:
            s.url, s.uds = f"http://{m.group(1)}", sock
            return True
        return False
    s.wait(ready, 120)
    s.cmd = cmd
    return s


def start_infinity(venv, launcher, hf_dir, name, threads, batch_size):
    port = free_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", DO_NOT_TRACK="1",
               INFINITY_ANONYMOUS_USAGE_STATS="0", OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    cmd = [os.path.join(venv, "bin", "python"), launcher, "--threads", str(threads), "--",
           "v2", "--model-id", hf_dir, "--served-model-name", name, "--engine", "torch", "--device", "cpu",
           "--batch-size", str(batch_size), "--host", LOOPBACK, "--port", str(port), "--url-prefix", "/v1"]
    s = Server("infinity", cmd, env=env)
    url = f"http://{LOOPBACK}:{port}"

    def ready():
        try:
            with NO_PROXY.open(f"{url}/health", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False
    s.wait(ready, 300)
    s.url, s.cmd = url, cmd
    return s


def model_name(path):
    return os.path.basename(path).rsplit(".", 1)[0]
