import SwiftletTokenizers

/// What every tokenizing pipeline reads from its file the same way: the `tokenizer.json` blob
/// (and its precomputed Unigram index), and the graph output its pipeline names.
enum PipelineTokenizer {
    /// The model's tokenizer; the file's pages behind it are released afterwards (the
    /// tokenizer holds its own copies).
    static func load(_ model: ModelFile) throws -> Tokenizer {
        guard let tj = model.blob("tokenizer.json") else { throw SwiftletError.invalidModel("'\(model.path)' has no tokenizer.json blob") }
        let t: Tokenizer
        do {
            t = try Tokenizer(json: tj, vocabularyBlob: model.blob("tokenizer.unigram"))
        } catch {
            throw SwiftletError.invalidModel("'\(model.path)': tokenizer: \(error)")
        }
        model.releasePages(ofBlob: "tokenizer.json")
        model.releasePages(ofBlob: "tokenizer.unigram")
        return t
    }

    /// The pipeline's output name (default: the first graph output), checked against the graph,
    /// and the graph checked for an `input_ids` input.
    static func output(_ session: Session, _ config: PipelineConfig, _ model: ModelFile) throws -> String {
        let out = config.output ?? session.outputs[0].name
        guard session.outputs.contains(where: { $0.name == out }) else {
            throw SwiftletError.invalidModel("'\(model.path)': pipeline output '\(out)' is not a graph output")
        }
        guard session.inputs.contains(where: { $0.name == "input_ids" }) else {
            throw SwiftletError.invalidModel("'\(model.path)': the graph needs an 'input_ids' input, has \(session.inputs.map(\.name))")
        }
        return out
    }
}
