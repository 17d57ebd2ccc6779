import Dispatch
import Evaluation
import Foundation
import Reports

/// Runs one piece of work per file on `jobs` threads and hands the results back in input order,
/// as soon as each one and all before it are done. Ctrl-C (SIGINT) stops the workers between
/// blocks; what was already handed back stays complete.
final class Batch: @unchecked Sendable {
    /// A file's outcome: its row, nothing because the run was interrupted first, or handed on
    /// already (rows are let go once printed, so a long batch does not pile them up).
    enum Outcome { case finished(LocalizationRow), interrupted, delivered }

    let count: Int
    let jobs: Int
    private let lock = NSLock()
    private let progressed = DispatchSemaphore(value: 0)
    private var results: [Outcome?]
    private var fractions: [Double]
    private var nextToStart = 0
    private var runningWorkers = 0
    private var stopRequested = false
    private var interruptSource: DispatchSourceSignal?
    private let progressBar: FileProgressBar?

    init(count: Int, jobs: Int, showsProgress: Bool) {
        self.count = count
        self.jobs = max(1, min(jobs, count))
        results = .init(repeating: nil, count: count)
        fractions = .init(repeating: 0, count: count)
        progressBar = showsProgress ? FileProgressBar() : nil
    }

    var interrupted: Bool { lock.withLock { stopRequested } }

    /// Stops the workers between blocks, as Ctrl-C does (e.g. once the output is lost).
    func stop() { lock.withLock { stopRequested = true } }

    /// Runs `work(index, progress, shouldStop)` for every index and calls `emit` with each row in
    /// index order, on the calling thread. `work` returns nil when `shouldStop` stopped it.
    /// Returns false when interrupted before every row was emitted.
    func run(work: @escaping @Sendable (Int, @escaping (Double) -> Void, @escaping () -> Bool) -> LocalizationRow?,
             emit: (Int, LocalizationRow) -> Void) -> Bool {
        installInterruptHandler()
        // Workers are plain threads, not Dispatch workers, so that they cannot starve the queue
        // that delivers the interrupt.
        runningWorkers = jobs
        for _ in 0..<jobs {
            let thread = Thread { [self] in
                while let index = claim() {
                    let row = work(index, { self.report(index, $0) }, { self.interrupted })
                    lock.withLock { results[index] = row.map(Outcome.finished) ?? .interrupted }
                    progressed.signal()
                }
                lock.withLock { runningWorkers -= 1 }
                progressed.signal()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        var emitted = 0
        while emitted < count {
            progressed.wait()
            let (ready, stop, idle): ([LocalizationRow], Bool, Bool) = lock.withLock {
                var ready: [LocalizationRow] = []
                while emitted + ready.count < count, case let .finished(row)? = results[emitted + ready.count] {
                    results[emitted + ready.count] = .delivered
                    ready.append(row)
                }
                return (ready, stopRequested, runningWorkers == 0)
            }
            for row in ready {
                progressBar?.clear()
                emit(emitted, row)
                emitted += 1
            }
            if stop && idle { break }
        }
        progressBar?.clear()
        return emitted == count
    }

    private func claim() -> Int? {
        lock.withLock {
            guard !stopRequested, nextToStart < count else { return nil }
            defer { nextToStart += 1 }
            return nextToStart
        }
    }

    private func report(_ index: Int, _ fraction: Double) {
        guard let progressBar else { return }
        let total = lock.withLock { () -> Double in
            fractions[index] = fraction
            return fractions.reduce(0, +) / Double(count)
        }
        progressBar.show(fraction: total)
    }

    private func installInterruptHandler() {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in self?.lock.withLock { self?.stopRequested = true } }
        source.resume()
        interruptSource = source
    }
}

/// A one-line progress bar on standard error, redrawn only when the whole percentage changes.
final class FileProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var shownPercent = -1

    func show(fraction: Double) {
        let percent = Int((fraction * 100).rounded(.down))
        lock.withLock {
            guard percent != shownPercent else { return }
            shownPercent = percent
            let width = 40, filled = width * percent / 100
            let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            writeStandardError("\r[\(bar)] \(percent)%")
        }
    }

    /// Erases the bar, so that other output starts on a clean line.
    func clear() {
        lock.withLock {
            guard shownPercent >= 0 else { return }
            shownPercent = -1
            writeStandardError("\r\u{1B}[K")
        }
    }
}
