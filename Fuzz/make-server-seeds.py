#!/usr/bin/env python3
"""Writes the seed inputs of the server fuzz target (Fuzz/Seeds/server/), deterministically,
from the request bodies Tests/ServerTests sends — valid and invalid — and the image seeds.
Standard library only:

    python3 Fuzz/make-server-seeds.py

An input is [route][options][byte limit] + body (Fuzz/Bodies/ServerRequestBody.swift): the
route byte indexes ServerRequestBody.Route's cases, the options byte holds --max-batch
(bits 0-1: 64, 128, 1, 3), a CLIP model for the sidecar's texts (bit 2), the Content-Type
as the body's first line (bit 3) or else a fixed one (bits 4-7), and the text byte limit is
the third byte + 1.
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "Seeds", "server")
IMAGES = os.path.join(HERE, "Seeds", "image")

ROUTES = ["sidecar-embed", "sidecar-image", "extract", "openai-embeddings", "ollama-embed", "ollama-legacy",
          "ollama-show", "tei-embed", "tei-tokenize", "tei-rerank", "tei-embed-sparse", "headers"]
BATCH_128 = 1        # the test server runs with --max-batch 128
CLIP = 4
CONTENT_TYPE_IN_BODY = 8
NO_LIMIT = 255       # texts up to 256 bytes

TEXTS = [
    "The quick brown fox jumps over the lazy dog.",
    "Swiftlet runs sentence embeddings on the CPU.",
    "naïve café – déjà vu",
    "数据库连接失败，请稍后重试。",
    "short",
]

# (name, route, body) — JSON bodies as the tests send them (json= → compact dumps, content= raw).
JSON_BODIES = [
    # test_sidecar.py, test_errors.py, test_clip_serve.py
    ("texts", "sidecar-embed", {"texts": TEXTS}),
    ("texts-e5-query", "sidecar-embed", {"model": "multilingual-e5-small", "texts": TEXTS, "mode": "query"}),
    ("texts-e5-passage", "sidecar-embed", {"model": "multilingual-e5-small", "texts": TEXTS[:1], "mode": "passage"}),
    ("texts-mode-none", "sidecar-embed", {"model": "multilingual-e5-small", "texts": TEXTS[:1], "mode": "none"}),
    ("not-json", "sidecar-embed", b"{not json"),
    ("empty-body", "sidecar-embed", b""),
    ("no-texts", "sidecar-embed", {"texts": []}),
    ("empty-text", "sidecar-embed", {"texts": [""]}),
    ("texts-not-a-list", "sidecar-embed", {"texts": "not a list"}),
    ("mode-sideways", "sidecar-embed", {"texts": ["a"], "mode": "sideways"}),
    ("unknown-model", "sidecar-embed", {"model": "nope", "texts": ["a"]}),
    ("too-many-texts", "sidecar-embed", {"texts": ["a"] * 129}),
    ("lone-surrogate", "sidecar-embed", b'{"texts": ["\\ud800 lone high"]}'),
    ("clip-texts", "sidecar-embed", {"model": "clip", "texts": ["a photo of a cat", "a diagram"]}),
    ("clip-no-texts", "sidecar-embed", {"model": "clip", "texts": []}),
    ("clip-mode-query", "sidecar-embed", {"model": "clip", "texts": ["a"], "mode": "query"}),
    # test_compat.py (the openai and ollama clients' bodies), test_rerank_sparse.py
    ("base64", "openai-embeddings", {"model": "all-MiniLM-L6-v2", "input": ["a", "b"], "encoding_format": "base64"}),
    ("float-one", "openai-embeddings", {"input": "a", "model": "splade-tiny", "encoding_format": "float", "dimensions": 384}),
    ("token-ids", "openai-embeddings", {"input": [[101, 2023, 102]], "model": "all-MiniLM-L6-v2"}),
    ("bad-format", "openai-embeddings", {"input": "a", "encoding_format": "int8"}),
    ("dimensions-128", "openai-embeddings", {"input": "a", "dimensions": 128, "user": "u"}),
    ("truncate-false", "ollama-embed", {"model": "all-MiniLM-L6-v2", "input": "word " * 600, "truncate": False}),
    ("batch", "ollama-embed", {"model": "all-MiniLM-L6-v2", "input": TEXTS}),
    ("token-ids", "ollama-embed", {"model": "all-MiniLM-L6-v2", "input": [1, 2, 3]}),
    ("wrong-kind", "ollama-embed", {"input": "a", "model": "cross-encoder"}),
    ("prompt", "ollama-legacy", {"model": "all-MiniLM-L6-v2", "prompt": "hello"}),
    ("no-prompt", "ollama-legacy", {"model": "all-MiniLM-L6-v2"}),
    ("model", "ollama-show", {"model": "all-MiniLM-L6-v2"}),
    ("name", "ollama-show", {"name": "all-MiniLM-L6-v2:latest"}),
    ("neither", "ollama-show", {}),
    ("inputs", "tei-embed", {"inputs": TEXTS}),
    ("raw", "tei-embed", {"inputs": TEXTS[0], "normalize": False}),
    ("long", "tei-embed", {"inputs": "word " * 2000}),
    ("long-truncate", "tei-embed", {"inputs": "word " * 2000, "truncate": True}),
    ("prompt-query", "tei-embed", {"inputs": "a", "prompt_name": "query"}),
    ("prompt-unknown", "tei-embed", {"inputs": "a", "prompt_name": "summary"}),
    ("hello", "tei-tokenize", {"inputs": "hello world"}),
    ("special", "tei-tokenize", {"inputs": ["a", "b"], "add_special_tokens": False, "prompt_name": "document"}),
    ("truncate", "tei-rerank", {"query": "what is swiftlet?", "texts": TEXTS, "truncate": True}),
    ("raw-scores", "tei-rerank", {"query": "q", "texts": TEXTS[:2], "raw_scores": True, "return_text": True}),
    ("no-texts", "tei-rerank", {"query": "q", "texts": []}),
    ("too-many", "tei-rerank", {"query": "q", "texts": ["a"] * 129}),
    ("texts-string", "tei-rerank", {"query": "q", "texts": "a"}),
    ("query-number", "tei-rerank", {"query": 3, "texts": ["a"]}),
    ("no-query", "tei-rerank", {"texts": ["a"]}),
    ("raw-scores-string", "tei-rerank", {"query": "q", "texts": ["a"], "raw_scores": "yes"}),
    ("left", "tei-rerank", {"query": "q", "texts": ["a"], "truncation_direction": "left"}),
    ("unknown-model", "tei-rerank", {"query": "q", "texts": ["a"], "model": "nope"}),
    ("batch", "tei-embed-sparse", {"inputs": TEXTS, "truncate": True}),
    ("named", "tei-embed-sparse", {"inputs": "a", "model": "splade-tiny"}),
    ("empty", "tei-embed-sparse", {"inputs": []}),
    ("too-many", "tei-embed-sparse", {"inputs": ["a"] * 129}),
    ("token-ids", "tei-embed-sparse", {"inputs": [1, 2]}),
    ("object", "tei-embed-sparse", {"inputs": {"a": 1}}),
    ("not-json", "tei-embed-sparse", b"not json"),
    ("prompt-name", "tei-embed-sparse", {"inputs": "a", "prompt_name": "query", "truncation_direction": "Right"}),
]

# Header values, one per line: X-Deadline, X-Tenant, X-Request-Id, Content-Type.
HEADERS = [
    ("future", b"1764950400000\nt1\nabc-123\napplication/json"),
    ("soon", b"soon\n\n\n"),
    ("no-deadline", b"\nocr\n\nimage/png; charset=binary"),
    ("infinite", b"inf\nt\nid\nIMAGE/JPEG"),
]


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def seed(route, flags, limit, body):
    return bytes([ROUTES.index(route), flags, limit]) + body


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    for name, route, body in JSON_BODIES:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        flags = BATCH_128 | (CLIP if name.startswith("clip") else 0)
        write(f"{route}-{name}", seed(route, flags, NO_LIMIT, data))
    # A small byte limit, so the rerank and CLIP byte checks are reached.
    write("tei-rerank-over-byte-limit", seed("tei-rerank", BATCH_128, 7, json.dumps({"query": "q", "texts": TEXTS}).encode()))
    for name, values in HEADERS:
        write(f"headers-{name}", seed("headers", 0, 0, values))
    # Image bodies (test_errors.py, test_clip_serve.py, test_sidecar.py): Content-Type on the first line.
    png = open(os.path.join(IMAGES, "text-rgb.png"), "rb").read()
    jpeg = open(os.path.join(IMAGES, "text.jpg"), "rb").read()
    images = [
        ("png", b"image/png", png),
        ("jpeg", b"image/jpeg", jpeg),
        ("gif", b"image/gif", b"GIF89a...."),
        ("broken-png", b"image/png", b"\x89PNG\r\n\x1a\nbroken"),
        ("broken-jpeg", b"image/jpeg", b"\xff\xd8\xff\xe0 not really"),
        ("empty", b"image/jpeg", b""),
    ]
    for route in ("extract", "sidecar-image"):
        for name, ctype, data in images:
            write(f"{route}-{name}", seed(route, CONTENT_TYPE_IN_BODY, NO_LIMIT, ctype + b"\n" + data))


if __name__ == "__main__":
    main()
