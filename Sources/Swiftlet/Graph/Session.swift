#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
import Dispatch
#else
import Foundation
#endif
import SwiftletTokenizers

/// How a ``Session`` compiles and runs its graph.
public struct SessionOptions: Sendable {
    /// Cores the kernels may use for one run. Several runs in parallel each use this many.
    public var threads: Int
    /// Graph rewrites (LayerNorm, GELU, transposed MatMul); off gives the literal graph.
    public var fusions: Bool
    /// Pack constant MatMul weights once at load for Swiftlet's own GEMM tiles (AVX-512 or
    /// AVX2, chosen from CPUID); off sends those MatMuls through `Gemm.sgemm` instead.
    public var prepackWeights: Bool
    /// The most bytes of intermediate tensors one run may hold at once (each concurrent run
    /// has its own); past it the run throws ``SwiftletError/runtime(_:)`` rather than the
    /// process dying when memory runs out. nil: the machine's physical memory.
    public var memoryLimit: Int?

    /// Options with the given settings; `threads` below 1 counts as 1.
    public init(threads: Int = activeProcessorCount(), fusions: Bool = true, prepackWeights: Bool = true, memoryLimit: Int? = nil) {
        self.threads = max(1, threads)
        self.fusions = fusions
        self.prepackWeights = prepackWeights
        self.memoryLimit = memoryLimit
    }
}

/// Wall time of one node in one `Session.profile` run.
public struct NodeTiming: Sendable {
    /// The node's name in the graph.
    public let name: String
    /// The operator that ran (after fusion, e.g. "FusedLayerNorm").
    public let op: String
    /// Shape of the node's first output.
    public let outputShape: [Int]
    /// Wall time the node took.
    public let milliseconds: Double
}

/// A compiled graph ready to run: fused, constant-folded, with operators built and
/// value lifetimes computed so intermediates go back to the pool right after last use.
/// Safe to call `run` from several threads at once; each run takes its own context.
public final class Session: @unchecked Sendable {
    /// The file the graph came from.
    public let model: ModelFile
    /// The options the session was compiled with.
    public let options: SessionOptions
    /// The values `run` needs in its feeds.
    public var inputs: [ValueInfo] { graph.inputs }
    /// The values `run` can return.
    public var outputs: [ValueInfo] { graph.outputs }
    /// Steps in the compiled graph (after fusion and constant folding).
    public var nodeCount: Int { steps.count }
    /// Op histogram of the compiled graph (after fusion and constant folding).
    public var opCounts: [String: Int] { steps.reduce(into: [:]) { $0[$1.node.op, default: 0] += 1 } }

    private let graph: GraphIR
    private struct Step {
        let node: Node
        let op: Operator
        let inputs: [Int]     // -1 = omitted
        let outputs: [Int]
        let release: [Int]    // values whose last reader is this step
    }
    private let steps: [Step]
    private let valueCount: Int
    private let inputSlots: [Int]
    private let outputSlots: [Int]
    private let constantSlots: [(Int, Tensor)]
    private var idleContexts: [ExecContext] = []
    private let lock = Lock()

    /// Opens the `.swl` file at `path` and compiles its graph.
    ///
    /// - Throws: ``SwiftletError`` when the file is not a valid model or uses an unsupported op.
    public convenience init(path: String, options: SessionOptions = SessionOptions()) throws {
        try self.init(model: ModelFile(path: path), options: options)
    }

    /// Compiles the graph of an opened model: rewrites, constant folding, operators built,
    /// weights packed (per `options`).
    ///
    /// - Throws: ``SwiftletError/unsupportedOp(op:node:)`` for an operator this build lacks,
    ///   ``SwiftletError/invalidModel(_:)`` for a graph that does not hold together.
    /// `outputs` compiles only the part of the graph that computes those graph outputs (an
    /// entry point of a multi-tower model, docs/FORMAT.md): the session then takes only the
    /// inputs that part reads.
    public init(model: ModelFile, options: SessionOptions = SessionOptions(), outputs entry: [String]? = nil) throws {
        _ = BLASThreads.pinnedToOne
        self.model = model
        self.options = options
        var g = try GraphIR(model: model)
        if let entry { g = try g.restricted(to: entry) }
        if options.fusions { g = Fusions.apply(g) }
        let unfolded = g.constants
        g = try ConstantFolding.apply(g, memoryLimit: options.memoryLimit)
        // Only the interface is kept: constants and nodes live on in the steps built below,
        // and a constant held here as well would stay resident after packing (an fp16
        // export's Cast-folded float32 weights cost ~45 MB that way on MiniLM).
        graph = GraphIR(inputs: g.inputs, outputs: g.outputs, nodes: [], constants: [:], opset: g.opset)

        var slot: [String: Int] = [:]
        func id(_ name: String) -> Int {
            if let i = slot[name] { return i }
            slot[name] = slot.count
            return slot.count - 1
        }
        var consts: [(Int, Tensor)] = []
        let usedNames = Set(g.nodes.flatMap(\.inputs) + g.outputs.map(\.name))
        for (name, t) in g.constants where usedNames.contains(name) { consts.append((id(name), t)) }
        inputSlots = g.inputs.map { id($0.name) }
        var built: [(Node, Operator, [Int], [Int])] = []
        var dequantized = Set<String>(), readEncoded = Set<String>()
        var packedOnly = Set<String>(), readAsIs = Set<String>()
        for n in g.nodes {
            var op = try OpRegistry.make(n, opset: g.opset)
            if let q = try QuantizedMatMulOp.make(n, encoded: g.encoded, threads: options.threads) {
                op = q
            } else if let gather = EncodedGatherOp.make(n, encoded: g.encoded) {
                op = gather
            } else if options.prepackWeights, let packed = try PackedMatMulOp.make(n, constants: g.constants, threads: options.threads) {
                op = packed
            } else if options.prepackWeights, let packed = MatMulIntegerOp.prepacked(n, constants: g.constants) {
                op = packed
            }
            // An encoded constant read any other way (a fusion changed its reader, say) is
            // read as float32, converted once here.
            let readsEncoded = (op is QuantizedMatMulOp) ? 1 : (op is EncodedGatherOp) ? 0 : -1
            for (i, name) in n.inputs.enumerated() where g.encoded[name] != nil {
                if i == readsEncoded { readEncoded.insert(name); continue }
                if dequantized.insert(name).inserted { consts.append((id(name), g.encoded[name]!.dequantized())) }
            }
            let ins = n.inputs.map { $0.isEmpty ? -1 : id($0) }
            let outs = n.outputs.map { $0.isEmpty ? -1 : id($0) }
            built.append((n, op, ins, outs))
            for (i, name) in n.inputs.enumerated() where !name.isEmpty {
                if i == 1 && (op is PackedMatMulOp || op is QuantizedMatMulOp) { packedOnly.insert(name) } else { readAsIs.insert(name) }
            }
        }
        // A weight packed at load is never read from the file again: its mapped pages would
        // only double its share of the RSS.
        // Nor is its float32 tensor kept as a constant slot: for a weight made at load (Cast
        // of float16 folded), that would hold a heap copy beside the packed one.
        var packedAway = Set<Int>()
        for name in packedOnly.subtracting(readAsIs) where !g.outputs.contains(where: { $0.name == name }) {
            if let t = g.constants[name] { (t.storage.lender as? MappedFile)?.release(t.raw, count: t.byteCount) }
            if let e = g.encoded[name] { (e.owner as? MappedFile)?.release(e.data, count: e.byteCount) }
            if let k = slot[name] { packedAway.insert(k) }
        }
        consts.removeAll { packedAway.contains($0.0) }
        // Likewise an encoded weight (float16, say) widened to float32 above and read only so.
        for name in dequantized.subtracting(readEncoded) {
            if let e = g.encoded[name] { (e.owner as? MappedFile)?.release(e.data, count: e.byteCount) }
        }
        // And a file constant folding read and replaced (a float16 weight under a Cast).
        for (name, t) in unfolded where g.constants[name] == nil || !usedNames.contains(name) {
            (t.storage.lender as? MappedFile)?.release(t.raw, count: t.byteCount)
        }
        outputSlots = g.outputs.map { id($0.name) }
        constantSlots = consts
        valueCount = slot.count

        // Liveness: release each intermediate after its last reader; never release
        // graph outputs, graph inputs (caller-owned) or constants.
        var lastUse = [Int](repeating: -1, count: slot.count)
        for (i, b) in built.enumerated() { for v in b.2 where v >= 0 { lastUse[v] = i } }
        let pinned = Set(outputSlots + inputSlots + consts.map(\.0))
        var releaseAt = [[Int]](repeating: [], count: built.count)
        for (v, i) in lastUse.enumerated() where i >= 0 && !pinned.contains(v) { releaseAt[i].append(v) }
        // Outputs nobody reads (e.g. unused second outputs) die right after their node.
        for (i, b) in built.enumerated() {
            for v in b.3 where v >= 0 && lastUse[v] < 0 && !pinned.contains(v) { releaseAt[i].append(v) }
        }
        steps = built.enumerated().map { i, b in Step(node: b.0, op: b.1, inputs: b.2, outputs: b.3, release: releaseAt[i]) }
    }

    /// Runs the graph. `feeds` must name every graph input; returns the requested outputs
    /// (all graph outputs by default).
    public func run(_ feeds: [String: Tensor], outputs wanted: [String]? = nil) throws -> [String: Tensor] {
        try execute(feeds, outputs: wanted, timing: nil)
    }

    /// Runs the graph like `run` and also reports the wall time of every node, in graph
    /// order (after fusion), with the shape of its first output — what `swiftlet bench
    /// --profile` aggregates to show where a model spends its time.
    public func profile(_ feeds: [String: Tensor]) throws -> [NodeTiming] {
        var times: [NodeTiming] = []
        times.reserveCapacity(steps.count)
        _ = try execute(feeds, outputs: nil) { node, shape, ns in
            times.append(NodeTiming(name: node.name, op: node.op, outputShape: shape, milliseconds: Double(ns) / 1e6))
        }
        return times
    }

    private func execute(_ feeds: [String: Tensor], outputs wanted: [String]?,
                         timing: ((Node, [Int], UInt64) -> Void)?) throws -> [String: Tensor] {
        let bound = try validate(feeds)
        let ctx = takeContext()
        defer { giveBack(ctx) }
        var values = [Tensor?](repeating: nil, count: valueCount)
        for (i, t) in constantSlots { values[i] = t }
        for (k, info) in graph.inputs.enumerated() { values[inputSlots[k]] = feeds[info.name] }
        for s in steps {
            let ins = s.inputs.map { $0 >= 0 ? values[$0] : nil }
            let outs: [Tensor]
            let t0 = timing == nil ? 0 : DispatchTime.now().uptimeNanoseconds
            do {
                outs = try CurrentPool.with(ctx.workers) { try s.op.run(ins, ctx) }
            } catch let e as SwiftletError {
                throw Session.annotate(e, node: s.node)
            }
            if let timing { timing(s.node, outs.first?.shape ?? [], DispatchTime.now().uptimeNanoseconds - t0) }
            // Every output a later node or the caller reads must exist (an op may return fewer
            // than the node names only when the rest are unused, e.g. an optional trailing one).
            guard s.outputs.enumerated().allSatisfy({ $0.element < 0 || $0.offset < outs.count }) else {
                throw SwiftletError.runtime("node '\(s.node.name)' (\(s.node.op)) produced \(outs.count) outputs, expected \(s.outputs.count)")
            }
            for (j, v) in s.outputs.enumerated() where v >= 0 { values[v] = outs[j] }
            for v in s.release { values[v] = nil }
        }
        var result: [String: Tensor] = [:]
        let names = wanted ?? graph.outputs.map(\.name)
        for name in names {
            guard let k = graph.outputs.firstIndex(where: { $0.name == name }) else {
                throw SwiftletError.invalidInput("no graph output named '\(name)'; outputs are \(graph.outputs.map(\.name))")
            }
            guard let t = values[outputSlots[k]] else { throw SwiftletError.runtime("graph output '\(name)' was not computed") }
            try checkOutput(graph.outputs[k], t, bound)
            result[name] = t
        }
        return result
    }

    private static func annotate(_ e: SwiftletError, node: Node) -> SwiftletError {
        switch e {
        case .shapeMismatch(let m): return .shapeMismatch("\(m) (node '\(node.name)', \(node.op))")
        case .invalidInput(let m): return .invalidInput("\(m) (node '\(node.name)', \(node.op))")
        case .runtime(let m): return .runtime("\(m) (node '\(node.name)', \(node.op))")
        default: return e
        }
    }

    /// Outputs must honour the declared shapes: fixed dims, and symbolic dims bound by the
    /// inputs (a model whose graph disagrees with its own header is reported, not returned).
    private func checkOutput(_ info: ValueInfo, _ t: Tensor, _ bound: [String: Int]) throws {
        guard t.dtype == info.dtype else {
            throw SwiftletError.runtime("output '\(info.name)' is \(t.dtype.rawValue), the model declares \(info.dtype.rawValue)")
        }
        guard !info.dims.isEmpty else { return }
        guard t.rank == info.dims.count else {
            throw SwiftletError.runtime("output '\(info.name)' has shape \(t.shape), the model declares \(info.dims)")
        }
        for (i, d) in info.dims.enumerated() {
            switch d {
            case .fixed(let n) where n != t.shape[i]:
                throw SwiftletError.runtime("output '\(info.name)' dim \(i) is \(t.shape[i]), the model declares \(n)")
            case .symbol(let s):
                if let v = bound[s], v != t.shape[i] {
                    throw SwiftletError.runtime("output '\(info.name)' dim \(i) is \(t.shape[i]), but '\(s)' is \(v) in the inputs")
                }
            default: break
            }
        }
    }

    /// Checks names, dtypes, ranks and fixed/symbolic dims before any kernel runs; returns
    /// the values the symbolic dims took.
    @discardableResult
    private func validate(_ feeds: [String: Tensor]) throws -> [String: Int] {
        let expected = graph.inputs.map(\.name)
        for k in feeds.keys where !expected.contains(k) {
            throw SwiftletError.invalidInput("unknown input '\(k)'; the model takes \(expected)")
        }
        var bound: [String: (Int, String)] = [:]
        for info in graph.inputs {
            guard let t = feeds[info.name] else { throw SwiftletError.invalidInput("missing input '\(info.name)'; the model takes \(expected)") }
            guard t.dtype == info.dtype else {
                throw SwiftletError.invalidInput("input '\(info.name)' must be \(info.dtype.rawValue), got \(t.dtype.rawValue)")
            }
            guard info.dims.isEmpty || t.rank == info.dims.count else {
                throw SwiftletError.invalidInput("input '\(info.name)' must have rank \(info.dims.count) \(info.dims), got shape \(t.shape)")
            }
            for (i, d) in info.dims.enumerated() {
                switch d {
                case .fixed(let n) where n != t.shape[i]:
                    throw SwiftletError.invalidInput("input '\(info.name)' dim \(i) must be \(n), got \(t.shape[i])")
                case .symbol(let s):
                    if let (v, other) = bound[s], v != t.shape[i] {
                        throw SwiftletError.invalidInput("dimension '\(s)' is \(v) in '\(other)' but \(t.shape[i]) in '\(info.name)'")
                    }
                    bound[s] = (t.shape[i], info.name)
                default: break
                }
            }
        }
        return bound.mapValues(\.0)
    }

    /// Bytes of intermediate buffers kept for reuse by idle run contexts.
    public var cachedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return idleContexts.reduce(0) { $0 + $1.pool.cachedBytes }
    }

    private func takeContext() -> ExecContext {
        lock.lock()
        defer { lock.unlock() }
        return idleContexts.popLast() ?? ExecContext(pool: BufferPool(limit: options.memoryLimit), threads: options.threads)
    }

    private func giveBack(_ ctx: ExecContext) {
        ctx.pool.trim()
        lock.lock()
        idleContexts.append(ctx)
        lock.unlock()
    }
}
