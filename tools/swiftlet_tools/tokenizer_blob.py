"""Precomputed Unigram vocabulary blob (`tokenizer.unigram`, docs/FORMAT.md).

    python tools/tokenizer_blob.py TOKENIZER_JSON OUT   # writes OUT, or nothing for non-Unigram models

The converter stores the result in the .swl next to the verbatim tokenizer.json;
Swift then loads the scores, piece texts and ready-built trie by copying
arrays instead of parsing and sorting 250k pieces. The blob names the exact
tokenizer.json it was made from (length + fingerprint); Swift ignores it when
they differ, so tokenizer.json stays the source of truth.
"""
import json
import struct
import sys

MAGIC = b"SWLUNI01"
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK = 0xFFFFFFFFFFFFFFFF


def fingerprint(data: bytes) -> int:
    """FNV-1a 64 over little-endian u64 words (tail zero-padded), then the length."""
    h = FNV_OFFSET
    words = len(data) // 8
    for (w,) in struct.iter_unpack("<Q", data[: words * 8]):
        h = ((h ^ w) * FNV_PRIME) & MASK
    tail = int.from_bytes(data[words * 8:], "little")
    h = ((h ^ tail) * FNV_PRIME) & MASK
    return ((h ^ len(data)) * FNV_PRIME) & MASK


def build_trie(pieces):
    """Breadth-first trie over code points with sorted children, as Swift's
    ScalarTrie lays it out: (labels, child_start, values); the last duplicate wins."""
    order = sorted(range(len(pieces)), key=lambda i: (pieces[i], i))
    labels, parents, values = [0], [-1], [-1]
    live = []
    for i in order:
        if pieces[i] == "":
            values[0] = max(values[0], i)
        else:
            live.append(i)
    lcp = [0] * len(live)
    for k in range(1, len(live)):
        a, b = pieces[live[k - 1]], pieces[live[k]]
        n, l = min(len(a), len(b)), 0
        while l < n and a[l] == b[l]:
            l += 1
        lcp[k] = l
    node = [0] * len(live)
    depth = 0
    while live:
        next_live, next_node, next_lcp = [], [], []
        run = 1 << 30
        for k, i in enumerate(live):
            run = min(run, lcp[k])
            if k == 0 or lcp[k] <= depth:
                labels.append(ord(pieces[i][depth]))
                parents.append(node[k])
                values.append(-1)
            current = len(values) - 1
            if len(pieces[i]) == depth + 1:
                values[current] = max(values[current], i)
            else:
                next_lcp.append(0 if not next_live else run)
                next_live.append(i)
                next_node.append(current)
                run = 1 << 30
        live, node, lcp = next_live, next_node, next_lcp
        depth += 1
    child_start = [0] * (len(values) + 1)
    for v in range(1, len(values)):
        child_start[parents[v] + 1] += 1
    child_start[0] = 1
    for v in range(len(values)):
        child_start[v + 1] += child_start[v]
    return labels, child_start, values


def unigram_blob(source: bytes):
    """The blob for a Unigram tokenizer.json (its raw bytes), or None for other models."""
    model = json.loads(source.decode("utf-8")).get("model") or {}
    if model.get("type") != "Unigram" or not model.get("vocab"):
        return None
    pieces = [p for p, _ in model["vocab"]]
    scores = [float(s) for _, s in model["vocab"]]
    labels, child_start, values = build_trie(pieces)
    texts = [p.encode("utf-8") for p in pieces]
    ends, total = [], 0
    for t in texts:
        total += len(t)
        ends.append(total)
    n, m = len(pieces), len(values)
    out = [MAGIC, struct.pack("<QQIIII", len(source), fingerprint(source), n, m, total, 0),
           struct.pack(f"<{n}d", *scores), struct.pack(f"<{m}i", *values),
           struct.pack(f"<{m + 1}i", *child_start), struct.pack(f"<{m}I", *labels),
           struct.pack(f"<{n}i", *ends), b"".join(texts)]
    return b"".join(out)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        sys.exit(__doc__)
    with open(argv[0], "rb") as f:
        blob = unigram_blob(f.read())
    if blob is None:
        print(f"{argv[0]}: not a Unigram model, no blob")
        return
    with open(argv[1], "wb") as f:
        f.write(blob)
    print(f"{argv[1]}: {len(blob)} bytes")
