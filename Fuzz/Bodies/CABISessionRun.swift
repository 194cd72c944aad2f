import CSwiftlet

/// `swiftlet_session_run` with input tensors whose names, dtypes, ranks, shapes and byte
/// counts come from the input (data buffers always hold byte_count bytes).
enum CABISessionRun {
    static func run(_ r: inout ByteReader, _ s: inout CABIState) {
        let h = s.of(.session, &r)
        let names: [[UInt8]] = ["x", "input_ids", "attention_mask", "y", "nope", "x"].map { Array($0.utf8) + [0] } + [[0xc3, 0x28, 0]]
        let inputCount = r.pick(3)
        var shapes: [[Int64]] = []
        var buffers: [[UInt8]] = []
        var specs: [(name: Int, dtype: Int32, rank: Int, byteCount: Int)] = []
        for _ in 0..<inputCount {
            // Ranks up to SWIFTLET_MAX_RANK + 1; the shape array always has that many entries.
            let rank = [0, 1, 2, 2, 3, 17][r.pick(6)]
            let shape = (0..<17).map { _ in [1, 2, 3, 0, -1, 1 << 40][r.pick(6)] as Int64 }
            let dtype = Int32(r.pick(9))
            let elementBytes = [0, 4, 2, 8, 4, 1, 1, 1, 0][Int(dtype)]
            let elements = rank == 17 ? 0 : shape.prefix(rank).reduce(1) { $0 &* max($1, 0) }
            let exact = elements <= 4096 ? Int(elements) * elementBytes : 0
            let byteCount = [exact, exact, exact, 0, 12, -1][r.pick(6)]
            shapes.append(shape)
            buffers.append((0..<max(byteCount, 0)).map { _ in r.byte() })
            specs.append((r.pick(names.count), dtype, rank, byteCount))
        }
        let outputs = [[], ["y"], ["nope"], ["y", "y"]][r.pick(4)].map { Array($0.utf8) + [0] }
        let outputCount = [outputs.count, outputs.count, 0, -1][r.pick(4)]
        var result: OpaquePointer?
        let withOut = r.pick(8) != 0, nullNames = outputs.isEmpty && r.bool()
        let count = CABICalls.length(&r, specs.count)
        let status = withInputs(names, shapes, buffers, specs) { inputs in
            CABICalls.withCStrings(outputs) { outputNames in
                CABICalls.withOptional(&result, withOut) {
                    swiftlet_session_run(h, inputs, count, nullNames ? nil : outputNames, outputCount, $0)
                }
            }
        }
        s.opened(status, result, .tensors)
    }

    /// The `swiftlet_tensor` array, its pointers valid for the duration of `body`.
    private static func withInputs<R>(_ names: [[UInt8]], _ shapes: [[Int64]], _ buffers: [[UInt8]],
                                      _ specs: [(name: Int, dtype: Int32, rank: Int, byteCount: Int)],
                                      _ body: (UnsafePointer<swiftlet_tensor>?) -> R) -> R {
        CABICalls.withCStrings(names) { namePointers in
            let shapePointers = shapes.map { s -> UnsafeMutablePointer<Int64> in
                let p = UnsafeMutablePointer<Int64>.allocate(capacity: s.count)
                p.initialize(from: s, count: s.count)
                return p
            }
            let dataPointers = buffers.map { b -> UnsafeMutableRawPointer in
                let p = UnsafeMutableRawPointer.allocate(byteCount: max(b.count, 1), alignment: 16)
                b.withUnsafeBytes { if let base = $0.baseAddress { p.copyMemory(from: base, byteCount: b.count) } }
                return p
            }
            defer {
                shapePointers.forEach { $0.deallocate() }
                dataPointers.forEach { $0.deallocate() }
            }
            let tensors = specs.enumerated().map { i, spec in
                swiftlet_tensor(name: namePointers[spec.name], dtype: spec.dtype, rank: spec.rank,
                                shape: UnsafePointer(shapePointers[i]), data: UnsafeRawPointer(dataPointers[i]), byte_count: spec.byteCount)
            }
            return tensors.withUnsafeBufferPointer { body($0.isEmpty ? nil : $0.baseAddress) }
        }
    }
}
