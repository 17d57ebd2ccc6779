#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `bytes` to `path` so that nothing is lost or destroyed: the one home for writing a
/// whole output file (pictures, calibrations, generated source).
///
/// A regular file (or a new name) is replaced atomically: the bytes go to a temporary file in the
/// same folder, which is renamed over the target only once written, so a failure leaves the old
/// file whole. A symbolic link is followed and its target treated the same way, so the link stays
/// a link. Anything else (a device such as /dev/null or /dev/full, a FIFO with a reader) is
/// written through in place: renaming over it would replace a device node by a regular file.
/// Every write, and the close, is checked; a failure throws `AudioIOError.cannotWrite`.
public func writeFileSafely(_ bytes: [UInt8], to path: String) throws {
    func failure(_ reason: String) -> AudioIOError { .cannotWrite(path: path, reason: reason) }
    var target = path
    var status = stat()
    if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK {
        // Follow the link (and any chain of links) to what it finally names.
        guard let resolved = realpath(path, nil) else {
            if errno == ENOENT {
                // A dangling link: creating through it makes its target, as any writer would.
                try writeThrough(bytes, to: path, create: true, failure: failure)
                return
            }
            throw failure(errnoReason(errno))
        }
        target = String(cString: resolved)
        free(resolved)
    }
    if stat(target, &status) == 0 {
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw failure("is a directory")
        default:
            try writeThrough(bytes, to: target, create: false, failure: failure)
            return
        }
    } else if errno != ENOENT {
        throw failure(errnoReason(errno))
    }
    try replaceAtomically(bytes, at: target, keepingModeOf: status, failure: failure)
}

/// A short reason for an errno value, e.g. "No space left on device".
public func errnoReason(_ code: Int32) -> String {
    switch code {
    case ELOOP: return "too many levels of symbolic links"
    default: return String(cString: strerror(code))
    }
}

private func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32? {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress! + offset, $0.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        offset += n
    }
    return nil
}

private func writeThrough(
    _ bytes: [UInt8], to path: String, create: Bool,
    failure: (String) -> AudioIOError
) throws {
    // Non-blocking open, so that a FIFO with no reader is an error (ENXIO), not a hang.
    let flags = O_WRONLY | O_NONBLOCK | (create ? O_CREAT | O_TRUNC : 0)
    let fd = open(path, flags, 0o666)
    guard fd >= 0 else {
        throw failure(errno == ENXIO ? "nothing is reading from this FIFO" : errnoReason(errno))
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    if let code = writeAll(bytes, to: fd) {
        close(fd)
        throw failure(errnoReason(code))
    }
    guard close(fd) == 0 else { throw failure(errnoReason(errno)) }
}

private func replaceAtomically(
    _ bytes: [UInt8], at target: String, keepingModeOf old: stat,
    failure: (String) -> AudioIOError
) throws {
    let slash = target.lastIndex(of: "/")
    let folder = slash.map { String(target[...$0]) } ?? ""
    let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
    var template = Array("\(folder).\(name).soundloc-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw failure(errnoReason(errno)) }
    let temporary = String(cString: template)
    // mkstemp makes the file 0600; an output file gets the usual mode (or keeps the old one).
    let mode: mode_t
    if old.st_mode & S_IFMT == S_IFREG {
        mode = old.st_mode & 0o7777
    } else {
        let mask = umask(0)
        umask(mask)
        mode = 0o666 & ~mask
    }
    fchmod(fd, mode)
    if let code = writeAll(bytes, to: fd) {
        close(fd)
        unlink(temporary)
        throw failure(errnoReason(code))
    }
    // fsync reports a full disk that a buffered write() may not have (NFS, some quotas).
    let synced = fsync(fd) == 0 || errno == EINVAL ? 0 : errno
    let closed = close(fd) == 0 ? 0 : errno
    if synced != 0 || closed != 0 {
        unlink(temporary)
        throw failure(errnoReason(synced != 0 ? synced : closed))
    }
    guard rename(temporary, target) == 0 else {
        let code = errno
        unlink(temporary)
        throw failure(errnoReason(code))
    }
}
