/// Settings of the OCR pipeline. `preset` picks the reference whose defaults are used:
/// RapidOCR 1.4.4 (`rapidocr`, the default) or PaddleOCR's detector defaults (`paddle`).
public struct OCROptions: Sendable {
    public enum Preset: String, Sendable, CaseIterable { case rapidocr, paddle }
    public enum LimitType: String, Sendable { case min, max }
    /// How a candidate box is scored: `fast`, the mean probability inside its min-area
    /// rectangle (RapidOCR's and PaddleOCR's default); `slow`, the mean inside the contour
    /// itself (PaddleOCR's det_db_score_mode "slow": better for curved or uneven text).
    public enum ScoreMode: String, Sendable, CaseIterable { case fast, slow }

    // Detection pre-processing.
    public var limitSideLen: Int
    public var limitType: LimitType
    // DB post-processing.
    public var thresh: Float
    public var boxThresh: Float
    public var unclipRatio: Double
    public var useDilation: Bool
    public var maxCandidates: Int
    public var scoreMode: ScoreMode
    /// Boxes whose shorter side is below this (before unclip; +2 after) are dropped.
    public var minSize: Float
    // Angle classifier.
    public var useCls: Bool
    public var clsThresh: Float
    public var clsBatch: Int
    // Recognition.
    public var recBatch: Int
    public var recHeight: Int
    public var recWidth: Int
    /// Lines whose recognition score is below this are dropped.
    public var textScore: Float
    // Whole-image guards RapidOCR applies before detection.
    public var maxSideLen: Int
    public var minSideLen: Int
    public var minHeight: Int
    public var widthHeightRatio: Double
    public var threads: Int

    public init(preset: Preset = .rapidocr, threads: Int = 2) {
        limitSideLen = 736; limitType = .min
        thresh = 0.3; boxThresh = 0.5; unclipRatio = 1.6; useDilation = true
        maxCandidates = 1000; minSize = 3; scoreMode = .fast
        useCls = true; clsThresh = 0.9; clsBatch = 6
        recBatch = 6; recHeight = 48; recWidth = 320
        textScore = 0.5
        maxSideLen = 2000; minSideLen = 30; minHeight = 30; widthHeightRatio = 8
        self.threads = threads
        if preset == .paddle {
            limitSideLen = 960; limitType = .max
            boxThresh = 0.6; unclipRatio = 1.5; useDilation = false
        }
    }

    func validate() throws {
        func bad(_ m: String) -> SwiftletError { .invalidInput("OCR options: \(m)") }
        guard limitSideLen > 0 else { throw bad("limitSideLen must be positive, got \(limitSideLen)") }
        guard (0..<1).contains(thresh) else { throw bad("thresh must be in [0, 1), got \(thresh)") }
        guard (0...1).contains(boxThresh) else { throw bad("boxThresh must be in [0, 1], got \(boxThresh)") }
        guard unclipRatio > 0, unclipRatio.isFinite else { throw bad("unclipRatio must be positive, got \(unclipRatio)") }
        guard maxCandidates > 0 else { throw bad("maxCandidates must be positive") }
        guard clsBatch > 0, recBatch > 0 else { throw bad("batch sizes must be positive") }
        guard recHeight > 0, recWidth > 0 else { throw bad("recognition input size must be positive") }
        guard maxSideLen >= 32, minSideLen > 0 else { throw bad("maxSideLen must be >= 32 and minSideLen > 0") }
        guard threads > 0 else { throw bad("threads must be positive, got \(threads)") }
    }
}
