import Foundation
import GoldenFiles
import XCTest

/// The whole standard output of `localize` (text, track, GCC-PHAT, CSV, JSON) and of `compare` on
/// the bundled samples, byte for byte, against `Golden/`. Each golden file is a transcript: the
/// command after "$ ", then what it printed, so the README and docs/reading-output.md can show it
/// as it is (`testDocumentedTranscriptsAreTheGoldenFiles` checks they do). After an intended change
/// of the output, re-record with
///     SOUNDLOC_RECORD_GOLDEN=1 swift test -c release --disable-swift-testing --filter GoldenOutputTests
/// (which fails, as every recording run does), read the diff, then copy the changed transcripts into
/// the docs. Default settings throughout, as the docs show them: the KEMAR sample takes a fraction
/// of a second, the whole compare table about 8 s.
final class GoldenOutputTests: XCTestCase {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let sample = "audio-samples/kemar-anechoic_noise_az45.wav"
    static let second = "audio-samples/pure-itd_noise_az-30.wav"

    /// The golden files and the arguments that make them.
    static let transcripts: [(name: String, arguments: [String])] = [
        ("localize-text.txt", ["localize", sample]),
        ("localize-track.txt", ["localize", "--track", "--frame-ms", "250", sample]),
        ("localize-gccphat.txt", ["localize", "--reference", "gcc-phat", sample]),
        ("localize-csv.txt", ["localize", "--format", "csv", sample, second]),
        ("localize-json.txt", ["localize", "--format", "json", sample, second]),
        ("compare-audio-samples.txt", ["compare", "audio-samples"]),
    ]

    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let arguments = try XCTUnwrap(Self.transcripts.first { $0.name == name }).arguments
        let out = try CommandTests.run(arguments)
        XCTAssertEqual(out.status, 0, out.stderr, file: file, line: line)
        XCTAssertEqual(out.stderr, "", file: file, line: line)
        let transcript = "$ soundloc " + arguments.joined(separator: " ") + "\n" + out.stdout
        if let failure = try GoldenFile.check(transcript, against: Self.golden.appendingPathComponent(name)) {
            XCTFail(failure, file: file, line: line)
        }
    }

    func testLocalizeText() throws { try check("localize-text.txt") }
    func testLocalizeTrack() throws { try check("localize-track.txt") }
    func testLocalizeWithGCCPHAT() throws { try check("localize-gccphat.txt") }
    func testLocalizeCSV() throws { try check("localize-csv.txt") }
    func testLocalizeJSON() throws { try check("localize-json.txt") }
    func testCompareTable() throws { try check("compare-audio-samples.txt") }

    /// Fenced blocks of a Markdown file that start with "$ soundloc ", each as its lines plus the
    /// final line break.
    static func transcriptBlocks(_ markdown: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let c = current {
                    if c.first?.hasPrefix("$ soundloc ") == true { blocks.append(c.joined(separator: "\n") + "\n") }
                    current = nil
                } else {
                    current = []
                }
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// Every transcript in the README and docs/reading-output.md is a golden file, word for word;
    /// one in another doc whose command has a golden file must match it too.
    func testDocumentedTranscriptsAreTheGoldenFiles() throws {
        var golden: [String: String] = [:]
        for t in Self.transcripts {
            let text = try String(contentsOf: Self.golden.appendingPathComponent(t.name), encoding: .utf8)
            golden[String(text.prefix { $0 != "\n" })] = text
        }
        let docs = try FileManager.default.contentsOfDirectory(
            atPath: CommandTests.repository.appendingPathComponent("docs").path
        ).filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        let mustAllBeGolden: Set = ["README.md", "docs/reading-output.md"]
        var checked = 0
        for doc in ["README.md"] + docs.sorted() {
            let text = try String(contentsOf: CommandTests.repository.appendingPathComponent(doc), encoding: .utf8)
            for block in Self.transcriptBlocks(text) {
                let command = String(block.prefix { $0 != "\n" })
                guard let expected = golden[command] else {
                    if mustAllBeGolden.contains(doc) { XCTFail("\(doc): '\(command)' has no golden file") }
                    continue
                }
                checked += 1
                if block != expected {
                    XCTFail("\(doc): '\(command)' " + GoldenFile.firstDifference(expected, block))
                }
            }
        }
        // The README's localize and compare transcripts and reading-output's localize ones at least.
        XCTAssertGreaterThanOrEqual(checked, 4)
    }
}
