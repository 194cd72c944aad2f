import CSwiftlet

/// One step of `CABIBody`: an entry point and its arguments, read from the input.
enum CABICalls {
    static let ok = swiftlet_status(SWIFTLET_OK)

    static func step(_ r: inout ByteReader, _ s: inout CABIState) {
        switch r.pick(16) {
        case 0: openEmbedder(&r, &s)
        case 1:
            var h: OpaquePointer?
            let path = CABIPath(&r), withOut = r.pick(8) != 0
            let status = path.with { p in withOptional(&h, withOut) { swiftlet_tokenizer_open(p, $0) } }
            s.opened(status, h, .tokenizer)
        case 2:
            var h: OpaquePointer?
            var o = swiftlet_session_options(threads: [0, 1, 2, -1, 5000][r.pick(5)])
            let path = CABIPath(&r), withOptions = r.bool()
            let status = path.with { p in withOptional(&o, withOptions) { swiftlet_session_open(p, $0, &h) } }
            s.opened(status, h, .session)
        case 3: CABIOCRCalls.open(&r, &s)
        case 4:
            // Any value through any close function: wrong kinds, double closes, forgeries.
            let h = s.any(&r)
            _ = CABIKind.allCases[r.pick(CABIKind.allCases.count)].close(h)
        case 5:
            var dim = 0
            let h = s.of(.embedder, &r)
            _ = withOptional(&dim, r.bool()) { swiftlet_embedder_dimension(h, $0) }
        case 6, 7: embed(&r, s, customPrefix: r.bool())
        case 8: encode(&r, s)
        case 9: decode(&r, s)
        case 10: sessionInfo(&r, s)
        case 11: CABISessionRun.run(&r, &s)
        case 12: tensors(&r, s)
        case 13: CABIOCRCalls.run(&r, &s)
        case 14: ocrResult(&r, s)
        default:
            _ = swiftlet_abi_version()
            _ = swiftlet_check_abi(r.uint32())
            _ = String(cString: swiftlet_status_name(Int32(bitPattern: r.uint32())))
            _ = String(cString: swiftlet_last_error())
        }
    }

    // MARK: arguments

    /// A length for a buffer of `real` elements: itself, 0, or one the library must reject
    /// before reading (above its limit: a negative number cast to size_t).
    static func length(_ r: inout ByteReader, _ real: Int) -> Int {
        [real, real, 0, -1, Int.min][r.pick(5)]
    }

    /// Text bytes: from the input (any bytes, so often invalid UTF-8) or a known-good text.
    static func text(_ r: inout ByteReader) -> [UInt8] {
        let known = ["hello world", "ﬁne café ①", "東京タワー", "", "passage: x"]
        let choice = r.pick(known.count + 3)
        return choice < known.count ? Array(known[choice].utf8) : r.chunk(max: 48)
    }

    static func withOptional<T, R>(_ value: inout T, _ present: Bool, _ body: (UnsafeMutablePointer<T>?) -> R) -> R {
        present ? withUnsafeMutablePointer(to: &value) { body($0) } : body(nil)
    }

    // MARK: embedder, tokenizer

    static func openEmbedder(_ r: inout ByteReader, _ s: inout CABIState) {
        var h: OpaquePointer?
        var o = swiftlet_embedder_options(threads: [0, 1, 2, -3, 2000][r.pick(5)], batch_size: [0, 1, 2, -1, 70000][r.pick(5)])
        let path = CABIPath(&r), withOptions = r.bool()
        let status = path.with { p in withOptional(&o, withOptions) { swiftlet_embedder_open(p, $0, &h) } }
        s.opened(status, h, .embedder)
    }

    static func embed(_ r: inout ByteReader, _ s: CABIState, customPrefix: Bool) {
        let h = s.of(.embedder, &r)
        let count = r.pick(4)
        let texts = (0..<count).map { _ in text(&r) + [0] }
        let useLengths = r.bool()
        let lengths = texts.map { $0.count - 1 }
        let capacity = [0, 8, 8 * count, 64, -1][r.pick(5)]
        var out = [Float](repeating: 0, count: max(capacity, 0))
        let passCount = [count, count, count, 0, -1][r.pick(5)]
        let prefix = text(&r)
        let prefixKind = swiftlet_prefix([0, 1, 2, 3, -1][r.pick(5)])
        withCStrings(texts) { pointers in
            let textsArg = r.bool() || count > 0 ? pointers : nil
            lengths.withUnsafeBufferPointer { lens in
                out.withUnsafeMutableBufferPointer { o in
                    if customPrefix {
                        prefix.withUnsafeBufferPointer { p in
                            p.withMemoryRebound(to: CChar.self) { pc in
                                _ = swiftlet_embedder_embed_with_prefix(h, textsArg, useLengths ? lens.baseAddress : nil, passCount,
                                                                        pc.baseAddress, length(&r, pc.count), o.baseAddress, capacity)
                            }
                        }
                    } else {
                        _ = swiftlet_embedder_embed(h, textsArg, useLengths ? lens.baseAddress : nil, passCount, prefixKind, o.baseAddress, capacity)
                    }
                }
            }
        }
    }

    static func encode(_ r: inout ByteReader, _ s: CABIState) {
        let h = s.of(.tokenizer, &r)
        let bytes = text(&r)
        let capacity = [0, 2, 64, -1][r.pick(4)]
        var ids = [Int32](repeating: 0, count: max(capacity, 1)), mask = ids
        var count = 0
        let flags: UInt32 = [0, 1, 2, 0xffff_ffff][r.pick(4)]
        let maxLength = [0, 1, 3, -1, 1 << 40][r.pick(5)]
        let withMask = r.bool(), withIds = r.bool() || capacity > 0
        let withCount = r.pick(8) != 0
        bytes.withUnsafeBufferPointer { b in
            b.withMemoryRebound(to: CChar.self) { t in
                ids.withUnsafeMutableBufferPointer { i in
                    mask.withUnsafeMutableBufferPointer { m in
                        let n = length(&r, t.count)
                        _ = withOptional(&count, withCount) {
                            swiftlet_tokenizer_encode(h, t.baseAddress, n, flags, maxLength,
                                                      withIds ? i.baseAddress : nil, withMask ? m.baseAddress : nil, capacity, $0)
                        }
                    }
                }
            }
        }
    }

    static func decode(_ r: inout ByteReader, _ s: CABIState) {
        let h = s.of(.tokenizer, &r)
        let ids = (0..<r.pick(12)).map { _ in Int32(bitPattern: r.uint32()) % 300 }
        let capacity = [0, 1, 16, 4096, -1][r.pick(5)]
        var out = [CChar](repeating: 0, count: max(capacity, 1))
        var length = 0
        let withLength = r.pick(8) != 0, nullIds = ids.isEmpty && r.bool(), nullOut = capacity == 0 && r.bool()
        let count = CABICalls.length(&r, ids.count), flags = UInt32([0, 1, 7][r.pick(3)])
        _ = ids.withUnsafeBufferPointer { i in
            out.withUnsafeMutableBufferPointer { o in
                withOptional(&length, withLength) {
                    swiftlet_tokenizer_decode(h, nullIds ? nil : i.baseAddress, count, flags, nullOut ? nil : o.baseAddress, capacity, $0)
                }
            }
        }
    }

    /// NUL-terminated copies of `texts` as a `const char *const *`.
    static func withCStrings<R>(_ texts: [[UInt8]], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = texts.map { t -> UnsafeMutablePointer<CChar> in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: t.count)
            t.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { p.initialize(from: $0.baseAddress!, count: t.count) } }
            return p
        }
        defer { copies.forEach { $0.deallocate() } }
        let pointers = copies.map { UnsafePointer<CChar>?($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    // MARK: session results, OCR results

    static func sessionInfo(_ r: inout ByteReader, _ s: CABIState) {
        let h = s.of(.session, &r)
        let io = swiftlet_io([0, 1, 2, -1][r.pick(4)])
        var count = 0
        _ = withOptional(&count, r.bool()) { swiftlet_session_io_count(h, io, $0) }
        var info = swiftlet_value_info()
        let index = [0, 1, 2, -1][r.pick(4)]
        if withOptional(&info, r.pick(8) != 0, { swiftlet_session_io_info(h, io, index, $0) }) == ok, let name = info.name {
            _ = String(cString: name)
            for k in 0..<info.rank { _ = info.dims[k] }
        }
    }

    static func tensors(_ r: inout ByteReader, _ s: CABIState) {
        let h = s.of(.tensors, &r)
        var count = 0
        _ = withOptional(&count, r.pick(8) != 0) { swiftlet_tensors_count(h, $0) }
        var t = swiftlet_tensor()
        let index = [0, 1, 2, -1][r.pick(4)]
        if withOptional(&t, r.pick(8) != 0, { swiftlet_tensors_get(h, index, $0) }) == ok {
            _ = String(cString: t.name)
            for k in 0..<t.rank { _ = t.shape[k] }
            if t.byte_count > 0 { _ = UnsafeRawBufferPointer(start: t.data, count: t.byte_count).reduce(0, &+) }
        }
    }

    static func ocrResult(_ r: inout ByteReader, _ s: CABIState) {
        let h = s.of(.ocrResult, &r)
        var count = 0
        _ = withOptional(&count, r.pick(8) != 0) { swiftlet_ocr_result_count(h, $0) }
        var line = swiftlet_ocr_line()
        let index = [0, 1, 2, -1][r.pick(4)]
        if withOptional(&line, r.pick(8) != 0, { swiftlet_ocr_result_line(h, index, $0) }) == ok {
            _ = UnsafeRawBufferPointer(start: line.text, count: line.text_length).reduce(0, &+)
        }
        var json: UnsafePointer<CChar>?
        var length = 0
        let withJSON = r.pick(8) != 0, withLength = r.bool()
        let status = withOptional(&json, withJSON) { j in withOptional(&length, withLength) { swiftlet_ocr_result_json(h, j, $0) } }
        if status == ok, let json { _ = String(cString: json) }
    }
}
