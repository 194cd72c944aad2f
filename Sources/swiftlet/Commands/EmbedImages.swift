import Swiftlet

/// `swiftlet embed` on a CLIP model: texts and `--image` files in one space, one JSON line
/// per input: the texts first ({"embedding"}), then the images ({"image","embedding"}), each
/// in input order.
enum EmbedImages {
    /// Whether `path` is a CLIP (`clip` pipeline) model; false when it cannot be opened (the
    /// text route then reports why).
    static func isCLIP(_ path: String) -> Bool {
        guard let model = try? ModelFile(path: path) else { return false }
        return ImageEmbedder.isCLIP(model)
    }

    static func run(model path: String, texts: [String], images: [String], threads: Int, batch: Int, fusions: Bool) throws {
        guard !texts.isEmpty || !images.isEmpty else { throw CLIError("nothing to embed: give texts, --jsonl or --image files") }
        // A non-CLIP model fails here: "'<path>' is a '<kind>' model, not a CLIP model".
        let embedder = try ImageEmbedder(path: path, options: .init(threads: threads, batchSize: batch, fusions: fusions))
        for v in try embedder.embed(texts: texts) { Output.line("{\"embedding\":\(JSONOut.floats(v))}") }
        for (i, path) in images.enumerated() {
            let v = try embedder.embed(imageFiles: [path])[0]
            Output.line("{\"image\":\(JSONOut.string(images[i])),\"embedding\":\(JSONOut.floats(v))}")
        }
    }
}
