import Foundation
import HRTF
import XCTest

/// Issue 17: a SOFA file whose impulse responses hold NaN, infinity or absurd values is refused on
/// opening with a one-line reason, instead of passing NaN on to the model (where a conversion to
/// whole samples traps) or to a rendered file. The damaged copies are made by
/// `scripts/damage-sofa.py` from the shipped ARI file and, when installed, MIT KEMAR.
final class DamagedSofaTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("soundloc-sofa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A damaged copy of `source`, or a skip when python3 is missing.
    func damaged(_ source: String, kind: String, index: Int) throws -> String {
        let out = dir.appendingPathComponent("\(kind)-\(index).sofa").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [
            "python3", Self.repository.appendingPathComponent("scripts/damage-sofa.py").path,
            source, out, kind, String(index),
        ]
        do { try p.run() } catch { throw XCTSkip("python3 is needed to make the damaged SOFA file") }
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw XCTSkip("damage-sofa.py could not run (python3 missing?)") }
        return out
    }

    func assertRefused(_ path: String, _ reason: String, line: UInt = #line) {
        XCTAssertThrowsError(try SofaFile(path: path, sampleRateHz: 48000), line: line) { error in
            guard case .unusable(let p, let r)? = error as? SofaError else {
                return XCTFail("expected .unusable, got \(error)", line: line)
            }
            XCTAssertEqual(p, path, line: line)
            XCTAssertTrue(r.contains(reason), r, line: line)
            XCTAssertFalse(String(describing: error).contains("\n"), line: line)
        }
    }

    func testNonFiniteAndAbsurdResponsesAreRefused() throws {
        let ari = Self.repository.appendingPathComponent("data/hrtf/ARI_NH2_dtf.sofa").path
        // The undamaged file opens: the refusals below come from the damage, not from the check.
        XCTAssertNoThrow(try SofaFile(path: ari, sampleRateHz: 48000))
        assertRefused(try damaged(ari, kind: "nan", index: 100), "not finite")
        assertRefused(try damaged(ari, kind: "inf", index: 7), "not finite")
        assertRefused(try damaged(ari, kind: "huge", index: 300), "beyond +-1000")
        let kemar = SofaFile.defaultKEMARPath
        if FileManager.default.fileExists(atPath: kemar) {
            assertRefused(try damaged(kemar, kind: "nan", index: 5), "not finite")
        }
    }

    func testSpecialFilesAreRefusedBeforeOpening() throws {
        // A FIFO with no writer would block libmysofa's open for ever.
        let fifo = dir.appendingPathComponent("hrtf.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        for (path, reason) in [(fifo, "is a FIFO"), ("/dev/zero", "is a device"), (dir.path, "is a directory")] {
            XCTAssertThrowsError(try SofaFile(path: path, sampleRateHz: 48000)) { error in
                XCTAssertTrue(String(describing: error).contains(reason), "\(error)")
            }
        }
    }
}
