import Foundation
import XCTest

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `soundloc plot` and `localize --plot`, run as a user would, on a bundled sample with few
/// channels so that each run takes a fraction of a second.
final class PlotCommandTests: XCTestCase {
    let sample = "audio-samples/pure-itd_noise_az45.wav"
    let small = ["--cochlear-channels", "8", "--delays", "21"]

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent(
            "soundloc-plot-\(ProcessInfo.processInfo.processIdentifier)-\(name)"
        ).path
    }

    /// Counts `<rect class="cell">` elements; nil when the file is not well-formed XML.
    func cellCount(_ path: String) throws -> Int? {
        final class Counter: NSObject, XMLParserDelegate {
            var cells = 0
            func parser(
                _ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]
            ) {
                if e == "rect" && attributes["class"] == "cell" { cells += 1 }
            }
        }
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        let counter = Counter()
        parser.delegate = counter
        return parser.parse() ? counter.cells : nil
    }

    func testPlotActivityAndLocalizePlotWriteTheSameMap() throws {
        let a = temporaryPath("a.svg")
        let b = temporaryPath("b.svg")
        defer {
            try? FileManager.default.removeItem(atPath: a)
            try? FileManager.default.removeItem(atPath: b)
        }
        let plot = try CommandTests.run(["plot", "activity", sample, "--true-azimuth", "45", "-o", a] + small)
        XCTAssertEqual(plot.status, 0, plot.stderr)
        XCTAssertEqual(try cellCount(a), 8 * 21)
        let localize = try CommandTests.run(["localize", sample, "--plot", b] + small)
        XCTAssertEqual(localize.status, 0, localize.stderr)
        XCTAssertTrue(localize.stdout.contains("temporal code"))
        XCTAssertEqual(try cellCount(b), 8 * 21)
    }

    func testEveryAudioKindWritesWellFormedSVG() throws {
        for kind in ["raster", "track"] {
            let path = temporaryPath("\(kind).svg")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let out = try CommandTests.run(["plot", kind, sample, "-o", path] + small)
            XCTAssertEqual(out.status, 0, "\(kind): \(out.stderr)")
            XCTAssertNotNil(try cellCount(path), kind)
        }
    }

    func testBadInputGivesOneLineErrors() throws {
        let path = temporaryPath("bad.svg")
        let missing = try CommandTests.run(["plot", "activity", "no-such-file.wav", "-o", path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no-such-file.wav"), missing.stderr)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)
        let noManifest = try CommandTests.run(["plot", "estimates", "results.csv", "-o", path])
        XCTAssertNotEqual(noManifest.status, 0)
        XCTAssertTrue(noManifest.stderr.contains("--manifest"), noManifest.stderr)
        let twoFiles = try CommandTests.run(["localize", sample, sample, "--plot", path])
        XCTAssertNotEqual(twoFiles.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))
    }
}
