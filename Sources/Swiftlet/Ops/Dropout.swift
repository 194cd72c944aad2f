/// ONNX Dropout at inference: the output is the input and the optional mask is all true.
/// Training mode draws random masks, which no reference can reproduce; it is refused by
/// name (attribute `is_test=0` before opset 7, the `training_mode` input from opset 12)
/// rather than silently run as a pass-through.
struct DropoutOp: Operator {
    /// Only a graph that reads the mask gets one (pass-through Dropouts stay free).
    let wantsMask: Bool

    init(_ n: Node) throws {
        wantsMask = n.outputs.count > 1 && !n.outputs[1].isEmpty
        if let isTest = n.int("is_test"), isTest == 0 {
            throw SwiftletError.unsupportedOp(op: "Dropout(is_test=0)", node: n.name)
        }
    }

    func run(_ x: [Tensor?], _ ctx: ExecContext) throws -> [Tensor] {
        let a = try x.required(0, "data")
        if let mode = x.optional(2), mode.count == 1, mode.u8[0] != 0 {
            // Training with ratio 0 drops nothing: the spec's output is the input, mask all true.
            let ratio = try x.optional(1).map { try $0.scalarDouble() } ?? 0.5
            guard ratio == 0 else {
                throw SwiftletError.invalidInput("Dropout with training_mode=true and ratio \(ratio) is not supported (its outputs are random)")
            }
        }
        guard wantsMask else { return [a] }
        let mask = try ctx.alloc(.bool, a.shape)
        for i in 0..<mask.count { mask.u8[i] = 1 }
        return [a, mask]
    }
}
