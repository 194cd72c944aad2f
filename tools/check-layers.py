#!/usr/bin/env python3
"""Fails when code in one layer of the Swiftlet target uses a name another layer declares
and the edge between them is not in ALLOWED below (docs/ARCHITECTURE.md#layers).

The library is one Swift module, so the compiler lets any file see any other; this check
is what keeps the folders a dependency map. A "use" is an identifier naming a top-level
type, function or global, or a member that a file adds to a type from elsewhere
(`extension Tensor { func intValues() }`), declared in a different layer.

    python3 tools/check-layers.py           # prints violations as file:line, exits 1 if any
    python3 tools/check-layers.py --edges   # prints the edges the code has today
"""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "Swiftlet")

# Folder (under Sources/Swiftlet) -> layer. Every folder must be listed.
LAYER_OF_FOLDER = {
    "Kernels": "Kernels",
    "Core": "Core",
    "Format": "Format",
    "IR": "IR",
    "Ops": "Ops",
    "Graph": "Graph",
    "Graph/Fusions": "Graph",
    "Image": "Image",
    "Pipelines": "Pipelines",
    "Pipelines/OCR": "Pipelines",
}

# Layer -> the layers it may use. Bottom first; nothing may point up the list.
ALLOWED = {
    "Core": set(),                                      # Tensor, DType, Storage, errors, buffer pool
    "Kernels": {"Core"},                                # raw pointers and SIMD; Storage, SwiftletError
    "Format": {"Core", "Kernels"},                      # .swl / .npy bytes -> tensors + checked header
    "IR": {"Format", "Core", "Kernels"},                # Node, Attribute, GraphIR, typed internal ops
    "Ops": {"IR", "Core", "Kernels"},                   # Operator values built from nodes
    "Graph": {"Ops", "IR", "Format", "Core", "Kernels"},  # fusions, folding, Session
    "Image": {"Core", "Kernels"},                       # decoding and pixel transforms
    "Pipelines": {"Graph", "Format", "Core", "Kernels", "Image"},  # drive sessions, no op or node
}

# Modules each layer may import (Foundation or FoundationEssentials, Dispatch and the C
# library are always allowed).
ALWAYS_IMPORTABLE = {"Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Darwin", "Synchronization"}
IMPORTS = {
    "Kernels": {"CBLAS", "CSwiftletCPU", "SwiftletAVX512", "SwiftletVNNI", "_Builtin_intrinsics"},
    "Format": {"SwiftletTokenizers"},                   # its JSON parser reads the .swl header
    "Image": {"CPNG", "CJPEG", "SwiftletTokenizers"},  # CPNG/CJPEG; whole-file reads (its System/)
    "Graph": {"SwiftletTokenizers"},                   # the processor count (its System/): no Foundation in the library
    "Pipelines": {"SwiftletTokenizers"},
}


def strip(text):
    """Source with comments and string-literal text blanked (interpolated code kept),
    same length and line breaks, so offsets still give line numbers."""
    out = list(text)
    i, n = 0, len(text)
    # Stack of contexts: ("code", paren depth) for interpolations, ("str", closing quote).
    stack = [["code", 0]]

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        top = stack[-1]
        c = text[i]
        if top[0] == "code":
            if text.startswith("//", i):
                j = text.find("\n", i)
                j = n if j < 0 else j
                blank(i, j)
                i = j
            elif text.startswith("/*", i):
                depth, j = 1, i + 2
                while j < n and depth:
                    if text.startswith("/*", j):
                        depth, j = depth + 1, j + 2
                    elif text.startswith("*/", j):
                        depth, j = depth - 1, j + 2
                    else:
                        j += 1
                blank(i, j)
                i = j
            elif c == '"':
                m = re.match(r'#*"""|#*"', text[i:])
                q = '"""' if text.startswith('"""', i) else '"'
                stack.append(["str", q])
                i += len(q)
            elif c == "(" and len(stack) > 1:
                top[1] += 1
                i += 1
            elif c == ")" and len(stack) > 1:
                if top[1] == 0:
                    stack.pop()          # end of \( … ), back inside the string
                else:
                    top[1] -= 1
                i += 1
            else:
                i += 1
        else:
            q = top[1]
            if text.startswith("\\(", i):
                blank(i, i + 2)
                stack.append(["code", 0])
                i += 2
            elif c == "\\":
                blank(i, i + 2)
                i += 2
            elif text.startswith(q, i):
                stack.pop()
                i += len(q)
            else:
                if c != "\n":
                    out[i] = " "
                i += 1
    return "".join(out)


DECL = re.compile(r"\b(struct|enum|class|protocol|actor|typealias|func|let|var|extension)\s+([A-Za-z_]\w*)")


def declarations(code):
    """(kind, name, extended type or None) of top-level declarations and of members
    declared directly inside a top-level extension."""
    found = []
    depth, ext_at = 0, []          # ext_at: (extension name, depth of its body)
    pos = 0
    events = [(m.start(), "decl", m) for m in DECL.finditer(code)]
    events += [(k, ch, None) for k, ch in enumerate(code) if ch in "{}"]
    events.sort(key=lambda e: e[0])
    current_ext = None
    for at, kind, m in events:
        if kind == "{":
            depth += 1
        elif kind == "}":
            depth -= 1
            if current_ext and depth < current_ext[1]:
                current_ext = None
        else:
            word, name = m.group(1), m.group(2)
            line_start = code.rfind("\n", 0, at) + 1
            if re.search(r"\b(private|fileprivate)\b", code[line_start:at]):
                continue        # invisible outside its file
            if depth == 0:
                if word == "extension":
                    current_ext = (name, 1)
                else:
                    found.append((word, name, None))
            elif depth == 1 and current_ext and word in ("func", "var", "let"):
                found.append((word, name, current_ext[0]))
    return found


def layer_of(path):
    rel = os.path.relpath(os.path.dirname(path), ROOT)
    return LAYER_OF_FOLDER.get(rel)


def main():
    show_edges = "--edges" in sys.argv
    files = []
    for d, _, names in os.walk(ROOT):
        files += [os.path.join(d, f) for f in sorted(names) if f.endswith(".swift")]
    problems = []
    sources = {}
    types, funcs, globals_, members = {}, {}, {}, {}     # name -> set of layers declaring it
    for f in files:
        layer = layer_of(f)
        if layer is None:
            problems.append(f"{os.path.relpath(f)}: folder not in LAYER_OF_FOLDER of tools/check-layers.py")
            continue
        code = strip(open(f, encoding="utf-8").read())
        sources[f] = (layer, code)
        for word, name, ext in declarations(code):
            if ext is not None:
                members.setdefault(name, set()).add(layer)
            elif word == "func":
                funcs.setdefault(name, set()).add(layer)
            elif word in ("let", "var"):
                globals_.setdefault(name, set()).add(layer)
            elif word != "extension":
                types.setdefault(name, set()).add(layer)

    ident = re.compile(r"(?<![\w.])([A-Z]\w*)\b")
    call = re.compile(r"(?<![\w.])([a-z_]\w*)\s*\(")
    plain = re.compile(r"(?<![\w.])([a-z_]\w*)\b")
    member = re.compile(r"\.([a-zA-Z_]\w*)\b")
    edges = {}
    for f, (layer, code) in sorted(sources.items()):
        line_starts = [0] + [k + 1 for k, ch in enumerate(code) if ch == "\n"]

        def line_of(off):
            lo, hi = 0, len(line_starts)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if line_starts[mid] <= off:
                    lo = mid
                else:
                    hi = mid
            return lo + 1

        for m in re.finditer(r"^\s*(?:@\w+\s+)*(?:\w+\s+)?import\s+(\w+)", code, re.M):
            mod = m.group(1)
            if mod not in ALWAYS_IMPORTABLE and mod not in IMPORTS.get(layer, set()):
                problems.append(f"{os.path.relpath(f)}:{line_of(m.start())}: {layer} imports {mod}")
        seen = set()
        uses = [(m.start(1), m.group(1), types) for m in ident.finditer(code)]
        uses += [(m.start(1), m.group(1), funcs) for m in call.finditer(code)]
        uses += [(m.start(1), m.group(1), globals_) for m in plain.finditer(code)]
        uses += [(m.start(1), m.group(1), members) for m in member.finditer(code)]
        for off, name, table in uses:
            owners = table.get(name)
            if not owners or layer in owners:
                continue
            ok = owners & ALLOWED[layer]
            for o in owners:
                edges.setdefault((layer, o), set()).add(name)
            if ok:
                continue
            key = (line_of(off), name)
            if key in seen:
                continue
            seen.add(key)
            problems.append(f"{os.path.relpath(f)}:{key[0]}: {layer} uses {name} from {'/'.join(sorted(owners))}")

    if show_edges:
        for (a, b), names in sorted(edges.items()):
            mark = "" if b in ALLOWED[a] else "   <- not allowed"
            print(f"{a} -> {b}: {', '.join(sorted(names)[:12])}{' …' if len(names) > 12 else ''}{mark}")
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"check-layers: {len(problems)} use(s) against the layer map (tools/check-layers.py, docs/ARCHITECTURE.md#layers)", file=sys.stderr)
        return 1
    print(f"check-layers: {len(sources)} files, every use follows the layer map")
    return 0


if __name__ == "__main__":
    sys.exit(main())
