import CSwiftlet

/// The OCR entry points: open with options from the input (including out-of-range values
/// and non-zero reserved fields), and run on encoded bytes, raw pixels or a file.
enum CABIOCRCalls {
    static func open(_ r: inout ByteReader, _ s: inout CABIState) {
        var o = swiftlet_ocr_options()
        o.threads = [0, 1, -1][r.pick(3)]
        o.preset = [0, 1, 2][r.pick(3)]
        o.det_thresh = [0, 0.3, 1.5, .nan][r.pick(4)]
        o.box_thresh = [0, 0.1, -1][r.pick(3)]
        o.unclip_ratio = [0, 1.6, 0.01, 1000][r.pick(4)]
        o.text_score = [0, 0.1, .infinity][r.pick(3)]
        // 0 is the preset's 736/960: rare, so most runs stay small.
        o.limit_side_len = [32, 64, 96, 0, 100_000, -5][r.pick(6)]
        if r.pick(8) == 0 { o.reserved.4 = 1 }
        var h: OpaquePointer?
        let withOptions = r.pick(8) != 0
        let det = CABIPath(&r), rec = CABIPath(&r)
        let cls: String? = r.bool() ? FuzzFixtures.path("models/ocr-cls.swl") : nil
        let status = det.with { d in
            rec.with { rc in
                CABICalls.withOptional(&o, withOptions) { options in swiftlet_ocr_open(d, rc, cls, options, &h) }
            }
        }
        s.opened(status, h, .ocr)
    }

    static func run(_ r: inout ByteReader, _ s: inout CABIState) {
        if s.handles.allSatisfy({ $0.kind != .ocr }) && r.bool() { return open(&r, &s) }
        let h = s.of(.ocr, &r)
        var result: OpaquePointer?
        let withOut = r.pick(8) != 0
        let status: swiftlet_status
        switch r.pick(3) {
        case 0:
            let bytes = r.chunk(max: 255)
            let null = bytes.isEmpty && r.bool(), count = CABICalls.length(&r, bytes.count)
            status = bytes.withUnsafeBytes { b in
                CABICalls.withOptional(&result, withOut) { swiftlet_ocr_run_encoded(h, null ? nil : b.baseAddress, count, $0) }
            }
        case 1:
            let width = [0, 1, 3, 17, 40][r.pick(5)], height = [0, 1, 2, 9, 40][r.pick(5)]
            let format = swiftlet_pixel_format(r.pick(7))
            let bpp = [1, 3, 3, 4, 4, 1, 1][Int(format)]
            let stride = [0, width * bpp, width * bpp + 5, width * bpp - 1, -1][r.pick(5)]
            let needed = height == 0 ? 0 : max(stride, width * bpp) * (height - 1) + width * bpp
            let size = [needed, needed, max(needed - 1, 0), 0][r.pick(4)]
            let seed = r.byte()
            let pixels = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* Int(seed | 1) >> 3) }
            status = pixels.withUnsafeBytes { p in
                CABICalls.withOptional(&result, withOut) { swiftlet_ocr_run_pixels(h, p.baseAddress, p.count, width, height, stride, format, $0) }
            }
        default:
            let path = CABIPath(&r)
            status = path.with { p in CABICalls.withOptional(&result, withOut) { swiftlet_ocr_run_file(h, p, $0) } }
        }
        s.opened(status, result, .ocrResult)
    }
}
