#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Maps an ONNX node (op type + attributes, at a given opset) to a compiled operator.
/// Unknown ops fail at load time, naming the op and the node, never mid-inference.
enum OpRegistry {
    typealias Builder = (Node, Int) throws -> Operator

    static func make(_ n: Node, opset: Int) throws -> Operator {
        if let op = n.fused { return try make(op, n) }
        if let act = Activation(onnx: n) { return UnaryOp(kind: .activation(act)) }
        if let math = MathOp(onnx: n) { return math }
        guard let build = builders[n.op] else { throw SwiftletError.unsupportedOp(op: n.op, node: n.name) }
        return try build(n, opset)
    }

    /// Every ONNX op type a graph may contain: the table below plus the activations.
    /// `swiftlet ops` prints it (the conformance suite selects its cases with it), so it is
    /// read from the tables that `make` uses rather than kept as a separate list.
    static var onnxOpTypes: [String] {
        Set(builders.keys).union(Activation.onnxOpTypes).union(MathOp.onnxOpTypes).sorted()
    }

    /// One builder per ONNX op type; each parses its node's attributes once.
    private static let builders: [String: Builder] = [
        "Add": { _, _ in BinaryOp(.add) },
        "Sub": { _, _ in BinaryOp(.sub) },
        "Mul": { _, _ in BinaryOp(.mul) },
        "Div": { _, _ in BinaryOp(.div) },
        "Pow": { _, _ in BinaryOp(.pow) },
        "Max": { n, _ in try variadic(n, .max) },
        "Min": { n, _ in try variadic(n, .min) },
        "Mod": { n, _ in BinaryOp(.mod, fmod: n.int("fmod") == 1) },
        "Equal": { _, _ in BinaryOp(.equal) },
        "Less": { _, _ in BinaryOp(.less) },
        "LessOrEqual": { _, _ in BinaryOp(.lessOrEqual) },
        "Greater": { _, _ in BinaryOp(.greater) },
        "GreaterOrEqual": { _, _ in BinaryOp(.greaterOrEqual) },
        "And": { _, _ in BinaryOp(.and) },
        "Or": { _, _ in BinaryOp(.or) },
        "Xor": { _, _ in BinaryOp(.xor) },
        "Not": { _, _ in NotOp() },
        "IsNaN": { _, _ in FloatPredicateOp(kind: .isNaN) },
        "IsInf": { n, _ in
            FloatPredicateOp(kind: .isInf, detectPositive: n.int("detect_positive") != 0, detectNegative: n.int("detect_negative") != 0)
        },
        "Sqrt": { _, _ in UnaryOp(kind: .sqrt) },
        "Erf": { _, _ in UnaryOp(kind: .erf) },
        "Exp": { _, _ in UnaryOp(kind: .exp) },
        "Log": { _, _ in UnaryOp(kind: .log) },
        "Neg": { _, _ in UnaryOp(kind: .neg) },
        "Abs": { _, _ in UnaryOp(kind: .abs) },
        "Tanh": { _, _ in UnaryOp(kind: .tanh) },
        "Reciprocal": { _, _ in UnaryOp(kind: .reciprocal) },
        "Floor": { _, _ in UnaryOp(kind: .floor) },
        "Ceil": { _, _ in UnaryOp(kind: .ceil) },
        "Round": { _, _ in UnaryOp(kind: .round) },
        // Gelu(approximate="none") is an Activation (above); this builds the other variant.
        "Gelu": { n, _ in
            let approximate = n.string("approximate") ?? "none"
            guard approximate == "tanh" else {
                throw SwiftletError.unsupportedOp(op: "Gelu(approximate=\(approximate))", node: n.name)
            }
            return UnaryOp(kind: .geluTanh)
        },
        "Identity": { _, _ in UnaryOp(kind: .identity) },
        "Dropout": { n, _ in try DropoutOp(n) },
        "Cast": { n, _ in
            guard let code = n.int("to"), let dt = DType(onnxCode: code) else {
                throw SwiftletError.unsupportedOp(op: "Cast(to=\(n.int("to") ?? -1))", node: n.name)
            }
            return CastOp(to: dt)
        },
        "MatMul": { _, _ in MatMulOp() },
        "Gemm": { n, _ in
            GemmOp(transA: n.int("transA") == 1, transB: n.int("transB") == 1, alpha: n.float("alpha") ?? 1, beta: n.float("beta") ?? 1)
        },
        "LayerNormalization": { n, _ in
            LayerNormOp(axis: n.int("axis") ?? -1, epsilon: n.float("epsilon") ?? 1e-5, statsOutputs: n.outputs.count > 1)
        },
        "BatchNormalization": { n, _ in try BatchNormOp(n) },
        "Softmax": { n, opset in SoftmaxOp(axis: n.int("axis") ?? (opset < 13 ? 1 : -1), legacy: opset < 13) },
        "LogSoftmax": { n, opset in SoftmaxOp(axis: n.int("axis") ?? (opset < 13 ? 1 : -1), legacy: opset < 13, log: true) },
        "ReduceMean": { n, _ in reduce(n, .mean) },
        "ReduceSum": { n, _ in reduce(n, .sum) },
        "ReduceMax": { n, _ in reduce(n, .max) },
        "ReduceMin": { n, _ in reduce(n, .min) },
        "ReduceProd": { n, _ in reduce(n, .prod) },
        "ReduceL2": { n, _ in reduce(n, .l2) },
        "ReduceSumSquare": { n, _ in reduce(n, .sumSquare) },
        "ReduceL1": { n, _ in reduce(n, .l1) },
        "ReduceLogSum": { n, _ in reduce(n, .logSum) },
        "ReduceLogSumExp": { n, _ in reduce(n, .logSumExp) },
        "Shape": { n, _ in ShapeOp(start: n.int("start"), end: n.int("end")) },
        "Reshape": { n, _ in ReshapeOp(allowZero: n.int("allowzero") == 1) },
        "Flatten": { n, _ in FlattenOp(axis: n.int("axis") ?? 1) },
        "Squeeze": { n, _ in SqueezeOp(attrAxes: n.ints("axes")) },
        "Unsqueeze": { n, _ in UnsqueezeOp(attrAxes: n.ints("axes")) },
        "Transpose": { n, _ in TransposeOp(perm: n.ints("perm")) },
        "Concat": { n, _ in
            guard let axis = n.int("axis") else { throw SwiftletError.invalidModel("Concat node '\(n.name)' has no axis") }
            return ConcatOp(axis: axis)
        },
        "Split": { n, _ in SplitOp(axis: n.int("axis") ?? 0, attrSplit: n.ints("split"), outputs: n.outputs.count) },
        "Slice": { n, _ in SliceOp(attrStarts: n.ints("starts"), attrEnds: n.ints("ends"), attrAxes: n.ints("axes")) },
        "Gather": { n, _ in GatherOp(axis: n.int("axis") ?? 0) },
        "Expand": { _, _ in ExpandOp() },
        "Where": { _, _ in WhereOp() },
        "Range": { _, _ in RangeOp() },
        "ConstantOfShape": { n, _ in ConstantOfShapeOp(value: n.tensor("value")) },
        "CumSum": { n, _ in CumSumOp(exclusive: n.int("exclusive") == 1, reverse: n.int("reverse") == 1) },
        "Conv": { n, _ in try ConvOp(n) },
        "ConvTranspose": { n, _ in try ConvTransposeOp(n) },
        "MaxPool": { n, _ in try PoolOp(n, kind: .max) },
        "AveragePool": { n, _ in try PoolOp(n, kind: .average) },
        "GlobalAveragePool": { _, _ in GlobalPoolOp(isMax: false) },
        "GlobalMaxPool": { _, _ in GlobalPoolOp(isMax: true) },
        "Resize": { n, opset in try ResizeOp(n, opset: opset) },
        "Upsample": { n, opset in try ResizeOp(n, opset: opset) },
        "Pad": { n, opset in try PadOp(n, opset: opset) },
        "QuantizeLinear": { n, _ in
            var outputType: DType? = nil
            if let code = n.int("output_dtype"), code != 0 {
                guard let dt = DType(onnxCode: code), dt == .uint8 || dt == .int8 else {
                    throw SwiftletError.unsupportedOp(op: "QuantizeLinear(output_dtype=\(code))", node: n.name)
                }
                outputType = dt
            }
            return QuantizeLinearOp(axis: n.int("axis") ?? 1, blockSize: n.int("block_size") ?? 0, outputType: outputType)
        },
        "DequantizeLinear": { n, _ in
            if let code = n.int("output_dtype"), code != 0, code != 1 {
                throw SwiftletError.unsupportedOp(op: "DequantizeLinear(output_dtype=\(code))", node: n.name)
            }
            return DequantizeLinearOp(axis: n.int("axis") ?? 1, blockSize: n.int("block_size") ?? 0)
        },
        "DynamicQuantizeLinear": { _, _ in DynamicQuantizeLinearOp() },
        "PRelu": { _, _ in PReluOp() },
        "Sum": { _, _ in SumOp(mean: false) },
        "Mean": { _, _ in SumOp(mean: true) },
        "CastLike": { _, _ in CastLikeOp() },
        "Tile": { _, _ in TileOp() },
        "Trilu": { n, _ in TriluOp(upper: (n.int("upper") ?? 1) != 0) },
        "DepthToSpace": { n, _ in try SpaceDepthOp(n) },
        "SpaceToDepth": { n, _ in try SpaceDepthOp(n) },
        "ArgMax": { n, _ in argReduce(n, isMax: true) },
        "ArgMin": { n, _ in argReduce(n, isMax: false) },
        "TopK": { n, _ in
            if let s = n.int("sorted"), s != 0 && s != 1 { throw SwiftletError.unsupportedOp(op: "TopK(sorted=\(s))", node: n.name) }
            return TopKOp(axis: n.int("axis") ?? -1, largest: (n.int("largest") ?? 1) != 0)
        },
        "OneHot": { n, _ in OneHotOp(axis: n.int("axis") ?? -1) },
        "GatherElements": { n, _ in GatherElementsOp(axis: n.int("axis") ?? 0) },
        "GatherND": { n, _ in GatherNDOp(batchDims: n.int("batch_dims") ?? 0) },
        "ScatterElements": { n, _ in ScatterElementsOp(axis: n.int("axis") ?? 0, reduction: try ScatterReduction(n)) },
        // Scatter (opset 9-10) is ScatterElements without reductions, under its old name.
        "Scatter": { n, _ in ScatterElementsOp(axis: n.int("axis") ?? 0, reduction: .none) },
        "Hardmax": { n, opset in HardmaxOp(axis: n.int("axis") ?? (opset < 13 ? 1 : -1), coerce2D: opset < 13) },
        "Size": { _, _ in SizeOp() },
        "NonZero": { _, _ in NonZeroOp() },
        "Compress": { n, _ in CompressOp(axis: n.int("axis")) },
        "ScatterND": { n, _ in ScatterNDOp(reduction: try ScatterReduction(n)) },
        "InstanceNormalization": { n, _ in GroupNormOp(groups: nil, epsilon: n.float("epsilon") ?? 1e-5) },
        "GroupNormalization": { n, _ in
            guard let g = n.int("num_groups"), g >= 1 else {
                throw SwiftletError.unsupportedOp(op: "GroupNormalization(num_groups=\(n.int("num_groups").map(String.init) ?? "missing"))", node: n.name)
            }
            if let st = n.int("stash_type"), st != 1 { throw SwiftletError.unsupportedOp(op: "GroupNormalization(stash_type=\(st))", node: n.name) }
            return GroupNormOp(groups: g, epsilon: n.float("epsilon") ?? 1e-5)
        },
        "RMSNormalization": { n, _ in
            if let st = n.int("stash_type"), st != 1 { throw SwiftletError.unsupportedOp(op: "RMSNormalization(stash_type=\(st))", node: n.name) }
            return RMSNormOp(axis: n.int("axis") ?? -1, epsilon: n.float("epsilon") ?? 1e-5)
        },
        "RotaryEmbedding": { n, _ in try RotaryEmbeddingOp(n) },
        "Einsum": { n, _ in try EinsumOp(n) },
        "LSTM": { n, _ in try RecurrentOp(n) },
        "GRU": { n, _ in try RecurrentOp(n) },
        "MatMulInteger": { _, _ in MatMulIntegerOp() },
        "QLinearMatMul": { _, _ in QLinearMatMulOp() },
    ]

    private static func reduce(_ n: Node, _ kind: ReduceOp.Kind) -> Operator {
        ReduceOp(kind: kind, attrAxes: n.ints("axes"), keepDims: (n.int("keepdims") ?? 1) == 1,
                 noopWithEmptyAxes: n.int("noop_with_empty_axes") == 1)
    }

    private static func argReduce(_ n: Node, isMax: Bool) -> Operator {
        ArgReduceOp(isMax: isMax, axis: n.int("axis") ?? 0, keepDims: (n.int("keepdims") ?? 1) != 0,
                    selectLast: (n.int("select_last_index") ?? 0) != 0)
    }

    /// Max/Min take 1 to 2147483647 inputs (opset ≥ 8); two is the common binary case.
    private static func variadic(_ n: Node, _ kind: BinaryOp.Kind) throws -> Operator {
        guard !n.inputs.isEmpty else { throw SwiftletError.invalidModel("\(n.op) node '\(n.name)' has no inputs") }
        return n.inputs.count == 2 ? BinaryOp(kind) : VariadicOp(kind)
    }

    /// The operator for a fused node: its typed payload as the fusion built it.
    private static func make(_ op: InternalOp, _ n: Node) throws -> Operator {
        switch op {
        case .conv(let epilogue): return try ConvOp(n, activation: epilogue)
        case .matMulBias(let act): return MatMulOp(hasBias: true, activation: act)
        case .matMulTransB(let alpha): return MatMulOp(transB: true, alpha: alpha)
        case .attention(let heads, let headSize, let scale, let zeroNaNRows):
            return AttentionOp(heads: heads, headSize: headSize, scale: scale, zeroNaNRows: zeroNaNRows)
        case .skipLayerNorm(let axis, let epsilon): return LayerNormOp(axis: axis, epsilon: epsilon, hasSkip: true)
        // Session swaps in QuantizedMatMulOp for the int8 weight; this is the float path.
        case .int8MatMul(let bias, let act): return InputScaledMatMulOp(inner: MatMulOp(hasBias: bias, activation: act))
        case .maskedLogMax(let addend, let keepDims): return MaskedLogMaxOp(addend: addend, keepDims: keepDims)
        }
    }
}

/// The registry's op types, for the CLI (`swiftlet ops`) and tools.
public enum RegisteredOps {
    public static var onnxOpTypes: [String] { OpRegistry.onnxOpTypes }
}
