#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks, before libsndfile sees it, that `path` names a non-empty regular file this process
/// may read, so that the user hears "no such file" rather than libsndfile's "System error".
func checkReadableFile(path: String) throws {
    var status = stat()
    guard stat(path, &status) == 0 else {
        if errno == EACCES { throw AudioIOError.permissionDenied(path: path) }
        throw AudioIOError.noSuchFile(path: path)
    }
    if status.st_mode & S_IFMT == S_IFDIR { throw AudioIOError.isDirectory(path: path) }
    // access() answers for the real user: root passes it whatever the mode bits say.
    guard access(path, R_OK) == 0 else { throw AudioIOError.permissionDenied(path: path) }
    if status.st_mode & S_IFMT == S_IFREG && status.st_size == 0 { throw AudioIOError.emptyFile(path: path) }
}
