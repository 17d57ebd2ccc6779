import Decoding
import Evaluation
import Foundation
import RateCoding

/// Formats a temporal-versus-rate comparison as a text table, CSV or JSON.
public enum CompareReport {
    public static let csvColumns = [
        "condition", "rate_window_ms", "files",
        "temporal_mae_deg", "temporal_rms_deg", "temporal_within5_pct", "temporal_within10_pct", "temporal_bias_deg",
        "temporal_no_answer",
        "rate_mae_deg", "rate_rms_deg", "rate_within5_pct", "rate_within10_pct", "rate_bias_deg", "rate_no_answer",
        "an_spikes", "synaptic_events", "detector_spikes", "rate_macs", "temporal_energy_uj", "rate_energy_uj",
        "rate_readout",
        // GCC-PHAT, empty with --reference none; appended so that earlier columns keep their places.
        "gccphat_mae_deg", "gccphat_rms_deg", "gccphat_within5_pct", "gccphat_within10_pct", "gccphat_bias_deg",
        "gccphat_no_answer", "gccphat_macs", "gccphat_energy_uj",
    ]

    /// The CSV header for rows grouped by `groupBy`: the grouping columns take the place of
    /// `condition` (which is the default grouping), the others follow unchanged.
    static func csvColumns(groupBy: [String]) -> [String] { groupBy + csvColumns.dropFirst() }

    /// The read-out the rate code used at window `w` (the same at every sample rate unless forced
    /// otherwise; several are joined with '/').
    static func readout(_ c: Comparison, window w: Int) -> String {
        if c.rateCalibrations.isEmpty {
            let window = c.settings.rateWindowsSeconds[w]
            return c.rateModels.contains { abs($0.layout.windowSeconds - window) <= 1e-9 * window } ? "trained" : "lag"
        }
        var names: [String] = []
        for rate in c.rateCalibrations.keys.sorted() {
            let cal = c.rateCalibrations[rate]![w]
            let name = cal.readout.rawValue + (cal.cues == .all ? "" : ":" + cal.cues.rawValue)
            if !names.contains(name) { names.append(name) }
        }
        return names.isEmpty ? "" : names.joined(separator: "/")
    }

    static func windowIndex(_ c: Comparison, _ row: ComparisonRow) -> Int {
        c.settings.rateWindowsSeconds.firstIndex(of: row.rateWindowSeconds) ?? 0
    }

    static func ms(_ seconds: Double) -> String {
        let v = seconds * 1000
        return v == v.rounded() ? String(format: "%.0f", v) : String(format: "%g", v)
    }

    static func fields(_ c: Comparison, _ row: ComparisonRow) -> [String] {
        func f(_ x: Double, _ d: Int) -> String { String(format: "%.\(d)f", x) }
        func code(_ s: ErrorSummary) -> [String] {
            [
                f(s.meanAbsoluteErrorDegrees, 2), f(s.rmsErrorDegrees, 2), f(100 * s.withinFiveFraction, 1),
                f(100 * s.withinTenFraction, 1), f(s.meanSignedErrorDegrees, 2), "\(s.noAnswer)",
            ]
        }
        let group = row.group.isEmpty ? [row.condition] : row.group
        return group + [ms(row.rateWindowSeconds), "\(row.temporal.count)"] + code(row.temporal) + code(row.rate)
            + [
                f(row.auditoryNerveSpikes, 0), f(row.synapticEvents, 0), f(row.detectorSpikes, 0),
                f(row.rateMultiplyAccumulates, 0),
                f(row.temporalJoules * 1e6, 3), f(row.rateJoules * 1e6, 3), readout(c, window: windowIndex(c, row)),
            ]
            + (row.reference.map {
                code($0) + [f(row.referenceMultiplyAccumulates, 0), f(row.referenceJoules * 1e6, 3)]
            }
                ?? Array(repeating: "", count: 8))
    }

    public static func csv(_ c: Comparison) -> String {
        ([CSV.line(csvColumns(groupBy: c.settings.groupBy))] + c.rows.map { CSV.line(fields(c, $0)) })
            .joined(separator: "\n")
    }

    /// One JSON document: the rows (with the CSV's field names), every file's answers, the
    /// calibrations' cross-validated errors, the energy costs assumed, and the failures.
    public static func json(_ c: Comparison) -> String {
        let rows: [[String: Any]] = c.rows.map { row in
            var o: [String: Any] = [:]
            let groupBy = c.settings.groupBy
            for (i, (k, v)) in zip(csvColumns(groupBy: groupBy), fields(c, row)).enumerated() {
                o[k] = (i < groupBy.count || k == "rate_readout") ? v : (Double(v).map { $0 as Any } ?? NSNull())
            }
            return o
        }
        let files: [[String: Any]] = c.files.map { f in
            var o: [String: Any] = [
                "file": f.entry.file, "line": f.entry.line, "azimuth_deg": f.entry.azimuthDegrees,
                "condition": f.entry.condition,
            ]
            for name in c.settings.groupBy where o[name] == nil { o[name] = f.entry.columns[name] ?? "" }
            if let e = f.error {
                o["error"] = e
                return o
            }
            o["temporal_azimuth_deg"] = f.temporalDegrees ?? NSNull()
            o["rate_azimuth_deg"] = f.rateDegrees.map { $0 ?? NSNull() as Any }
            o["an_spikes"] = f.costs.auditoryNerveSpikes
            o["synaptic_events"] = f.costs.synapticEvents + f.costs.lsoSynapticEvents
            o["detector_spikes"] = f.costs.detectorSpikes
            o["rate_macs"] = f.rateMultiplyAccumulates
            o["temporal_energy_uj"] = f.temporalJoules * 1e6
            o["rate_energy_uj"] = f.rateJoules.map { $0 * 1e6 }
            if c.settings.configuration.reference != nil {
                o["gccphat_azimuth_deg"] = f.referenceDegrees ?? NSNull()
                o["gccphat_macs"] = f.costs.referenceMultiplyAccumulates
                o["gccphat_energy_uj"] = f.referenceJoules * 1e6
            }
            return o
        }
        var calibrations: [[String: Any]] = []
        for rate in c.rateCalibrations.keys.sorted() {
            for cal in c.rateCalibrations[rate]! {
                calibrations.append([
                    "sample_rate_hz": rate, "rate_window_ms": cal.windowSeconds * 1000, "readout": cal.readout.rawValue,
                    "cues": cal.cues.rawValue,
                    "cross_validated_mae_deg": cal.crossValidatedErrorDegrees, "source": cal.source,
                ])
            }
        }
        let e = c.settings.energy
        let document: [String: Any] = [
            "rate_windows_ms": c.settings.rateWindowsSeconds.map { $0 * 1000 },
            "group_by": c.settings.groupBy,
            "rows": rows, "files": files, "rate_calibrations": calibrations,
            "rate_models": c.rateModels.map { m -> [String: Any] in
                [
                    "rate_window_ms": m.layout.windowSeconds * 1000, "frame_ms": m.layout.frameSeconds * 1000,
                    "features": m.layout.featureCount, "classes": m.classCount, "source": m.source,
                ]
            },
            "energy_pj": [
                "per_synaptic_event": e.joulesPerSynapticEvent * 1e12,
                "per_multiply_accumulate": e.joulesPerMultiplyAccumulate * 1e12,
                "per_spike_count": e.joulesPerCount * 1e12,
            ],
            "no_answer_error_deg": ErrorSummary.noAnswerErrorDegrees,
            "manifest_problems": c.manifestProblems.map(\.description),
            "temporal_calibrated": !c.temporalCalibrations.isEmpty,
            "failures": c.failureCount,
        ]
        return LocalizationReport.json(document)
    }

    /// The table for people: one line per condition and window, the codes side by side (GCC-PHAT
    /// when it ran).
    public static func text(_ c: Comparison) -> String {
        let withReference = c.rows.contains { $0.reference != nil }
        let code = ["MAE", "RMS", "<=5", "<=10", "bias", "none"]
        let columns =
            [c.settings.groupBy.joined(separator: "/"), "window", "files"] + code + code + ["read-out"]
            + (withReference ? code : [])
            + ["syn.events", "T energy", "rate MACs", "R energy"] + (withReference ? ["G MACs", "G energy"] : [])
        // Where each block starts: temporal, rate, GCC-PHAT (if run), per decision; read-out is left-aligned.
        let rateStart = 9
        let readoutColumn = 15
        let referenceStart = 16
        let costStart = withReference ? 22 : 16
        var table: [[String]] = [columns]
        // With one group, the rows for all files repeat it.
        let conditions = Set(c.rows.map(\.condition))
        for row in c.rows where !(conditions.count == 2 && row.condition == Comparison.allConditions) {
            func code(_ s: ErrorSummary) -> [String] {
                [
                    String(format: "%.1f", s.meanAbsoluteErrorDegrees), String(format: "%.1f", s.rmsErrorDegrees),
                    String(format: "%.0f%%", 100 * s.withinFiveFraction),
                    String(format: "%.0f%%", 100 * s.withinTenFraction),
                    String(format: "%+.1f", s.meanSignedErrorDegrees), "\(s.noAnswer)",
                ]
            }
            // An empty value (e.g. rt60_s of an anechoic file) is shown as '-'.
            let label =
                row.group.isEmpty || row.condition == Comparison.allConditions
                ? row.condition
                : row.group.map { $0.isEmpty ? "-" : $0 }.joined(separator: "/")
            var cells =
                [label, ms(row.rateWindowSeconds) + " ms", "\(row.temporal.count)"] + code(row.temporal)
                + code(row.rate) + [readout(c, window: windowIndex(c, row))]
            if withReference { cells += row.reference.map(code) ?? Array(repeating: "", count: 6) }
            cells += [
                engineering(row.synapticEvents, ""), engineering(row.temporalJoules, "J"),
                engineering(row.rateMultiplyAccumulates, ""), engineering(row.rateJoules, "J"),
            ]
            if withReference {
                cells += [engineering(row.referenceMultiplyAccumulates, ""), engineering(row.referenceJoules, "J")]
            }
            table.append(cells)
        }
        let widths = columns.indices.map { i in table.map { $0[i].count }.max()! }
        let separators: Set<Int> =
            withReference ? [3, rateStart, referenceStart, costStart] : [3, rateStart, costStart]
        func line(_ r: [String]) -> String {
            r.indices.map { i in
                let pad = String(repeating: " ", count: widths[i] - r[i].count)
                let cell = i == 0 || i == readoutColumn ? r[i] + pad : pad + r[i]
                return (separators.contains(i) ? "| " : "") + cell
            }.joined(separator: "  ")
        }
        func span(_ from: Int, _ to: Int) -> Int { (from...to).reduce(0) { $0 + widths[$1] + 2 } + 2 }
        let lead = span(0, 2) - 2
        var banner = String(repeating: " ", count: lead) + "| temporal code (spike timing)"
        banner +=
            String(repeating: " ", count: max(1, lead + span(3, rateStart - 1) - banner.count))
            + "| rate code (spike counts)"
        if withReference {
            banner +=
                String(repeating: " ", count: max(1, lead + span(3, referenceStart - 1) - banner.count))
                + "| GCC-PHAT (no spikes)"
        }
        banner += String(repeating: " ", count: max(1, lead + span(3, costStart - 1) - banner.count)) + "| per decision"
        var lines = [banner] + table.map(line)
        lines.append("")
        lines.append(
            "Errors are on the lateral angle, in degrees (MAE mean absolute, RMS root mean square, <=5 and <=10 the share"
        )
        lines.append(
            "of files within 5 and 10 degrees, bias the mean signed error over answered files, positive = to the right)."
        )
        lines.append(
            "A file with no answer (none) counts as a \(Int(ErrorSummary.noAnswerErrorDegrees))-degree error and never as within 5 or 10."
        )
        if !c.rateCalibrations.isEmpty {
            lines.append("The rate read-out was calibrated on \(c.settings.calibrationRenderer), never on these files;")
        } else if let m = c.rateModels.first {
            lines.append("The rate read-out was trained on \(m.source), never on these files;")
        } else {
            lines.append(
                "The rate code read its binned cross-correlation's peak lag through the head model (uncalibrated);")
        }
        lines.append(
            "the temporal code "
                + (c.temporalCalibrations.isEmpty
                    ? "used the model's head model (the KEMAR calibration unless told otherwise)."
                    : "used an ITD curve learned from the same sounds."))
        let e = c.settings.energy
        lines.append(
            String(
                format:
                    "Energy per decision: %.1f pJ per synaptic event (Loihi, Davies et al. 2018); %.1f pJ per 32-bit float",
                e.joulesPerSynapticEvent * 1e12, e.joulesPerMultiplyAccumulate * 1e12))
        lines.append(
            String(
                format:
                    "multiply-accumulate and %.1f pJ per counted spike (45 nm, Horowitz 2014); see docs/comparison.md.",
                e.joulesPerCount * 1e12))
        if withReference {
            lines.append(
                "GCC-PHAT (Knapp & Carter 1976) runs on the samples, its ITD mapped through the temporal code's head model;"
            )
            lines.append(
                "its energy counts the multiply-accumulates of its FFTs and spectral products at the same cost each.")
        }
        if c.failureCount > 0 {
            lines.append(
                "\(c.failureCount) file(s) or manifest row(s) failed and were left out (listed on standard error).")
        }
        return lines.joined(separator: "\n")
    }

    /// 12300 -> "12.3k", 2.5e-6 J -> "2.50 uJ".
    static func engineering(_ x: Double, _ unit: String) -> String {
        let prefixes: [(Double, String)] =
            unit.isEmpty
            ? [(1e9, "G"), (1e6, "M"), (1e3, "k"), (1, "")]
            : [(1, " "), (1e-3, " m"), (1e-6, " u"), (1e-9, " n"), (1e-12, " p")]
        for (scale, p) in prefixes where abs(x) >= scale {
            return String(format: "%.3g", x / scale) + p + unit
        }
        return unit.isEmpty ? String(format: "%.3g", x) : "0 " + unit
    }
}
