/// Settings of the OCR pipeline. `preset` picks the reference whose defaults are used:
/// RapidOCR 1.4.4 (`rapidocr`, the default), PaddleOCR's detector defaults (`paddle`) or
/// RapidOCR 3.10.0 (`rapidocr3`, whose default models are PP-OCRv6).
public struct OCROptions: Sendable {
    /// Whose defaults to start from.
    public enum Preset: String, Sendable, CaseIterable { case rapidocr, paddle, rapidocr3 }
    /// Whether `limitSideLen` bounds the shorter side from below (`min`) or the longer from above (`max`).
    public enum LimitType: String, Sendable { case min, max }
    /// How a candidate box is scored: `fast`, the mean probability inside its min-area
    /// rectangle (RapidOCR's and PaddleOCR's default); `slow`, the mean inside the contour
    /// itself (PaddleOCR's det_db_score_mode "slow": better for curved or uneven text).
    public enum ScoreMode: String, Sendable, CaseIterable { case fast, slow }
    /// How detected boxes are put in reading order (both by their top-left corner):
    /// `bubble`, RapidOCR 1.4.4's sort by (y, x) with neighbours less than 10 px apart in y
    /// swapped into x order; `rows`, RapidOCR 3's rows (y gaps of 10 px or more start a new
    /// row), each read left to right.
    public enum LineOrder: String, Sendable, CaseIterable { case bubble, rows }

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
    /// How boxes are ordered into lines.
    public var lineOrder: LineOrder
    // Angle classifier.
    /// Run the angle classifier (when loaded) and turn crops it finds upside down.
    public var useCls: Bool
    /// Classifier confidence above which a crop is turned 180°.
    public var clsThresh: Float
    /// Crops per classifier run.
    public var clsBatch: Int
    // Page orientation.
    /// Classify the whole page's orientation first (needs an orientation model) and turn it
    /// upright by the predicted multiple of 90° before detection; boxes are reported in the
    /// image as given. Off by default: no reference pipeline runs it, and the classifier
    /// guesses (e.g. "270") on pages without text.
    public var orientation: Bool
    // Recognition.
    /// Crops per recognition run.
    public var recBatch: Int
    /// Height crops are scaled to for recognition.
    public var recHeight: Int
    /// Least width of the recognition input; a batch is as wide as its widest scaled crop.
    public var recWidth: Int
    /// Lines whose recognition score is below this are dropped.
    public var textScore: Float
    /// Drop lines whose text is empty or only white space (RapidOCR 3 does; 1.4.4 keeps
    /// them when their score passes `textScore`).
    public var dropBlankLines: Bool
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
        maxCandidates = 1000; minSize = 3; scoreMode = .fast; lineOrder = .bubble
        useCls = true; clsThresh = 0.9; clsBatch = 6
        orientation = false
        recBatch = 6; recHeight = 48; recWidth = 320
        textScore = 0.5; dropBlankLines = false
        maxSideLen = 2000; minSideLen = 30; minHeight = 30; widthHeightRatio = 8
        self.threads = threads
        switch preset {
        case .rapidocr:
            break
        case .paddle:
            limitSideLen = 960; limitType = .max
            boxThresh = 0.6; unclipRatio = 1.5; useDilation = false
        case .rapidocr3:
            // rapidocr 3.10.0's config.yaml has 1.4.4's numbers (Global, Det, Cls with the
            // PP-OCRv4-era 48×192 classifier input, Rec 48×320, batches of 6); its pipeline
            // changed only the reading order and drops blank lines (main.py build_final_output).
            // Its default models are PP-OCRv6 small: models/ppocrv6-det, -rec and ppocr-cls-v2
            // (its cls file is byte-identical to 1.4.4's).
            lineOrder = .rows; dropBlankLines = true
        }
    }

    func validate() throws {
        func bad(_ m: String) -> SwiftletError { .invalidInput("OCR options: \(m)") }
        guard limitSideLen > 0 else { throw bad("limitSideLen must be positive, got \(limitSideLen)") }
        guard (0..<1).contains(thresh) else { throw bad("thresh must be in [0, 1), got \(thresh)") }
        guard (0...1).contains(boxThresh) else { throw bad("boxThresh must be in [0, 1], got \(boxThresh)") }
        // Bounded as the C ABI bounds it: the round joins' point count grows with the offset.
        guard unclipRatio > 0, unclipRatio <= 100 else { throw bad("unclipRatio must be in (0, 100], got \(unclipRatio)") }
        guard maxCandidates > 0 else { throw bad("maxCandidates must be positive") }
        guard clsBatch > 0, recBatch > 0 else { throw bad("batch sizes must be positive") }
        guard recHeight > 0, recWidth > 0 else { throw bad("recognition input size must be positive") }
        guard maxSideLen >= 32, minSideLen > 0 else { throw bad("maxSideLen must be >= 32 and minSideLen > 0") }
        guard threads > 0 else { throw bad("threads must be positive, got \(threads)") }
    }
}
