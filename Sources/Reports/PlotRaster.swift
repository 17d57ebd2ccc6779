import Cochlea
import Foundation
import Pipeline

/// Auditory-nerve spikes of a few channels of both ears over a short stretch of time, collected
/// from the model as it runs (`Localizer.spikeObserver`), for a raster plot.
public struct SpikeRaster: Sendable {
    public struct Spike: Sendable, Equatable {
        /// Seconds from the start of the sound.
        var time: Double
        /// Fibre index within its channel.
        var fibre: Int
    }

    let startSeconds: Double, endSeconds: Double
    /// Indices of the channels kept, and their centre frequencies in Hz.
    let channels: [Int]
    let centreFrequenciesHz: [Double]
    let fibresPerChannel: Int
    /// `left[k]`, `right[k]`: spikes of channel `channels[k]`, in time order.
    public private(set) var left: [[Spike]], right: [[Spike]]

    public init(
        channels: [Int], allCentreFrequenciesHz: [Double], fibresPerChannel: Int,
        startSeconds: Double, durationSeconds: Double
    ) {
        self.channels = channels
        centreFrequenciesHz = channels.map { allCentreFrequenciesHz[$0] }
        self.fibresPerChannel = fibresPerChannel
        self.startSeconds = startSeconds
        endSeconds = startSeconds + durationSeconds
        left = .init(repeating: [], count: channels.count)
        right = left
    }

    /// The channels whose centre frequencies are nearest to `targetsHz` (without repeats), in
    /// ascending frequency.
    public static func channelsNearest(_ targetsHz: [Double], in centreFrequenciesHz: [Double]) -> [Int] {
        var out: [Int] = []
        for f in targetsHz {
            guard
                let best = centreFrequenciesHz.indices.min(by: {
                    abs(centreFrequenciesHz[$0] - f) < abs(centreFrequenciesHz[$1] - f)
                })
            else { continue }
            if !out.contains(best) { out.append(best) }
        }
        return out.sorted()
    }

    /// Keeps the spikes of one block that fall in the window. Blocks must come in time order.
    public mutating func record(left l: SpikeBlock, right r: SpikeBlock) {
        guard l.endSeconds > startSeconds, l.startSeconds < endSeconds else { return }
        for (k, c) in channels.enumerated() {
            for (i, t) in l.times[c].enumerated() where t >= startSeconds && t < endSeconds {
                left[k].append(Spike(time: t, fibre: Int(l.fibre[c][i])))
            }
            for (i, t) in r.times[c].enumerated() where t >= startSeconds && t < endSeconds {
                right[k].append(Spike(time: t, fibre: Int(r.fibre[c][i])))
            }
        }
    }

    public var spikeCount: Int { (left + right).reduce(0) { $0 + $1.count } }
}

/// A spike raster: one row per auditory-nerve fibre, left-ear fibres and right-ear fibres of the
/// same channel next to each other, one short vertical line per spike. Below about 1 kHz the
/// spikes lock to the waveform's phase, and the right ear's rows are shifted against the left's by
/// the interaural time difference.
public enum RasterPlot {
    public static func svg(_ raster: SpikeRaster, title: String = "Auditory-nerve spikes", note: String? = nil)
        -> String
    {
        var svg = SVGWriter(width: 800, height: 640)
        svg.text(title, x: 400, y: 24, size: 17, anchor: .middle, weight: "bold")
        if let note { svg.text(note, x: 400, y: 44, size: 13, anchor: .middle, fill: "#444444") }
        let f = max(raster.fibresPerChannel, 1)
        let groups = raster.channels.count
        // Rows per channel: f left, f right, one blank between channels.
        let rowsPerGroup = 2 * f + 1
        let rows = max(groups * rowsPerGroup - 1, 1)
        let time = PlotAxis(
            label: "time from the start of the sound (ms)", lower: raster.startSeconds * 1000,
            upper: raster.endSeconds * 1000)
        let rowAxis = PlotAxis(
            label: "fibres of each channel (left ear, right ear)", lower: 0, upper: Double(rows), ticks: [])
        var frame = PlotFrame(left: 130, top: 60, width: 630, height: 440, x: time, y: rowAxis)
        frame.yLabelOffset = 100
        frame.drawGrid(&svg)
        let rowHeight = frame.height / Double(rows)
        // Group k from the bottom (lowest frequency at the bottom); within it left rows above right rows.
        func rowTop(group k: Int, ear: Int, fibre: Int) -> Double {
            let fromTop = Double((groups - 1 - k) * rowsPerGroup + ear * f + fibre)
            return frame.top + fromTop * rowHeight
        }
        svg.beginGroup(className: "spikes")
        for k in 0..<groups {
            for (ear, spikes) in [raster.left[k], raster.right[k]].enumerated() {
                let colour = ear == 0 ? PlotColour.leftEar : PlotColour.rightEar
                for s in spikes {
                    let x = frame.px(s.time * 1000)
                    let y = rowTop(group: k, ear: ear, fibre: min(s.fibre, f - 1))
                    svg.line(
                        x1: x, y1: y + rowHeight * 0.1, x2: x, y2: y + rowHeight * 0.9, stroke: colour, width: 1.6,
                        className: ear == 0 ? "spike-left" : "spike-right")
                }
            }
        }
        svg.endGroup()
        frame.drawAxes(&svg)
        svg.beginGroup(className: "channel-labels")
        for k in 0..<groups {
            let top = rowTop(group: k, ear: 0, fibre: 0)
            let fc = raster.centreFrequenciesHz[k]
            svg.text(
                fc >= 1000 ? String(format: "%.2f kHz", fc / 1000) : String(format: "%.0f Hz", fc),
                x: frame.left - 10, y: top + Double(f) * rowHeight + 4.5, size: 13, anchor: .end)
            svg.text(
                "L", x: frame.right + 6, y: top + Double(f) * rowHeight / 2 + 4.5, size: 12, fill: PlotColour.leftEar)
            svg.text(
                "R", x: frame.right + 6, y: top + Double(f) * rowHeight * 1.5 + 4.5, size: 12, fill: PlotColour.rightEar
            )
        }
        svg.endGroup()
        Legend.draw(
            &svg,
            entries: [
                LegendEntry(label: "left-ear fibre spike", colour: PlotColour.leftEar),
                LegendEntry(label: "right-ear fibre spike", colour: PlotColour.rightEar),
            ],
            right: 790, top: 575)
        return svg.render()
    }
}
