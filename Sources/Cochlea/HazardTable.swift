/// `AuditoryNerveFiber.Parameters.hazardTerms` tabulated against level, so that the fibres'
/// rates follow the level without two exponentials per channel and update.
///
/// Points lie 1/8 dB apart; linear interpolation between them is off by at most h^2/8 times the
/// curvature, about 0.004 spikes/s for the steepest default rate-level function (4 dB slope,
/// 300 spikes/s). Levels outside -40...160 dB SPL take the nearest end's value (there the
/// functions are flat to within 1e-5 of their range).
struct HazardTable: Sendable {
    static let lowestDB = -40.0, highestDB = 160.0, pointsPerDB = 8.0
    /// (steady, locked) pairs, one per point.
    let values: [Double]
    let lastIndex: Double

    init(_ parameters: AuditoryNerveFiber.Parameters) {
        let count = Int((Self.highestDB - Self.lowestDB) * Self.pointsPerDB) + 1
        var values: [Double] = []
        values.reserveCapacity(2 * count)
        for i in 0..<count {
            let t = parameters.hazardTerms(levelSPL: Self.lowestDB + Double(i) / Self.pointsPerDB)
            values += [t.steady, t.locked]
        }
        self.values = values
        lastIndex = Double(count - 2)
    }

    /// The two terms at `levelSPL`, read from `table` (this table's `values`).
    @inline(__always)
    func terms(levelSPL: Double, table: UnsafeBufferPointer<Double>) -> (steady: Double, locked: Double) {
        let x = min(max((levelSPL - Self.lowestDB) * Self.pointsPerDB, 0), lastIndex)
        let i = Int(x)
        let f = x - Double(i)
        let s0 = table[2 * i]
        let l0 = table[2 * i + 1]
        return (s0 + f * (table[2 * i + 2] - s0), l0 + f * (table[2 * i + 3] - l0))
    }
}
