import CSwiftlet
import Swiftlet

/// swiftlet_dtype codes <-> the engine's DType.
enum DTypeCodes {
    static func dtype(_ code: swiftlet_dtype) -> DType? {
        switch Int(code) {
        case SWIFTLET_DTYPE_FLOAT32: return .float32
        case SWIFTLET_DTYPE_FLOAT16: return .float16
        case SWIFTLET_DTYPE_INT64: return .int64
        case SWIFTLET_DTYPE_INT32: return .int32
        case SWIFTLET_DTYPE_INT8: return .int8
        case SWIFTLET_DTYPE_UINT8: return .uint8
        case SWIFTLET_DTYPE_BOOL: return .bool
        default: return nil
        }
    }

    static func code(_ dtype: DType) -> swiftlet_dtype {
        switch dtype {
        case .float32: return swiftlet_dtype(SWIFTLET_DTYPE_FLOAT32)
        case .float16: return swiftlet_dtype(SWIFTLET_DTYPE_FLOAT16)
        case .int64: return swiftlet_dtype(SWIFTLET_DTYPE_INT64)
        case .int32: return swiftlet_dtype(SWIFTLET_DTYPE_INT32)
        case .int8: return swiftlet_dtype(SWIFTLET_DTYPE_INT8)
        case .uint8: return swiftlet_dtype(SWIFTLET_DTYPE_UINT8)
        case .bool: return swiftlet_dtype(SWIFTLET_DTYPE_BOOL)
        }
    }
}
