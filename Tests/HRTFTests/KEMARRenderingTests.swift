import DSP
import HRTF
import Stimuli
import XCTest

final class KEMARRenderingTests: XCTestCase {
    static let sampleRateHz = 44100.0

    func kemar() throws -> SofaFile {
        try SofaFile(path: SofaFile.defaultKEMARPath, sampleRateHz: Self.sampleRateHz)
    }

    func noise(seconds: Double, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return Stimulus.whiteNoise.render(durationSeconds: seconds, sampleRateHz: Self.sampleRateHz, generator: &g)
    }

    /// Lag, in seconds, by which `right` leads `left` (positive = right ear earlier): the peak of
    /// their cross-correlation within +/-maxLag, refined by a parabola through the peak and its
    /// two neighbours (sub-sample).
    func rightLeadSeconds(left: [Float], right: [Float], maxLagSamples: Int = 60) -> Double {
        func xcorr(_ lag: Int) -> Double {  // sum left[n] right[n - lag]: peaks where right leads by lag
            var s = 0.0
            for n in max(0, lag)..<min(left.count, right.count + lag) { s += Double(left[n]) * Double(right[n - lag]) }
            return s
        }
        let values = (-maxLagSamples...maxLagSamples).map(xcorr)
        let k = values.indices.max { values[$0] < values[$1] }!
        var delta = 0.0
        if k > 0 && k < values.count - 1 {
            let (a, b, c) = (values[k - 1], values[k], values[k + 1])
            let denominator = a - 2 * b + c
            if denominator != 0 { delta = 0.5 * (a - c) / denominator }
        }
        return (Double(k - maxLagSamples) + delta) / Self.sampleRateHz
    }

    func levelDifferenceDecibels(left: [Float], right: [Float]) -> Double {
        20 * log10(rootMeanSquare(right) / rootMeanSquare(left))
    }

    /// The sign convention: SOFA counts azimuth counter-clockwise (left positive); this project
    /// counts it clockwise. A source at +60 must be earlier and louder in the RIGHT ear, and the
    /// figures must be those of a real head: Kuhn (1977) and the KEMAR measurements give about
    /// 0.5 ms at 60 degrees (Woodworth's formula with a = 8.75 cm gives 0.49 ms), and the near ear
    /// is more than 6 dB louder for broadband sound at 60 degrees (Shaw 1974's head-related
    /// level differences are 5-20 dB above 2 kHz).
    func testSourceOnTheRightIsEarlierAndLouderInTheRightEar() throws {
        let sofa = try kemar()
        let hrir = sofa.impulseResponse(azimuthDegrees: 60)
        XCTAssertEqual(hrir.azimuthDegrees, 60, accuracy: 0.5, "KEMAR is measured every 5 degrees at elevation 0")
        let (left, right) = BinauralRenderer.render(noise(seconds: 0.5, seed: 801), through: hrir)
        let lead = rightLeadSeconds(left: left, right: right)
        print(
            "KEMAR +60 degrees, noise: right ear leads by \(lead * 1e6) us, louder by \(levelDifferenceDecibels(left: left, right: right)) dB"
        )
        XCTAssertGreaterThan(lead, 0.45e-3)
        XCTAssertLessThan(lead, 0.60e-3)
        XCTAssertGreaterThan(levelDifferenceDecibels(left: left, right: right), 6)

        // Mirror image: the left ear leads by about as much (KEMAR is nearly symmetric; 2 samples
        // of 22.7 us leave room for its measured asymmetry).
        let (l2, r2) = BinauralRenderer.render(
            noise(seconds: 0.5, seed: 801), through: sofa.impulseResponse(azimuthDegrees: -60))
        XCTAssertEqual(rightLeadSeconds(left: l2, right: r2), -lead, accuracy: 2 / Self.sampleRateHz)
        XCTAssertLessThan(levelDifferenceDecibels(left: l2, right: r2), -6)
    }

    /// Straight ahead, both ears get nearly the same sound: the lead is within one sample.
    func testSourceAheadHasNoInterauralDifference() throws {
        let (left, right) = BinauralRenderer.render(
            noise(seconds: 0.3, seed: 802), through: try kemar().impulseResponse(azimuthDegrees: 0))
        XCTAssertEqual(rightLeadSeconds(left: left, right: right), 0, accuracy: 1 / Self.sampleRateHz)
        // A manikin is built left-right symmetric; 1.5 dB leaves room for the ear mismatch of a
        // real measurement (this file, made from one ear and its mirror image, gives 0 dB).
        XCTAssertEqual(levelDifferenceDecibels(left: left, right: right), 0, accuracy: 1.5)
    }

    /// libmysofa resamples on opening: at 48 kHz the responses are longer in taps, and the
    /// interaural lead in seconds stays the same within a sample.
    func testResamplingKeepsTheLeadInSeconds() throws {
        let at48 = try SofaFile(path: SofaFile.defaultKEMARPath, sampleRateHz: 48000)
        let at441 = try kemar()
        XCTAssertGreaterThan(at48.filterLength, at441.filterLength)
        var g = SeededGenerator(seed: 803)
        let sound48 = Stimulus.whiteNoise.render(durationSeconds: 0.3, sampleRateHz: 48000, generator: &g)
        let (l48, r48) = BinauralRenderer.render(sound48, through: at48.impulseResponse(azimuthDegrees: 45))
        let (l, r) = BinauralRenderer.render(
            noise(seconds: 0.3, seed: 803), through: at441.impulseResponse(azimuthDegrees: 45))
        let lead48 = rightLeadSeconds(left: l48, right: r48) * Self.sampleRateHz / 48000
        XCTAssertEqual(lead48, rightLeadSeconds(left: l, right: r), accuracy: 1 / Self.sampleRateHz)
    }

    func testMissingOrWrongFileIsATypedErrorNamingTheFile() {
        XCTAssertThrowsError(try SofaFile(path: "/nonexistent/x.sofa", sampleRateHz: 44100)) { error in
            guard let e = error as? SofaError else { return XCTFail("not a SofaError: \(error)") }
            XCTAssertEqual(e.path, "/nonexistent/x.sofa")
            XCTAssertTrue(e.description.hasPrefix("/nonexistent/x.sofa: "))
            XCTAssertFalse(e.description.contains("\n"))
        }
        XCTAssertThrowsError(try SofaFile(path: SofaFile.defaultKEMARPath, sampleRateHz: 1000)) { error in
            XCTAssertEqual((error as? SofaError)?.path, SofaFile.defaultKEMARPath)
        }
    }

    /// Noise is added at the stated per-ear SNR and is independent between the ears.
    func testAddedNoiseHasTheStatedLevelAndIsUncorrelated() {
        let clean = noise(seconds: 0.5, seed: 804)
        var left = clean.map { $0 * 0.5 }
        var right = clean
        var g = SeededGenerator(seed: 805)
        BinauralRenderer.addUncorrelatedNoise(left: &left, right: &right, snrDecibels: 10, generator: &g)
        let noiseLeft = zip(left, clean).map { $0 - $1 * 0.5 }
        let noiseRight = zip(right, clean).map { $0 - $1 }
        // The noise is rescaled to the exact RMS; what remains is float rounding.
        XCTAssertEqual(20 * log10(rootMeanSquare(clean) * 0.5 / rootMeanSquare(noiseLeft)), 10, accuracy: 0.01)
        XCTAssertEqual(20 * log10(rootMeanSquare(clean) / rootMeanSquare(noiseRight)), 10, accuracy: 0.01)
        var dot = 0.0
        for i in noiseLeft.indices { dot += Double(noiseLeft[i]) * Double(noiseRight[i]) }
        let correlation = dot / (rootMeanSquare(noiseLeft) * rootMeanSquare(noiseRight) * Double(noiseLeft.count))
        // Two independent Gaussian sequences of 22050 samples: standard deviation of their sample
        // correlation is 1/sqrt(22050) = 0.0067, so 0.04 is six standard deviations.
        XCTAssertLessThan(abs(correlation), 0.04)
    }
}
