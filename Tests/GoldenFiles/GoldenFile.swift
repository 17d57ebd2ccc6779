import Foundation

/// Golden files: an output compared with the bytes stored for it. With SOUNDLOC_RECORD_GOLDEN=1 in
/// the environment the output is stored instead, and the check reports a failure all the same, so
/// that a recording run can never pass by comparing an output with itself. Shared by the test
/// targets that keep golden files (no XCTest here: each test turns the message into its failure).
public enum GoldenFile {
    /// The environment variable that asks for recording.
    public static let recordVariable = "SOUNDLOC_RECORD_GOLDEN"

    public static var isRecording: Bool { ProcessInfo.processInfo.environment[recordVariable] == "1" }

    /// nil when `actual` equals the file at `url`; otherwise (and always when recording, after
    /// writing `actual` there) the message a test should fail with.
    public static func check(_ actual: String, against url: URL) throws -> String? {
        let name = url.lastPathComponent
        if isRecording {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return "recorded \(name); read its diff, then run again without \(recordVariable)"
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        guard actual != expected else { return nil }
        return "differs from \(name) (record it again with \(recordVariable)=1 after an intended change): "
            + firstDifference(expected, actual)
    }

    /// The first line where two texts differ, both versions, so that a failure shows where to look.
    public static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "(end)"
            let al = i < a.count ? String(a[i]) : "(end)"
            if el != al { return "line \(i + 1): expected '\(el)', got '\(al)'" }
        }
        return "same lines"
    }
}
