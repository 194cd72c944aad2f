/// Element types a tensor can hold; raw values are the names used in the `.swl` header.
public enum DType: String, Sendable, CaseIterable {
    case float32, float16, int64, int32, int8, uint8, bool

    /// Bytes one element takes (`bool` is one byte).
    public var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .float16: return 2
        case .int64: return 8
        case .int8, .uint8, .bool: return 1
        }
    }

    /// ONNX TensorProto.DataType codes, used by Cast's `to` attribute.
    public init?(onnxCode: Int) {
        switch onnxCode {
        case 1: self = .float32
        case 2: self = .uint8
        case 3: self = .int8
        case 6: self = .int32
        case 7: self = .int64
        case 9: self = .bool
        case 10: self = .float16
        default: return nil
        }
    }
}
