import DSP
import RateCoding

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A rate-code read-out learned from calibration sounds of known direction: the rate code at its
/// best, calibrated the way the temporal path is, and never on the sounds it is scored on.
///
/// Its input is the feature vector a rate code keeps (`featureVector`): the interaural rate
/// difference of every channel (the level cue, as the lateral superior olive compares the two
/// ears' rates) and the lag of the binned rate cross-correlation's peak. Three read-outs are
/// trained; `train` keeps the one with the smallest cross-validated error on the calibration set.
public struct RateCodeCalibration: Sendable, Equatable, Codable {
    public enum Readout: String, Sendable, Equatable, Codable, CaseIterable {
        /// Ridge least squares from the standardised features (and the cube of the lag, since
        /// azimuth grows faster than linearly with ITD near 90 degrees) to azimuth.
        case linear
        /// The lag alone through a monotone lag-to-azimuth curve measured on the calibration
        /// sounds (as `ITDCalibration` does for the temporal code).
        case lagCurve = "lag-curve"
        /// Nearest template: per calibration azimuth, the mean feature vector; distances scaled by
        /// the pooled within-azimuth spread of each feature (a Gaussian naive-Bayes likelihood),
        /// refined by a parabola through the best three azimuths.
        case template
    }

    /// Which of the rate code's cues a read-out may use.
    public enum Cues: String, Sendable, Equatable, Codable, CaseIterable {
        /// Rate differences and the cross-correlation lag.
        case all
        /// The interaural rate differences alone (the level cue).
        case level
        /// The binned cross-correlation lag alone.
        case timing
    }

    /// The read-out in use.
    public var readout: Readout
    /// The cues it reads.
    public var cues: Cues
    /// The counting window the features were made with, in seconds; features from another window
    /// do not fit this calibration.
    public var windowSeconds: Double
    /// Where the calibration sounds came from (renderer and head).
    public var source: String
    /// Per feature: mean and scale used to standardise it.
    var featureMeans: [Double], featureScales: [Double]
    /// Linear read-out: weights on the expanded standardised features, intercept last.
    var linearWeights: [Double]
    /// Lag-curve read-out.
    var lagCurve: ITDCalibration
    /// Template read-out: calibration azimuths in degrees (ascending) and their mean standardised
    /// feature vectors.
    var templateAzimuthsDegrees: [Double]
    var templates: [[Double]]
    /// Cross-validated mean absolute error, in degrees, of each read-out on the calibration sounds
    /// (two folds, by the `fold` given to `train`).
    public var crossValidatedErrorDegrees: [String: Double]

    /// The feature vector: interaural rate difference per channel, then the cross-correlation
    /// peak lag in milliseconds (0 when no spikes were counted), or only one of the two.
    static func featureVector(_ f: RateFeatures, cues: Cues = .all) -> [Double] {
        let lag = [(f.bestLagSeconds ?? 0) * 1000]
        switch cues {
        case .all: return f.rateDifferences + lag
        case .level: return f.rateDifferences
        case .timing: return lag
        }
    }

    /// Azimuth, in degrees (-90...90), for features counted with `windowSeconds` windows.
    public func azimuthDegrees(_ features: RateFeatures) -> Double {
        let x = standardised(Self.featureVector(features, cues: cues))
        let lagMs = (features.bestLagSeconds ?? 0) * 1000
        let az: Double
        switch readout {
        case .linear: az = Self.dot(linearWeights, Self.expanded(x, cues: cues))
        case .lagCurve: az = lagCurve.azimuthDegrees(itdSeconds: lagMs / 1000)
        case .template: az = templateAzimuth(x)
        }
        return az.isFinite ? max(-90, min(90, az)) : 0
    }

    /// Multiply-accumulates one decision costs in this read-out (standardising included; each
    /// rate difference's division is counted as one).
    var decoderMultiplyAccumulates: Int {
        let n = featureMeans.count
        let prepare = 2 * n  // rate differences, then standardisation
        switch readout {
        case .linear: return prepare + n + 1
        case .lagCurve: return 2  // one linear interpolation; the table search is comparisons
        case .template: return prepare + 2 * n * templates.count  // a subtraction and a square-add per feature
        }
    }

    // MARK: Training

    /// One calibration sound's features and its true lateral angle in degrees.
    public struct Sample: Sendable {
        var features: RateFeatures
        var azimuthDegrees: Double
        /// Cross-validation fold, 0 or 1: put each azimuth's sound tokens in both folds, so that
        /// each fold sees every direction.
        var fold: Int
        public init(features: RateFeatures, azimuthDegrees: Double, fold: Int) {
            self.features = features
            self.azimuthDegrees = azimuthDegrees
            self.fold = fold
        }
    }

    /// The read-outs that can use `cues` (the lag curve needs the lag).
    static func readouts(for cues: Cues) -> [Readout] {
        cues == .level ? [.linear, .template] : Readout.allCases
    }

    /// Trains every read-out on `samples` (features from one window width), estimates each one's
    /// error by two-fold cross-validation, and keeps `readout` if given, else the best.
    public static func train(_ samples: [Sample], source: String, readout: Readout? = nil, cues: Cues = .all)
        -> RateCodeCalibration
    {
        precondition(!samples.isEmpty, "no calibration samples")
        precondition(readout.map { readouts(for: cues).contains($0) } ?? true, "the lag curve needs the timing cue")
        var errors: [String: Double] = [:]
        let folds = [samples.filter { $0.fold == 0 }, samples.filter { $0.fold != 0 }]
        for r in readouts(for: cues) {
            if folds.contains(where: \.isEmpty) { break }
            var total = 0.0
            var n = 0
            for k in 0..<2 {
                let model = fit(folds[k], source: source, readout: r, cues: cues)
                for s in folds[1 - k] {
                    total += abs(model.azimuthDegrees(s.features) - s.azimuthDegrees)
                    n += 1
                }
            }
            errors[r.rawValue] = total / Double(n)
        }
        let best =
            readout ?? readouts(for: cues).min {
                (errors[$0.rawValue] ?? .infinity) < (errors[$1.rawValue] ?? .infinity)
            } ?? .linear
        var model = fit(samples, source: source, readout: best, cues: cues)
        model.crossValidatedErrorDegrees = errors
        return model
    }

    static func fit(_ samples: [Sample], source: String, readout: Readout, cues: Cues) -> RateCodeCalibration {
        let raw = samples.map { featureVector($0.features, cues: cues) }
        let y = samples.map(\.azimuthDegrees)
        let dims = raw[0].count
        // Standardise by the pooled within-azimuth spread (the noise a read-out must see through),
        // floored so a feature that never varies cannot blow up.
        let groups = Dictionary(grouping: raw.indices, by: { y[$0] })
        var means = [Double](repeating: 0, count: dims)
        var scales = means
        for d in 0..<dims {
            means[d] = raw.reduce(0) { $0 + $1[d] } / Double(raw.count)
            var within = 0.0
            var dof = 0
            for idx in groups.values where idx.count > 1 {
                let m = idx.reduce(0) { $0 + raw[$1][d] } / Double(idx.count)
                within += idx.reduce(0) { $0 + (raw[$1][d] - m) * (raw[$1][d] - m) }
                dof += idx.count - 1
            }
            let total = raw.reduce(0) { $0 + ($1[d] - means[d]) * ($1[d] - means[d]) } / Double(max(raw.count - 1, 1))
            let spread = dof > 0 ? (within / Double(dof)).squareRoot() : total.squareRoot()
            scales[d] = max(spread, 1e-3)
        }
        var model = RateCodeCalibration(
            readout: readout, cues: cues, windowSeconds: samples[0].features.windowSeconds, source: source,
            featureMeans: means, featureScales: scales, linearWeights: [],
            lagCurve: ITDCalibration(azimuthsDegrees: [0], itdsSeconds: [0], source: source),
            templateAzimuthsDegrees: [], templates: [], crossValidatedErrorDegrees: [:])
        let x = raw.map(model.standardised)
        let azimuths = groups.keys.sorted()
        switch readout {
        case .linear:
            let expandedX = x.map { expanded($0, cues: cues) }
            model.linearWeights = ridge(expandedX, y, lambda: bestRidgeLambda(expandedX, y))
        case .lagCurve:
            let lags = azimuths.map { a in
                groups[a]!.reduce(0) { $0 + raw[$1][dims - 1] } / Double(groups[a]!.count) / 1000
            }
            model.lagCurve = ITDCalibration(azimuthsDegrees: azimuths, itdsSeconds: lags, source: source)
        case .template:
            model.templateAzimuthsDegrees = azimuths
            model.templates = azimuths.map { a in
                (0..<dims).map { d in groups[a]!.reduce(0) { $0 + x[$1][d] } / Double(groups[a]!.count) }
            }
        }
        return model
    }

    func standardised(_ v: [Double]) -> [Double] {
        (0..<v.count).map { (v[$0] - featureMeans[$0]) / featureScales[$0] }
    }

    /// Standardised features, the cube of the standardised lag (the last feature) when the lag is
    /// read, and 1 for the intercept.
    static func expanded(_ x: [Double], cues: Cues) -> [Double] {
        guard cues != .level, let lag = x.last else { return x + [1] }
        return x + [lag * lag * lag / 10, 1]
    }

    func templateAzimuth(_ x: [Double]) -> Double {
        let d = templates.map { t in zip(t, x).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        guard let i = d.indices.min(by: { d[$0] < d[$1] }) else { return 0 }
        let a = templateAzimuthsDegrees
        guard i > 0 && i + 1 < d.count else { return a[i] }
        // Parabola through the three distances around the best (negated: the best is a minimum);
        // its vertex, kept between neighbours.
        let offset = parabolicVertex(-d[i - 1], -d[i], -d[i + 1])
        guard offset != 0 else { return a[i] }
        return offset < 0 ? a[i] + offset * (a[i] - a[i - 1]) : a[i] + offset * (a[i + 1] - a[i])
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// The ridge penalty (scaled by the number of samples) with the smallest error when trained on
    /// one interleaved half of the samples and tested on the other, both ways round.
    static func bestRidgeLambda(_ x: [[Double]], _ y: [Double]) -> Double {
        let candidates = [1e-3, 1e-2, 1e-1, 1, 10, 100].map { $0 * Double(x.count) }
        guard x.count >= 4 else { return candidates[3] }
        let even = x.indices.filter { $0 % 2 == 0 }
        let odd = x.indices.filter { $0 % 2 == 1 }
        func error(_ lambda: Double) -> Double {
            var e = 0.0
            for (train, test) in [(even, odd), (odd, even)] {
                let w = ridge(train.map { x[$0] }, train.map { y[$0] }, lambda: lambda)
                for i in test { e += abs(dot(w, x[i]) - y[i]) }
            }
            return e
        }
        return candidates.min { error($0) < error($1) }!
    }

    /// Solves (X'X + lambda I) w = X'y, leaving the intercept (last column) unpenalised.
    static func ridge(_ x: [[Double]], _ y: [Double], lambda: Double) -> [Double] {
        let p = x[0].count
        var a = [[Double]](repeating: [Double](repeating: 0, count: p + 1), count: p)
        for (row, target) in zip(x, y) {
            for i in 0..<p {
                for j in 0..<p { a[i][j] += row[i] * row[j] }
                a[i][p] += row[i] * target
            }
        }
        for i in 0..<(p - 1) { a[i][i] += lambda }
        // Gauss-Jordan elimination with partial pivoting; the penalty keeps the system regular.
        for c in 0..<p {
            let pivot = (c..<p).max { abs(a[$0][c]) < abs(a[$1][c]) }!
            a.swapAt(c, pivot)
            let v = a[c][c]
            guard abs(v) > 1e-12 else { continue }
            for j in c...p { a[c][j] /= v }
            for r in 0..<p where r != c && a[r][c] != 0 {
                let f = a[r][c]
                for j in c...p { a[r][j] -= f * a[c][j] }
            }
        }
        return (0..<p).map { a[$0][p] }
    }
}
