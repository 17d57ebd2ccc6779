import DSP
import Decoding
import Evaluation
import Foundation
import FuzzSupport
import RateCoding
import XCTest

/// Random mutations of the two model files a user can name, `--calibration FILE` (`CalibrationFile`)
/// and `--rate-model FILE` (`RateModelFile`): every input must load into a model whose answers are
/// finite azimuths within -90...90, or end in a `CalibrationFileError`, never in a crash or a hang.
///
/// Half the inputs get the byte edits of the other fuzz tests (anywhere in the file), half edits of
/// the JSON's numbers (`mutateNumbers`), which keep the file parsable and so reach the checks
/// behind the decoder. Inputs and seed: `Fuzz` (`scripts/fuzz.sh calibration` runs 100,000 of each).
final class ModelFileFuzzTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-model-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testMutatedCalibrationFilesNeverCrashOrGiveNaN() throws {
        let seedPath = dir.appendingPathComponent("seed.json").path
        try CalibrationFile.save(.kemar, path: seedPath)
        let outcomes = try fuzz(seedPath: seedPath, target: "calibration") { path in
            let calibration = try CalibrationFile.load(path: path)
            // Every ITD the Jeffress array can report (its delays span at most +-5 ms) and beyond.
            for itd in stride(from: -0.006, through: 0.006, by: 0.0001) {
                let azimuth = calibration.azimuthDegrees(itdSeconds: itd)
                XCTAssertTrue(azimuth.isFinite && abs(azimuth) <= 90, "\(itd) s -> \(azimuth) degrees")
            }
            for azimuth in stride(from: -90.0, through: 90, by: 5) {
                XCTAssertTrue(calibration.itdSeconds(azimuthDegrees: azimuth).isFinite, "\(azimuth) degrees")
            }
        }
        XCTAssertGreaterThan(outcomes["loaded", default: 0], 0, "no mutated calibration loaded")
        XCTAssertLessThan(outcomes["loaded", default: 0], Fuzz.inputs, "no mutated calibration was refused")
    }

    func testMutatedRateModelFilesNeverCrashOrGiveNaN() throws {
        // A small read-out (4 channels, 3 lags a side, 5 hidden units, 7 classes) with random weights
        // of the trained one's size (the shipped KEMAR read-out's largest is 91 in magnitude).
        var generator = SeededGenerator(seed: Fuzz.seed)
        let layout = RateFrameLayout(
            windowSeconds: 0.01, binsPerFrame: 1, channelCount: 4, maxLagBins: 3, gateSpikes: 6)
        let units = 5
        let classes = stride(from: -90.0, through: 90, by: 30).map { $0 }
        let model = RateClassifier(
            layout: layout, azimuthsDegrees: classes,
            hiddenWeights: (0..<units * (layout.featureCount + 1)).map { _ in generator.nextGaussian() * 3 },
            weights: (0..<classes.count * (units + 1)).map { _ in generator.nextGaussian() * 3 }, source: "fuzz seed")
        let seedPath = dir.appendingPathComponent("seed.json").path
        try RateModelFile.save(model, path: seedPath)
        var features = SeededGenerator(seed: Fuzz.seed &+ 1)
        let outcomes = try fuzz(seedPath: seedPath, target: "rate model") { path in
            let m = try RateModelFile.load(path: path)
            // Features as the rate code makes them: gated rate differences of up to a few hundred
            // spikes, gates of 0 or 1, normalised cross-correlations within -1...1.
            let n = m.layout.channelCount
            var summed = [Double](repeating: 0, count: m.classCount)
            for _ in 0..<3 {
                let x = (0..<m.layout.featureCount).map { i in
                    i < n
                        ? (features.nextOpenUnit() - 0.5) * 400
                        : i < 2 * n ? Double(features.next() % 2) : features.nextOpenUnit() * 2 - 1
                }
                let p = m.logProbabilities(x)
                XCTAssertTrue(p.allSatisfy { $0.isFinite && $0 <= 0 }, "\(p)")
                for k in summed.indices { summed[k] += p[k] }
            }
            let azimuth = m.azimuthDegrees(summedLogProbabilities: summed)
            XCTAssertTrue(azimuth.isFinite && abs(azimuth) <= 90, "\(azimuth)")
        }
        XCTAssertGreaterThan(outcomes["loaded", default: 0], 0, "no mutated rate model loaded")
        XCTAssertLessThan(outcomes["loaded", default: 0], Fuzz.inputs, "no mutated rate model was refused")
    }

    /// Found while writing this fuzz test (reading the checks it aims at): layouts whose feature count overflows `Int` or divides by zero in
    /// `fitsItsLayout` trapped before the checks looked at them, and finite but huge weights
    /// overflowed a frame's sum to infinity, so that the softmax gave NaN.
    func testRateModelsThatTrappedOrGaveNaNAreRefused() throws {
        let layout = RateFrameLayout(
            windowSeconds: 0.01, binsPerFrame: 1, channelCount: 1, maxLagBins: 0, gateSpikes: 6)
        let model = RateClassifier(
            layout: layout, azimuthsDegrees: [-90, 90], weights: Array(repeating: 0.5, count: 2 * 4), source: "test")
        let path = dir.appendingPathComponent("model.json").path
        try RateModelFile.save(model, path: path)
        XCTAssertNoThrow(try RateModelFile.load(path: path))  // the unedited file loads
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            // 2 * 0 + 2 * -1 + 1 = -1 features: fitsItsLayout took a remainder by 0.
            (
                "no channels, -1 lags",
                { m in m["layout"] = Self.edited(m["layout"], ["channelCount": 0, "maxLagBins": -1]) },
                "its layout"
            ),
            // 2 * 2^62 overflows.
            ("2^62 channels", { m in m["layout"] = Self.edited(m["layout"], ["channelCount": 1 << 62]) }, "its layout"),
            ("a weight of 1e300", { m in m["weights"] = [1e300] + Array(repeating: 0.5, count: 7) }, "do not fit"),
        ]
        for (name, edit, reason) in cases {
            var json = try XCTUnwrap(
                JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            edit(&json)
            let bad = dir.appendingPathComponent("bad.json").path
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: bad))
            XCTAssertThrowsError(try RateModelFile.load(path: bad), name) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(name): \(error)")
            }
        }
    }

    static func edited(_ object: Any?, _ changes: [String: Any]) -> [String: Any] {
        (object as? [String: Any] ?? [:]).merging(changes) { $1 }
    }

    /// Runs `Fuzz.inputs` mutations of the file at `seedPath` through `load`, which throws a
    /// `CalibrationFileError` or checks what it loaded; returns the outcomes, counted by kind.
    func fuzz(seedPath: String, target: String, load: (String) throws -> Void) throws -> [String: Int] {
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: seedPath)))
        try load(seedPath)  // the seed itself loads: the refusals are the mutations' doing
        var generator = SeededGenerator(seed: Fuzz.seed)
        let path = dir.appendingPathComponent("input.json").path
        var outcomes: [String: Int] = [:]
        for n in 0..<Fuzz.inputs {
            Fuzz.progress(n, target: target)
            let bytes =
                n % 2 == 0
                ? Fuzz.mutate(original, headerBytes: 0, generator: &generator)
                : Self.mutateNumbers(original, generator: &generator)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                try load(path)
                outcomes["loaded", default: 0] += 1
            } catch let error as CalibrationFileError {
                XCTAssertFalse(error.description.contains("\n"), "input \(n): \(error)")
                // The reason without the file and its numbers, so that like refusals count together.
                let reason = error.description.split(separator: ": ", maxSplits: 2).dropFirst(2).first ?? ""
                outcomes[String(reason.prefix(while: { !$0.isNumber && $0 != "(" && $0 != "-" })), default: 0] += 1
            }
        }
        print(Fuzz.summary(outcomes, target: target))
        return outcomes
    }

    /// One to four edits of the JSON's numbers: one replaced by an extreme or wrong value, deleted
    /// with its comma, duplicated, or swapped with another.
    static func mutateNumbers(_ original: [UInt8], generator: inout SeededGenerator) -> [UInt8] {
        var b = original
        let extremes = [
            "0", "-0", "1e308", "-1e308", "1e309", "5e-324", "NaN", "Infinity", "-90", "90", "90.000001",
            "0.01", "-0.01", "1e-300", "2e-300", "99999999999999999999", "-9223372036854775808",
            "9223372036854775807", "4294967297", "\"x\"", "null", "[]", "{}", "true",
        ]
        for _ in 0..<(1 + Int(generator.next() % 4)) {
            let numbers = Self.numberRanges(b)
            guard !numbers.isEmpty else { break }
            let r = numbers[Int(generator.next() % UInt64(numbers.count))]
            switch generator.next() % 4 {
            case 0: b.replaceSubrange(r, with: Array(extremes[Int(generator.next() % UInt64(extremes.count))].utf8))
            case 1:  // the number and the comma after it, if any: an array one shorter
                let end =
                    r.upperBound < b.count && b[r.upperBound] == UInt8(ascii: ",") ? r.upperBound + 1 : r.upperBound
                b.removeSubrange(r.lowerBound..<end)
            case 2: b.insert(contentsOf: Array(b[r]) + [UInt8(ascii: ",")], at: r.lowerBound)
            default:
                let other = numbers[Int(generator.next() % UInt64(numbers.count))]
                guard other != r else { continue }
                let (first, second) = r.lowerBound < other.lowerBound ? (r, other) : (other, r)
                let (firstText, secondText) = (Array(b[first]), Array(b[second]))
                b.replaceSubrange(second, with: firstText)  // the later one first: the earlier stays put
                b.replaceSubrange(first, with: secondText)
            }
        }
        return b
    }

    /// Where the JSON numbers are: runs of digits, signs, points and exponents that start a value.
    static func numberRanges(_ b: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var i = 0
        func isNumberByte(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+")
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
        }
        while i < b.count {
            let c = b[i]
            let starts = (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-")
            let previous = i > 0 ? b[i - 1] : UInt8(ascii: " ")
            if starts
                && (previous == UInt8(ascii: "[") || previous == UInt8(ascii: ",") || previous == UInt8(ascii: ":")
                    || previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\n"))
            {
                var j = i
                while j < b.count && isNumberByte(b[j]) { j += 1 }
                ranges.append(i..<j)
                i = j
            } else {
                i += 1
            }
        }
        return ranges
    }
}
