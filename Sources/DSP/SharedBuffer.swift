/// A buffer pointer handed to the threads of one `DispatchQueue.concurrentPerform`, for work split
/// so that each thread reads and writes only its own elements (disjoint indices, e.g. channels
/// interleaved between parts) and the buffer outlives the call (it runs inside the
/// `withUnsafeMutableBufferPointer` that made it). The compiler cannot see that split, so this is
/// `@unchecked Sendable`; anything shared by more than one thread still needs a lock.
public struct SharedBuffer<Element>: @unchecked Sendable {
    public let buffer: UnsafeMutableBufferPointer<Element>

    public init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }

    public subscript(i: Int) -> Element {
        get { buffer[i] }
        nonmutating _modify { yield &buffer[i] }
        nonmutating set { buffer[i] = newValue }
    }
}
