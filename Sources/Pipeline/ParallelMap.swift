import Foundation

/// Maps indices to results on `jobs` threads; results come back in index order.
public enum ParallelMap {
    final class Box<T>: @unchecked Sendable {
        var results: [T?]
        var next = 0, finished = 0
        let lock = NSLock()
        init(count: Int) { results = .init(repeating: nil, count: count) }
    }

    public static func run<T>(
        count: Int, jobs: Int, _ body: @escaping @Sendable (Int) -> T, done: (@Sendable (Int) -> Void)? = nil
    ) -> [T] {
        let box = Box<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, count))) { _ in
            while true {
                box.lock.lock()
                let i = box.next
                box.next += 1
                box.lock.unlock()
                guard i < count else { return }
                let r = body(i)
                box.lock.lock()
                box.results[i] = r
                box.finished += 1
                done?(box.finished)
                box.lock.unlock()
            }
        }
        return box.results.map { $0! }
    }
}
