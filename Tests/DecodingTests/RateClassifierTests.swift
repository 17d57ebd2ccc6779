import Cochlea
import DSP
import Decoding
import Foundation
import RateCoding
import XCTest

/// Tolerances: the expected values are hand-made from a few numbers near 1, so the model's and
/// the test's arithmetic differ only in the order of rounding (1.1e-16 relative per operation):
/// 1e-12 is far above that, and 1e-9 where seven frames are summed or the vertex divides
/// differences, while a wrong weight, gate or term moves these values by 0.01 or more.
final class RateClassifierTests: XCTestCase {
    /// The decision frames' features, streamed in uneven blocks, equal those computed by hand from
    /// the same spikes binned all at once.
    func testFrameFeaturesMatchDirectBinning() {
        let channels = 2
        let window = 0.002
        let seconds = 0.1
        var g = SeededGenerator(seed: 5)
        func train(_ rate: Double) -> [Double] {
            var t = 0.0
            var out: [Double] = []
            while true {
                t += g.nextExponential() / rate
                if t >= seconds { return out }
                out.append(t)
            }
        }
        // Channel 0 loud on the right, channel 1 near spontaneous activity in both ears.
        let left = [train(800), train(50)]
        let right = [train(2400), train(50)]
        let spontaneous = 100.0
        var coder = RateCoder(
            windowSeconds: window, channelCount: channels, maxLagSeconds: 0.002,
            spontaneousSpikesPerSecondPerChannel: spontaneous)
        let layout = coder.frameLayout!
        // 0.002 s windows: five of them make the 10 ms minimum frame; one lag either side.
        XCTAssertEqual(layout.binsPerFrame, 5)
        XCTAssertEqual(layout.maxLagBins, 1)
        // Twice the spontaneous count of both ears in 10 ms (2 x 2 x 100/s x 0.01 s = 4), plus 2.
        XCTAssertEqual(layout.gateSpikes, 6, accuracy: 1e-12)
        var frames: [[Double]] = []
        var start = 0.0
        for end in [0.013, 0.0131, 0.05, 0.077, seconds] {
            let l = SpikeBlock(trains: left, startSeconds: start, endSeconds: end)
            let r = SpikeBlock(trains: right, startSeconds: start, endSeconds: end)
            coder.add(left: l, right: r)
            frames += coder.drainFrames()
            start = end
        }
        _ = coder.finish()
        frames += coder.drainFrames()
        XCTAssertEqual(frames.count, 10)

        let bins = 50
        func binned(_ trains: [[Double]]) -> [[Double]] {
            trains.map { ts in
                var b = [Double](repeating: 0, count: bins)
                for t in ts { b[Int(t / window)] += 1 }
                return b
            }
        }
        let lb = binned(left)
        let rb = binned(right)
        for (f, x) in frames.enumerated() {
            XCTAssertEqual(x.count, layout.featureCount)
            let frameBins = (5 * f)..<(5 * f + 5)
            for c in 0..<channels {
                let l = frameBins.reduce(0) { $0 + lb[c][$1] }
                let r = frameBins.reduce(0) { $0 + rb[c][$1] }
                let open = l + r >= layout.gateSpikes
                XCTAssertEqual(x[c], open ? (r - l) / (r + l) : 0, accuracy: 1e-12, "frame \(f) channel \(c)")
                XCTAssertEqual(x[channels + c], open ? 1 : 0)
            }
            var energyL = 0.0
            var energyR = 0.0
            for b in frameBins {
                for c in 0..<channels {
                    energyL += lb[c][b] * lb[c][b]
                    energyR += rb[c][b] * rb[c][b]
                }
            }
            // Each lag product belongs to the frame of its later bin: L[b] R[b - k] for k >= 0,
            // R[b] L[b + k] for k < 0, with b in the frame.
            for k in -1...1 {
                var xc = 0.0
                for b in frameBins where b - abs(k) >= 0 {
                    for c in 0..<channels { xc += k >= 0 ? lb[c][b] * rb[c][b - k] : rb[c][b] * lb[c][b + k] }
                }
                XCTAssertEqual(
                    x[2 * channels + k + 1], xc / (energyL * energyR).squareRoot(), accuracy: 1e-12,
                    "frame \(f) lag \(k)")
            }
        }
        // The loud channel passes its gate in every frame (about 32 spikes against 6); the quiet one
        // (about 1 spike per frame) in none.
        XCTAssertEqual(frames.filter { $0[channels] == 1 }.count, 10)
        XCTAssertEqual(frames.filter { $0[channels + 1] == 1 }.count, 0)
    }

    /// A classifier whose weights make each class's logit a known function of one feature: the
    /// log-probabilities are the softmax of those logits, and the evidence of many frames points
    /// to the class whose parabola vertex is known in closed form.
    func testEvidenceIsSummedLogSoftmaxReadByParabola() throws {
        let layout = RateFrameLayout(
            windowSeconds: 0.01, binsPerFrame: 1, channelCount: 1, maxLagBins: 1, gateSpikes: 1)
        let azimuths: [Double] = [-10, 0, 10]
        // Features: d, gate, xc[-1], xc[0], xc[+1]. Logit_k = a_k * d with a = (-2, 0, 2) plus a
        // bias (0, 1, 0) so that d = 0 favours the middle class.
        var weights = [Double](repeating: 0, count: 3 * 6)
        weights[0 * 6 + 0] = -2
        weights[2 * 6 + 0] = 2
        weights[1 * 6 + 5] = 1
        let model = RateClassifier(layout: layout, azimuthsDegrees: azimuths, weights: weights, source: "test")
        let x = [0.25, 1, 0, 0, 0]
        let logits = [-0.5, 1, 0.5]
        let normaliser = log(logits.map { exp($0) }.reduce(0, +))
        let p = model.logProbabilities(x)
        for k in 0..<3 { XCTAssertEqual(p[k], logits[k] - normaliser, accuracy: 1e-12) }

        var evidence = RateEvidence(classifier: model)
        evidence.add(frames: Array(repeating: x, count: 7) + [[0.9, 0, 0, 0, 0]])  // the last is gated out
        XCTAssertEqual(evidence.framesSeen, 8)
        XCTAssertEqual(evidence.framesUsed, 7)
        for k in 0..<3 { XCTAssertEqual(evidence.summed[k], 7 * p[k], accuracy: 1e-9) }
        // The vertex of the parabola through (-10, s0), (0, s1), (10, s2): 5 (s0 - s2) / (s0 - 2 s1 + s2).
        let s = evidence.summed
        let vertex = 5 * (s[0] - s[2]) / (s[0] - 2 * s[1] + s[2])
        XCTAssertEqual(try XCTUnwrap(evidence.azimuthDegrees), vertex, accuracy: 1e-9)
        XCTAssertGreaterThan(vertex, 0, "a positive rate difference points right")
        XCTAssertEqual(evidence.multiplyAccumulates, 7 * model.multiplyAccumulatesPerFrame)
        XCTAssertNil(RateEvidence(classifier: model).azimuthDegrees, "no frame, no answer")
    }

    /// With `.file` pooling the frames' features are pooled first, per channel the mean rate
    /// difference over the frames whose gate passed, and the pooled vector is classified once.
    func testFilePoolingClassifiesThePooledFrames() throws {
        let layout = RateFrameLayout(
            windowSeconds: 0.01, binsPerFrame: 1, channelCount: 2, maxLagBins: 1, gateSpikes: 1)
        // Features: d0, d1, gate0, gate1, xc[-1], xc[0], xc[+1].
        let frames: [[Double]] = [
            [0.2, 0, 1, 0, 0.1, 0.5, 0.2],
            [0.4, -0.3, 1, 1, 0.3, 0.4, 0.1],
            [0, 0, 0, 0, 0.2, 0.2, 0.2],  // no gate passed: silent, left out
            [0.6, 0.1, 1, 1, 0.2, 0.6, 0.3],
        ]
        // Hand-pooled: d0 = (0.2 + 0.4 + 0.6) / 3, d1 = (-0.3 + 0.1) / 2 (channel 1 passed twice),
        // gates 3/3 and 2/3, correlations the means over the three used frames.
        let expected = [0.4, -0.1, 1, 2.0 / 3, 0.2, 0.5, 0.2]
        var sums = [Double](repeating: 0, count: 7)
        for f in frames where !layout.isSilent(f) { for i in 0..<7 { sums[i] += f[i] } }
        let pooled = layout.pool(sums: sums, frames: 3)
        for i in 0..<7 { XCTAssertEqual(pooled[i], expected[i], accuracy: 1e-12, "feature \(i)") }

        var weights = [Double](repeating: 0, count: 3 * 8)
        weights[0 * 8 + 0] = -3
        weights[2 * 8 + 0] = 3
        weights[0 * 8 + 1] = 1
        weights[1 * 8 + 7] = 0.5
        let model = RateClassifier(
            layout: layout, azimuthsDegrees: [-10, 0, 10], weights: weights, source: "test",
            pooling: .file)
        var evidence = RateEvidence(classifier: model)
        evidence.add(frames: Array(frames[0..<2]))
        evidence.add(frames: Array(frames[2...]))  // in two calls, as blocks arrive
        XCTAssertEqual(evidence.framesUsed, 3)
        let p = model.logProbabilities(expected)
        for k in 0..<3 { XCTAssertEqual(evidence.summed[k], p[k], accuracy: 1e-12) }
        XCTAssertEqual(
            try XCTUnwrap(evidence.azimuthDegrees), model.azimuthDegrees(summedLogProbabilities: p),
            accuracy: 1e-12)
        // One add per feature per used frame, then the pool's divisions and one classification.
        XCTAssertEqual(evidence.totalMultiplyAccumulates, 3 * 7 + 7 + model.multiplyAccumulatesPerFrame)
    }

    /// A model written before pooling existed (no `pooling` key) reads back as frame pooling,
    /// and a pooled one keeps its pooling through JSON.
    func testPoolingSurvivesJSON() throws {
        let layout = RateFrameLayout(
            windowSeconds: 0.01, binsPerFrame: 1, channelCount: 1, maxLagBins: 1, gateSpikes: 1)
        let model = RateClassifier(
            layout: layout, azimuthsDegrees: [-10, 0, 10], weights: .init(repeating: 0.5, count: 18),
            source: "test", pooling: .file)
        let data = try JSONEncoder().encode(model)
        XCTAssertEqual(try JSONDecoder().decode(RateClassifier.self, from: data), model)
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["pooling"] = nil
        let old = try JSONDecoder().decode(RateClassifier.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertEqual(old.pooling, .frames)
        XCTAssertEqual(old.weights, model.weights)
    }
}
