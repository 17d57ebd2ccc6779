import Cochlea
import DSP
import Decoding
import Foundation
import HRTF
import Pipeline
import RateCoding
import Stimuli

/// The sounds the rate code's read-out learns from: synthetic sounds of five kinds (noise,
/// harmonic complexes, click trains, vowel-like sounds, and tones of one to four harmonics, as
/// alarms and chimes are), made from seeds no evaluation set uses,
/// at random levels and signal-to-noise ratios, through one head's responses.
public struct RateTrainingMix: Sendable, Equatable {
    /// Directions from -90 to 90 degrees in this step, in degrees (also the classes' spacing).
    public var azimuthStepDegrees = 5.0
    /// Sounds per direction; the kinds take turns.
    public var soundsPerAzimuth = 10
    public var durationSeconds = 0.5
    /// Range of each rendered sound's peak level (the louder ear's), in dB re full scale, as the
    /// development set sets its files' levels.
    public var levelRangeDecibels: ClosedRange<Double> = -18 ... -3
    /// Range of the per-ear SNR of added uncorrelated noise, in dB; `cleanShare` of the sounds get none.
    var snrRangeDecibels: ClosedRange<Double> = 0...30
    var cleanShare = 0.2
    /// First seed of the sounds (sound i uses seed + i, its noise seed + i + 500000): far from the
    /// calibration sounds (9001...) and the bundled samples (11-24).
    public var seed: UInt64 = 70001

    public init() {}

    /// One training sound.
    public struct Item: Sendable, Equatable {
        var sound: SeededSound
        var azimuthDegrees: Double
        /// Peak of the louder ear after rendering, full scale = 1.
        var peak: Double
        var snrDecibels: Double?
        var noiseSeed: UInt64
    }

    public var azimuthsDegrees: [Double] {
        let steps = Int((180 / azimuthStepDegrees).rounded(.down))
        return (0...steps).map { -90 + Double($0) * azimuthStepDegrees }
    }

    /// Every training sound, in a fixed order made from `seed` alone.
    public func items() -> [Item] {
        var g = SeededGenerator(seed: seed)
        func uniform(_ r: ClosedRange<Double>) -> Double {
            r.lowerBound + g.nextOpenUnit() * (r.upperBound - r.lowerBound)
        }
        var out: [Item] = []
        for az in azimuthsDegrees {
            for k in 0..<soundsPerAzimuth {
                let stimulus: Stimulus
                switch k % 5 {
                case 0: stimulus = .whiteNoise
                case 1: stimulus = .harmonicComplex(fundamentalHz: uniform(100...400), highestHz: uniform(3000...8000))
                case 2: stimulus = .clickTrain(rateHz: uniform(10...60))
                case 3: stimulus = .speechLike(fundamentalHz: uniform(90...250))
                default:
                    let f0 = _exp(uniform(_log(300)..._log(3000)))
                    stimulus = .harmonicComplex(fundamentalHz: f0, highestHz: f0 * uniform(1.05...4))
                }
                let level = uniform(levelRangeDecibels)
                let snr = uniform(snrRangeDecibels)
                let clean = g.nextOpenUnit() < cleanShare
                let i = UInt64(out.count)
                out.append(
                    Item(
                        sound: SeededSound(stimulus, seed: seed + i), azimuthDegrees: az,
                        peak: _exp(level / 20 * 2.302585092994046), snrDecibels: clean ? nil : snr,
                        noiseSeed: seed + i + 500_000))
            }
        }
        return out
    }
}

/// Trains the rate code's read-out (`RateClassifier`) on a training mix.
public enum RateTraining {
    /// How the classifier is fitted: Adam (Kingma & Ba 2015) on the cross-entropy against a
    /// target spread over neighbouring classes, with an L2 penalty on the weights.
    public struct Settings: Sendable, Equatable {
        /// Rectified linear units in the hidden layer; 0 fits multinomial logistic regression.
        public var hiddenUnits = 32
        public var epochs = 30
        var batchSize = 256
        var learningRate = 0.01
        /// L2 penalty on the (standardised) weights, not the biases.
        var l2 = 1e-4
        /// Width of the Gaussian target around the true direction, in degrees: neighbouring classes
        /// share the target, so the summed log-probabilities are smooth across classes.
        var targetWidthDegrees = 5.0
        /// Seed of the initial order and the mini-batch shuffles.
        var seed: UInt64 = 16
        /// How the read-out combines a file's frames. With `.file` it learns from pooled frames
        /// (`RateFrameLayout.pool`): each sound's whole run of frames, and its consecutive runs of
        /// `pooledRunFrames` frames, so that it also meets the spread of shorter sounds.
        public var pooling: RateClassifier.Pooling = .frames
        var pooledRunFrames = [10, 25]
        public init() {}
    }

    /// The samples a `.file`-pooled read-out learns from: per sound, the pool of all its frames and
    /// of each full run of `runs` consecutive frames (frames are in time order within a sound).
    public static func pooledSamples(_ frames: [Frame], layout: RateFrameLayout, runs: [Int]) -> [Frame] {
        var bySound: [Int: [Frame]] = [:]
        var order: [Int] = []
        for f in frames {
            if bySound[f.sound] == nil { order.append(f.sound) }
            bySound[f.sound, default: []].append(f)
        }
        func pooled(_ group: ArraySlice<Frame>) -> Frame {
            var sums = [Double](repeating: 0, count: layout.featureCount)
            for f in group { for i in sums.indices { sums[i] += f.features[i] } }
            let first = group[group.startIndex]
            return Frame(
                features: layout.pool(sums: sums, frames: group.count), azimuthDegrees: first.azimuthDegrees,
                sound: first.sound)
        }
        var out: [Frame] = []
        for sound in order {
            let group = bySound[sound]!
            out.append(pooled(group[...]))
            for run in runs where run < group.count {
                for start in stride(from: 0, through: group.count - run, by: run) {
                    out.append(pooled(group[start..<(start + run)]))
                }
            }
        }
        return out
    }

    /// One frame's features and its sound's true direction.
    public struct Frame: Sendable {
        public var features: [Double]
        public var azimuthDegrees: Double
        /// Which training sound it came from (its index in the items).
        public var sound: Int

        public init(features: [Double], azimuthDegrees: Double, sound: Int) {
            self.features = features
            self.azimuthDegrees = azimuthDegrees
            self.sound = sound
        }
    }

    /// Runs the two cochleae and a rate coder per window on every item through `scene`, and returns
    /// per window (in the order of `windowsSeconds`) the frames that passed a gate, and the layout.
    /// The Jeffress array is not run: the rate code never sees it.
    public static func frames(
        items: [RateTrainingMix.Item], scene: HRTFScene, durationSeconds: Double,
        configuration: LocalizerConfiguration, windowsSeconds: [Double], jobs: Int = 1,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> (frames: [[Frame]], layouts: [RateFrameLayout]) {
        let spontaneous = configuration.cochlea.spontaneousSpikesPerSecondPerChannel
        let rate = scene.sofa.sampleRateHz
        let runs = ParallelMap.run(count: items.count, jobs: jobs) { i -> [[[Double]]] in
            let item = items[i]
            var s = scene
            s.durationSeconds = durationSeconds
            var (left, right) = s.ears(
                item.sound, azimuthDegrees: item.azimuthDegrees, snrDecibels: item.snrDecibels,
                noiseSeed: item.noiseSeed)
            let loudest = max(left.map(abs).max() ?? 0, right.map(abs).max() ?? 0)
            if loudest > 0 {
                let gain = Float(item.peak) / loudest
                for j in left.indices { left[j] *= gain }
                for j in right.indices { right[j] *= gain }
            }
            let seed = configuration.seed &+ 7919 &* UInt64(i + 1)
            let leftEar = Cochlea(configuration: configuration.cochlea, sampleRateHz: rate, ear: .left, seed: seed)
            let rightEar = Cochlea(configuration: configuration.cochlea, sampleRateHz: rate, ear: .right, seed: seed)
            let channels = leftEar.channelCount
            var coders = windowsSeconds.map {
                RateCoder(
                    windowSeconds: $0, channelCount: channels,
                    maxLagSeconds: configuration.jeffress.maximumDelaySeconds,
                    spontaneousSpikesPerSecondPerChannel: spontaneous, fibreGroups: configuration.rateFibreGroups,
                    bandsPerGroup: configuration.rateBandsPerGroup)
            }
            var out = windowsSeconds.map { _ in [[Double]]() }
            var l = SpikeBlock(channelCount: channels)
            var r = l
            var start = 0
            while start < left.count {
                let end = min(start + 8192, left.count)
                leftEar.process(Array(left[start..<end]), into: &l)
                rightEar.process(Array(right[start..<end]), into: &r)
                for w in coders.indices {
                    coders[w].add(left: l, right: r)
                    out[w] += coders[w].drainFrames()
                }
                start = end
            }
            for w in coders.indices {
                _ = coders[w].finish()
                out[w] += coders[w].drainFrames()
                let layout = coders[w].frameLayout!
                out[w].removeAll { layout.isSilent($0) }
            }
            return out
        } done: {
            progress?($0, items.count)
        }
        let layouts = windowsSeconds.map { layout(windowSeconds: $0, configuration: configuration, sampleRateHz: rate) }
        let frames = windowsSeconds.indices.map { w in
            items.indices.flatMap { i in
                runs[i][w].map { Frame(features: $0, azimuthDegrees: items[i].azimuthDegrees, sound: i) }
            }
        }
        return (frames, layouts)
    }

    /// The frame layout the model makes for `windowSeconds`.
    public static func layout(windowSeconds: Double, configuration: LocalizerConfiguration, sampleRateHz: Double)
        -> RateFrameLayout
    {
        RateCoder(
            windowSeconds: windowSeconds,
            channelCount: configuration.cochlea.centreFrequenciesHz(sampleRateHz: sampleRateHz).count,
            maxLagSeconds: configuration.jeffress.maximumDelaySeconds,
            spontaneousSpikesPerSecondPerChannel: configuration.cochlea.spontaneousSpikesPerSecondPerChannel,
            fibreGroups: configuration.rateFibreGroups, bandsPerGroup: configuration.rateBandsPerGroup
        )
        .frameLayout!
    }

    /// Fits the classifier over `azimuthsDegrees` (evenly spaced classes) to `frames`.
    public static func fit(
        _ heard: [Frame], layout: RateFrameLayout, azimuthsDegrees: [Double], source: String,
        settings: Settings = .init()
    ) -> RateClassifier {
        precondition(!heard.isEmpty, "no training frames")
        let frames =
            settings.pooling == .file
            ? pooledSamples(heard, layout: layout, runs: settings.pooledRunFrames) : heard
        let d = layout.featureCount
        let k = azimuthsDegrees.count
        let width = d + 1
        let n = Double(frames.count)
        // Standardise each feature on the training frames; folded into the weights at the end.
        var mean = [Double](repeating: 0, count: d)
        var scale = [Double](repeating: 0, count: d)
        for f in frames { for i in 0..<d { mean[i] += f.features[i] } }
        for i in 0..<d { mean[i] /= n }
        for f in frames { for i in 0..<d { scale[i] += (f.features[i] - mean[i]) * (f.features[i] - mean[i]) } }
        for i in 0..<d { scale[i] = scale[i] > 1e-12 * n ? (scale[i] / n).squareRoot() : 1 }
        let x = frames.map { f in (0..<d).map { (f.features[$0] - mean[$0]) / scale[$0] } }
        let targets = frames.map { f -> [Double] in
            let w = settings.targetWidthDegrees
            let t = azimuthsDegrees.map { _exp(-($0 - f.azimuthDegrees) * ($0 - f.azimuthDegrees) / (2 * w * w)) }
            let total = t.reduce(0, +)
            return t.map { $0 / total }
        }
        // Parameters: the hidden layer [h * (d + 1)] then the output layer [k * (inputs + 1)], in one
        // array for Adam. He initialisation for the rectified units, small output weights.
        let h = settings.hiddenUnits
        let inputs = h > 0 ? h : d
        let hiddenCount = h * width
        let outWidth = inputs + 1
        var g = SeededGenerator(seed: settings.seed)
        var theta = [Double](repeating: 0, count: hiddenCount + k * outWidth)
        for u in 0..<h { for i in 0..<d { theta[u * width + i] = g.nextGaussian() * (2 / Double(d)).squareRoot() } }
        for c in 0..<k { for i in 0..<inputs { theta[hiddenCount + c * outWidth + i] = g.nextGaussian() * 0.01 } }
        let isBias = theta.indices.map { j in j < hiddenCount ? j % width == d : (j - hiddenCount) % outWidth == inputs
        }
        var m = [Double](repeating: 0, count: theta.count)
        var v = m
        var gradient = m
        var order = Array(frames.indices)
        let beta1 = 0.9
        let beta2 = 0.999
        let epsilon = 1e-8
        var step = 0
        var a = [Double](repeating: 0, count: h)
        var z = [Double](repeating: 0, count: k)
        var dh = [Double](repeating: 0, count: h)
        for _ in 0..<settings.epochs {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, Int(g.nextOpenUnit() * Double(i + 1)) % (i + 1))
            }
            var start = 0
            while start < order.count {
                let batch = order[start..<min(start + settings.batchSize, order.count)]
                start += settings.batchSize
                for j in gradient.indices { gradient[j] = 0 }
                for s in batch {
                    let xs = x[s]
                    for u in 0..<h {
                        var acc = theta[u * width + d]
                        for i in 0..<d { acc += theta[u * width + i] * xs[i] }
                        a[u] = acc
                    }
                    let input = h > 0 ? a.map { max(0, $0) } : xs
                    for c in 0..<k {
                        let o = hiddenCount + c * outWidth
                        var acc = theta[o + inputs]
                        for i in 0..<inputs { acc += theta[o + i] * input[i] }
                        z[c] = acc
                    }
                    let top = z.max()!
                    var total = 0.0
                    for c in 0..<k {
                        z[c] = _exp(z[c] - top)
                        total += z[c]
                    }
                    for u in 0..<h { dh[u] = 0 }
                    for c in 0..<k {
                        let e = z[c] / total - targets[s][c]
                        let o = hiddenCount + c * outWidth
                        for i in 0..<inputs { gradient[o + i] += e * input[i] }
                        gradient[o + inputs] += e
                        for u in 0..<h { dh[u] += e * theta[o + u] }
                    }
                    for u in 0..<h where a[u] > 0 {
                        for i in 0..<d { gradient[u * width + i] += dh[u] * xs[i] }
                        gradient[u * width + d] += dh[u]
                    }
                }
                let b = Double(batch.count)
                step += 1
                let c1 = 1 - _exp(Double(step) * _log(beta1))
                let c2 = 1 - _exp(Double(step) * _log(beta2))
                for j in theta.indices {
                    var gj = gradient[j] / b
                    if !isBias[j] { gj += settings.l2 * theta[j] }
                    m[j] = beta1 * m[j] + (1 - beta1) * gj
                    v[j] = beta2 * v[j] + (1 - beta2) * gj * gj
                    theta[j] -= settings.learningRate * (m[j] / c1) / ((v[j] / c2).squareRoot() + epsilon)
                }
            }
        }
        // Fold the standardisation into the first layer: w.(x - mean)/scale + b = (w/scale).x + (b - sum w mean/scale).
        var first = h > 0 ? Array(theta[0..<hiddenCount]) : Array(theta[hiddenCount...])
        for r in 0..<(h > 0 ? h : k) {
            var bias = first[r * width + d]
            for i in 0..<d {
                bias -= first[r * width + i] * mean[i] / scale[i]
                first[r * width + i] /= scale[i]
            }
            first[r * width + d] = bias
        }
        if h == 0 {
            return RateClassifier(
                layout: layout, azimuthsDegrees: azimuthsDegrees, weights: first, source: source,
                pooling: settings.pooling)
        }
        return RateClassifier(
            layout: layout, azimuthsDegrees: azimuthsDegrees, hiddenWeights: first,
            weights: Array(theta[hiddenCount...]), source: source, pooling: settings.pooling)
    }
}
