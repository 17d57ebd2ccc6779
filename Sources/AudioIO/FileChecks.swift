#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why `path` cannot be read as a regular file, in plain words, or nil when it can. It looks with
/// stat() before anything opens the path: opening a FIFO with no writer, or a terminal, a socket or
/// a device, would block for ever or read endless bytes, so only regular files pass (symbolic links
/// are followed to what they name). Every reader of a named input file (audio, SOFA, calibration,
/// rate model, manifest) asks this first; standard input ("-") is the caller's own case.
public func regularFileProblem(path: String) -> String? {
    var status = stat()
    guard stat(path, &status) == 0 else {
        switch errno {
        case EACCES: return "permission denied (a folder on the path is not searchable)"
        case ELOOP: return "symbolic link loop (too many levels of symbolic links)"
        case ENAMETOOLONG: return "file name too long"
        case ENOTDIR: return "no such file (a part of the path is not a folder)"
        default:
            // Swift decodes the command line as UTF-8 and replaces what is not with U+FFFD, so a
            // name in another encoding (Latin-1 from an old archive) reaches stat() changed.
            if path.unicodeScalars.contains("\u{FFFD}") {
                return "no such file (its name is not valid UTF-8, which soundloc cannot pass on; rename the file)"
            }
            return "no such file"
        }
    }
    switch status.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return "is a directory, not a file"
    case S_IFIFO: return "is a FIFO (named pipe), not a regular file"
    case S_IFSOCK: return "is a socket, not a regular file"
    case S_IFCHR, S_IFBLK: return "is a device, not a regular file"
    default: return "is not a regular file"
    }
    // access() answers for the real user: root passes it whatever the mode bits say.
    guard access(path, R_OK) == 0 else { return "permission denied (the file is not readable)" }
    return nil
}

/// Checks, before libsndfile sees it, that `path` names a non-empty regular file this process
/// may read, so that the user hears "no such file" rather than libsndfile's "System error", and a
/// FIFO or a device is refused instead of blocking the batch.
func checkReadableFile(path: String) throws {
    var status = stat()
    if stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR { throw AudioIOError.isDirectory(path: path) }
    if let problem = regularFileProblem(path: path) {
        if problem == "no such file" { throw AudioIOError.noSuchFile(path: path) }
        if problem.hasPrefix("permission denied (the file") { throw AudioIOError.permissionDenied(path: path) }
        throw AudioIOError.notRegularFile(path: path, reason: problem)
    }
    if status.st_size == 0 { throw AudioIOError.emptyFile(path: path) }
}
