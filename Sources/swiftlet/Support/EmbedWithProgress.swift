import Swiftlet

/// `Embedder.embed` with a progress line. The embedder takes no progress callback, so this
/// does what `embed(_:prefix:)` does inside — tokenize, order longest first — and hands it
/// the ordered encodings a few batches at a time. Ordering the whole input first keeps the
/// batches as tight as one call over everything would. Where the groups cut batches
/// differently from that one call, a few vectors differ by float rounding (≤ 1e-7, as with
/// another `--batch`); the same path runs with or without a terminal, so the output never
/// depends on where stderr goes.
enum EmbedWithProgress {
    static func embed(_ texts: [String], with embedder: Embedder, prefix: Embedder.Prefix, quiet: Bool) throws -> [[Float]] {
        guard embedder.session != nil else { return try embedStatic(texts, with: embedder, prefix: prefix, quiet: quiet) }
        let pre = try embedder.prefixString(prefix)
        let encodings = texts.map { embedder.tokenize(pre + $0) }
        let order = encodings.indices.sorted {
            encodings[$0].ids.count > encodings[$1].ids.count || (encodings[$0].ids.count == encodings[$1].ids.count && $0 < $1)
        }
        // Long texts come first, so items/s would promise too late a finish: the time left
        // is estimated from tokens, which is what an encoder run costs.
        var progress = Progress(total: texts.count, unit: "texts", totalWork: Double(encodings.reduce(0) { $0 + $1.ids.count }), quiet: quiet)
        var result = [[Float]](repeating: [], count: texts.count)
        let step = embedder.options.batchSize * 4
        for start in stride(from: 0, to: order.count, by: step) {
            let group = Array(order[start..<min(start + step, order.count)])
            let vectors = try embedder.embed(encodings: group.map { encodings[$0] })
            for (k, i) in group.enumerated() { result[i] = vectors[k] }
            progress.advance(items: group.count, work: Double(group.reduce(0) { $0 + encodings[$1].ids.count }))
        }
        progress.finish()
        return result
    }

    /// A static (lookup-table) model costs the same per text and runs its own threads over
    /// a whole call: plain chunks in input order.
    private static func embedStatic(_ texts: [String], with embedder: Embedder, prefix: Embedder.Prefix, quiet: Bool) throws -> [[Float]] {
        var progress = Progress(total: texts.count, unit: "texts", quiet: quiet)
        var result: [[Float]] = []
        result.reserveCapacity(texts.count)
        for start in stride(from: 0, to: texts.count, by: 4096) {
            let chunk = Array(texts[start..<min(start + 4096, texts.count)])
            result += try embedder.embed(chunk, prefix: prefix)
            progress.advance(items: chunk.count)
        }
        progress.finish()
        return result
    }
}
