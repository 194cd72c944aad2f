/// The EXIF orientation tag (0x0112) of a JPEG's APP1 "Exif" segment, IFD0; nil when
/// absent or unreadable. Parsed by hand: only the marker chain up to the first scan and one
/// IFD are walked, every offset bounds-checked.
func exifOrientation(jpeg b: [UInt8]) -> Int? {
    var p = 2
    while p + 4 <= b.count {
        guard b[p] == 0xFF else { return nil }
        let marker = b[p + 1]
        if marker == 0xFF { p += 1; continue }
        if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { p += 2; continue }
        if marker == 0xDA || marker == 0xD9 { return nil }
        let len = Int(b[p + 2]) << 8 | Int(b[p + 3])
        guard len >= 2, p + 2 + len <= b.count else { return nil }
        if marker == 0xE1, len >= 8, Array(b[(p + 4)..<(p + 10)]) == [0x45, 0x78, 0x69, 0x66, 0, 0] {
            if let o = tiffOrientation(b, start: p + 10, end: p + 2 + len) { return o }
        }
        p += 2 + len
    }
    return nil
}

private func tiffOrientation(_ b: [UInt8], start: Int, end: Int) -> Int? {
    guard end - start >= 8 else { return nil }
    let little: Bool
    switch (b[start], b[start + 1]) {
    case (0x49, 0x49): little = true
    case (0x4D, 0x4D): little = false
    default: return nil
    }
    func u16(_ o: Int) -> Int? {
        guard o >= start, o + 2 <= end else { return nil }
        return little ? Int(b[o]) | Int(b[o + 1]) << 8 : Int(b[o]) << 8 | Int(b[o + 1])
    }
    func u32(_ o: Int) -> Int? {
        guard let lo = u16(little ? o : o + 2), let hi = u16(little ? o + 2 : o) else { return nil }
        return hi << 16 | lo
    }
    guard u16(start + 2) == 42, let ifd = u32(start + 4) else { return nil }
    let ifdStart = start + ifd
    guard let count = u16(ifdStart) else { return nil }
    for i in 0..<count {
        let e = ifdStart + 2 + i * 12
        guard let tag = u16(e) else { return nil }
        if tag == 0x0112 {
            guard let type = u16(e + 2), type == 3, let v = u16(e + 8), (1...8).contains(v) else { return nil }
            return v
        }
    }
    return nil
}

extension RGBImage {
    /// The image as it should be displayed given EXIF orientation `o` (1…8).
    func oriented(exif o: Int) -> RGBImage {
        switch o {
        case 2: return flippedHorizontally()
        case 3: return rotated180()
        case 4: return rotated180().flippedHorizontally()
        case 5: return rotated90Clockwise().flippedHorizontally()
        case 6: return rotated90Clockwise()
        case 7: return rotated90CounterClockwise().flippedHorizontally()
        case 8: return rotated90CounterClockwise()
        default: return self
        }
    }
}
