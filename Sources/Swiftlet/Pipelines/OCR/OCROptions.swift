/// Settings of the OCR pipeline. `preset` picks the reference whose defaults are used:
/// RapidOCR 1.4.4 (`rapidocr`, the default) or PaddleOCR's detector defaults (`paddle`).
public struct OCROptions: Sendable {
    /// Whose defaults to start from.
    public enum Preset: String, Sendable, CaseIterable { case rapidocr, paddle }
    /// Whether `limitSideLen` bounds the shorter side from below (`min`) or the longer from above (`max`).
    public enum LimitType: String, Sendable { case min, max }
    /// How a candidate box is scored: `fast`, the mean probability inside its min-area
    /// rectangle (RapidOCR's and PaddleOCR's default); `slow`, the mean inside the contour
    /// itself (PaddleOCR's det_db_score_mode "slow": better for curved or uneven text).
    public enum ScoreMode: String, Sendable, CaseIterable { case fast, slow }

    // Detection pre-processing.
    /// Side length the detector input is scaled toward (then rounded to a multiple of 32).
    public var limitSideLen: Int
    /// Which side `limitSideLen` applies to.
    public var limitType: LimitType
    // DB post-processing.
    /// Probability above which a pixel counts as text, in [0, 1).
    public var thresh: Float
    /// Boxes whose score is below this are dropped, in [0, 1].
    public var boxThresh: Float
    /// How far a box is grown (area × ratio / perimeter) to cover whole characters.
    public var unclipRatio: Double
    /// Dilate the text mask with a 2×2 kernel before finding contours.
    public var useDilation: Bool
    /// Most contours considered per image.
    public var maxCandidates: Int
    /// How candidate boxes are scored.
    public var scoreMode: ScoreMode
    /// Boxes whose shorter side is below this (before unclip; +2 after) are dropped.
    public var minSize: Float
    // Angle classifier.
    /// Run the angle classifier (when loaded) and turn crops it finds upside down.
    public var useCls: Bool
    /// Classifier confidence above which a crop is turned 180°.
    public var clsThresh: Float
    /// Crops per classifier run.
    public var clsBatch: Int
    // Recognition.
    /// Crops per recognition run.
    public var recBatch: Int
    /// Height crops are scaled to for recognition.
    public var recHeight: Int
    /// Least width of the recognition input; a batch is as wide as its widest scaled crop.
    public var recWidth: Int
    /// Lines whose recognition score is below this are dropped.
    public var textScore: Float
    // Whole-image guards RapidOCR applies before detection.
    /// Images with a longer side above this are scaled down first.
    public var maxSideLen: Int
    /// Images with a shorter side below this are scaled up first.
    public var minSideLen: Int
    /// Images this tall or less are padded above and below before detection.
    public var minHeight: Int
    /// Images flatter than this width/height ratio are letterboxed (-1: never).
    public var widthHeightRatio: Double
    /// Cores each network run may use.
    public var threads: Int

    /// The defaults of `preset`; change fields afterwards as needed.
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
