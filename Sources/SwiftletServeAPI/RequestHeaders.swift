/// The request headers the routes read, parsed from their string values (nil: absent).
public enum RequestHeaders {
    /// X-Tenant / X-Request-Id: an empty value counts as none.
    public static func nonEmpty(_ value: String?) -> String? {
        value.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// X-Deadline: absolute unix time in milliseconds, finite and positive.
    public static func deadline(_ value: String?) throws -> Double? {
        guard let d = value else { return nil }
        guard let ms = Double(d), ms.isFinite, ms > 0 else {
            throw APIError.badRequest("X-Deadline must be unix time in milliseconds, got '\(d)'")
        }
        return ms
    }

    /// The media type of a Content-Type header, lower-cased, parameters dropped.
    public static func mediaType(_ contentType: String?) -> String? {
        contentType?.split(separator: ";").first.map { $0.filter { $0 != " " && $0 != "\t" }.lowercased() }
    }

    /// Whether a body of this Content-Type is an image the decoders read.
    public static func isImage(_ contentType: String?) -> Bool {
        mediaType(contentType).map { ["image/png", "image/jpeg", "image/jpg"].contains($0) } ?? false
    }
}
