/// One fuzz entry point: a function over arbitrary bytes that must return (errors are fine,
/// traps and memory errors are the bugs). The name is the folder under Fuzz/Seeds,
/// Fuzz/Regressions and Fuzz/Targets.
public struct FuzzTarget: Sendable {
    public let name: String
    public let run: @Sendable (UnsafeRawBufferPointer) -> Void

    public init(name: String, run: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        self.name = name
        self.run = run
    }
}

/// Every body, by name: tools/fuzz.sh builds one libFuzzer executable per entry, and the
/// unit tier replays Fuzz/Regressions/<name>/ through the same entry.
public enum FuzzTargets {
    public static let all: [FuzzTarget] = [
        FuzzTarget(name: "swl", run: { SWLBody.run($0) }),
        FuzzTarget(name: "tokenizer-json", run: { TokenizerJSONBody.run($0) }),
        FuzzTarget(name: "tokenizer-encode", run: { TokenizerEncodeBody.run($0) }),
        FuzzTarget(name: "image", run: { ImageBody.run($0) }),
        FuzzTarget(name: "cabi", run: { CABIBody.run($0) }),
        FuzzTarget(name: "npy", run: { NPYBody.run($0) }),
    ]
}
