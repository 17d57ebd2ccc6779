import AudioIO
import Decoding
import Evaluation
import Foundation
import Pipeline

/// Formats one frame of a live track (`localize --track`) the moment it is final: a CSV row, a
/// JSON object, a text line, or a dial redrawn in place on a terminal.
public enum TrackReport {
    /// CSV header: one row per readout frame. `frame_weight` is the frame's weight in the whole
    /// sound's answer (`TrackPoint.weight`), 0 for a frame left out.
    public static let csvColumns = [
        "file", "frame_start_s", "temporal_azimuth_deg", "temporal_itd_us",
        "temporal_confidence", "frame_weight", "status",
    ]

    public static func csvLine(path: String, _ p: TrackPoint) -> String {
        let e = p.estimate
        let fields = [
            path, String(format: "%.3f", p.startSeconds),
            e.map { String(format: "%.2f", $0.azimuthDegrees) } ?? "",
            e.map { String(format: "%.1f", $0.itdSeconds * 1e6) } ?? "",
            e.map { String(format: "%.3f", $0.confidence) } ?? "",
            String(format: "%.2f", p.weight), e == nil ? "no direction" : "ok",
        ]
        return CSV.line(fields)
    }

    /// The row of a file that failed: its path and the message, the other fields empty.
    public static func csvErrorLine(path: String, message: String) -> String {
        CSV.line([path, "", "", "", "", "", LocalizationReport.failureStatus(message)])
    }

    /// One object per frame, with the CSV's field names and the frame's detector spikes;
    /// missing values are null.
    public static func jsonObject(path: String, _ p: TrackPoint) -> [String: Any] {
        let e = p.estimate
        return [
            "file": path, "frame_start_s": p.startSeconds,
            "temporal_azimuth_deg": e.map { $0.azimuthDegrees as Any } ?? NSNull(),
            "temporal_itd_us": e.map { $0.itdSeconds * 1e6 as Any } ?? NSNull(),
            "temporal_confidence": e.map { $0.confidence as Any } ?? NSNull(), "frame_weight": p.weight,
            "detector_spikes": p.detectorSpikes, "status": e == nil ? "no direction" : "ok",
        ]
    }

    /// The line that introduces a file's frames in text.
    public static func textHeading(path: String) -> String {
        "\(displayName(path: path)): track (frame start: temporal code)"
    }

    /// The frame's start, direction and confidence, and its weight in the whole sound's answer,
    /// `left out` for weight 0: `   1.250 s  30.3 degrees left  [confidence 0.50, weight 12.3]`.
    public static func textLine(_ p: TrackPoint) -> String {
        let start = String(format: "  %8.3f s  ", p.startSeconds)
        guard let e = p.estimate else { return start + "no direction  [\(weight(p))]" }
        return start + describeAzimuth(e.azimuthDegrees) + String(format: "  [confidence %.2f, ", e.confidence)
            + weight(p) + "]"
    }

    /// `weight 12.3`, or `left out` for a frame that does not count.
    static func weight(_ p: TrackPoint) -> String {
        p.weight > 0 ? String(format: "weight %.1f", p.weight) : "left out"
    }

    /// A one-line dial from left (-90 degrees) through ahead to right (+90), the frame's
    /// direction marked `o` on it (`x` for a frame left out of the answer), then the azimuth, the
    /// confidence and the frame's start:
    /// `left [----------|----o-----] right   +45.5 deg  confidence 0.54    12.350 s`.
    /// `halfWidth` marks per side; each is 90 / halfWidth degrees.
    public static func dial(_ p: TrackPoint, halfWidth: Int = 20) -> String {
        var marks = Array(repeating: Character("-"), count: 2 * halfWidth + 1)
        marks[halfWidth] = "|"
        let reading: String
        if let e = p.estimate {
            let clamped = min(90, max(-90, e.azimuthDegrees))
            marks[halfWidth + Int((clamped / 90 * Double(halfWidth)).rounded())] = p.weight > 0 ? "o" : "x"
            reading = String(format: "%+6.1f deg  confidence %.2f", e.azimuthDegrees, e.confidence)
        } else {
            reading = "no direction               "
        }
        return "left [\(String(marks))] right  \(reading)  " + String(format: "%9.3f s", p.startSeconds)
    }
}
