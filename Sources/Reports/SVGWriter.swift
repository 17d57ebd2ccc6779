import Foundation

/// A minimal SVG 1.1 writer: the handful of shapes the plots need, written in a fixed order with
/// numbers rounded to 0.1 px, so that the same input always gives the same bytes (the golden-file
/// tests rely on it).
public struct SVGWriter {
    /// Canvas size, in pixels.
    let width: Double, height: Double
    var body: [String] = []
    var depth = 1

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A number in SVG user units: one decimal, no trailing ".0", never "-0".
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 10).rounded() / 10
        if r == 0 { return "0" }
        if r == r.rounded() { return String(Int(r)) }
        return String(format: "%.1f", r)
    }

    /// Text with the five XML special characters escaped.
    static func escaped(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(ch)
            }
        }
        return out
    }

    mutating func emit(_ element: String) {
        body.append(String(repeating: "  ", count: depth) + element)
    }

    /// Attributes in the given order; nil values are left out.
    static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { k, v in v.map { " \(k)=\"\(escaped($0))\"" } }.joined()
    }

    /// Opens a group; `className` lets tests and style sheets find its marks.
    public mutating func beginGroup(className: String? = nil, attributes extra: [(String, String?)] = []) {
        emit("<g" + Self.attributes([("class", className)] + extra) + ">")
        depth += 1
    }

    public mutating func endGroup() {
        depth -= 1
        emit("</g>")
    }

    public mutating func rect(
        x: Double, y: Double, width w: Double, height h: Double, fill: String,
        stroke: String? = nil, className: String? = nil, title: String? = nil
    ) {
        let a = Self.attributes([
            ("class", className), ("x", Self.number(x)), ("y", Self.number(y)),
            ("width", Self.number(w)), ("height", Self.number(h)), ("fill", fill), ("stroke", stroke),
        ])
        if let title { emit("<rect\(a)><title>\(Self.escaped(title))</title></rect>") } else { emit("<rect\(a)/>") }
    }

    public mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width w: Double = 1,
        dash: String? = nil, className: String? = nil
    ) {
        emit(
            "<line"
                + Self.attributes([
                    ("class", className), ("x1", Self.number(x1)), ("y1", Self.number(y1)),
                    ("x2", Self.number(x2)), ("y2", Self.number(y2)), ("stroke", stroke),
                    ("stroke-width", Self.number(w)), ("stroke-dasharray", dash),
                ]) + "/>")
    }

    public mutating func polyline(
        _ points: [(x: Double, y: Double)], stroke: String, width w: Double = 2,
        dash: String? = nil, className: String? = nil
    ) {
        let p = points.map { Self.number($0.x) + "," + Self.number($0.y) }.joined(separator: " ")
        emit(
            "<polyline"
                + Self.attributes([
                    ("class", className), ("points", p), ("fill", "none"), ("stroke", stroke),
                    ("stroke-width", Self.number(w)), ("stroke-dasharray", dash),
                ]) + "/>")
    }

    public mutating func circle(
        cx: Double, cy: Double, r: Double, fill: String, stroke: String? = nil,
        className: String? = nil
    ) {
        emit(
            "<circle"
                + Self.attributes([
                    ("class", className), ("cx", Self.number(cx)), ("cy", Self.number(cy)),
                    ("r", Self.number(r)), ("fill", fill), ("stroke", stroke),
                ]) + "/>")
    }

    public enum Anchor: String { case start, middle, end }

    /// Text whose baseline starts at (x, y); `rotation` in degrees, clockwise, about (x, y).
    public mutating func text(
        _ s: String, x: Double, y: Double, size: Double = 14, anchor: Anchor = .start,
        rotation: Double = 0, weight: String? = nil, fill: String = "#222222"
    ) {
        let transform = rotation == 0 ? nil : "rotate(\(Self.number(rotation)) \(Self.number(x)) \(Self.number(y)))"
        emit(
            "<text"
                + Self.attributes([
                    ("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)),
                    ("text-anchor", anchor == .start ? nil : anchor.rawValue),
                    ("font-weight", weight), ("fill", fill), ("transform", transform),
                ])
                + ">\(Self.escaped(s))</text>")
    }

    /// The whole document.
    public func render() -> String {
        let w = Self.number(width)
        let h = Self.number(height)
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" "
                + "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">",
            "  <rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>",
        ]
        lines += body
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }
}
