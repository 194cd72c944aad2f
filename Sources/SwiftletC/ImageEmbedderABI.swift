import CSwiftlet
import Swiftlet

/// What an image-embedder handle holds: the CLIP model and its dimension, computed once at open.
final class ImageEmbedderHandle {
    let embedder: ImageEmbedder
    let dimension: Int

    init(_ embedder: ImageEmbedder) throws {
        self.embedder = embedder
        dimension = embedder.dimension
        guard dimension > 0 else { throw ABIError(SWIFTLET_ERR_INVALID_MODEL, "the model produces empty embeddings") }
    }

    /// The caller's buffer for `rows` vectors, checked before any model runs.
    func output(_ out: UnsafeMutablePointer<Float>?, _ capacity: Int, rows: Int, _ what: String) throws -> UnsafeMutablePointer<Float> {
        let out = try Arguments.pointer(out, "out")
        // rows <= 2^24 and the dimension is a real model's, so this cannot overflow.
        let needed = rows * dimension
        let c = try Arguments.capacity(capacity, "out_capacity")
        guard c >= needed else {
            throw ABIError.tooSmall("out holds \(c) floats; \(what) × dimension \(dimension) need \(needed)")
        }
        return out
    }

    /// Copies vectors row after row into out, after checking the model gave what was asked.
    func store(_ vectors: [[Float]], rows: Int, _ out: UnsafeMutablePointer<Float>) throws {
        guard vectors.count == rows, vectors.allSatisfy({ $0.count == dimension }) else {
            throw ABIError(SWIFTLET_ERR_INTERNAL, "the image embedder returned \(vectors.count) vectors of sizes \(Set(vectors.map(\.count))) for \(rows) inputs of dimension \(dimension)")
        }
        for (i, v) in vectors.enumerated() {
            v.withUnsafeBufferPointer { (out + i * dimension).update(from: $0.baseAddress!, count: dimension) }
        }
    }

    /// One image's vector into out.
    func embed(_ image: RGBImage, _ out: UnsafeMutablePointer<Float>?, _ capacity: Int) throws {
        let out = try output(out, capacity, rows: 1, "1 image")
        try store(try embedder.embed(images: [image]), rows: 1, out)
    }
}

@c @implementation
public func swiftlet_image_embedder_open(_ path: UnsafePointer<CChar>?, _ options: UnsafePointer<swiftlet_embedder_options>?,
                                         _ outEmbedder: UnsafeMutablePointer<OpaquePointer?>?) -> swiftlet_status {
    abiCall("swiftlet_image_embedder_open") {
        let out = try Arguments.output(outEmbedder, "out_embedder")
        let path = try Arguments.cString(path, "path")
        let (threads, batchSize) = try Arguments.embedderOptions(options, defaultBatch: 16)
        let model = try ModelFile(path: path)
        // ImageEmbedder's own check names the pipeline key; this one names the C function to use instead.
        guard ImageEmbedder.isCLIP(model) else {
            let kind = model.pipeline["kind"] as? String ?? "none"
            throw ABIError(SWIFTLET_ERR_INVALID_MODEL, "'\(path)' is a '\(kind)' model, not 'clip' (sentence embedders open with swiftlet_embedder_open)")
        }
        let e = try ImageEmbedder(model: model, options: .init(threads: threads, batchSize: batchSize))
        out.pointee = try HandleRegistry.shared.register(try ImageEmbedderHandle(e), kind: .imageEmbedder)
    }
}

@c @implementation
public func swiftlet_image_embedder_close(_ embedder: OpaquePointer?) -> swiftlet_status {
    abiCall("swiftlet_image_embedder_close") {
        if let embedder { try HandleRegistry.shared.close(embedder, .imageEmbedder) }
    }
}

@c @implementation
public func swiftlet_image_embedder_dimension(_ embedder: OpaquePointer?, _ outDimension: UnsafeMutablePointer<Int>?) -> swiftlet_status {
    abiCall("swiftlet_image_embedder_dimension") {
        let h = try HandleRegistry.shared.resolve(embedder, .imageEmbedder, as: ImageEmbedderHandle.self)
        try Arguments.output(outDimension, "out_dimension").pointee = h.dimension
    }
}

@c @implementation
public func swiftlet_image_embedder_embed_texts(_ embedder: OpaquePointer?,
                                                _ texts: UnsafePointer<UnsafePointer<CChar>?>?, _ lengths: UnsafePointer<Int>?, _ count: Int,
                                                _ out: UnsafeMutablePointer<Float>?, _ outCapacity: Int) -> swiftlet_status {
    abiCall("swiftlet_image_embedder_embed_texts") {
        let h = try HandleRegistry.shared.resolve(embedder, .imageEmbedder, as: ImageEmbedderHandle.self)
        let n = try Arguments.count(count, "count", max: Int(SWIFTLET_MAX_TEXTS))
        if n == 0 { return }
        let texts = try Arguments.pointer(texts, "texts")
        let out = try h.output(out, outCapacity, rows: n, "\(n) texts")
        let strings = try TextArrays.read(texts, lengths, n)
        try h.store(try h.embedder.embed(texts: strings), rows: n, out)
    }
}

@c @implementation
public func swiftlet_image_embedder_embed_file(_ embedder: OpaquePointer?, _ path: UnsafePointer<CChar>?,
                                               _ out: UnsafeMutablePointer<Float>?, _ outCapacity: Int) -> swiftlet_status {
    abiCall("swiftlet_image_embedder_embed_file") {
        let h = try HandleRegistry.shared.resolve(embedder, .imageEmbedder, as: ImageEmbedderHandle.self)
        let path = try Arguments.cString(path, "path")
        let out = try h.output(out, outCapacity, rows: 1, "1 image")
        try h.store(try h.embedder.embed(imageFiles: [path]), rows: 1, out)
    }
}

@c @implementation
public func swiftlet_image_embedder_embed_encoded(_ embedder: OpaquePointer?, _ data: UnsafeRawPointer?, _ byteCount: Int,
                                                  _ out: UnsafeMutablePointer<Float>?, _ outCapacity: Int) -> swiftlet_status {
    abiCall("swiftlet_image_embedder_embed_encoded") {
        let h = try HandleRegistry.shared.resolve(embedder, .imageEmbedder, as: ImageEmbedderHandle.self)
        let bytes = try RawPixelsABI.encoded(data, byteCount)
        let out = try h.output(out, outCapacity, rows: 1, "1 image")
        try h.store([try h.embedder.embed(encodedImage: bytes, name: "the encoded image")], rows: 1, out)
    }
}

@c @implementation
public func swiftlet_image_embedder_embed_pixels(_ embedder: OpaquePointer?, _ pixels: UnsafeRawPointer?, _ byteCount: Int,
                                                 _ width: Int, _ height: Int, _ stride: Int, _ format: swiftlet_pixel_format,
                                                 _ out: UnsafeMutablePointer<Float>?, _ outCapacity: Int) -> swiftlet_status {
    abiCall("swiftlet_image_embedder_embed_pixels") {
        let h = try HandleRegistry.shared.resolve(embedder, .imageEmbedder, as: ImageEmbedderHandle.self)
        let image = try RawPixelsABI.image(pixels, byteCount, width, height, stride, format)
        try h.embed(image, out, outCapacity)
    }
}
