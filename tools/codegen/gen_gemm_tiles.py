#!/usr/bin/env python3
"""Writes the GEMM micro-kernels (register tiles) for each ISA level.

    python3 tools/codegen/gen_gemm_tiles.py      # rewrites the four generated Swift files

Each tile computes C[R × NR] (=, or += when accumulating) alpha · A·B + bias, with A packed
as [k][MR] (MR rows interleaved, zero-padded) and B packed as [k][NR]. The bodies are
written out register by register because Swift has no way to name "R accumulators" short
of spelling them; generating them keeps the row variants identical in shape.

The strided tiles read A and B where they lie (A row r at a + r·lda, B row kk at
b + kk·ldb) for attention's per-head products, whose operands are too small for packing
to pay for itself; per output element they run the same FMAs in the same order as the
packed tiles, so both give the same bits.
"""
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]

LEVELS = [
    # (file, enum, vector type, lanes, vectors per row, MR, row variants, access, header)
    (ROOT / "Sources/SwiftletAVX512/GemmTiles512.swift", "GemmTiles512", "SIMD16<Float>", 16, 2, 12, [12, 8, 4, 1], "public",
     "// AVX-512 register tiles (12 × 32: 24 zmm accumulators). This module alone is compiled for\n"
     "// x86-64-v4; the library calls it only after CPUID says the CPU and OS support AVX-512.\n"),
    (ROOT / "Sources/Swiftlet/Kernels/GemmTilesAVX2.swift", "GemmTilesAVX2", "SIMD8<Float>", 8, 2, 6, [6, 4, 2, 1], "",
     "// AVX2/FMA register tiles (6 × 16: 12 ymm accumulators), the library's x86-64-v3 baseline.\n"),
]


def tile(name, v, lanes, nv, mr, rows, access):
    nr = lanes * nv
    acc = [[f"c{r}_{j}" for j in range(nv)] for r in range(rows)]
    o = []
    o.append(f"    /// {rows} row(s) × {nr} columns; A packed [k][{mr}], B packed [k][{nr}], C row stride ldc.")
    o.append("    @inline(never)")
    o.append(f"    {access + ' ' if access else ''}static func {name}(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ k: Int,")
    o.append(f"    {' ' * (len(access) + 1 if access else 0)}                 _ c: UnsafeMutablePointer<Float>, _ ldc: Int,")
    o.append(f"    {' ' * (len(access) + 1 if access else 0)}                 _ alpha: Float, _ bias: UnsafePointer<Float>?, _ accumulate: Bool) {{")
    for r in range(rows):
        o.append("        var " + ", ".join(f"{x} = {v}()" for x in acc[r]))
    o.append("        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)")
    o.append("        var kk = 0")
    o.append("        while kk < k {")
    for j in range(nv):
        o.append(f"            let b{j} = rb.load(fromByteOffset: kk &* {nr * 4} &+ {j * lanes * 4}, as: {v}.self)")
    for r in range(rows):
        decl = ("var " if rows > 1 else "let ") if r == 0 else ""
        o.append(f"            {decl}x = {v}(repeating: ra.load(fromByteOffset: kk &* {mr * 4} &+ {r * 4}, as: Float.self))")
        o.append("            " + "; ".join(f"{acc[r][j]}.addProduct(x, b{j})" for j in range(nv)))
    o.append("            kk &+= 1")
    o.append("        }")
    def each(indent, stmt):
        """One line per row: `stmt` for every accumulator of the row (a: name, r: row, j: vector)."""
        for r in range(rows):
            o.append(indent + "; ".join(stmt(acc[r][j], r, j) for j in range(nv)))

    o.append("        if alpha != 1 {")
    o.append(f"            let s = {v}(repeating: alpha)")
    each("            ", lambda a, r, j: f"{a} *= s")
    o.append("        }")
    o.append("        if let bias {")
    o.append("            let rbias = UnsafeRawPointer(bias)")
    for j in range(nv):
        o.append(f"            let d{j} = rbias.loadUnaligned(fromByteOffset: {j * lanes * 4}, as: {v}.self)")
    each("            ", lambda a, r, j: f"{a} += d{j}")
    o.append("        }")
    o.append("        let rc = UnsafeMutableRawPointer(c)")
    o.append("        if accumulate {")
    each("            ", lambda a, r, j: f"{a} += rc.loadUnaligned(fromByteOffset: ({r} &* ldc &+ {j * lanes}) &* 4, as: {v}.self)")
    o.append("        }")
    each("        ", lambda a, r, j: f"rc.storeBytes(of: {a}, toByteOffset: ({r} &* ldc &+ {j * lanes}) &* 4, as: {v}.self)")
    o.append("    }")
    return "\n".join(o)


def write_enum(path, head, tiles):
    """The enum's opening lines, its tile functions, its closing brace, to path."""
    path.write_text("\n".join(head + ["\n\n".join(tiles), "}"]) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")


def row_dispatch(variants, call):
    """The body of `run` in two parts (the caller's row pointers go between): a loop that
    runs the widest tile fitting the rows left; `call` is the argument list every tile takes."""
    o = ["        var r = 0", "        while r < rows {", "            let left = rows - r"]
    return o, [
        *[line for n in variants for line in (
            "            } else {" if n == variants[-1] else
            f"            {'if' if n == variants[0] else '} else if'} left >= {n} {{",
            f"                tile{n}({call})", f"                r += {n}")],
        "            }", "        }", "    }", ""]


def strided_tile(name, v, lanes, nv, rows, access):
    nr = lanes * nv
    acc = [[f"c{r}_{j}" for j in range(nv)] for r in range(rows)]
    pad = " " * (len(access) + 1 if access else 0)
    o = []
    o.append(f"    /// {rows} row(s) × {nr} columns: C = alpha · A·B, A row r at a + r·lda, B row kk at b + kk·ldb.")
    o.append("    @inline(never)")
    o.append(f"    {access + ' ' if access else ''}static func {name}(_ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ k: Int,")
    o.append(f"    {pad}                 _ c: UnsafeMutablePointer<Float>, _ ldc: Int, _ alpha: Float) {{")
    for r in range(rows):
        o.append("        var " + ", ".join(f"{x} = {v}()" for x in acc[r]))
    o.append("        var pa = UnsafeRawPointer(a), pb = UnsafeRawPointer(b)")
    o.append("        let sa = lda &* 4, sb = ldb &* 4" if rows > 1 else "        let sb = ldb &* 4")
    o.append("        var kk = 0")
    o.append("        while kk < k {")
    for j in range(nv):
        o.append(f"            let b{j} = pb.loadUnaligned(fromByteOffset: {j * lanes * 4}, as: {v}.self)")
    for r in range(rows):
        decl = ("var " if rows > 1 else "let ") if r == 0 else ""
        off = "0" if r == 0 else ("sa" if r == 1 else f"{r} &* sa")
        o.append(f"            {decl}x = {v}(repeating: pa.load(fromByteOffset: {off}, as: Float.self))")
        o.append("            " + "; ".join(f"{acc[r][j]}.addProduct(x, b{j})" for j in range(nv)))
    o.append("            pa += 4; pb += sb")
    o.append("            kk &+= 1")
    o.append("        }")
    o.append("        if alpha != 1 {")
    o.append(f"            let s = {v}(repeating: alpha)")
    for r in range(rows):
        o.append("            " + "; ".join(f"{acc[r][j]} *= s" for j in range(nv)))
    o.append("        }")
    o.append("        let rc = UnsafeMutableRawPointer(c)")
    for r in range(rows):
        o.append("        " + "; ".join(f"rc.storeBytes(of: {acc[r][j]}, toByteOffset: ({r} &* ldc &+ {j * lanes}) &* 4, as: {v}.self)" for j in range(nv)))
    o.append("    }")
    return "\n".join(o)


def strided_file(path, enum, v, lanes, nv, mr, variants, access, header):
    nr = lanes * nv
    pub = access + " " if access else ""
    pad = " " * (len(access) + 1 if access else 0)
    body = [f"// Generated by tools/codegen/gen_gemm_tiles.py; edit that, not this file.\n{header}",
            f"{pub}enum {enum} {{",
            f"    /// Rows 0..<rows of C[rows × {nr}] = alpha · A[rows × k] · B[k × {nr}], operands unpacked.",
            f"    {pub}static func run(rows: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, k: Int,",
            f"    {pad}                c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float) {{",
            ]
    head, tail = row_dispatch(variants, "ar, lda, b, ldb, k, cr, ldc, alpha")
    body += head + ["            let ar = a + r * lda, cr = c + r * ldc"] + tail
    write_enum(path, body, [strided_tile(f"tile{n}", v, lanes, nv, n, "") for n in variants])


STRIDED = [
    (ROOT / "Sources/SwiftletAVX512/StridedTiles512.swift", "StridedTiles512", "public",
     "// AVX-512 register tiles on unpacked operands (12 × 32), for attention's per-head products.\n"
     "// Compiled for x86-64-v4 like GemmTiles512; called only after CPUID reports AVX-512.\n"),
    (ROOT / "Sources/Swiftlet/Kernels/StridedTilesAVX2.swift", "StridedTilesAVX2", "",
     "// AVX2/FMA register tiles on unpacked operands (6 × 16), for attention's per-head products.\n"),
]

for (path, enum, v, lanes, nv, mr, variants, access, header), (spath, senum, saccess, sheader) in zip(LEVELS, STRIDED):
    strided_file(spath, senum, v, lanes, nv, mr, variants, saccess, sheader)

for path, enum, v, lanes, nv, mr, variants, access, header in LEVELS:
    nr = lanes * nv
    body = [f"// Generated by tools/codegen/gen_gemm_tiles.py; edit that, not this file.\n{header}",
            f"{access + ' ' if access else ''}enum {enum} {{",
            f"    {access + ' ' if access else ''}static let mr = {mr}",
            f"    {access + ' ' if access else ''}static let nr = {nr}",
            "",
            f"    /// Runs rows 0..<rows (1...{mr}) of a packed A panel against one packed B panel.",
            f"    {access + ' ' if access else ''}static func run(rows: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, k: Int,",
            f"    {' ' * (len(access) + 1 if access else 0)}                c: UnsafeMutablePointer<Float>, ldc: Int,",
            f"    {' ' * (len(access) + 1 if access else 0)}                alpha: Float, bias: UnsafePointer<Float>?, accumulate: Bool) {{",
            ]
    head, tail = row_dispatch(variants, "ar, b, k, cr, ldc, alpha, bias, accumulate")
    body += head + ["            let ar = a + r, cr = c + r * ldc"] + tail
    write_enum(path, body, [tile(f"tile{n}", v, lanes, nv, mr, n, "") for n in variants])
