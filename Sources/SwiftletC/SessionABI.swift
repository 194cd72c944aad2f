#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CSwiftlet
import Swiftlet

/// A session handle: the compiled graph plus C copies of its input/output descriptions.
final class SessionHandle {
    let session: Session
    let inputs: [(BorrowedValue, DType)]
    let outputs: [(BorrowedValue, DType)]

    init(_ session: Session) {
        self.session = session
        func describe(_ v: ValueInfo) -> (BorrowedValue, DType) {
            let dims: [Int64] = v.dims.map { if case .fixed(let n) = $0 { return Int64(n) } else { return -1 } }
            return (BorrowedValue(name: v.name, dims: dims), v.dtype)
        }
        inputs = session.inputs.map(describe)
        outputs = session.outputs.map(describe)
    }
}

@c @implementation
public func swiftlet_session_open(_ path: UnsafePointer<CChar>?, _ options: UnsafePointer<swiftlet_session_options>?,
                                  _ outSession: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_session_open") {
        let out = try Arguments.output(outSession, "out_session")
        let path = try Arguments.cString(path, "path")
        let threads = try Arguments.threads(options?.pointee.threads ?? 0, "options.threads")
        let session = try Session(path: path, options: SessionOptions(threads: threads))
        out.pointee = try HandleRegistry.shared.register(SessionHandle(session), kind: .session)
    }
}

@c @implementation
public func swiftlet_session_close(_ session: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_session_close") {
        if let session { try HandleRegistry.shared.close(session, .session) }
    }
}

private func ioList(_ h: SessionHandle, _ io: swiftlet_io) throws -> [(BorrowedValue, DType)] {
    switch Int(io) {
    case SWIFTLET_INPUTS: return h.inputs
    case SWIFTLET_OUTPUTS: return h.outputs
    default: throw ABIError.argument("io is \(io); use SWIFTLET_INPUTS or SWIFTLET_OUTPUTS")
    }
}

@c @implementation
public func swiftlet_session_io_count(_ session: OpaquePointer?, _ io: swiftlet_io, _ outCount: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_session_io_count") {
        let h = try HandleRegistry.shared.resolve(session, .session, as: SessionHandle.self)
        let list = try ioList(h, io)
        try Arguments.output(outCount, "out_count").pointee = list.count
    }
}

@c @implementation
public func swiftlet_session_io_info(_ session: OpaquePointer?, _ io: swiftlet_io, _ index: Int,
                                     _ outInfo: UnsafeMutablePointer<swiftlet_value_info>?) -> swiftlet_status {
    abiCall("swiftlet_session_io_info") {
        let h = try HandleRegistry.shared.resolve(session, .session, as: SessionHandle.self)
        let list = try ioList(h, io)
        let out = try Arguments.output(outInfo, "out_info")
        guard index >= 0, index < list.count else {
            throw ABIError.argument("index \(UInt(bitPattern: index)) is out of range: the graph has \(list.count) \(Int(io) == SWIFTLET_INPUTS ? "inputs" : "outputs")")
        }
        let (v, dtype) = list[index]
        out.pointee = swiftlet_value_info(name: UnsafePointer(v.name), dtype: DTypeCodes.code(dtype), rank: v.rank, dims: UnsafePointer(v.dims))
    }
}

/// Copies one caller tensor into an engine Tensor after checking every field.
private func readInput(_ t: swiftlet_tensor, _ i: Int) throws -> (String, Tensor) {
    let name = try Arguments.cString(t.name, "inputs[\(i)].name")
    let what = "input '\(name)' (inputs[\(i)])"
    guard let dtype = DTypeCodes.dtype(t.dtype) else { throw ABIError.argument("\(what) has unknown dtype \(t.dtype)") }
    let rank = try Arguments.count(t.rank, "\(what) rank", max: Int(SWIFTLET_MAX_RANK))
    var shape: [Int] = []
    var elements = 1
    if rank > 0 {
        let dims = try Arguments.pointer(t.shape, "\(what) shape")
        for k in 0..<rank {
            let d = dims[k]
            guard d >= 0 else { throw ABIError.argument("\(what) dimension \(k) is \(d)") }
            let (product, overflow) = elements.multipliedReportingOverflow(by: Int(d))
            guard !overflow else { throw ABIError.argument("\(what) shape \(Array(UnsafeBufferPointer(start: dims, count: rank))) has too many elements") }
            elements = product
            shape.append(Int(d))
        }
    }
    let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
    guard !overflow else { throw ABIError.argument("\(what) shape \(shape) has too many bytes") }
    guard t.byte_count == bytes else {
        throw ABIError.argument("\(what) byte_count is \(UInt(bitPattern: t.byte_count)) but \(dtype.rawValue) \(shape) needs \(bytes)")
    }
    if bytes == 0 { return (name, try Tensor(dtype: dtype, shape: shape, bytes: UnsafeRawBufferPointer(start: nil, count: 0))) }
    let data = try Arguments.pointer(t.data, "\(what) data")
    return (name, try Tensor(dtype: dtype, shape: shape, bytes: UnsafeRawBufferPointer(start: data, count: bytes)))
}

@c @implementation
public func swiftlet_session_run(_ session: OpaquePointer?, _ inputs: UnsafePointer<swiftlet_tensor>?, _ inputCount: Int,
                                 _ outputNames: UnsafePointer<UnsafePointer<CChar>?>?, _ outputCount: Int,
                                 _ outTensors: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_session_run") {
        let h = try HandleRegistry.shared.resolve(session, .session, as: SessionHandle.self)
        let out = try Arguments.output(outTensors, "out_tensors")
        let n = try Arguments.count(inputCount, "input_count", max: Int(SWIFTLET_MAX_TENSORS))
        var feeds: [String: Tensor] = [:]
        if n > 0 {
            let inputs = try Arguments.pointer(inputs, "inputs")
            for i in 0..<n {
                let (name, tensor) = try readInput(inputs[i], i)
                guard feeds[name] == nil else { throw ABIError.argument("input '\(name)' is given twice") }
                feeds[name] = tensor
            }
        }
        let m = try Arguments.count(outputCount, "output_count", max: Int(SWIFTLET_MAX_TENSORS))
        var wanted: [String]? = nil
        if m > 0 {
            let names = try Arguments.pointer(outputNames, "output_names")
            var list: [String] = []
            for i in 0..<m {
                let name = try Arguments.cString(names[i], "output_names[\(i)]")
                guard !list.contains(name) else { throw ABIError.argument("output '\(name)' is asked for twice") }
                list.append(name)
            }
            wanted = list
        } else if outputNames != nil {
            throw ABIError.argument("output_names is given but output_count is 0")
        }
        let order = wanted ?? h.session.outputs.map(\.name)
        let results = try h.session.run(feeds, outputs: order)
        var tensors: [(String, Tensor)] = []
        for name in order {
            guard let t = results[name] else { throw ABIError(SWIFTLET_ERR_RUNTIME, "the graph did not produce output '\(name)'") }
            tensors.append((name, t))
        }
        out.pointee = try HandleRegistry.shared.register(TensorsHandle(tensors), kind: .tensors)
    }
}
