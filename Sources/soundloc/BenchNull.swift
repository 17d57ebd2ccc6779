import Evaluation
import Foundation
import Pipeline

extension BenchWorkloads {
    /// `soundloc bench --only null`: the false-alarm rate of each code on inputs with no
    /// direction, and the temporal read-out's detection statistic on them (its null
    /// distribution), against the threshold the model uses.
    func null(seeds: Int) throws {
        let model = LocalizerConfiguration()
        let threshold = model.readout.minimumSignificance
        try printChecked(
            "\n== null inputs: 0.5 s at 44.1 kHz, default model, \(seeds) fibre seeds each (seeds 1...\(seeds))")
        try printChecked(
            String(
                format:
                    "  temporal code: evidence >= %g (minimumSignificance), mirror-image peak <= %g (maximumMirrorRatio)",
                threshold, model.readout.maximumMirrorRatio))
        try printChecked("  both codes: each ear's nerve spikes above spontaneous firing (SpontaneousActivityTest)")
        try printChecked(
            String(
                format: "  false alarm: any direction; for diotic+dither one more than %g degrees from ahead",
                NullMeasurement.aheadToleranceDegrees))
        try printChecked(
            String(
                format:
                    "  rate off ahead: rate directions more than %g degrees from ahead (every input has equal levels)",
                NullMeasurement.aheadToleranceDegrees))
        try printChecked(
            "  input               temporal false alarms   rate false alarms   rate off ahead   evidence: median    99%      max"
        )
        let null = NullDistribution(configuration: model, sampleRateHz: Double(sampleRateHz))
        for input in NullInput.allCases {
            let m = null.measure(input, seeds: seeds)
            let sorted = m.evidence.sorted()
            func quantile(_ q: Double) -> Double {
                sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int((q * Double(sorted.count)).rounded(.down)))]
            }
            try printChecked(
                "  " + input.rawValue.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + String(
                        format: " %10d (%5.1f%%)   %9d (%5.1f%%)   %14d   %13.2f %8.2f %8.2f", m.temporalFalseAlarms,
                        100 * m.temporalRate, m.rateFalseAlarms, 100 * m.rateRate, m.rateSideAnswers, quantile(0.5),
                        quantile(0.99), sorted.last ?? .nan))
        }
    }
}
