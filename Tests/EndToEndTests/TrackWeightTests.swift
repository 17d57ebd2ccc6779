import Foundation
import XCTest

/// Issue 15: `localize --track` shows each frame's weight in the whole sound's answer, in every
/// format, and `--ablate frame-selection` gives every frame the same weight, 1.
final class TrackWeightTests: XCTestCase {
    static let sample = "audio-samples/kemar-anechoic_noise_az45.wav"

    /// The `frame_weight` column of a CSV track, one number per frame.
    func weights(_ extra: [String] = []) throws -> [Double] {
        let out = try CommandTests.run(["localize", "--format", "csv", "--track"] + extra + [Self.sample])
        XCTAssertEqual(out.status, 0, out.stderr)
        let rows = out.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = try XCTUnwrap(rows.first?.firstIndex(of: "frame_weight"))
        return try rows.dropFirst().map { try XCTUnwrap(Double($0[column])) }
    }

    func testEveryFormatCarriesTheSameWeights() throws {
        let csv = try weights()
        // 0.51 s in 50 ms frames; the noise is loud and anechoic, so most frames count.
        XCTAssertEqual(csv.count, 11)
        XCTAssertTrue(csv.allSatisfy { $0 >= 0 })
        XCTAssertGreaterThan(csv.filter { $0 > 0 }.count, csv.count / 2)
        let json = try CommandTests.run(["localize", "--format", "json", "--track", Self.sample])
        let objects = try json.stdout.split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        // One object per frame, then the whole sound's.
        let fromJSON = try objects.filter { $0["frame_start_s"] != nil }.map {
            try XCTUnwrap($0["frame_weight"] as? NSNumber).doubleValue
        }
        XCTAssertEqual(fromJSON.count, csv.count)
        // The CSV prints two decimals.
        for (a, b) in zip(fromJSON, csv) { XCTAssertEqual(a, b, accuracy: 0.005) }
        let text = try CommandTests.run(["localize", "--track", Self.sample]).stdout
        let frames = text.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains(" s  ") }
        XCTAssertEqual(frames.filter { $0.contains("left out") }.count, csv.filter { $0 == 0 }.count, text)
        XCTAssertEqual(frames.filter { $0.contains("weight ") }.count, csv.filter { $0 > 0 }.count, text)
    }

    func testWithTheWeightingOffEveryFrameWeighsOne() throws {
        let off = try weights(["--ablate", "frame-selection"])
        XCTAssertEqual(off.count, 11)
        XCTAssertEqual(Set(off), [1])
    }
}
