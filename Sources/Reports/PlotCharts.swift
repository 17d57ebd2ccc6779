import Decoding
import Foundation
import Pipeline

/// One series of a line chart: points joined in order, with a marker at each.
struct ChartSeries: Sendable {
    var name: String
    var colour: String
    /// Runs of points; a line joins the points within a run, not across runs (gaps stay gaps).
    var runs: [[(x: Double, y: Double)]]
    /// Extra points drawn as markers only (for example each file behind an averaged line).
    var scatter: [(x: Double, y: Double)] = []
    /// Points drawn as hollow markers (a track's frames left out of the answer).
    var hollow: [(x: Double, y: Double)] = []
    var dash: String?

    init(
        name: String, colour: String, runs: [[(x: Double, y: Double)]],
        scatter: [(x: Double, y: Double)] = [], hollow: [(x: Double, y: Double)] = [], dash: String? = nil
    ) {
        self.name = name
        self.colour = colour
        self.runs = runs
        self.scatter = scatter
        self.hollow = hollow
        self.dash = dash
    }
}

/// Line charts on one frame: the shared layout of the track, estimate and error charts.
enum LineChart {
    /// Draws `series` into an 800 x 560 px document: title, axes with units, a legend below.
    /// Each run becomes one polyline of class "series"; each marker a circle of class "point", or
    /// "hollow-point" for the `hollow` ones.
    static func svg(
        title: String, x: PlotAxis, y: PlotAxis, series: [ChartSeries],
        reference: ChartSeries? = nil, markers: Bool = true
    ) -> String {
        var svg = SVGWriter(width: 800, height: 560)
        svg.text(title, x: 400, y: 26, size: 17, anchor: .middle, weight: "bold")
        let frame = PlotFrame(left: 90, top: 50, width: 680, height: 380, x: x, y: y)
        frame.drawGrid(&svg)
        func clipped(_ p: (x: Double, y: Double)) -> (x: Double, y: Double) {
            (min(max(frame.px(p.x), frame.left), frame.right), min(max(frame.py(p.y), frame.top), frame.bottom))
        }
        if let r = reference {
            svg.beginGroup(className: "reference")
            for run in r.runs where run.count >= 2 {
                svg.polyline(run.map(clipped), stroke: r.colour, width: 1.5, dash: r.dash ?? "7 5")
            }
            svg.endGroup()
        }
        for s in series {
            svg.beginGroup(className: "code", attributes: [("data-name", s.name)])
            for run in s.runs where !run.isEmpty {
                svg.polyline(run.map(clipped), stroke: s.colour, width: 2.5, dash: s.dash, className: "series")
            }
            if markers {
                // Markers at the line's points, or only at the scatter and hollow points when there
                // are any.
                for p in s.scatter.isEmpty && s.hollow.isEmpty ? Array(s.runs.joined()) : s.scatter {
                    let q = clipped(p)
                    svg.circle(cx: q.x, cy: q.y, r: 4, fill: s.colour, className: "point")
                }
                for p in s.hollow {
                    let q = clipped(p)
                    svg.circle(cx: q.x, cy: q.y, r: 4, fill: "white", stroke: s.colour, className: "hollow-point")
                }
            }
            svg.endGroup()
        }
        frame.drawAxes(&svg)
        var entries = series.map { LegendEntry(label: $0.name, colour: $0.colour, dash: $0.dash, marker: markers) }
        if let r = reference { entries.append(LegendEntry(label: r.name, colour: r.colour, dash: r.dash ?? "7 5")) }
        Legend.draw(&svg, entries: entries, right: 790, top: 482)
        return svg.render()
    }
}

/// The temporal code's direction frame by frame, for sounds that move or change.
public enum TrackPlot {
    /// `truth`: (start time in seconds, azimuth in degrees) steps, when known. Frames left out of
    /// the answer (weight 0, while some frame has a weight) get hollow markers.
    public static func svg(
        track: [TrackPoint], durationSeconds: Double, truth: [(startSeconds: Double, azimuthDegrees: Double)] = [],
        title: String = "Direction over time (temporal code)"
    ) -> String {
        var runs: [[(x: Double, y: Double)]] = [[]]
        var counted: [(x: Double, y: Double)] = []
        var leftOut: [(x: Double, y: Double)] = []
        // With no weight anywhere, every frame counts alike (`TrackPoint.weight`).
        let weighted = track.contains { $0.weight > 0 }
        for p in track {
            if let e = p.estimate {
                let point = (x: p.startSeconds + p.durationSeconds / 2, y: e.azimuthDegrees)
                runs[runs.count - 1].append(point)
                if p.weight > 0 || !weighted { counted.append(point) } else { leftOut.append(point) }
            } else if !runs[runs.count - 1].isEmpty {
                runs.append([])
            }
        }
        let end = max(durationSeconds, track.last.map { $0.startSeconds + $0.durationSeconds } ?? 0, 1e-3)
        var reference: ChartSeries?
        if !truth.isEmpty {
            let steps = truth.sorted { $0.startSeconds < $1.startSeconds }
            var line: [(x: Double, y: Double)] = []
            for (i, s) in steps.enumerated() {
                let stop = i + 1 < steps.count ? steps[i + 1].startSeconds : end
                line += [(max(s.startSeconds, 0), s.azimuthDegrees), (stop, s.azimuthDegrees)]
            }
            reference = ChartSeries(name: "true azimuth", colour: PlotColour.truth, runs: [line])
        }
        let x = PlotAxis(
            label: "time (s); each point is one readout frame, hollow if left out of the answer", lower: 0, upper: end)
        let y = PlotAxis(
            label: "azimuth (degrees; negative = left)", lower: -90, upper: 90,
            ticks: stride(from: -90.0, through: 90, by: 30).map { ($0, PlotAxis.label($0, step: 1)) })
        let series = ChartSeries(
            name: "temporal code, per frame", colour: PlotColour.temporal, runs: runs.filter { !$0.isEmpty },
            scatter: counted, hollow: leftOut)
        return LineChart.svg(title: title, x: x, y: y, series: [series], reference: reference)
    }
}

/// Estimated against true azimuth for the temporal and the rate code.
public enum EstimatePlot {
    public struct Point: Sendable {
        public var trueAzimuthDegrees: Double
        public var temporalDegrees: Double?
        var rateDegrees: Double?
        /// GCC-PHAT's answer (`--reference gcc-phat`); nil when it gave none or did not run.
        var referenceDegrees: Double?
        public init(
            trueAzimuthDegrees: Double, temporalDegrees: Double?, rateDegrees: Double?,
            referenceDegrees: Double? = nil
        ) {
            self.trueAzimuthDegrees = trueAzimuthDegrees
            self.temporalDegrees = temporalDegrees
            self.rateDegrees = rateDegrees
            self.referenceDegrees = referenceDegrees
        }
    }

    /// Each file is a dot; each code's line joins its mean estimate at each true azimuth.
    public static func svg(_ points: [Point], title: String = "Estimated against true azimuth") -> String {
        func series(_ name: String, _ colour: String, _ pick: (Point) -> Double?) -> ChartSeries {
            let dots = points.compactMap { p in pick(p).map { (x: p.trueAzimuthDegrees, y: $0) } }
            var means: [(x: Double, y: Double)] = []
            for t in Set(dots.map(\.x)).sorted() {
                let ys = dots.filter { $0.x == t }.map(\.y)
                means.append((t, ys.reduce(0, +) / Double(ys.count)))
            }
            return ChartSeries(name: name, colour: colour, runs: [means], scatter: dots)
        }
        let ticks = stride(from: -90.0, through: 90, by: 30).map { ($0, PlotAxis.label($0, step: 1)) }
        let x = PlotAxis(label: "true azimuth (degrees; negative = left)", lower: -95, upper: 95, ticks: ticks)
        let y = PlotAxis(label: "estimated azimuth (degrees)", lower: -95, upper: 95, ticks: ticks)
        let diagonal = ChartSeries(
            name: "perfect (estimate = truth)", colour: "#888888", runs: [[(-95, -95), (95, 95)]])
        return LineChart.svg(
            title: title, x: x, y: y,
            series: [
                series("temporal code (spike timing)", PlotColour.temporal) { $0.temporalDegrees },
                series("rate code (spike counts)", PlotColour.rate) { $0.rateDegrees },
            ],
            reference: diagonal)
    }
}

/// Error against a condition (SNR, rate window width, ...), one line per code.
public enum ErrorPlot {
    public struct Series: Sendable {
        var name: String
        /// (condition value, mean absolute error in degrees), in any order.
        var points: [(x: Double, error: Double)]
        public init(name: String, points: [(x: Double, error: Double)]) {
            self.name = name
            self.points = points
        }
    }

    public static func svg(
        _ series: [Series], xLabel: String, logarithmicX: Bool = false,
        title: String = "Error of each code"
    ) -> String {
        let xs = series.flatMap { $0.points.map(\.x) }
        let errors = series.flatMap { $0.points.map(\.error) }
        var low = xs.min() ?? 0
        var high = xs.max() ?? 1
        let useLog = logarithmicX && low > 0
        if useLog {
            low /= 1.25
            high *= 1.25
        } else {
            let pad = max((high - low) * 0.05, 0.5)
            low -= pad
            high += pad
        }
        let x = PlotAxis(label: xLabel, lower: low, upper: high, scale: useLog ? .logarithmic : .linear)
        let y = PlotAxis(label: "mean absolute error (degrees)", lower: 0, upper: max((errors.max() ?? 1) * 1.1, 1))
        let colours = [PlotColour.temporal, PlotColour.rate, "#009E73", "#CC79A7", "#56B4E9"]
        let lines = series.enumerated().map { i, s in
            ChartSeries(
                name: s.name, colour: colours[i % colours.count],
                runs: [s.points.sorted { $0.x < $1.x }.map { ($0.x, $0.error) }])
        }
        return LineChart.svg(title: title, x: x, y: y, series: lines)
    }
}
