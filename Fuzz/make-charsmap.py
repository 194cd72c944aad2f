#!/usr/bin/env python3
"""Prints a small SentencePiece `precompiled_charsmap` (base64) for the fuzz tokenizers.

Real charsmaps (nmt_nfkc) are ~300 KB; the fuzzers need one that exercises the same
trie walk and replacement lookup while keeping every tokenizer.json seed small. Layout
(Sources/SwiftletTokenizers/Normalizers/PrecompiledCharsmap.swift): u32 trie byte
length, a Darts double array of u32 units, NUL-terminated replacement strings.
"""
import base64
import struct

MAPPINGS = {"\uff21": "A", "\ufb01": "fi", "\u3000": " ", "\u2460": "1", "e\u0301": "\u00e9", "\u00a0": " "}


def build(mappings):
    blob, values = b"", {}
    for key, rep in sorted(mappings.items()):
        values[key.encode()] = len(blob)
        blob += rep.encode() + b"\0"
    trie = {}
    for key, v in values.items():
        node = trie
        for c in key:
            node = node.setdefault(c, {})
        node[0] = v  # label 0: the leaf slot
    units = {}

    def place(node, pos):
        labels = sorted(node)
        o = 1
        while any((pos ^ o ^ c) in units or (pos ^ o ^ c) == 0 for c in labels):
            o += 1
        assert o < (1 << 21)
        units[pos] = units.get(pos, 0) | (o << 10)
        for c in labels:
            p = pos ^ o ^ c
            if c == 0:
                units[p] = 0x80000000 | node[0]
            else:
                units[p] = c | ((1 << 8) if 0 in node[c] else 0)
        for c in labels:
            if c:
                place(node[c], pos ^ o ^ c)

    units[0] = 0
    place(trie, 0)
    # A power-of-two length of at least 256: a position XOR a byte then stays inside, so
    # HF's walk (which does not bounds-check; real charsmaps are large) never overruns.
    size = 256
    while size <= max(units) + 255:
        size *= 2
    array = [units.get(i, 0) for i in range(size)]
    raw = struct.pack("<I", 4 * len(array)) + struct.pack("<%dI" % len(array), *array) + blob
    return base64.b64encode(raw).decode()


if __name__ == "__main__":
    print(build(MAPPINGS))
