"""Start-up and shutdown: stale and live sockets, SIGTERM drain."""
import os
import signal
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from conftest import BIN, MINILM, Server, decode_embed, metric


def test_stale_socket_is_replaced(tmp_path):
    path = str(tmp_path / "stale.sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(path)
    s.close()  # a socket file nobody listens on: what a crash leaves
    assert os.path.exists(path)
    srv = Server(socket_path=path, listen=False)
    try:
        assert srv.uds.get("/healthz").status_code == 200
    finally:
        assert srv.stop() == 0
    assert not os.path.exists(path)


def test_live_socket_is_left_alone():
    first = Server(listen=False)
    try:
        inode = os.stat(first.socket).st_ino
        r = subprocess.run([str(BIN), "serve", "--socket", first.socket, "--model", str(MINILM)],
                           capture_output=True, text=True, timeout=120)
        assert r.returncode != 0
        assert "already listening" in r.stderr
        assert os.stat(first.socket).st_ino == inode
        assert first.uds.get("/healthz").status_code == 200
    finally:
        assert first.stop() == 0


def test_sigterm_answers_requests_in_flight():
    # A drain longer than the default 30 s: on a loaded 2-core machine the 20 queued
    # requests can take more than that, and the server then rightly closes the rest.
    srv = Server("--drain-timeout", "150", listen=False)
    texts = ["a sentence to embed while the server shuts down " * 8 + str(i) for i in range(48)]

    def post(i):
        with httpx.Client(transport=httpx.HTTPTransport(uds=srv.socket), base_url="http://s", timeout=120) as h:
            return decode_embed(h.post("/v1/embed", json={"texts": texts}, headers={"X-Tenant": f"t{i}"})).shape

    try:
        with ThreadPoolExecutor(20) as pool:
            futures = [pool.submit(post, i) for i in range(20)]
            # Signal only once the server has received all 20 (answered ones leave the gauge,
            # and the /metrics request reading it counts itself): a client that had not yet
            # connected when the socket file is removed would fail, rightly.
            deadline = time.time() + 60
            while metric(srv.uds, "swiftlet_requests_in_flight") - 1 + metric(srv.uds, "swiftlet_requests_total", route="/v1/embed") < 20:
                assert time.time() < deadline, "requests did not arrive"
                time.sleep(0.02)
            assert metric(srv.uds, "swiftlet_requests_in_flight") >= 3, "too few requests left in flight to test the drain"
            srv.proc.send_signal(signal.SIGTERM)
            shapes = [f.result() for f in futures]
        assert shapes == [(48, 384)] * 20
        assert srv.proc.wait(timeout=120) == 0
        assert not os.path.exists(srv.socket)
    finally:
        if srv.proc.poll() is None:
            srv.proc.kill()


@pytest.mark.parametrize("args,message", [
    (["--socket", "/tmp/x.sock"], "no models"),
    (["--model", "nope.swl", "--socket", "/tmp/swl-test-nope.sock"], "nope.swl"),
    (["--socket", "/tmp/swl-test-bogus.sock", "--model", "x=y", "--bogus", "1"], "Unknown option '--bogus'"),
])
def test_startup_errors_are_clear(args, message):
    r = subprocess.run([str(BIN), "serve"] + args, capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert message in r.stderr, r.stderr


def test_exit_with_parent(tmp_path):
    """--exit-with-parent: killing the spawning process (even with -9) stops the server,
    which then drains and removes its socket like on SIGTERM."""
    sock = str(tmp_path / "p.sock")
    parent = subprocess.Popen(["bash", "-c", f'"$0" serve --socket {sock} --model {MINILM} --exit-with-parent & echo $!; wait', str(BIN)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    server_pid = int(parent.stdout.readline())
    deadline = time.time() + 60
    while not os.path.exists(sock) and time.time() < deadline:
        time.sleep(0.05)
    assert os.path.exists(sock)
    parent.kill()
    parent.wait()
    deadline = time.time() + 30
    def gone(pid):
        # An exited process may linger as a zombie until whoever adopted it reaps it.
        try:
            with open(f"/proc/{pid}/status") as f:
                return any(l.startswith("State:") and "Z" in l.split()[1] for l in f)
        except FileNotFoundError:
            return True

    while time.time() < deadline:
        if gone(server_pid):
            break
        time.sleep(0.1)
    else:
        os.kill(server_pid, signal.SIGKILL)
        raise AssertionError("server outlived its parent")
    assert not os.path.exists(sock)
