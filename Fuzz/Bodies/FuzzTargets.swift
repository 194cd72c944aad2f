/// One fuzz entry point: a function over arbitrary bytes that must return (errors are fine,
/// traps and memory errors are the bugs). The name is its folder under Fuzz/Seeds and
/// Fuzz/Regressions and the value of SWIFTLET_FUZZ_TARGET that selects it in swiftlet-fuzz.
public struct FuzzTarget: Sendable {
    public let name: String
    public let run: @Sendable (UnsafeRawBufferPointer) -> Void

    public init(name: String, run: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.name = name
        self.run = run
    }
}

/// Every body, by name: tools/fuzz.sh fuzzes each (Fuzz/Driver), and the unit tier replays
/// Fuzz/Regressions/<name>/ through the same entry.
public enum FuzzTargets {
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "swl", run: { SWLBody.run($0) }),
        FuzzTarget(name: "tokenizer-json", run: { TokenizerJSONBody.run($0) }),
        FuzzTarget(name: "tokenizer-encode", run: { TokenizerEncodeBody.run($0) }),
        FuzzTarget(name: "image", run: { ImageBody.run($0) }),
        FuzzTarget(name: "cabi", run: { CABIBody.run($0) }),
        FuzzTarget(name: "npy", run: { NPYBody.run($0) }),
        FuzzTarget(name: "server", run: { ServerRequestBody.run($0) }),
    ]
}
