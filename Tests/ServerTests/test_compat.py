"""OpenAI, Ollama and TEI surfaces through their official clients where one exists, on
the TCP listener; vectors must equal the CLI's."""
import base64

import numpy as np

from conftest import E5, MINILM, TEXTS, cli_embed


def test_openai_sdk_base64_and_float(server):
    import openai
    client = openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused")
    ref = cli_embed(MINILM, TEXTS)
    # The SDK asks for base64 by default and decodes it to floats itself.
    r = client.embeddings.create(model="all-MiniLM-L6-v2", input=TEXTS)
    got = np.array([d.embedding for d in r.data], dtype=np.float32)
    assert np.abs(got - ref).max() <= 1e-6
    assert [d.index for d in r.data] == list(range(len(TEXTS)))
    assert r.usage.prompt_tokens == r.usage.total_tokens > len(TEXTS)
    r = client.embeddings.create(model="all-MiniLM-L6-v2", input=TEXTS[0], encoding_format="float")
    assert np.abs(np.array(r.data[0].embedding, dtype=np.float32) - ref[0]).max() <= 1e-6
    assert [m.id for m in client.models.list().data] == ["all-MiniLM-L6-v2", "multilingual-e5-small"]


def test_openai_errors_shape(server):
    import openai
    client = openai.OpenAI(base_url=server.base_url + "/v1", api_key="unused", max_retries=0)
    for kwargs, param in (({"input": [[1, 2, 3]]}, "input"), ({"input": "x", "dimensions": 12}, "dimensions"),
                          ({"input": "x", "encoding_format": "int8"}, "encoding_format")):
        try:
            client.embeddings.create(model="all-MiniLM-L6-v2", **kwargs)
            raise AssertionError(f"accepted {kwargs}")
        except openai.BadRequestError as e:
            assert e.status_code == 400
            assert e.body["type"] == "invalid_request_error" and e.body["param"] == param
    try:
        client.embeddings.create(model="nope", input="x")
        raise AssertionError("unknown model accepted")
    except openai.NotFoundError as e:
        assert e.status_code == 404


def test_openai_raw_base64_bytes(server):
    with server.tcp() as c:
        r = c.post("/v1/embeddings", json={"model": "all-MiniLM-L6-v2", "input": ["a", "b"], "encoding_format": "base64"})
        assert r.status_code == 200
        vecs = [np.frombuffer(base64.b64decode(d["embedding"]), dtype="<f4") for d in r.json()["data"]]
    ref = cli_embed(MINILM, ["a", "b"])
    assert np.abs(np.stack(vecs) - ref).max() <= 1e-6


def test_ollama_client(server):
    import ollama
    client = ollama.Client(host=server.base_url)
    ref = cli_embed(E5, TEXTS)
    r = client.embed(model="multilingual-e5-small", input=TEXTS)
    assert np.abs(np.array(r.embeddings, dtype=np.float32) - ref).max() <= 1e-6
    assert r.prompt_eval_count > len(TEXTS) and r.total_duration > 0
    r = client.embed(model="multilingual-e5-small:latest", input=TEXTS[0])
    assert np.abs(np.array(r.embeddings[0], dtype=np.float32) - ref[0]).max() <= 1e-6
    legacy = client.embeddings(model="all-MiniLM-L6-v2", prompt=TEXTS[1])
    assert np.abs(np.array(legacy.embedding, dtype=np.float32) - cli_embed(MINILM, TEXTS[1:2])[0]).max() <= 1e-6
    tags = client.list()
    assert {m.model for m in tags.models} == {"all-MiniLM-L6-v2", "multilingual-e5-small"}
    show = client.show("all-MiniLM-L6-v2")
    assert "embedding" in (show.capabilities or [])
    try:
        client.embed(model="nope", input="x")
        raise AssertionError("unknown model accepted")
    except ollama.ResponseError as e:
        assert e.status_code == 404


def test_ollama_truncate_false_rejects_long_input(server):
    long_text = "word " * 2000
    with server.tcp() as c:
        r = c.post("/api/embed", json={"model": "all-MiniLM-L6-v2", "input": long_text, "truncate": False})
        assert r.status_code == 400 and "error" in r.json()
        r = c.post("/api/embed", json={"model": "all-MiniLM-L6-v2", "input": long_text})
        assert r.status_code == 200 and len(r.json()["embeddings"][0]) == 384
        assert c.get("/api/version").json()["version"]
        assert c.get("/").text == "Ollama is running"


def test_tei_endpoints(server):
    ref = cli_embed(MINILM, TEXTS)
    with server.tcp() as c:
        r = c.post("/embed", json={"inputs": TEXTS})
        assert r.status_code == 200
        assert np.abs(np.array(r.json(), dtype=np.float32) - ref).max() <= 1e-6
        raw = np.array(c.post("/embed", json={"inputs": TEXTS[0], "normalize": False}).json()[0], dtype=np.float32)
        assert abs(np.linalg.norm(raw) - 1) > 1e-3
        assert np.abs(raw / np.linalg.norm(raw) - ref[0]).max() <= 1e-5
        r = c.post("/embed", json={"inputs": "word " * 2000})
        assert r.status_code == 413 and r.json()["error_type"] == "Validation"
        assert c.post("/embed", json={"inputs": "word " * 2000, "truncate": True}).status_code == 200
        tok = c.post("/tokenize", json={"inputs": "hello world"}).json()[0]
        assert [t["text"] for t in tok] == ["[CLS]", "hello", "world", "[SEP]"]
        assert tok[1]["start"] == 0 and tok[1]["stop"] == 5 and tok[0]["special"] is True
        info = c.get("/info").json()
        assert info["model_id"] == "all-MiniLM-L6-v2" and info["max_input_length"] > 0
        assert c.get("/health").status_code == 200
