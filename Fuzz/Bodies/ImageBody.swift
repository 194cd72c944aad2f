import Swiftlet

/// PNG or JPEG bytes (libpng/libjpeg behind Swiftlet's decoder, EXIF orientation), then
/// the whole OCR pipeline on the decoded image with stand-in networks
/// (`SyntheticOCRModels`): guard resizes, letterbox, detection pre-processing, DB
/// post-processing (threshold, contours, min-area rects, scores, unclip), crops,
/// angle rotation, recognition batches and CTC decoding.
///
/// Input: the image file; its last byte also picks the options, which costs nothing to
/// either format (both decoders stop at their end marker).
public enum ImageBody {
    /// Keeps every run fast; larger images must fail with the size error, not decode.
    static let maxPixels = 1 << 16

    public static func run(_ data: UnsafeRawBufferPointer) {
        guard data.count <= 1 << 20, let last = data.last else { return }
        let decode = ImageDecodeOptions(maxPixels: maxPixels, applyExifOrientation: last & 1 == 0)
        guard let image = try? RGBImage(encoded: Array(data), name: "fuzz", options: decode) else { return }
        _ = try? image.resized(width: 1 + Int(last % 40), height: 1 + Int(last / 7 % 40))

        var o = OCROptions(preset: last & 2 == 0 ? .rapidocr : .paddle, threads: 1)
        // Small network inputs: the synthetic models cost little, the tensors still do.
        o.limitSideLen = 96
        o.limitType = .max
        o.maxSideLen = 256
        o.useDilation = last & 4 != 0
        o.scoreMode = last & 8 == 0 ? .fast : .slow
        o.useCls = last & 16 == 0
        o.unclipRatio = [1.6, 0.1, 4.0, 40.0][Int(last >> 5) & 3]
        o.textScore = 0.1
        let models = SyntheticOCRModels(hasClassifier: last & 128 == 0)
        guard let ocr = try? OCR(models: models, decoder: CTCDecoder(dictionary: ["a", "b"]), options: o) else { return }
        _ = try? ocr.recognize(image)
    }
}
