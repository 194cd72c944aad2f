#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// ONNX `auto_pad` values shared by Conv, ConvTranspose and the pooling ops.
enum AutoPad: String {
    case notSet = "NOTSET", sameUpper = "SAME_UPPER", sameLower = "SAME_LOWER", valid = "VALID"

    init(node n: Node) throws {
        let s = n.string("auto_pad") ?? "NOTSET"
        guard let v = AutoPad(rawValue: s.isEmpty ? "NOTSET" : s) else {
            throw SwiftletError.invalidModel("node '\(n.name)' (\(n.op)) has unknown auto_pad '\(s)'")
        }
        self = v
    }
}

/// Kernel/stride/dilation/pad attributes of a sliding-window op over 1 or 2 spatial axes.
/// Everything is resolved to two axes (H, W); a 1-D op is the 2-D op with H = 1, so one
/// set of kernels serves both.
struct SpatialAttributes {
    var kernel: [Int]?          // nil: taken from the weight shape (Conv)
    var strides: [Int]?
    var dilations: [Int]?
    var pads: [Int]?            // [begin..., end...]
    var autoPad: AutoPad
    var ceilMode = false

    init(_ n: Node) throws {
        kernel = n.ints("kernel_shape")
        strides = n.ints("strides")
        dilations = n.ints("dilations")
        pads = n.ints("pads")
        autoPad = try AutoPad(node: n)
        ceilMode = n.int("ceil_mode") == 1
        let rank = kernel?.count ?? strides?.count ?? dilations?.count ?? pads.map { $0.count / 2 }
        if let rank, rank > 2 {
            throw SwiftletError.unsupportedOp(op: "\(n.op) over \(rank) spatial axes", node: n.name)
        }
        for (name, v) in [("strides", strides), ("dilations", dilations)] where (v ?? []).contains(where: { $0 < 1 }) {
            throw SwiftletError.invalidModel("node '\(n.name)' (\(n.op)): \(name) must be >= 1, got \(v!)")
        }
        if let p = pads, p.count % 2 != 0 || p.contains(where: { $0 < 0 }) {
            throw SwiftletError.invalidModel("node '\(n.name)' (\(n.op)): pads \(p) must be 2 non-negative values per spatial axis")
        }
    }

    /// Lifts a per-axis attribute of `spatial` axes to (H, W).
    static func hw(_ v: [Int]?, spatial: Int, default d: Int) throws -> (Int, Int) {
        guard let v else { return (d, d) }
        guard v.count == spatial else { throw SwiftletError.shapeMismatch("attribute has \(v.count) values for \(spatial) spatial axes") }
        return spatial == 1 ? (d, v[0]) : (v[0], v[1])
    }
}

extension Window2D {
    /// Forward window (Conv, pools): output size from pads or auto_pad, per the ONNX formulas.
    init(attrs a: SpatialAttributes, spatialIn: [Int], kernel: [Int]) throws {
        let sp = spatialIn.count
        guard sp == 1 || sp == 2 else { throw SwiftletError.shapeMismatch("expected 1 or 2 spatial axes, got input spatial shape \(spatialIn)") }
        guard kernel.count == sp else { throw SwiftletError.shapeMismatch("kernel \(kernel) does not match input spatial shape \(spatialIn)") }
        (kH, kW) = try SpatialAttributes.hw(kernel, spatial: sp, default: 1)
        (sH, sW) = try SpatialAttributes.hw(a.strides, spatial: sp, default: 1)
        (dH, dW) = try SpatialAttributes.hw(a.dilations, spatial: sp, default: 1)
        (inH, inW) = try SpatialAttributes.hw(spatialIn, spatial: sp, default: 1)
        var pb = [Int](repeating: 0, count: 2), pe = [Int](repeating: 0, count: 2)
        if let p = a.pads, a.autoPad == .notSet {
            guard p.count == 2 * sp else { throw SwiftletError.shapeMismatch("pads \(p) do not match \(sp) spatial axes") }
            (pb[0], pb[1]) = try SpatialAttributes.hw(Array(p[..<sp]), spatial: sp, default: 0)
            (pe[0], pe[1]) = try SpatialAttributes.hw(Array(p[sp...]), spatial: sp, default: 0)
        }
        let ins = [inH, inW], ks = [kH, kW], ss = [sH, sW], ds = [dH, dW]
        var outs = [1, 1]
        for i in 0..<2 {
            let ext = (ks[i] - 1) * ds[i] + 1
            switch a.autoPad {
            case .sameUpper, .sameLower:
                outs[i] = (ins[i] + ss[i] - 1) / ss[i]
                let total = max(0, (outs[i] - 1) * ss[i] + ext - ins[i])
                pb[i] = a.autoPad == .sameUpper ? total / 2 : total - total / 2
                pe[i] = total - pb[i]
            case .valid, .notSet:
                let span = ins[i] + pb[i] + pe[i] - ext
                guard span >= 0 else {
                    throw SwiftletError.shapeMismatch("window of extent \(ext) does not fit input size \(ins[i]) with pads \(pb[i])+\(pe[i])")
                }
                if a.ceilMode {
                    outs[i] = (span + ss[i] - 1) / ss[i] + 1
                    // A window that would start inside the end padding only is dropped.
                    if (outs[i] - 1) * ss[i] >= ins[i] + pb[i] { outs[i] -= 1 }
                } else {
                    outs[i] = span / ss[i] + 1
                }
            }
        }
        (padT, padL, padB, padR) = (pb[0], pb[1], pe[0], pe[1])
        (outH, outW) = (outs[0], outs[1])
    }
}
