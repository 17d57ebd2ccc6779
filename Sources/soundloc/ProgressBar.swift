import Foundation

/// The one progress bar of the commands: a line on standard error, `[####......] TEXT`, drawn only
/// when standard error is a terminal (a log or a pipe gets none) and redrawn only when the line
/// changes, so that many small steps cost no output. Safe to call from any thread.
final class ProgressBar: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    /// The line on the terminal now; nil when nothing is drawn.
    private var shown: String?

    init(enabled: Bool = isatty(STDERR_FILENO) != 0) { self.enabled = enabled }

    /// A fraction done (0...1), written as a whole percentage.
    func show(fraction: Double) {
        let percent = Int((min(max(fraction, 0), 1) * 100).rounded(.down))
        draw(filled: percent, of: 100, text: "\(percent)%")
    }

    /// `done` of `total` steps of a named stage.
    func show(_ stage: String, _ done: Int, _ total: Int) {
        draw(filled: min(done, total), of: total, text: "\(done)/\(total) \(stage)")
    }

    private func draw(filled: Int, of total: Int, text: String) {
        guard enabled else { return }
        let width = 30
        let cells = total > 0 ? width * filled / total : width
        let line =
            "[" + String(repeating: "#", count: cells) + String(repeating: ".", count: width - cells) + "] " + text
        lock.withLock {
            guard line != shown else { return }
            shown = line
            writeStandardError("\r\u{1B}[K" + line)
        }
    }

    /// Erases the bar, so that other output starts on a clean line.
    func clear() {
        lock.withLock {
            guard shown != nil else { return }
            shown = nil
            writeStandardError("\r\u{1B}[K")
        }
    }
}
