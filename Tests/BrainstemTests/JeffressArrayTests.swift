import Brainstem
import Cochlea
import DSP
import XCTest

final class JeffressArrayTests: XCTestCase {
    /// Random spike trains with a shared component, so that coincidences happen: left spikes are a
    /// Poisson train; right spikes copy some of them shifted by `itd` plus jitter, and add their own.
    func trains(seed: UInt64, seconds: Double, itd: Double) -> ([Double], [Double]) {
        var g = SeededGenerator(seed: seed)
        var left: [Double] = []
        var right: [Double] = []
        var t = 0.0
        while true {
            t += g.nextExponential() / 1500
            if t >= seconds { break }
            left.append(t)
            if g.nextOpenUnit() < 0.6 { right.append(t - itd + 0.00005 * (g.nextOpenUnit() - 0.5)) }
        }
        t = 0
        while true {
            t += g.nextExponential() / 500
            if t >= seconds { break }
            right.append(t)
        }
        right = right.filter { $0 >= 0 && $0 < seconds }.sorted()
        return (left, right)
    }

    /// The shared-work array must give exactly what stepping each detector through its delayed
    /// inputs gives.
    func testMatchesDetectorByDetectorSimulation() {
        var config = JeffressArray.Configuration()
        config.delayCount = 21
        config.frameSeconds = 0.1
        let delays = config.delaysSeconds
        let d = config.maximumDelaySeconds
        for seed in [1, 2, 3] as [UInt64] {
            let (left, right) = trains(seed: seed, seconds: 0.5, itd: 0.0003)
            var array = JeffressArray(configuration: config, channelCount: 1)
            var counts = [Int](repeating: 0, count: delays.count)
            // Feed in uneven blocks.
            var start = -0.00001
            for end in [0.013, 0.1, 0.1001, 0.37, 0.5] {
                var l = SpikeBlock(channelCount: 1)
                var r = SpikeBlock(channelCount: 1)
                l.times[0] = left.filter { $0 >= start && $0 < end }
                r.times[0] = right.filter { $0 >= start && $0 < end }
                l.startSeconds = start
                r.startSeconds = start
                l.endSeconds = end
                r.endSeconds = end
                for f in array.process(left: l, right: r) {
                    for k in 0..<delays.count { counts[k] += Int(f.count(channel: 0, delay: k)) }
                }
                start = end
            }
            for f in array.finish() { for k in 0..<delays.count { counts[k] += Int(f.count(channel: 0, delay: k)) } }
            for (k, delay) in delays.enumerated() {
                let dl = (d - delay) / 2
                let dr = (d + delay) / 2
                let ref = CoincidenceDetector.simulate(
                    left: left.map { $0 + dl }, right: right.map { $0 + dr },
                    parameters: config.detector)
                XCTAssertEqual(counts[k], ref.count, "seed \(seed), delay \(delay * 1e6) us")
            }
            // The detector matching the 300 us lead of the right ear fires most.
            let best = counts.indices.max { counts[$0] < counts[$1] }!
            XCTAssertEqual(delays[best], 0.0003, accuracy: 0.5 * (delays[1] - delays[0]) + 1e-12)
        }
    }

    /// Inputs and delays on one dyadic lattice (multiples of 2^-15 s, about 30.5 us), where every
    /// difference and half-difference is exact: each lag then falls exactly on a delay, ties between
    /// the ears are real, and the array must settle every range end with its exact computation
    /// rather than its estimate. It must still match the detector-by-detector simulation.
    func testMatchesSimulationWhenLagsFallOnDelays() {
        let quantum = 1.0 / 32768
        var config = JeffressArray.Configuration()
        config.delayCount = 41
        config.maximumDelaySeconds = 20 * quantum
        config.frameSeconds = 0.1
        let delays = config.delaysSeconds
        let d = config.maximumDelaySeconds
        XCTAssertEqual(delays.map { ($0 / quantum).rounded() * quantum }, delays, "the delays lie on the lattice")
        for seed in [4, 5] as [UInt64] {
            let (rawLeft, rawRight) = trains(seed: seed, seconds: 0.5, itd: 10 * quantum)
            func lattice(_ xs: [Double]) -> [Double] {
                Array(Set(xs.map { ($0 / quantum).rounded() * quantum })).sorted()
            }
            let left = lattice(rawLeft)
            let right = lattice(rawRight)
            var array = JeffressArray(configuration: config, channelCount: 1)
            var l = SpikeBlock(channelCount: 1)
            var r = SpikeBlock(channelCount: 1)
            l.times[0] = left
            r.times[0] = right
            l.startSeconds = -quantum
            r.startSeconds = -quantum
            l.endSeconds = 0.6
            r.endSeconds = 0.6
            var counts = [Int](repeating: 0, count: delays.count)
            for f in array.process(left: l, right: r) + array.finish() {
                for k in 0..<delays.count { counts[k] += Int(f.count(channel: 0, delay: k)) }
            }
            for (k, delay) in delays.enumerated() {
                let ref = CoincidenceDetector.simulate(
                    left: left.map { $0 + (d - delay) / 2 }, right: right.map { $0 + (d + delay) / 2 },
                    parameters: config.detector)
                XCTAssertEqual(counts[k], ref.count, "seed \(seed), delay \(delay * 1e6) us")
            }
            XCTAssertGreaterThan(counts.reduce(0, +), 100, "the lattice trains make the detectors fire")
        }
    }

    func testOneSideAloneNeverFires() {
        let p = CoincidenceDetector.Parameters()
        // A dense burst from the left only: the saturating dendrite stays below threshold.
        let burst = (0..<200).map { Double($0) * 0.00002 }
        XCTAssertEqual(CoincidenceDetector.simulate(left: burst, right: [], parameters: p).count, 0)
        // One spike from each side together fires once.
        XCTAssertEqual(CoincidenceDetector.simulate(left: [0.01], right: [0.01], parameters: p).count, 1)
    }

    /// Two inputs fire the detector only if they are closer than tau ln(w / (theta - w)):
    /// with w = 0.6, theta = 1, tau = 0.1 ms that is 0.1 ms x ln 1.5 = 40.5 us.
    func testCoincidenceWindowByHand() {
        let p = CoincidenceDetector.Parameters()
        let window = p.membraneTimeConstantSeconds * log(0.6 / 0.4)
        // The literal is 0.1 ms x ln 1.5 rounded to six digits (off by 1.1e-11 s).
        XCTAssertEqual(window, 40.5465e-6, accuracy: 1e-10)
        XCTAssertEqual(
            CoincidenceDetector.simulate(left: [0.01], right: [0.01 + window * 0.99], parameters: p).count, 1)
        XCTAssertEqual(
            CoincidenceDetector.simulate(left: [0.01], right: [0.01 + window * 1.01], parameters: p).count, 0)
    }
}
