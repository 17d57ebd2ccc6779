import DSP
import RateCoding

/// The rate code's trained read-out, as a deep-learning system would have one: a small multilayer
/// perceptron (one hidden layer of rectified linear units, then a softmax; with no hidden units,
/// multinomial logistic regression) from one decision frame's features (`RateFrameLayout`) to a
/// distribution over azimuth classes. A file's frames are classified one by one and their log-probabilities
/// summed (`RateEvidence`), so a long file uses every frame; the answer is the best class,
/// refined by a parabola through the summed log-probabilities of its neighbours.
///
/// Trained by `RateTraining` on KEMAR renderings of synthetic sounds (`soundloc train-rate`);
/// the shipped default is `RateClassifier.kemar`.
public struct RateClassifier: Sendable, Equatable, Codable {
    public var layout: RateFrameLayout
    /// Class centres, in degrees, ascending and evenly spaced.
    public var azimuthsDegrees: [Double]
    /// Hidden units, each with weights on the raw features then a bias: `[unit * (features + 1) + i]`.
    /// Any standardisation used in training is folded in. Empty: no hidden layer.
    public var hiddenWeights: [Double]
    /// Per class, the weights on the hidden units' outputs (or, with no hidden layer, on the raw
    /// features) then the bias: `[class * (inputs + 1) + i]`.
    public var weights: [Double]
    /// What it was trained on.
    public var source: String
    /// How a file's frames are combined.
    public var pooling: Pooling

    /// How a file's frames are combined into one answer.
    public enum Pooling: String, Sendable, Codable {
        /// Every frame is classified and the log-probabilities are summed.
        case frames
        /// The frames' features are pooled first (`RateFrameLayout.pool`) and the pooled vector is
        /// classified once: per channel the mean rate difference over the frames that passed its
        /// gate, so that a channel's noisy few-spike frames are averaged before any decision.
        case file
    }

    public init(
        layout: RateFrameLayout, azimuthsDegrees: [Double], hiddenWeights: [Double] = [], weights: [Double],
        source: String, pooling: Pooling = .frames
    ) {
        self.layout = layout
        self.azimuthsDegrees = azimuthsDegrees
        self.hiddenWeights = hiddenWeights
        self.weights = weights
        self.source = source
        self.pooling = pooling
        precondition(fitsItsLayout, "weights do not fit the layout")
    }

    enum CodingKeys: String, CodingKey { case layout, azimuthsDegrees, hiddenWeights, weights, source, pooling }

    /// Models written before pooling existed summed their frames.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        layout = try c.decode(RateFrameLayout.self, forKey: .layout)
        azimuthsDegrees = try c.decode([Double].self, forKey: .azimuthsDegrees)
        hiddenWeights = try c.decode([Double].self, forKey: .hiddenWeights)
        weights = try c.decode([Double].self, forKey: .weights)
        source = try c.decode(String.self, forKey: .source)
        pooling = try c.decodeIfPresent(Pooling.self, forKey: .pooling) ?? .frames
    }

    public var classCount: Int { azimuthsDegrees.count }
    var hiddenUnits: Int { hiddenWeights.count / (layout.featureCount + 1) }

    /// True when the weight counts agree with the layout and the classes.
    public var fitsItsLayout: Bool {
        let d = layout.featureCount
        return hiddenWeights.count % (d + 1) == 0
            && weights.count == classCount * ((hiddenWeights.isEmpty ? d : hiddenUnits) + 1)
    }

    /// The hidden layer's outputs for `x`: max(0, w.x + b) per unit (zero features are skipped).
    static func hidden(_ x: [Double], weights: [Double], units: Int) -> [Double] {
        let stride = x.count + 1
        var h = [Double](repeating: 0, count: units)
        weights.withUnsafeBufferPointer { w in
            for u in 0..<units {
                var s = w[u * stride + x.count]
                for i in 0..<x.count where x[i] != 0 { s += w[u * stride + i] * x[i] }
                h[u] = max(0, s)
            }
        }
        return h
    }

    /// Log-probability of each class for one frame's features.
    public func logProbabilities(_ features: [Double]) -> [Double] {
        let x = hiddenWeights.isEmpty ? features : Self.hidden(features, weights: hiddenWeights, units: hiddenUnits)
        let stride = x.count + 1
        var z = [Double](repeating: 0, count: classCount)
        weights.withUnsafeBufferPointer { w in
            for k in 0..<classCount {
                var s = w[k * stride + x.count]
                for i in 0..<x.count where x[i] != 0 { s += w[k * stride + i] * x[i] }
                z[k] = s
            }
        }
        let top = z.max() ?? 0
        var total = 0.0
        for k in z.indices { total += _exp(z[k] - top) }
        let logTotal = top + _log(total)
        return z.map { $0 - logTotal }
    }

    /// Multiply-accumulates of one frame's classification: every weight once (zero inputs are
    /// skipped in practice but counted; a rectification counts nothing), an exponential and an add
    /// per class for the normalisation, and an add per class into the file's evidence.
    public var multiplyAccumulatesPerFrame: Int { hiddenWeights.count + weights.count + 3 * classCount + 1 }

    /// The azimuth, in degrees (-90...90), that `summed` log-probabilities point to.
    public func azimuthDegrees(summedLogProbabilities s: [Double]) -> Double {
        guard let i = s.indices.max(by: { s[$0] < s[$1] }) else { return 0 }
        let a = azimuthsDegrees
        guard i > 0 && i + 1 < s.count else { return a[i] }
        // The vertex of the parabola through the best class and its two neighbours.
        let offset = parabolicVertex(s[i - 1], s[i], s[i + 1])
        return max(-90, min(90, a[i] + offset * (a[1] - a[0])))
    }
}

/// A file's evidence under a trained read-out: the summed log-probabilities of its frames, or
/// (with `.file` pooling) the running sums of their features, classified once at the end.
/// Frames in which no channel passed its gate (silence, spontaneous activity) carry none.
public struct RateEvidence: Sendable {
    let classifier: RateClassifier
    public private(set) var summed: [Double]
    public private(set) var framesUsed = 0, framesSeen = 0
    public private(set) var multiplyAccumulates = 0
    /// With `.file` pooling: the sum of the used frames' features.
    var featureSums: [Double]

    public init(classifier: RateClassifier) {
        self.classifier = classifier
        summed = .init(repeating: 0, count: classifier.classCount)
        featureSums = .init(repeating: 0, count: classifier.pooling == .file ? classifier.layout.featureCount : 0)
    }

    public mutating func add(frames: [[Double]]) {
        for x in frames {
            framesSeen += 1
            guard !classifier.layout.isSilent(x) else { continue }
            framesUsed += 1
            if classifier.pooling == .file {
                for i in featureSums.indices { featureSums[i] += x[i] }
                // One add per feature into the running sums.
                multiplyAccumulates += featureSums.count
                continue
            }
            let p = classifier.logProbabilities(x)
            for k in summed.indices { summed[k] += p[k] }
            multiplyAccumulates += classifier.multiplyAccumulatesPerFrame
        }
        if classifier.pooling == .file && framesUsed > 0 {
            summed = classifier.logProbabilities(classifier.layout.pool(sums: featureSums, frames: framesUsed))
        }
    }

    /// Multiply-accumulates spent so far, with the pooled vector's division and classification.
    public var totalMultiplyAccumulates: Int {
        guard classifier.pooling == .file, framesUsed > 0 else { return multiplyAccumulates }
        return multiplyAccumulates + featureSums.count + classifier.multiplyAccumulatesPerFrame
    }

    /// The answer, in degrees; nil when no frame carried evidence.
    public var azimuthDegrees: Double? {
        framesUsed > 0 ? classifier.azimuthDegrees(summedLogProbabilities: summed) : nil
    }

    /// The share of the evidence's probability on the best class, after dividing the summed
    /// log-probabilities by the frames used (a geometric mean per frame), in 0...1; with `.file`
    /// pooling, the pooled vector's probability of the best class.
    var confidence: Double {
        guard framesUsed > 0, let top = summed.max() else { return 0 }
        let n = classifier.pooling == .file ? 1 : Double(framesUsed)
        let total = summed.reduce(0) { $0 + _exp(($1 - top) / n) }
        return 1 / total
    }
}
