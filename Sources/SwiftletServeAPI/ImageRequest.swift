import Swiftlet

/// Image request bodies (`/v1/extract`, `/v1/embed` with an image Content-Type).
public enum ImageRequest {
    /// OCR reads PNG and JPEG only: anything else is a 415 naming what was sent.
    public static func checkContentType(_ contentType: String?) throws {
        guard RequestHeaders.isImage(contentType) else {
            throw APIError.unsupportedMedia("Content-Type must be image/png or image/jpeg, got '\(contentType ?? "none")'")
        }
    }

    /// The body decoded: empty is a 400, bytes that do not decode a 422 with the decoder's reason.
    public static func decode(_ bytes: [UInt8], options: ImageDecodeOptions = ImageDecodeOptions()) throws -> RGBImage {
        guard !bytes.isEmpty else { throw APIError.badRequest("empty image body") }
        do {
            return try RGBImage(encoded: bytes, name: "request body", options: options)
        } catch {
            throw APIError.unprocessable("image does not decode: \(error)")
        }
    }
}
