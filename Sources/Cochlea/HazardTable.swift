import DSP

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

    init(_ parameters: AuditoryNerveFiber.Parameters) {
        let count = Int((Self.highestDB - Self.lowestDB) * Self.pointsPerDB) + 1
        var values: [Double] = []
        values.reserveCapacity(2 * count)
        for i in 0..<count {
            let t = parameters.hazardTerms(levelSPL: Self.lowestDB + Double(i) / Self.pointsPerDB)
            values += [t.steady, t.locked]
        }
        self.values = values
    }

    /// Where `levelSPL` falls among the points: the point below it and the fraction of the way to
    /// the next. The same for every table (all share the points), so a channel's level is placed
    /// once for all its fibre classes.
    @inline(__always)
    static func position(levelSPL: Double) -> (index: Int, fraction: Double) {
        // Clamped to [0, lastPoint], with a NaN level (never made by the hair cell) at 0, so that
        // the conversion needs no check.
        let y = (levelSPL - lowestDB) * pointsPerDB
        let x = y > 0 ? (y < lastPoint ? y : lastPoint) : 0
        let i = truncatedToInt(x)
        return (i, x - Double(i))
    }

    /// The highest point `position` returns (the last interval's lower end).
    static let lastPoint = (highestDB - lowestDB) * pointsPerDB - 1

    /// The two terms at a level placed by `position`, read from `table` (this table's `values`).
    @inline(__always)
    func terms(at position: (index: Int, fraction: Double), table: UnsafeBufferPointer<Double>) -> (
        steady: Double, locked: Double
    ) {
        let i = position.index
        let f = position.fraction
        let s0 = table[2 * i]
        let l0 = table[2 * i + 1]
        return (s0 + f * (table[2 * i + 2] - s0), l0 + f * (table[2 * i + 3] - l0))
    }
}
