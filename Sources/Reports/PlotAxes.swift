import Cochlea
import Foundation

/// How data values map onto an axis.
public enum AxisScale: Sendable, Equatable {
    case linear
    case logarithmic
    /// The ERB-rate scale (Glasberg & Moore 1990): equal steps are equal numbers of auditory
    /// filters, so ERB-spaced channels sit evenly along it.
    case erbRate
}

/// One axis: its range in data units, scale, tick marks and label (with the unit).
public struct PlotAxis: Sendable {
    var label: String
    var lower: Double, upper: Double
    var scale: AxisScale
    var ticks: [(value: Double, label: String)]

    public init(
        label: String, lower: Double, upper: Double, scale: AxisScale = .linear,
        ticks: [(value: Double, label: String)]? = nil
    ) {
        self.label = label
        self.lower = lower
        self.upper = upper > lower ? upper : lower + 1
        self.scale = scale
        switch scale {
        case .linear: self.ticks = ticks ?? Self.linearTicks(lower: lower, upper: self.upper)
        case .logarithmic, .erbRate: self.ticks = ticks ?? Self.logTicks(lower: lower, upper: self.upper)
        }
    }

    func transformed(_ v: Double) -> Double {
        switch scale {
        case .linear: v
        case .logarithmic: log10(max(v, 1e-300))
        case .erbRate: ERBScale.rate(atHz: max(v, 0))
        }
    }

    /// Where `value` falls along the axis, 0 at `lower` and 1 at `upper`.
    public func fraction(_ value: Double) -> Double {
        let a = transformed(lower)
        let b = transformed(upper)
        return b == a ? 0 : (transformed(value) - a) / (b - a)
    }

    /// About six round-numbered ticks: the smallest step of 1, 2, 2.5 or 5 times a power of ten
    /// that gives at most `target` intervals.
    public static func linearTicks(lower: Double, upper: Double, target: Int = 6) -> [(value: Double, label: String)] {
        let raw = (upper - lower) / Double(target)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
        var out: [(Double, String)] = []
        var k = (lower / step).rounded(.up)
        while k * step <= upper + step * 1e-9 {
            let v = k * step
            out.append((v, label(v, step: step)))
            k += 1
        }
        return out
    }

    /// Ticks at 1, 2 and 5 times each power of ten inside the range.
    public static func logTicks(lower: Double, upper: Double) -> [(value: Double, label: String)] {
        guard lower > 0 else { return linearTicks(lower: lower, upper: upper) }
        var out: [(Double, String)] = []
        var decade = pow(10, floor(log10(lower)))
        while decade <= upper {
            for m in [1.0, 2, 5] {
                let v = m * decade
                if v >= lower * (1 - 1e-9) && v <= upper * (1 + 1e-9) { out.append((v, label(v, step: v))) }
            }
            decade *= 10
        }
        return out
    }

    /// Frequency ticks in Hz ("500", "1k", "2k") inside the range.
    public static func frequencyTicks(lowerHz: Double, upperHz: Double) -> [(value: Double, label: String)] {
        [50.0, 100, 200, 500, 1000, 2000, 4000, 8000, 16000].filter { $0 >= lowerHz * 0.999 && $0 <= upperHz * 1.001 }
            .map { ($0, $0 >= 1000 ? label($0 / 1000, step: 1) + "k" : label($0, step: 1)) }
    }

    /// A tick label with as many decimals as the step needs, and a true minus sign.
    static func label(_ v: Double, step: Double) -> String {
        // Enough decimals that the step itself is written exactly (0.25 needs two).
        var decimals = 0
        while decimals < 6
            && abs(step * pow(10, Double(decimals)) - (step * pow(10, Double(decimals))).rounded()) > 1e-6
        {
            decimals += 1
        }
        var s = String(format: "%.\(decimals)f", v)
        if Double(s) == 0 { s = String(format: "%.\(decimals)f", 0.0) }
        return s.hasPrefix("-") ? "\u{2212}" + s.dropFirst() : s
    }
}

/// The plotting area of a chart, in pixels, with its two axes.
struct PlotFrame: Sendable {
    var left: Double, top: Double, width: Double, height: Double
    var x: PlotAxis, y: PlotAxis
    /// Distance, in pixels, from the frame's left edge to the y axis label (room for tick labels).
    var yLabelOffset: Double = 52

    init(left: Double, top: Double, width: Double, height: Double, x: PlotAxis, y: PlotAxis) {
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.x = x
        self.y = y
    }

    var right: Double { left + width }
    var bottom: Double { top + height }

    /// Pixel column of a data value on the x axis.
    func px(_ v: Double) -> Double { left + x.fraction(v) * width }
    /// Pixel row of a data value on the y axis (up is larger).
    func py(_ v: Double) -> Double { bottom - y.fraction(v) * height }

    /// Light grid lines at the ticks, drawn under the data.
    func drawGrid(_ svg: inout SVGWriter) {
        svg.beginGroup(className: "grid")
        for t in x.ticks { svg.line(x1: px(t.value), y1: top, x2: px(t.value), y2: bottom, stroke: "#e4e4e4") }
        for t in y.ticks { svg.line(x1: left, y1: py(t.value), x2: right, y2: py(t.value), stroke: "#e4e4e4") }
        svg.endGroup()
    }

    /// The frame, ticks, tick labels and axis labels. `showXLabels` false leaves the x axis bare
    /// (for a panel that shares its x axis with the one below).
    func drawAxes(_ svg: inout SVGWriter, showXLabels: Bool = true) {
        svg.beginGroup(className: "axes")
        svg.rect(x: left, y: top, width: width, height: height, fill: "none", stroke: "#444444")
        for t in x.ticks {
            svg.line(x1: px(t.value), y1: bottom, x2: px(t.value), y2: bottom + 5, stroke: "#444444")
            if showXLabels { svg.text(t.label, x: px(t.value), y: bottom + 20, size: 13, anchor: .middle) }
        }
        if showXLabels { svg.text(x.label, x: left + width / 2, y: bottom + 42, size: 15, anchor: .middle) }
        for t in y.ticks {
            svg.line(x1: left - 5, y1: py(t.value), x2: left, y2: py(t.value), stroke: "#444444")
            svg.text(t.label, x: left - 8, y: py(t.value) + 4.5, size: 13, anchor: .end)
        }
        svg.text(y.label, x: left - yLabelOffset, y: top + height / 2, size: 15, anchor: .middle, rotation: -90)
        svg.endGroup()
    }
}

/// Colours shared by the charts: the Okabe & Ito (2008) palette, readable by colour-blind viewers.
public enum PlotColour {
    static let temporal = "#0072B2"
    static let rate = "#D55E00"
    static let truth = "#222222"
    static let leftEar = "#0072B2"
    static let rightEar = "#D55E00"
    static let estimate = "#E69F00"

    /// A perceptually ordered colour for `t` in 0...1, dark blue through green to yellow,
    /// interpolated between five samples of matplotlib's viridis map.
    public static func sequential(_ t: Double) -> String {
        let anchors: [(Double, Double, Double)] = [
            (68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37),
        ]
        let u = max(0, min(1, t.isFinite ? t : 0)) * Double(anchors.count - 1)
        let i = min(Int(u), anchors.count - 2)
        let f = u - Double(i)
        let a = anchors[i]
        let b = anchors[i + 1]
        func mix(_ p: Double, _ q: Double) -> Int { Int((p + (q - p) * f).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }
}

/// One legend entry: a line, a marker, or both, in a colour.
struct LegendEntry: Sendable {
    var label: String
    var colour: String
    var dash: String?
    var marker: Bool
    var line: Bool

    init(label: String, colour: String, dash: String? = nil, marker: Bool = false, line: Bool = true) {
        self.label = label
        self.colour = colour
        self.dash = dash
        self.marker = marker
        self.line = line
    }
}

enum Legend {
    /// Draws a boxed legend whose top-right corner is at (right, top).
    static func draw(_ svg: inout SVGWriter, entries: [LegendEntry], right: Double, top: Double) {
        let rowHeight = 22.0
        let longest = entries.map { $0.label.count }.max() ?? 0
        let w = 50 + Double(longest) * 7.6
        let h = Double(entries.count) * rowHeight + 10
        svg.beginGroup(className: "legend")
        svg.rect(x: right - w, y: top, width: w, height: h, fill: "#ffffff", stroke: "#999999")
        for (i, e) in entries.enumerated() {
            let y = top + 16 + Double(i) * rowHeight
            let x0 = right - w + 10
            if e.line { svg.line(x1: x0, y1: y, x2: x0 + 26, y2: y, stroke: e.colour, width: 2.5, dash: e.dash) }
            if e.marker { svg.circle(cx: x0 + 13, cy: y, r: 4, fill: e.colour) }
            svg.text(e.label, x: x0 + 34, y: y + 5, size: 13)
        }
        svg.endGroup()
    }
}
