#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif

/// Maps an ONNX node (op type + attributes, at a given opset) to a compiled operator.
/// Unknown ops fail at load time, naming the op and the node, never mid-inference.
enum OpRegistry {
    static func make(_ n: Node, opset: Int) throws -> Operator {
        if let op = n.fused { return try make(op, n) }
        if let act = Activation(onnx: n) { return UnaryOp(kind: .activation(act)) }
        switch n.op {
        case "Add": return BinaryOp(.add)
        case "Sub": return BinaryOp(.sub)
        case "Mul": return BinaryOp(.mul)
        case "Div": return BinaryOp(.div)
        case "Pow": return BinaryOp(.pow)
        case "Max" where n.inputs.count == 2: return BinaryOp(.max)
        case "Min" where n.inputs.count == 2: return BinaryOp(.min)
        case "Mod": return BinaryOp(.mod, fmod: n.int("fmod") == 1)
        case "Equal": return BinaryOp(.equal)
        case "Less": return BinaryOp(.less)
        case "LessOrEqual": return BinaryOp(.lessOrEqual)
        case "Greater": return BinaryOp(.greater)
        case "GreaterOrEqual": return BinaryOp(.greaterOrEqual)
        case "And": return BinaryOp(.and)
        case "Or": return BinaryOp(.or)
        case "Xor": return BinaryOp(.xor)
        case "Not": return NotOp()
        case "IsNaN": return FloatPredicateOp(kind: .isNaN)
        case "IsInf": return FloatPredicateOp(kind: .isInf, detectPositive: n.int("detect_positive") != 0, detectNegative: n.int("detect_negative") != 0)
        case "Sqrt": return UnaryOp(kind: .sqrt)
        case "Erf": return UnaryOp(kind: .erf)
        case "Exp": return UnaryOp(kind: .exp)
        case "Log": return UnaryOp(kind: .log)
        case "Neg": return UnaryOp(kind: .neg)
        case "Abs": return UnaryOp(kind: .abs)
        case "Tanh": return UnaryOp(kind: .tanh)
        case "Reciprocal": return UnaryOp(kind: .reciprocal)
        case "Floor": return UnaryOp(kind: .floor)
        case "Ceil": return UnaryOp(kind: .ceil)
        case "Round": return UnaryOp(kind: .round)
        case "Gelu": throw SwiftletError.unsupportedOp(op: "Gelu(approximate=\(n.string("approximate") ?? ""))", node: n.name)
        case "Identity", "Dropout": return UnaryOp(kind: .identity)
        case "Cast":
            guard let code = n.int("to"), let dt = DType(onnxCode: code) else {
                throw SwiftletError.unsupportedOp(op: "Cast(to=\(n.int("to") ?? -1))", node: n.name)
            }
            return CastOp(to: dt)
        case "MatMul": return MatMulOp()
        case "Gemm":
            return GemmOp(transA: n.int("transA") == 1, transB: n.int("transB") == 1, alpha: n.float("alpha") ?? 1, beta: n.float("beta") ?? 1)
        case "LayerNormalization":
            return LayerNormOp(axis: n.int("axis") ?? -1, epsilon: n.float("epsilon") ?? 1e-5)
        case "BatchNormalization": return BatchNormOp(epsilon: n.float("epsilon") ?? 1e-5)
        case "Softmax": return SoftmaxOp(axis: n.int("axis") ?? (opset < 13 ? 1 : -1), legacy: opset < 13)
        case "LogSoftmax": return SoftmaxOp(axis: n.int("axis") ?? (opset < 13 ? 1 : -1), legacy: opset < 13, log: true)
        case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceSumSquare":
            let kind: ReduceOp.Kind = ["ReduceMean": .mean, "ReduceSum": .sum, "ReduceMax": .max, "ReduceMin": .min,
                                       "ReduceProd": .prod, "ReduceL2": .l2, "ReduceSumSquare": .sumSquare][n.op]!
            return ReduceOp(kind: kind, attrAxes: n.ints("axes"), keepDims: (n.int("keepdims") ?? 1) == 1,
                            noopWithEmptyAxes: n.int("noop_with_empty_axes") == 1)
        case "Shape": return ShapeOp(start: n.int("start"), end: n.int("end"))
        case "Reshape": return ReshapeOp(allowZero: n.int("allowzero") == 1)
        case "Flatten": return FlattenOp(axis: n.int("axis") ?? 1)
        case "Squeeze": return SqueezeOp(attrAxes: n.ints("axes"))
        case "Unsqueeze": return UnsqueezeOp(attrAxes: n.ints("axes"))
        case "Transpose": return TransposeOp(perm: n.ints("perm"))
        case "Concat":
            guard let axis = n.int("axis") else { throw SwiftletError.invalidModel("Concat node '\(n.name)' has no axis") }
            return ConcatOp(axis: axis)
        case "Split": return SplitOp(axis: n.int("axis") ?? 0, attrSplit: n.ints("split"), outputs: n.outputs.count)
        case "Slice": return SliceOp(attrStarts: n.ints("starts"), attrEnds: n.ints("ends"), attrAxes: n.ints("axes"))
        case "Gather": return GatherOp(axis: n.int("axis") ?? 0)
        case "Expand": return ExpandOp()
        case "Where": return WhereOp()
        case "Range": return RangeOp()
        case "ConstantOfShape": return ConstantOfShapeOp(value: n.tensor("value"))
        case "CumSum": return CumSumOp(exclusive: n.int("exclusive") == 1, reverse: n.int("reverse") == 1)
        case "Conv": return try ConvOp(n)
        case "ConvTranspose": return try ConvTransposeOp(n)
        case "MaxPool": return try PoolOp(n, kind: .max)
        case "AveragePool": return try PoolOp(n, kind: .average)
        case "GlobalAveragePool": return GlobalPoolOp(isMax: false)
        case "GlobalMaxPool": return GlobalPoolOp(isMax: true)
        case "Resize", "Upsample": return try ResizeOp(n, opset: opset)
        case "Pad": return try PadOp(n, opset: opset)
        case "QuantizeLinear":
            var outputType: DType? = nil
            if let code = n.int("output_dtype"), code != 0 {
                guard let dt = DType(onnxCode: code), dt == .uint8 || dt == .int8 else {
                    throw SwiftletError.unsupportedOp(op: "QuantizeLinear(output_dtype=\(code))", node: n.name)
                }
                outputType = dt
            }
            return QuantizeLinearOp(axis: n.int("axis") ?? 1, blockSize: n.int("block_size") ?? 0, outputType: outputType)
        case "DequantizeLinear":
            if let code = n.int("output_dtype"), code != 0, code != 1 {
                throw SwiftletError.unsupportedOp(op: "DequantizeLinear(output_dtype=\(code))", node: n.name)
            }
            return DequantizeLinearOp(axis: n.int("axis") ?? 1, blockSize: n.int("block_size") ?? 0)
        case "DynamicQuantizeLinear": return DynamicQuantizeLinearOp()
        case "MatMulInteger": return MatMulIntegerOp()
        case "QLinearMatMul": return QLinearMatMulOp()
        default:
            throw SwiftletError.unsupportedOp(op: n.op, node: n.name)
        }
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
        }
    }
}
