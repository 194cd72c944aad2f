#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import CSwiftlet
import Swiftlet

/// What a handle refers to; part of the handle's bits so a handle of one kind passed
/// where another is expected is recognised without looking anything up.
enum HandleKind: UInt64, CustomStringConvertible {
    case embedder = 1, tokenizer = 2, session = 3, tensors = 4, ocr = 5, ocrResult = 6
    case sparseEmbedder = 7, sparseResult = 8, reranker = 9, imageEmbedder = 10

    var description: String {
        switch self {
        case .embedder: return "swiftlet_embedder"
        case .tokenizer: return "swiftlet_tokenizer"
        case .session: return "swiftlet_session"
        case .tensors: return "swiftlet_tensors"
        case .ocr: return "swiftlet_ocr"
        case .ocrResult: return "swiftlet_ocr_result"
        case .sparseEmbedder: return "swiftlet_sparse_embedder"
        case .sparseResult: return "swiftlet_sparse_result"
        case .reranker: return "swiftlet_reranker"
        case .imageEmbedder: return "swiftlet_image_embedder"
        }
    }
}

/// The table behind every handle the C ABI gives out. A handle is not a pointer but
/// the 64-bit value  1 | kind (7 bits) | generation (32 bits) | slot (24 bits) .
/// The top bit keeps it outside every user-space address, so it can never equal a real
/// pointer and garbage collectors that scan C pointers (Go's) never mistake it for one.
/// A slot's generation changes when its handle is closed, so stale handles are caught;
/// a slot whose generation would wrap is retired instead of reused.
///
/// This is the one piece of process-wide mutable state in the ABI: C handles must be
/// resolvable from any thread without a context argument. It is guarded by a lock
/// held only for the lookup, never while a model runs.
final class HandleRegistry: @unchecked Sendable {
    static let shared = HandleRegistry()

    private struct Slot {
        var generation: UInt32 = 0
        var object: AnyObject?
    }

    private static let tag: UInt64 = 1 << 63
    private static let slotBits: UInt64 = 24
    private static let maxSlots = 1 << 24
    private var slots: [Slot] = []
    private var freeSlots: [Int] = []
    private let lock = Lock()

    /// Stores object and returns its new handle.
    func register(_ object: AnyObject, kind: HandleKind) throws -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        let index: Int
        if let i = freeSlots.popLast() {
            index = i
        } else {
            guard slots.count < HandleRegistry.maxSlots else {
                throw ABIError(SWIFTLET_ERR_RUNTIME, "too many open handles (\(HandleRegistry.maxSlots)); close some first")
            }
            slots.append(Slot())
            index = slots.count - 1
        }
        slots[index].object = object
        let bits = HandleRegistry.tag | kind.rawValue << 56 | UInt64(slots[index].generation) << HandleRegistry.slotBits | UInt64(index)
        return OpaquePointer(bitPattern: UInt(bits))!
    }

    /// The live object behind handle, which must be of `kind`. The caller gets its own
    /// strong reference, so a concurrent close cannot free the object mid-call.
    func resolve<T: AnyObject>(_ handle: OpaquePointer?, _ kind: HandleKind, as: T.Type) throws -> T {
        let (index, generation) = try decode(handle, kind)
        lock.lock()
        defer { lock.unlock() }
        guard index < slots.count, slots[index].generation == generation, let object = slots[index].object else {
            throw ABIError.handle("\(kind) handle \(hex(handle)) has been closed (or was never issued)")
        }
        guard let typed = object as? T else {
            throw ABIError(SWIFTLET_ERR_INTERNAL, "\(kind) handle \(hex(handle)) holds \(type(of: object))")
        }
        return typed
    }

    /// Invalidates handle; the object lives on only while calls in flight still hold it.
    func close(_ handle: OpaquePointer, _ kind: HandleKind) throws {
        let (index, generation) = try decode(handle, kind)
        // Taken out under the lock, released after it: the model's deinit (unmapping,
        // freeing buffers) must not hold up other threads' lookups.
        let released: AnyObject
        do {
            lock.lock()
            defer { lock.unlock() }
            guard index < slots.count, slots[index].generation == generation, let object = slots[index].object else {
                throw ABIError.handle("\(kind) handle \(hex(handle)) has already been closed (or was never issued)")
            }
            released = object
            slots[index].object = nil
            if slots[index].generation < UInt32.max {
                slots[index].generation += 1
                freeSlots.append(index)
            }
        }
        withExtendedLifetime(released) {}
    }

    private func decode(_ handle: OpaquePointer?, _ kind: HandleKind) throws -> (Int, UInt32) {
        guard let handle else { throw ABIError.handle("\(kind) handle is NULL") }
        let bits = UInt64(UInt(bitPattern: handle))
        guard bits & HandleRegistry.tag != 0, let actual = HandleKind(rawValue: (bits >> 56) & 0x7F) else {
            throw ABIError.handle("\(hex(handle)) is not a handle issued by libswiftlet (expected a \(kind))")
        }
        guard actual == kind else {
            throw ABIError.handle("handle \(hex(handle)) is a \(actual), not a \(kind)")
        }
        let generation = UInt32(truncatingIfNeeded: bits >> HandleRegistry.slotBits)
        return (Int(bits & (1 << HandleRegistry.slotBits - 1)), generation)
    }

    private func hex(_ handle: OpaquePointer?) -> String {
        "0x" + String(UInt(bitPattern: handle), radix: 16)
    }
}
