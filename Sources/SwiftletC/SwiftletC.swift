// The C ABI (include/swiftlet.h) lives in this target.
