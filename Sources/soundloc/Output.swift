import AudioIO
import CStandardStreams
import Foundation

/// The one way commands print their results: each piece goes out whole and is flushed, and a
/// failed write (a full disk, a closed pipe with SIGPIPE ignored) is an error rather than a
/// success with the output lost.
enum StandardOutput {
    /// Why standard output could not take the text.
    struct WriteFailed: UserError {
        var reason: String
        var description: String { "standard output: write failed: \(reason)" }
    }

    /// Started with standard input, output or error closed, the first file the program opened
    /// would take that descriptor, and results would be written into it. Each closed one is held
    /// by /dev/null opened read-only instead, so that writes to it fail (and are reported).
    static func holdClosedStandardStreams() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            let held = open("/dev/null", O_RDONLY)
            if held >= 0 && held != fd {
                dup2(held, fd)
                close(held)
            }
        }
    }

    /// Writes `text` and a line break, flushes, and throws `WriteFailed` if any of it was lost.
    static func line(_ text: String) throws { try write(text + "\n") }

    /// Writes `text` as it is (a line redrawn in place has no line break), flushes, and throws
    /// `WriteFailed` if any of it was lost.
    static func write(_ text: String) throws {
        clearerr(standard_output_stream())
        errno = 0
        var code: Int32 = 0
        if fputs(text, standard_output_stream()) < 0 { code = errno }
        if fflush(standard_output_stream()) != 0 && code == 0 { code = errno }
        guard code == 0 && ferror(standard_output_stream()) == 0 else {
            throw WriteFailed(
                reason: code == EBADF ? "standard output is closed" : code == 0 ? "unknown error" : errnoReason(code))
        }
    }
}

/// `print` for a command's results, checked: see `StandardOutput.line`.
func printChecked(_ text: String = "") throws { try StandardOutput.line(text) }
