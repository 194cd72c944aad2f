#if canImport(FoundationEssentials)
import FoundationEssentials
import Glibc
#else
import Foundation
#endif
import SwiftletTokenizers

/// Images and texts → vectors in one space (CLIP): a `clip` model file holds both towers in
/// one graph, and each tower gets its own ``Session`` compiled for its output only, so
/// embedding texts never runs the image tower and the other way round.
/// A text's vector does not depend on its batch: the text tower is causal, so the padding
/// after a text's end token never reaches the end token it pools at.
public final class ImageEmbedder: @unchecked Sendable {
    /// How an ``ImageEmbedder`` runs its model.
    public struct Options: Sendable {
        /// Cores one call may use.
        public var threads: Int
        /// Most texts, or images, in one tower run.
        public var batchSize: Int
        /// Graph rewrites on (see ``SessionOptions/fusions``).
        public var fusions: Bool
        /// Longest text accepted, in UTF-8 bytes (as ``Embedder/Options/maxTextBytes``).
        public var maxTextBytes: Int
        /// Limits for decoding image files and bytes.
        public var decode: ImageDecodeOptions

        /// Options with the given settings; counts below 1 count as 1. The default decoding
        /// is what CLIPImageProcessor sees: alpha composited onto white (transformers'
        /// `convert_to_rgb`), EXIF orientation ignored (as `PIL.Image.open`).
        public init(threads: Int = activeProcessorCount(), batchSize: Int = 16, fusions: Bool = true,
                    maxTextBytes: Int = Embedder.defaultMaxTextBytes,
                    decode: ImageDecodeOptions = ImageDecodeOptions()) {
            self.threads = max(1, threads)
            self.batchSize = max(1, batchSize)
            self.fusions = fusions
            self.maxTextBytes = max(1, maxTextBytes)
            self.decode = decode
        }
    }

    /// The model's tokenizer (CLIP's byte-level BPE), from its `tokenizer.json` blob.
    public let tokenizer: Tokenizer
    /// The model's pipeline settings.
    public let config: CLIPConfig
    /// The options the embedder was loaded with.
    public let options: Options
    /// The text tower (input_ids → text features).
    public let textSession: Session
    /// The image tower (pixel_values → image features).
    public let imageSession: Session

    /// Whether `model` is a CLIP (`clip` pipeline) file.
    public static func isCLIP(_ model: ModelFile) -> Bool {
        model.pipeline["kind"] as? String == CLIPConfig.kind
    }

    /// Loads a `clip` `.swl` file.
    ///
    /// - Throws: ``SwiftletError`` when the file cannot be read or is not a CLIP model.
    public convenience init(path: String, options: Options = Options()) throws {
        try self.init(model: ModelFile(path: path), options: options)
    }

    /// Builds the embedder from an opened model: its tokenizer and one session per tower.
    ///
    /// - Throws: ``SwiftletError/invalidModel(_:)`` when the model is not a CLIP model, lacks
    ///   its tokenizer, or its graph lacks the inputs and outputs the pipeline names.
    public init(model: ModelFile, options: Options = Options()) throws {
        config = try CLIPConfig(model: model)
        tokenizer = try PipelineTokenizer.load(model)
        self.options = options
        let so = SessionOptions(threads: options.threads, fusions: options.fusions)
        for name in [config.textOutput, config.imageOutput] where !model.outputs.contains(where: { $0.name == name }) {
            throw SwiftletError.invalidModel("'\(model.path)': clip pipeline output '\(name)' is not a graph output")
        }
        textSession = try Session(model: model, options: so, outputs: [config.textOutput])
        imageSession = try Session(model: model, options: so, outputs: [config.imageOutput])
        guard textSession.inputs.map(\.name) == ["input_ids"] else {
            throw SwiftletError.invalidModel("'\(model.path)': the text tower must read only 'input_ids', reads \(textSession.inputs.map(\.name))")
        }
        guard imageSession.inputs.map(\.name) == ["pixel_values"] else {
            throw SwiftletError.invalidModel("'\(model.path)': the image tower must read only 'pixel_values', reads \(imageSession.inputs.map(\.name))")
        }
        Embedder.returnFreedHeap()
    }

    /// Length of the vectors (the projection size).
    public var dimension: Int {
        if let o = textSession.outputs.first, case .fixed(let d)? = o.dims.last { return d }
        return 0
    }

    /// The tokens the text tower sees for `text`: BOS, BPE pieces, EOS, at most ``CLIPConfig/maxLength``.
    public func tokenize(_ text: String) -> Encoding {
        tokenizer.encode(text, maxLength: config.maxLength)
    }

    /// Text vectors, in input order; `normalize` overrides the configured L2 normalisation.
    public func embed(texts: [String], normalize: Bool? = nil) throws -> [[Float]] {
        try TextLimit.check(texts, limit: options.maxTextBytes, option: "ImageEmbedder.Options.maxTextBytes")
        let ids = texts.map { tokenize($0).ids }
        // Longest first, so a batch pads to lengths close to its members'.
        let order = ids.indices.sorted { ids[$0].count > ids[$1].count || (ids[$0].count == ids[$1].count && $0 < $1) }
        var result = [[Float]](repeating: [], count: texts.count)
        for start in stride(from: 0, to: order.count, by: options.batchSize) {
            let batch = Array(order[start..<min(start + options.batchSize, order.count)])
            let s = max(1, ids[batch[0]].count)
            var flat = [Int64](repeating: 0, count: batch.count * s)
            for (r, i) in batch.enumerated() {
                // Pad with the text's own last (end) token: the tower pools at the first
                // occurrence of the largest id, which stays the real end token.
                let pad = Int64(ids[i].last ?? 0)
                for j in 0..<s { flat[r * s + j] = j < ids[i].count ? Int64(ids[i][j]) : pad }
            }
            let out = try run(textSession, config.textOutput, ["input_ids": Tensor(int64s: flat, shape: [batch.count, s])])
            for (r, i) in batch.enumerated() { result[i] = finish(out, row: r, normalize: normalize) }
        }
        return result
    }

    /// Image vectors, in input order.
    public func embed(images: [RGBImage], normalize: Bool? = nil) throws -> [[Float]] {
        let im = config.image
        let per = 3 * im.cropHeight * im.cropWidth
        var result: [[Float]] = []
        result.reserveCapacity(images.count)
        for start in stride(from: 0, to: images.count, by: options.batchSize) {
            let batch = images[start..<min(start + options.batchSize, images.count)]
            var pixels = [Float](repeating: 0, count: batch.count * per)
            for (r, image) in batch.enumerated() {
                pixels.replaceSubrange(r * per..<(r + 1) * per, with: try im.pixelValues(image))
            }
            let t = try Tensor(floats: pixels, shape: [batch.count, 3, im.cropHeight, im.cropWidth])
            let out = try run(imageSession, config.imageOutput, ["pixel_values": t])
            for r in 0..<batch.count { result.append(finish(out, row: r, normalize: normalize)) }
        }
        return result
    }

    /// Vectors for PNG/JPEG files, decoded with ``Options/decode``.
    public func embed(imageFiles paths: [String], normalize: Bool? = nil) throws -> [[Float]] {
        var out: [[Float]] = []
        // A batch at a time, so decoded images do not all sit in memory at once.
        for start in stride(from: 0, to: paths.count, by: options.batchSize) {
            let images = try paths[start..<min(start + options.batchSize, paths.count)].map {
                try RGBImage(contentsOf: $0, options: options.decode)
            }
            out += try embed(images: images, normalize: normalize)
        }
        return out
    }

    /// A vector for PNG/JPEG bytes held in memory; `name` labels errors.
    public func embed(encodedImage bytes: [UInt8], name: String = "image", normalize: Bool? = nil) throws -> [Float] {
        try embed(images: [RGBImage(encoded: bytes, name: name, options: options.decode)], normalize: normalize)[0]
    }

    private func run(_ session: Session, _ output: String, _ feeds: [String: Tensor]) throws -> (values: [Float], d: Int) {
        guard let out = try session.run(feeds, outputs: [output])[output] else {
            throw SwiftletError.runtime("graph did not produce '\(output)'")
        }
        guard out.rank == 2, out.dtype == .float32 else {
            throw SwiftletError.runtime("'\(output)' is \(out.dtype.rawValue) \(out.shape), expected float32 [n, dimension]")
        }
        return (out.floatArray(), out.shape[1])
    }

    private func finish(_ t: (values: [Float], d: Int), row: Int, normalize: Bool?) -> [Float] {
        let d = t.d
        var v = Array(t.values[row * d..<(row + 1) * d])
        if normalize ?? config.normalize {
            var ss: Double = 0
            for x in v { ss += Double(x) * Double(x) }
            let n = Float(max(ss.squareRoot(), 1e-12))
            for i in v.indices { v[i] /= n }
        }
        return v
    }
}
