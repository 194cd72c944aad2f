import Foundation
import Swiftlet

/// `.npy` bytes (what `swiftlet run` reads for its inputs): decode, and for what decodes,
/// encode and decode again — the round trip must give the same dtype, shape and bytes.
public enum NPYBody {
    public static func run(_ data: UnsafeRawBufferPointer) {
        guard data.count <= 1 << 20 else { return }
        guard let t = try? NPY.decode(Data(data), name: "fuzz.npy") else { return }
        _ = t.floatArray()
        let again: Tensor
        do {
            again = try NPY.decode(NPY.encode(t), name: "round-trip.npy")
        } catch {
            fatalError("NPY: a decoded tensor \(t.dtype) \(t.shape) does not decode after encoding: \(error)")
        }
        let same = again.dtype == t.dtype && again.shape == t.shape
            && t.withUnsafeBytes { a in again.withUnsafeBytes { b in a.elementsEqual(b) } }
        if !same { fatalError("NPY: round trip changed \(t.dtype) \(t.shape) into \(again.dtype) \(again.shape)") }
    }
}
