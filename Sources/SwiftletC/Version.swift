import CSwiftlet

// Versioning and status names: the calls a binding makes before anything else.

private let libraryVersion = UInt32(SWIFTLET_ABI_VERSION_MAJOR) << 16 | UInt32(SWIFTLET_ABI_VERSION_MINOR)

@c @implementation
public func swiftlet_abi_version() -> UInt32 {
    libraryVersion
}

@c @implementation
public func swiftlet_check_abi(_ headerVersion: UInt32) -> swiftlet_status {
    abiCall("swiftlet_check_abi") {
        let major = headerVersion >> 16, minor = headerVersion & 0xFFFF
        let libMajor = libraryVersion >> 16, libMinor = libraryVersion & 0xFFFF
        guard major == libMajor, minor <= libMinor else {
            throw ABIError(SWIFTLET_ERR_VERSION_MISMATCH,
                           "the program was built against swiftlet.h ABI \(major).\(minor) but libswiftlet.so provides ABI \(libMajor).\(libMinor)"
                           + (major == libMajor ? " (a newer minor version is needed)" : " (major versions differ)"))
        }
    }
}

@c @implementation
public func swiftlet_status_name(_ status: swiftlet_status) -> UnsafePointer<CChar>! {
    let name: StaticString
    switch Int(status) {
    case SWIFTLET_OK: name = "SWIFTLET_OK"
    case SWIFTLET_ERR_INVALID_ARGUMENT: name = "SWIFTLET_ERR_INVALID_ARGUMENT"
    case SWIFTLET_ERR_INVALID_UTF8: name = "SWIFTLET_ERR_INVALID_UTF8"
    case SWIFTLET_ERR_INVALID_HANDLE: name = "SWIFTLET_ERR_INVALID_HANDLE"
    case SWIFTLET_ERR_BUFFER_TOO_SMALL: name = "SWIFTLET_ERR_BUFFER_TOO_SMALL"
    case SWIFTLET_ERR_IO: name = "SWIFTLET_ERR_IO"
    case SWIFTLET_ERR_INVALID_MODEL: name = "SWIFTLET_ERR_INVALID_MODEL"
    case SWIFTLET_ERR_UNSUPPORTED: name = "SWIFTLET_ERR_UNSUPPORTED"
    case SWIFTLET_ERR_INVALID_INPUT: name = "SWIFTLET_ERR_INVALID_INPUT"
    case SWIFTLET_ERR_RUNTIME: name = "SWIFTLET_ERR_RUNTIME"
    case SWIFTLET_ERR_VERSION_MISMATCH: name = "SWIFTLET_ERR_VERSION_MISMATCH"
    case SWIFTLET_ERR_INTERNAL: name = "SWIFTLET_ERR_INTERNAL"
    default: name = "unknown status"
    }
    // StaticString literals live in the binary's read-only data, NUL-terminated.
    return UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
}
