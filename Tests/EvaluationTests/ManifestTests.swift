import Evaluation
import Foundation
import XCTest

final class ManifestTests: XCTestCase {
    /// Extra columns in any order, quoted fields (with a comma, a doubled quote and a line break),
    /// and bad rows reported with the line they start on.
    func testQuotedFieldsExtraColumnsAndBadRowsWithLineNumbers() throws {
        let text = """
            notes,azimuth_deg,file,condition,extra
            plain,30,a.wav,anechoic,1
            "has, comma",-45,"b ""x"".wav",anechoic,2
            "spans
            two lines",10,c.wav,room,3
            bad azimuth,abc,d.wav,room,4
            too few,20,e.wav

            ,15,/abs/f.wav,room,6
            "never closed,5,g.wav,room,7
            """
        let m = try Manifest.parse(text, path: "m.csv", folder: "/data")
        XCTAssertEqual(m.entries.map(\.file), ["a.wav", "b \"x\".wav", "c.wav", "/abs/f.wav"])
        XCTAssertEqual(m.entries.map(\.line), [2, 3, 4, 9])
        XCTAssertEqual(m.entries.map(\.azimuthDegrees), [30, -45, 10, 15])
        XCTAssertEqual(m.entries.map(\.condition), ["anechoic", "anechoic", "room", "room"])
        XCTAssertEqual(m.entries[0].path, "/data/a.wav")
        XCTAssertEqual(m.entries[3].path, "/abs/f.wav")
        XCTAssertEqual(m.problems.map(\.line), [6, 7, 10])
        XCTAssertTrue(m.problems[0].description.hasPrefix("m.csv:6: azimuth_deg 'abc'"), m.problems[0].description)
        XCTAssertTrue(m.problems[1].message.contains("3 fields"), m.problems[1].message)
        XCTAssertTrue(m.problems[2].message.contains("never closed"), m.problems[2].message)
    }

    func testMissingColumnIsAnError() {
        XCTAssertThrowsError(try Manifest.parse("file,angle\na.wav,3\n", path: "m.csv", folder: ".")) { error in
            XCTAssertEqual(error as? ManifestError, .missingColumn(path: "m.csv", column: "azimuth_deg"))
        }
    }

    func testMissingFileIsAProblemOnItsLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data().write(to: dir.appendingPathComponent("here.wav"))
        try "file,azimuth_deg\r\nhere.wav,0\r\ngone.wav,10\r\n".write(
            to: dir.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)
        let m = try Manifest.load(path: dir.path)
        XCTAssertEqual(m.entries.map(\.file), ["here.wav"])
        XCTAssertEqual(m.problems.map(\.line), [3])
        XCTAssertTrue(m.problems[0].message.hasSuffix("gone.wav: no such file"), m.problems[0].message)
        XCTAssertThrowsError(try Manifest.load(path: dir.appendingPathComponent("none.csv").path))
    }
}

final class ManifestReceiverTests: XCTestCase {
    /// Every column is kept by name; `receiver=mics` carries the pair's spacing, and a mics row
    /// without a usable spacing, or an unknown receiver, is a problem on its line.
    func testColumnsAndMicrophoneRows() throws {
        let text = """
            file,azimuth_deg,Head,receiver,mic_spacing_m
            a.wav,10,kemar,head,
            b.wav,20,mics-0.18m,mics,0.18
            c.wav,30,mics,mics,
            d.wav,40,x,ears,
            e.wav,50,y,,
            """
        let m = try Manifest.parse(text, path: "m.csv", folder: "/d")
        XCTAssertEqual(m.columnNames, ["file", "azimuth_deg", "head", "receiver", "mic_spacing_m"])
        XCTAssertEqual(m.entries.map(\.file), ["a.wav", "b.wav", "e.wav"])
        XCTAssertEqual(m.entries.map(\.micSpacingMetres), [nil, 0.18, nil])
        XCTAssertEqual(m.entries[1].columns["head"], "mics-0.18m")
        XCTAssertEqual(m.problems.map(\.line), [4, 5])
        XCTAssertTrue(m.problems[0].message.contains("mic_spacing_m"), m.problems[0].message)
        XCTAssertTrue(m.problems[1].message.contains("'ears'"), m.problems[1].message)
    }
}
