import Cochlea
import DSP
import Decoding
import Foundation
import Pipeline
import Reports
import Stimuli
import XCTest

/// Each plot kind drawn from a small real run of the model: 0.3 s of noise with a pure ITD of
/// +300 us, 8 channels, 21 delays, at 16 kHz (a second or two of work).
final class PlotTests: XCTestCase {
    static let itdSeconds = 300e-6
    struct Run {
        var result: LocalizationResult
        var raster: SpikeRaster
        var windowSpikes: Int
        var configuration: LocalizerConfiguration
    }

    static let run: Run = {
        let rate = 16000.0
        var generator = SeededGenerator(seed: 5)
        let mono = Stimulus.whiteNoise.render(
            durationSeconds: 0.3, sampleRateHz: rate, rms: 0.05, generator: &generator)
        let (left, right) = FractionalDelay().interauralPair(mono, itdSeconds: itdSeconds, sampleRateHz: rate)
        var c = LocalizerConfiguration()
        c.cochlea.channelCount = 8
        c.jeffress.delayCount = 21
        c.keepsTrack = true
        let localizer = Localizer(configuration: c, sampleRateHz: rate)
        let channels = SpikeRaster.channelsNearest([300, 800], in: localizer.centreFrequenciesHz)
        var raster = SpikeRaster(
            channels: channels, allCentreFrequenciesHz: localizer.centreFrequenciesHz,
            fibresPerChannel: c.cochlea.fibreCountPerChannel, startSeconds: 0.1, durationSeconds: 0.025)
        // An independent count of the spikes the raster should hold.
        var windowSpikes = 0
        localizer.spikeObserver = { l, r in
            raster.record(left: l, right: r)
            for ch in channels { windowSpikes += (l.times[ch] + r.times[ch]).filter { $0 >= 0.1 && $0 < 0.125 }.count }
        }
        var source = StereoSamples(left: left, right: right, blockFrames: 1024)
        localizer.feed(&source)
        return Run(result: localizer.finish(), raster: raster, windowSpikes: windowSpikes, configuration: c)
    }()

    func testActivityMapHasOneCellPerDetectorAndMarksBothITDs() throws {
        let r = Self.run.result
        var options = ActivityPlot.Options()
        options.trueITDSeconds = Self.itdSeconds
        let svg = SVGInspector(ActivityPlot.svg(r, options: options))
        XCTAssertTrue(svg.isWellFormed)
        XCTAssertEqual(svg.root?.attributes["width"], "800")
        XCTAssertEqual(svg.count("rect", className: "cell"), 8 * 21)
        XCTAssertNotNil(r.temporal, "the run should find a direction")
        XCTAssertEqual(svg.count("line", className: "estimate"), 2)  // one in the map, one in the sum panel
        let truth = svg.all("line", className: "truth")
        XCTAssertEqual(truth.count, 2)
        // The map spans the delays +/-900 us plus half a 90 us step each side (-945...945 us) over
        // 580 px from x = 90, so +300 us sits at 90 + 1245 / 1890 * 580 = 472.06 px; the writer
        // rounds to 0.1 px.
        XCTAssertEqual(Double(truth[0].attributes["x1"] ?? "") ?? 0, 472.06, accuracy: 0.05)
        // Cells of one row tile the width exactly: 21 cells of 580 / 21 px each.
        let widths = svg.all("rect", className: "cell").prefix(21).compactMap { Double($0.attributes["width"] ?? "") }
        XCTAssertEqual(widths.reduce(0, +), 580, accuracy: 21 * 0.1)  // each width rounded to 0.1 px
    }

    func testRasterHasOneLinePerSpikeInTheWindow() throws {
        let raster = Self.run.raster
        XCTAssertGreaterThan(
            Self.run.windowSpikes, 20, "a 25 ms window of 2 x 2 x 6 driven fibres holds dozens of spikes")
        XCTAssertEqual(raster.spikeCount, Self.run.windowSpikes)
        let svg = SVGInspector(RasterPlot.svg(raster))
        XCTAssertTrue(svg.isWellFormed)
        let l = raster.left.reduce(0) { $0 + $1.count }
        let r = raster.right.reduce(0) { $0 + $1.count }
        XCTAssertEqual(svg.count("line", className: "spike-left"), l)
        XCTAssertEqual(svg.count("line", className: "spike-right"), r)
        XCTAssertTrue(svg.texts.contains("L") && svg.texts.contains("R"))
    }

    func testTrackHasAPointPerFrameWithADirection() throws {
        let track = Self.run.result.track
        XCTAssertEqual(track.count, 6, "0.3 s in 50 ms frames")
        let svg = SVGInspector(TrackPlot.svg(track: track, durationSeconds: 0.3, truth: [(0, 30)]))
        XCTAssertTrue(svg.isWellFormed)
        let answered = track.filter { $0.estimate != nil }
        let leftOut = track.contains { $0.weight > 0 } ? answered.filter { $0.weight == 0 }.count : 0
        XCTAssertEqual(svg.count("circle", className: "point"), answered.count - leftOut)
        XCTAssertEqual(svg.count("circle", className: "hollow-point"), leftOut)
        XCTAssertGreaterThanOrEqual(svg.count("polyline", className: "series"), 1)
        XCTAssertTrue(svg.texts.contains("true azimuth"))
    }

    /// Frames left out of the answer get hollow markers, unless no frame has a weight, when every
    /// frame counts alike.
    func testTrackDrawsFramesLeftOutHollow() {
        func point(_ start: Double, weight: Double) -> TrackPoint {
            TrackPoint(
                startSeconds: start, durationSeconds: 0.05,
                estimate: DirectionEstimate(azimuthDegrees: 10, itdSeconds: 1e-4, confidence: 0.5), detectorSpikes: 1,
                weight: weight)
        }
        let mixed = SVGInspector(
            TrackPlot.svg(
                track: [point(0, weight: 3), point(0.05, weight: 0), point(0.1, weight: 0)], durationSeconds: 0.15))
        XCTAssertEqual(mixed.count("circle", className: "point"), 1)
        XCTAssertEqual(mixed.count("circle", className: "hollow-point"), 2)
        let none = SVGInspector(
            TrackPlot.svg(track: [point(0, weight: 0), point(0.05, weight: 0)], durationSeconds: 0.1))
        XCTAssertEqual(none.count("circle", className: "point"), 2)
        XCTAssertEqual(none.count("circle", className: "hollow-point"), 0)
    }

    func testEstimateChartHasOnePolylinePerCode() throws {
        let points = [
            EstimatePlot.Point(trueAzimuthDegrees: -30, temporalDegrees: -29, rateDegrees: -10),
            EstimatePlot.Point(trueAzimuthDegrees: 0, temporalDegrees: 1, rateDegrees: nil),
            EstimatePlot.Point(trueAzimuthDegrees: 45, temporalDegrees: 44, rateDegrees: 20),
        ]
        let svg = SVGInspector(EstimatePlot.svg(points))
        XCTAssertTrue(svg.isWellFormed)
        XCTAssertEqual(svg.count("polyline", className: "series"), 2)
        XCTAssertEqual(svg.count("circle", className: "point"), 3 + 2)  // one per estimate that exists
        XCTAssertTrue(
            svg.texts.contains("temporal code (spike timing)") && svg.texts.contains("rate code (spike counts)"))
        XCTAssertTrue(svg.texts.contains("true azimuth (degrees; negative = left)"))
    }

    func testErrorChartOnALogAxis() throws {
        let svg = SVGInspector(
            ErrorPlot.svg(
                [
                    .init(name: "temporal", points: [(0.1, 2), (1, 2), (10, 2)]),
                    .init(name: "rate", points: [(0.1, 5), (1, 20), (10, 40)]),
                ],
                xLabel: "rate window (ms)", logarithmicX: true))
        XCTAssertTrue(svg.isWellFormed)
        XCTAssertEqual(svg.count("polyline", className: "series"), 2)
        XCTAssertEqual(svg.count("circle", className: "point"), 6)
        // On a log axis 0.1, 1 and 10 ms are equally spaced.
        let xs = svg.all("circle", className: "point").prefix(3).compactMap { Double($0.attributes["cx"] ?? "") }
        XCTAssertEqual(xs[1] - xs[0], xs[2] - xs[1], accuracy: 0.2)  // two roundings to 0.1 px
    }
}
