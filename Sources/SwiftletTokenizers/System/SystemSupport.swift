#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The few system services the engine needs, written on the C library instead of
// FoundationEssentials: the C ABI library (tools/build-lib.sh) links no Foundation at all,
// because any one FoundationEssentials symbol pulls ~7.5 MB of it (and of the Swift
// libraries it needs) into libswiftlet.so. Swiftlet, SwiftletTokenizers and SwiftletC
// must not use Foundation APIs (Data, URL, FileManager, ProcessInfo, String(format:), ...)
// outside `@_alwaysEmitIntoClient` conveniences; build-lib.sh fails, naming the symbol,
// when one does.

/// Processors this process may use: what FoundationEssentials' `ProcessInfo.activeProcessorCount`
/// gives on Linux (a cgroup v1 CPU quota rounded up, else the cgroup v1 cpuset's CPUs, else
/// the online CPUs), at least 1; read once per process. The default `threads` of the
/// engine's options.
@usableFromInline package func activeProcessorCount() -> Int { processorsAtStart }

private let processorsAtStart = countActiveProcessors()

private func countActiveProcessors() -> Int {
#if os(Linux)
    if let quota = firstInteger(inFile: "/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), quota > 0,
       let period = firstInteger(inFile: "/sys/fs/cgroup/cpu/cpu.cfs_period_us"), period > 0 {
        return max(1, (quota + period - 1) / period)
    }
    if let line = firstLine(ofFile: "/sys/fs/cgroup/cpuset/cpuset.cpus"), let n = cpuListCount(line), n > 0 {
        return n
    }
#endif
    return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// The number of CPUs in a kernel CPU list such as "0-3,8,10-11"; nil when malformed.
package func cpuListCount(_ list: String) -> Int? {
    var total = 0
    for part in list.split(separator: ",") {
        let ends = part.split(separator: "-", omittingEmptySubsequences: false)
        guard let lo = Int(ends[0]) else { return nil }
        if ends.count == 1 {
            total += 1
        } else {
            guard ends.count == 2, let hi = Int(ends[1]), hi >= lo else { return nil }
            total += hi - lo + 1
        }
    }
    return total
}

private func firstLine(ofFile path: String) -> String? {
    guard let bytes = readWholeFile(path) else { return nil }
    let line = bytes.prefix { $0 != UInt8(ascii: "\n") }
    return String(validating: line, as: UTF8.self)
}

private func firstInteger(inFile path: String) -> Int? {
    firstLine(ofFile: path).flatMap { Int($0.trimmingSuffix(" ")) }
}

private extension String {
    func trimmingSuffix(_ c: Character) -> Substring {
        var s = self[...]
        while s.last == c { s = s.dropLast() }
        return s
    }
}

/// All bytes of the file at `path`, or nil when it cannot be opened or read (a directory,
/// a missing file, no permission).
package func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(max(0, Int(st.st_size)))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            return nil
        }
        if n == 0 { return out }
        out.append(contentsOf: chunk[0..<n])
    }
}

/// Writes `bytes` to `path`, replacing any file there; false when it cannot.
package func writeWholeFile(_ path: String, _ bytes: [UInt8]) -> Bool {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return false }
    var done = 0
    while done < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
        if n < 0 {
            if errno == EINTR { continue }
            close(fd)
            return false
        }
        done += n
    }
    return close(fd) == 0
}

/// Standard base64 (RFC 4648, `+/`, `=` padding required) as `Data(base64Encoded:)` takes it
/// without options: nil for any other character, whitespace included, or a bad length.
package func base64Decode(_ text: String) -> [UInt8]? {
    let s = Array(text.utf8)
    guard s.count % 4 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(s.count / 4 * 3)
    @inline(__always) func value(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(c - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(c - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
    var i = 0
    while i < s.count {
        let last = i + 4 == s.count
        let pad = last ? (s[i + 3] == UInt8(ascii: "=") ? (s[i + 2] == UInt8(ascii: "=") ? 2 : 1) : 0) : 0
        var group: UInt32 = 0
        for k in 0..<(4 - pad) {
            guard let v = value(s[i + k]) else { return nil }
            group |= v << (18 - 6 * UInt32(k))
        }
        out.append(UInt8(truncatingIfNeeded: group >> 16))
        if pad < 2 { out.append(UInt8(truncatingIfNeeded: group >> 8)) }
        if pad < 1 { out.append(UInt8(truncatingIfNeeded: group)) }
        i += 4
    }
    return out
}
