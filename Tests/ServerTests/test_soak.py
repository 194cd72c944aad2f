"""Memory does not grow with traffic: RSS after 20,000 mixed-length requests stays within
10% of RSS after the first 1,000 (buffers are pooled; nothing per request is kept)."""
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from conftest import Server


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_rss_flat_over_20000_requests():
    s = Server(listen=False)
    try:
        words = "the quick brown fox jumps over a lazy dog while swiftlet embeds every sentence it is given".split()
        local = threading.local()

        def request(i):
            # Four clients at once, each with its own connection: the server batches them,
            # which keeps 20,000 requests within a couple of minutes on 2 cores.
            if not hasattr(local, "client"):
                local.client = httpx.Client(transport=httpx.HTTPTransport(uds=s.socket), base_url="http://s", timeout=120)
            rng = random.Random(i)
            # Mixed lengths and counts, kept short: the test is about what a request leaves
            # behind, and 20,000 of them must fit a CI run on 2 cores.
            n = rng.choice((1, 1, 1, 1, 2, 3))
            texts = [" ".join(rng.choice(words) for _ in range(rng.choice((1, 2, 4, 8, 16, 40, 90)))) for _ in range(n)]
            r = local.client.post("/v1/embed", json={"texts": texts}, headers={"X-Tenant": f"t{i % 7}"})
            assert r.status_code == 200, r.text

        t0 = time.time()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(request, range(1000)))
            after_1k = rss_kib(s.proc.pid)
            list(pool.map(request, range(1000, 20000)))
        after_20k = rss_kib(s.proc.pid)
        print(f"RSS after 1,000 requests {after_1k} KiB, after 20,000 {after_20k} KiB ({time.time() - t0:.0f} s)")
        assert after_20k <= after_1k * 1.10, (after_1k, after_20k)
    finally:
        assert s.stop() == 0, s.log()
