"""Every rejection is a JSON body with the right status, counted in /metrics, and runs
no inference."""
import time

from conftest import metric


def batches(server):
    return metric(server.uds, "swiftlet_batch_size_count")


def check(r, status, code=None):
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert isinstance(body["error"], dict) and body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body


def test_400_malformed_and_empty(server):
    before = batches(server)
    fails = metric(server.uds, "swiftlet_failures_total", reason="validation")
    check(server.uds.post("/v1/embed", content=b"{not json"), 400)
    check(server.uds.post("/v1/embed", json={"texts": []}), 400)
    check(server.uds.post("/v1/embed", json={"texts": [""]}), 400)
    check(server.uds.post("/v1/embed", json={"texts": "not a list"}), 400)
    check(server.uds.post("/v1/embed", json={"texts": ["a"], "mode": "sideways"}), 400)
    check(server.uds.post("/v1/embed", content=b""), 400)
    check(server.uds.post("/v1/embed", json={"texts": ["a"]}, headers={"X-Deadline": "soon"}), 400)
    assert metric(server.uds, "swiftlet_failures_total", reason="validation") == fails + 7
    assert batches(server) == before


def test_404_unknown_model_and_route(server):
    check(server.uds.post("/v1/embed", json={"model": "nope", "texts": ["a"]}), 404, "model_not_found")
    check(server.uds.get("/no/such/route"), 404)


def test_413_too_many_texts_and_body(server):
    before = batches(server)
    check(server.uds.post("/v1/embed", json={"texts": ["a"] * 129}), 413, "too_large")
    check(server.uds.post("/v1/embed", content=b"{" + b" " * (17 << 20) + b"}"), 413)
    assert metric(server.uds, "swiftlet_failures_total", reason="too_large") >= 2
    assert batches(server) == before


def test_415_and_422_images(server):
    before = batches(server)
    check(server.uds.post("/v1/extract", content=b"GIF89a....", headers={"Content-Type": "image/gif"}), 415)
    check(server.uds.post("/v1/extract", content=b"\x89PNG\r\n\x1a\nbroken", headers={"Content-Type": "image/png"}), 422)
    check(server.uds.post("/v1/extract", content=b"\xff\xd8\xff\xe0 not really", headers={"Content-Type": "image/jpeg"}), 422)
    assert batches(server) == before


def test_504_deadline_passed(server):
    before = batches(server)
    n = metric(server.uds, "swiftlet_failures_total", reason="deadline")
    past = str(int(time.time() * 1000) - 1000)
    check(server.uds.post("/v1/embed", json={"texts": ["late"]}, headers={"X-Deadline": past}), 504, "deadline")
    assert metric(server.uds, "swiftlet_failures_total", reason="deadline") >= n + 1
    assert batches(server) == before
    future = str(int(time.time() * 1000) + 60_000)
    assert server.uds.post("/v1/embed", json={"texts": ["in time"]}, headers={"X-Deadline": future}).status_code == 200


def test_metrics_parse(server):
    from prometheus_client.parser import text_string_to_metric_families
    server.uds.post("/v1/embed", json={"texts": ["count me"]})
    names = {f.name for f in text_string_to_metric_families(server.uds.get("/metrics").text)}
    for n in ("swiftlet_requests", "swiftlet_batch_size", "swiftlet_inference_duration_seconds",
              "swiftlet_request_duration_seconds", "swiftlet_queue_duration_seconds", "swiftlet_model_load_seconds"):
        assert n in names, (n, sorted(names))


def test_lone_surrogate_is_a_clear_400(server):
    body = b'{"texts": ["\\ud800 lone high"]}'
    r = server.uds.post("/v1/embed", content=body, headers={"Content-Type": "application/json"})
    assert "unpaired UTF-16 surrogate" in check(r, 400)["error"]["message"]
