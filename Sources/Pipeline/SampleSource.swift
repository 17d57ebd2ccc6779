import AudioIO

/// Stereo samples in time order, handed to the model one block at a time. A file reader and an
/// in-memory pair of arrays are the two sources; anything that can fill a block can be a third.
public protocol StereoSampleSource {
    associatedtype Failure: Error
    /// Replaces `left` and `right` with the next block (equal lengths) and returns its length in
    /// frames; 0 at the end.
    mutating func readBlock(left: inout [Float], right: inout [Float]) throws(Failure) -> Int
}

extension StereoFileReader: StereoSampleSource {}

/// Left and right samples already in memory, cut into blocks of `blockFrames`.
public struct StereoSamples: StereoSampleSource {
    let left: [Float], right: [Float]
    let blockFrames: Int
    /// Frames handed out so far.
    private(set) var position = 0

    /// The default block matches `FileLocalizer`'s, so that a sound gives the same answer from
    /// memory as from a file.
    public init(left: [Float], right: [Float], blockFrames: Int = FileLocalizer.defaultBlockFrames) {
        precondition(left.count == right.count, "left and right differ in length")
        self.left = left
        self.right = right
        self.blockFrames = max(1, blockFrames)
    }

    public mutating func readBlock(left l: inout [Float], right r: inout [Float]) -> Int {
        let end = min(position + blockFrames, left.count)
        l = Array(left[position..<end])
        r = Array(right[position..<end])
        defer { position = end }
        return end - position
    }
}

extension Localizer {
    /// Feeds `source` through the model block by block until it ends, or until `shouldStop`
    /// (asked before each block) answers true. `eachBlock` sees every block after the model has.
    /// Returns false when stopped early. Call `finish()` afterwards for the result.
    @discardableResult
    public func feed<Source: StereoSampleSource>(
        _ source: inout Source, shouldStop: (() -> Bool)? = nil,
        eachBlock: ((_ left: [Float], _ right: [Float]) -> Void)? = nil
    ) throws(Source.Failure) -> Bool {
        var left: [Float] = []
        var right: [Float] = []
        while true {
            if shouldStop?() == true { return false }
            guard try source.readBlock(left: &left, right: &right) > 0 else { return true }
            process(left: left, right: right)
            eachBlock?(left, right)
        }
    }

    /// Runs the whole model over a sound held in memory and returns its result.
    public static func localize(
        left: [Float], right: [Float], sampleRateHz: Double,
        configuration: LocalizerConfiguration = .init(),
        blockFrames: Int = FileLocalizer.defaultBlockFrames
    ) -> LocalizationResult {
        let localizer = Localizer(configuration: configuration, sampleRateHz: sampleRateHz)
        var source = StereoSamples(left: left, right: right, blockFrames: blockFrames)
        localizer.feed(&source)
        return localizer.finish()
    }
}
