import Dispatch
import Evaluation
import Foundation
import Reports

/// Runs one piece of work per file on `jobs` threads and hands the results back in input order,
/// as soon as each one and all before it are done. Work may also hand back partial results
/// (a live track's frames) before its row: those of the earliest unfinished file are passed on
/// as they come, the others' are held until it is their turn. Ctrl-C (SIGINT) stops the workers
/// between blocks; what was already handed back stays complete.
final class Batch<Partial>: @unchecked Sendable {
    /// A file's outcome: its row, nothing because the run was interrupted first, or handed on
    /// already (rows are let go once printed, so a long batch does not pile them up).
    enum Outcome {
        case finished(LocalizationRow)
        case interrupted, delivered
    }

    let count: Int
    let jobs: Int
    private let lock = NSLock()
    private let progressed = DispatchSemaphore(value: 0)
    private var results: [Outcome?]
    private var fractions: [Double]
    /// Partial results not yet handed back, per file.
    private var partials: [[Partial]]
    private var nextToStart = 0
    private var runningWorkers = 0
    private var stopRequested = false
    private var interruptSource: DispatchSourceSignal?
    private let progressBar: ProgressBar?

    init(count: Int, jobs: Int, showsProgress: Bool) {
        self.count = count
        self.jobs = max(1, min(jobs, count))
        results = .init(repeating: nil, count: count)
        fractions = .init(repeating: 0, count: count)
        partials = .init(repeating: [], count: count)
        progressBar = showsProgress ? ProgressBar(enabled: true) : nil
    }

    var interrupted: Bool { lock.withLock { stopRequested } }

    /// Stops the workers between blocks, as Ctrl-C does (e.g. once the output is lost).
    func stop() { lock.withLock { stopRequested = true } }

    /// The calls a piece of work may make: report its fraction done, ask whether to stop, hand
    /// back a partial result.
    struct Context {
        var progress: (Double) -> Void
        var shouldStop: () -> Bool
        var partial: (Partial) -> Void
    }

    /// Runs `work(index, context)` for every index and calls `emit` with each row in index order,
    /// on the calling thread, after `emitPartial` with each partial result of that index. `work`
    /// returns nil when `shouldStop` stopped it. Returns false when interrupted before every row
    /// was emitted.
    func run(
        work: @escaping @Sendable (Int, Context) -> LocalizationRow?,
        emitPartial: (Int, Partial) -> Void = { _, _ in },
        emit: (Int, LocalizationRow) -> Void
    ) -> Bool {
        installInterruptHandler()
        // Workers are plain threads, not Dispatch workers, so that they cannot starve the queue
        // that delivers the interrupt. They are joined before returning: a worker still tearing
        // down its thread-local state while the caller went on to format an error crashed about
        // one run in two hundred ("double free or corruption", status 134) with standard output
        // closed (OutputFaultTests).
        runningWorkers = jobs
        var workers: [WorkerThread] = []
        defer { for worker in workers { worker.join() } }
        for _ in 0..<jobs {
            workers.append(
                WorkerThread(stackBytes: 8 << 20) { [self] in
                    while let index = claim() {
                        let context = Context(
                            progress: { self.report(index, $0) }, shouldStop: { self.interrupted },
                            partial: { self.hold(index, $0) })
                        let row = work(index, context)
                        lock.withLock { results[index] = row.map(Outcome.finished) ?? .interrupted }
                        progressed.signal()
                    }
                    lock.withLock { runningWorkers -= 1 }
                    progressed.signal()
                })
        }
        var emitted = 0
        while emitted < count {
            progressed.wait()
            // Each ready file's partial results, then its row if it is finished; the last one's
            // partial results may come without a row.
            let (ready, stop, idle): ([(partials: [Partial], row: LocalizationRow?)], Bool, Bool) = lock.withLock {
                var ready: [(partials: [Partial], row: LocalizationRow?)] = []
                var index = emitted
                while index < count {
                    let held = partials[index]
                    partials[index] = []
                    guard case .finished(let row)? = results[index] else {
                        if !held.isEmpty { ready.append((held, nil)) }
                        break
                    }
                    results[index] = .delivered
                    ready.append((held, row))
                    index += 1
                }
                return (ready, stopRequested, runningWorkers == 0)
            }
            for (held, row) in ready {
                if !held.isEmpty { progressBar?.clear() }
                for partial in held { emitPartial(emitted, partial) }
                guard let row else { continue }
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

    private func hold(_ index: Int, _ partial: Partial) {
        lock.withLock { partials[index].append(partial) }
        progressed.signal()
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

/// A POSIX thread that runs `body` once and can be joined: after `join()` the thread has ended,
/// its thread-local destructors included, which Foundation's `Thread` offers no way to wait for.
final class WorkerThread {
    private var thread: pthread_t
    private var joined = false

    init(stackBytes: Int, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackBytes)
        let box = Unmanaged.passRetained(Body(body)).toOpaque()
        var t = pthread_t()
        let status = pthread_create(
            &t, &attributes,
            { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.run()
                return nil
            }, box)
        // Without a new thread (resources exhausted) the work still gets done, on this one.
        if status != 0 {
            Unmanaged<Body>.fromOpaque(box).takeRetainedValue().run()
            joined = true
        }
        thread = t
    }

    func join() {
        guard !joined else { return }
        pthread_join(thread, nil)
        joined = true
    }

    private final class Body: @unchecked Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
