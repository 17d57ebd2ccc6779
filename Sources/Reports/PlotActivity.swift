import Cochlea
import Decoding
import Foundation
import Pipeline

/// The Jeffress array's activity as a picture: one cell per channel and internal delay, coloured by
/// how often that coincidence detector fired, with the across-frequency sum below it. The true
/// ITD lines up as a vertical ridge through all channels; above about 700 Hz each channel also has
/// ghost ridges one period away, which lean with frequency and cancel in the sum.
public enum ActivityPlot {
    public enum Normalization: String, Sendable, CaseIterable {
        /// Colour = the detector's spike count.
        case none
        /// Colour = count divided by the busiest detector of the same channel, so quiet channels
        /// show their tuning too.
        case perChannel = "channel"
    }

    public struct Options: Sendable {
        public var frequencyScale: AxisScale = .erbRate
        public var normalization: Normalization = .perChannel
        /// The head model used for the azimuth axis along the top.
        public var headModel: HeadModel = .standardHead
        /// The true ITD, in seconds, when known (drawn as a dashed line) ...
        public var trueITDSeconds: Double?
        /// ... and the true azimuth it stands for, in degrees, for the legend.
        public var trueAzimuthDegrees: Double?
        public var title: String = "Jeffress array activity"
        public init() {}
    }

    /// The SVG document for `result`'s summed detector counts.
    public static func svg(_ result: LocalizationResult, options: Options = .init()) -> String {
        let channels = result.channelCount
        let delays = result.delaysSeconds
        let fcs = result.centreFrequenciesHz
        var svg = SVGWriter(width: 800, height: 690)
        svg.text(options.title, x: 400, y: 24, size: 17, anchor: .middle, weight: "bold")
        guard channels > 0, delays.count >= 2, result.activity.count == channels * delays.count else {
            svg.text("no activity to show", x: 400, y: 300, anchor: .middle)
            return svg.render()
        }
        let delayStepMicroseconds = (delays[1] - delays[0]) * 1e6
        let xLow = delays[0] * 1e6 - delayStepMicroseconds / 2
        let xHigh = delays[delays.count - 1] * 1e6 + delayStepMicroseconds / 2
        // Row edges halfway between neighbouring channels on the chosen scale.
        let edges = rowEdges(fcs, scale: options.frequencyScale)
        let frequencyAxis = PlotAxis(
            label: "channel centre frequency (Hz)", lower: edges.first!, upper: edges.last!,
            scale: options.frequencyScale,
            ticks: PlotAxis.frequencyTicks(lowerHz: edges.first!, upperHz: edges.last!))
        let delayAxis = PlotAxis(
            label: "internal delay (\u{00B5}s; positive = right ear leads)", lower: xLow, upper: xHigh,
            ticks: PlotAxis.linearTicks(lower: xLow, upper: xHigh, target: 8))
        let map = PlotFrame(left: 90, top: 78, width: 580, height: 350, x: delayAxis, y: frequencyAxis)

        // Cells.
        // crispEdges: no anti-aliased seams between neighbouring cells.
        svg.beginGroup(className: "cells", attributes: [("shape-rendering", "crispEdges")])
        let n = delays.count
        var globalMax: Int64 = 1
        for v in result.activity { globalMax = max(globalMax, v) }
        for c in 0..<channels {
            let row = result.activity[(c * n)..<(c * n + n)]
            let scale = options.normalization == .perChannel ? max(row.max() ?? 1, 1) : globalMax
            let yTop = map.py(edges[c + 1])
            let yBottom = map.py(edges[c])
            for d in 0..<n {
                let x0 = map.px(delays[d] * 1e6 - delayStepMicroseconds / 2)
                let x1 = map.px(delays[d] * 1e6 + delayStepMicroseconds / 2)
                svg.rect(
                    x: x0, y: yTop, width: x1 - x0, height: yBottom - yTop,
                    fill: PlotColour.sequential(Double(row[row.startIndex + d]) / Double(scale)), className: "cell")
            }
        }
        svg.endGroup()
        map.drawAxes(&svg, showXLabels: false)
        drawAzimuthAxis(&svg, frame: map, headModel: options.headModel)
        drawColourBar(
            &svg, frame: map, maximum: options.normalization == .perChannel ? 1 : Double(globalMax),
            label: options.normalization == .perChannel ? "spikes / busiest detector of the channel" : "detector spikes"
        )

        // Across-frequency sum, sharing the delay axis.
        let curve = ITDReadout(delaysSeconds: delays).integrate(counts: result.activity, channelCount: channels)
        let cLow = min(curve.min() ?? 0, 0)
        let cHigh = max(curve.max() ?? 1, cLow + 1)
        let sumAxis = PlotAxis(
            label: "sum (spikes)", lower: cLow, upper: cHigh + (cHigh - cLow) * 0.08,
            ticks: PlotAxis.linearTicks(lower: cLow, upper: cHigh, target: 3))
        let panel = PlotFrame(left: 90, top: 448, width: 580, height: 120, x: delayAxis, y: sumAxis)
        panel.drawGrid(&svg)
        svg.beginGroup(className: "across-frequency")
        svg.polyline(
            zip(delays, curve).map { (panel.px($0 * 1e6), panel.py($1)) }, stroke: "#333333", width: 2,
            className: "series")
        svg.endGroup()
        panel.drawAxes(&svg)
        svg.text(
            "summed over channels, each minus its mean", x: panel.left + 8, y: panel.top + 16, size: 12, fill: "#555555"
        )

        // Markers: estimate (solid) and truth (dashed), through both panels.
        var legend: [LegendEntry] = []
        svg.beginGroup(className: "markers")
        if let t = options.trueITDSeconds, t * 1e6 >= xLow, t * 1e6 <= xHigh {
            let x = map.px(t * 1e6)
            svg.line(
                x1: x, y1: map.top, x2: x, y2: map.bottom, stroke: "#ffffff", width: 2, dash: "7 5", className: "truth")
            svg.line(
                x1: x, y1: panel.top, x2: x, y2: panel.bottom, stroke: PlotColour.truth, width: 2, dash: "7 5",
                className: "truth")
            let direction =
                options.trueAzimuthDegrees.map { "true direction " + describeAzimuth($0) + ", ITD " } ?? "true ITD "
            legend.append(
                LegendEntry(
                    label: direction + String(format: "%+.0f \u{00B5}s", t * 1e6), colour: PlotColour.truth, dash: "7 5"
                ))
        }
        if let e = result.temporal {
            let x = map.px(e.itdSeconds * 1e6)
            svg.line(
                x1: x, y1: map.top, x2: x, y2: map.bottom, stroke: PlotColour.rate, width: 2, className: "estimate")
            svg.line(
                x1: x, y1: panel.top, x2: x, y2: panel.bottom, stroke: PlotColour.rate, width: 2, className: "estimate")
            legend.append(
                LegendEntry(
                    label: String(
                        format: "estimate %+.0f \u{00B5}s = %@", e.itdSeconds * 1e6,
                        describeAzimuth(e.azimuthDegrees)), colour: PlotColour.rate))
        }
        svg.endGroup()
        if !legend.isEmpty { Legend.draw(&svg, entries: legend, right: 790, top: 626) }
        return svg.render()
    }

    /// Boundaries between rows: the first and last channels get half-rows beyond their centres.
    static func rowEdges(_ fcs: [Double], scale: AxisScale) -> [Double] {
        let axis = PlotAxis(label: "", lower: 1, upper: 2, scale: scale, ticks: [])
        let t = fcs.map { axis.transformed($0) }
        guard t.count > 1 else { return [fcs[0] / 1.1, fcs[0] * 1.1] }
        var edges = [t[0] - (t[1] - t[0]) / 2]
        for i in 0..<(t.count - 1) { edges.append((t[i] + t[i + 1]) / 2) }
        edges.append(t[t.count - 1] + (t[t.count - 1] - t[t.count - 2]) / 2)
        return edges.map { v in
            switch scale {
            case .linear: v
            case .logarithmic: pow(10, v)
            case .erbRate: ERBScale.frequency(atRate: v)
            }
        }
    }

    static func drawAzimuthAxis(_ svg: inout SVGWriter, frame: PlotFrame, headModel: HeadModel) {
        svg.beginGroup(className: "azimuth-axis")
        for az in stride(from: -90.0, through: 90, by: 30) {
            let x = frame.px(headModel.itdSeconds(azimuthDegrees: az) * 1e6)
            guard x >= frame.left - 0.5, x <= frame.right + 0.5 else { continue }
            svg.line(x1: x, y1: frame.top - 5, x2: x, y2: frame.top, stroke: "#444444")
            svg.text(PlotAxis.label(az, step: 1) + "\u{00B0}", x: x, y: frame.top - 9, size: 13, anchor: .middle)
        }
        svg.text(
            "azimuth of that ITD (degrees, by the head model or calibration)", x: frame.left + frame.width / 2,
            y: frame.top - 28,
            size: 14, anchor: .middle)
        svg.endGroup()
    }

    static func drawColourBar(_ svg: inout SVGWriter, frame: PlotFrame, maximum: Double, label: String) {
        let x = frame.right + 22
        let w = 18.0
        let steps = 40
        svg.beginGroup(className: "colour-bar")
        for i in 0..<steps {
            let h = frame.height / Double(steps)
            svg.rect(
                x: x, y: frame.bottom - Double(i + 1) * h, width: w, height: h + 0.3,
                fill: PlotColour.sequential((Double(i) + 0.5) / Double(steps)))
        }
        svg.rect(x: x, y: frame.top, width: w, height: frame.height, fill: "none", stroke: "#444444")
        for t in PlotAxis.linearTicks(lower: 0, upper: maximum, target: 4) {
            let y = frame.bottom - t.value / maximum * frame.height
            svg.line(x1: x + w, y1: y, x2: x + w + 4, y2: y, stroke: "#444444")
            svg.text(t.label, x: x + w + 7, y: y + 4.5, size: 12)
        }
        svg.text(label, x: x + w + 62, y: frame.top + frame.height / 2, size: 13, anchor: .middle, rotation: -90)
        svg.endGroup()
    }
}
