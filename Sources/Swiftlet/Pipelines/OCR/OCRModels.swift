/// The three networks behind `OCR`. The pipeline only sees tensors in and out, so every
/// non-network step can be checked against recorded reference outputs.
public protocol OCRModels: Sendable {
    /// [1, 3, H, W] → [1, 1, H, W] text probability map.
    func detect(_ input: Tensor) throws -> Tensor
    /// [N, 3, 48, 192] → [N, 2] probabilities of ("0", "180").
    func classify(_ input: Tensor) throws -> Tensor
    /// [N, 3, 48, W] → [N, W/8, classes] per-step class probabilities.
    func recognize(_ input: Tensor) throws -> Tensor
    /// Whether `classify` can run (an angle classifier was loaded).
    var hasClassifier: Bool { get }
    /// The page-orientation classifier's labels and preprocessing, if one was loaded.
    var orientation: DocumentOrientation? { get }
    /// [1, 3, crop, crop] → [1, labels] page-orientation probabilities.
    func classifyOrientation(_ input: Tensor) throws -> Tensor
}

extension OCRModels {
    /// No page-orientation classifier unless a conformer provides one.
    public var orientation: DocumentOrientation? { nil }
    /// Refuses: no page-orientation classifier.
    public func classifyOrientation(_ input: Tensor) throws -> Tensor {
        throw SwiftletError.invalidInput("no document-orientation model was loaded")
    }
}

/// `.swl` models run by `Session`s (loaded once; `Session` is safe to share across threads).
public final class SessionOCRModels: OCRModels, @unchecked Sendable {
    /// The text detection (DB) network.
    public let det: Session
    /// The text recognition (CTC) network.
    public let rec: Session
    /// The text-angle classifier, if one was loaded.
    public let cls: Session?
    /// The page-orientation classifier, if one was loaded.
    public let orientationSession: Session?
    /// Its labels and preprocessing.
    public let orientation: DocumentOrientation?

    /// Loads the `.swl` files at the given paths; `cls` may be nil (no angle classification),
    /// `orientation` too (no page-orientation classifier, tools/setup.d/27-orientation.sh
    /// builds models/doc-orientation.swl).
    ///
    /// - Throws: ``SwiftletError/invalidModel(_:)`` when a file is not a model or was converted
    ///   for another role.
    public init(det: String, rec: String, cls: String?, orientation: String? = nil, threads: Int) throws {
        let o = SessionOptions(threads: threads)
        self.det = try Session(model: Self.load(det, kind: .ocrDet, role: "detection"), options: o)
        self.rec = try Session(model: Self.load(rec, kind: .ocrRec, role: "recognition"), options: o)
        self.cls = try cls.map { try Session(model: Self.load($0, kind: .ocrCls, role: "angle classifier"), options: o) }
        if let orientation {
            // Its pipeline section is its contract: a plain graph cannot say how to preprocess.
            let m = try ModelFile(path: orientation)
            let k = try PipelineConfig(model: m).kind
            guard k == .ocrOrientation else {
                throw SwiftletError.invalidModel("'\(orientation)' is a '\(k.rawValue)' model, not a document-orientation model ('ocr-orientation')")
            }
            self.orientation = try DocumentOrientation(model: m)
            self.orientationSession = try Session(model: m, options: o)
        } else {
            self.orientation = nil
            self.orientationSession = nil
        }
    }

    /// Refuses a model converted for another job (an embedder as det, a det model as rec, …)
    /// when its pipeline says what it is; files without a kind are taken on trust.
    private static func load(_ path: String, kind: PipelineConfig.Kind, role: String) throws -> ModelFile {
        let m = try ModelFile(path: path)
        let k = try PipelineConfig(model: m).kind
        if k != kind, k != .graph {
            throw SwiftletError.invalidModel("'\(path)' is a '\(k.rawValue)' model, not an OCR \(role) model ('\(kind.rawValue)')")
        }
        return m
    }

    /// Whether an angle classifier was loaded.
    public var hasClassifier: Bool { cls != nil }

    private static func runSingle(_ s: Session, _ x: Tensor, role: String) throws -> Tensor {
        guard let i = s.inputs.first?.name, let o = s.outputs.first?.name else {
            throw SwiftletError.invalidModel("OCR \(role) model '\(s.model.path)' must have one input and one output")
        }
        guard let y = try s.run([i: x], outputs: [o])[o] else {
            throw SwiftletError.runtime("OCR \(role) model '\(s.model.path)' produced no '\(o)'")
        }
        return y
    }

    /// Runs the detection network.
    public func detect(_ input: Tensor) throws -> Tensor { try Self.runSingle(det, input, role: "detection") }
    /// Runs the recognition network.
    public func recognize(_ input: Tensor) throws -> Tensor { try Self.runSingle(rec, input, role: "recognition") }
    /// Runs the angle classifier.
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` when none was loaded.
    public func classify(_ input: Tensor) throws -> Tensor {
        guard let cls else { throw SwiftletError.invalidInput("no angle classifier model was loaded") }
        return try Self.runSingle(cls, input, role: "angle classifier")
    }
    /// Runs the page-orientation classifier.
    ///
    /// - Throws: ``SwiftletError/invalidInput(_:)`` when none was loaded.
    public func classifyOrientation(_ input: Tensor) throws -> Tensor {
        guard let orientationSession else { throw SwiftletError.invalidInput("no document-orientation model was loaded") }
        return try Self.runSingle(orientationSession, input, role: "document-orientation")
    }
}
