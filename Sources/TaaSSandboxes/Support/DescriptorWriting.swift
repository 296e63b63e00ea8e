import Foundation

/// Writing to a file descriptor with plain POSIX calls (no Foundation buffering or syncing).
enum DescriptorWriting {
    /// Writes every byte of `bytes` to `descriptor`, again after an interrupted call. `false` when
    /// a write fails (its `errno` is left as it was) or writes nothing.
    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
