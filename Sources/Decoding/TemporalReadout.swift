import Brainstem

/// The temporal code's read-out: Jeffress-array frames in, as they come, and the whole sound's
/// interaural time difference out at the end. `FrameReadout` reads the detector counts alone;
/// `DuplexReadout` lets the lateral superior olives' level difference choose among the ITD
/// curve's peaks. The pipeline holds one or the other and asks both the same questions.
public protocol TemporalReadout: Sendable {
    /// Detector spikes summed over the frames that count so far, `[channel * delays + delay]`.
    var activity: [Int64] { get }
    /// Adds one frame; returns its weight in the decision and, when a track is kept, its own
    /// estimate.
    mutating func absorb(_ frame: ITDFrame) -> FrameReading
    /// The estimate from all frames so far, or why there is none. `lsoSpikeCounts` are the LSOs'
    /// spikes over the same span, per side (0 = left) and channel, for read-outs that weigh the
    /// level cue.
    func decision(lsoSpikeCounts: [[Int]]) -> Result<ITDEstimate, ITDReadout.NoDirection>
}

extension FrameReadout: TemporalReadout {
    /// The counts alone decide; the level cue is not read.
    public func decision(lsoSpikeCounts: [[Int]]) -> Result<ITDEstimate, ITDReadout.NoDirection> {
        overallDecision()
    }
}

/// The duplex theory's read-out (Rayleigh 1907): time and level together. Frames are read as
/// `FrameReadout` reads them; the whole sound's ITD is the peak of the across-frequency curve that
/// the level difference favours (`LevelEvidence`), mirror-image peaks do not leave the sound
/// without a direction when the LSOs point clearly to one side, and an answer whose side the LSOs
/// clearly contradict moves to their side (`LevelEvidence.overruledSide`).
public struct DuplexReadout: TemporalReadout {
    private(set) var frames: FrameReadout
    let levelEvidence: LevelEvidence
    /// Maps ITD to azimuth and back, as for the answer; the level table is indexed by azimuth.
    let headModel: HeadModel

    /// `calibration` must have one entry per channel of `frames`. `sideVeto`: see
    /// `LevelEvidence.overruledSide`.
    public init(frames: FrameReadout, calibration: LSOCalibration, headModel: HeadModel, sideVeto: Bool = true) {
        precondition(calibration.channelCount == frames.channelCount, "the LSO table has another channel count")
        self.frames = frames
        self.levelEvidence = LevelEvidence(calibration: calibration, sideVeto: sideVeto)
        self.headModel = headModel
    }

    public var activity: [Int64] { frames.activity }

    public mutating func absorb(_ frame: ITDFrame) -> FrameReading { frames.absorb(frame) }

    public func decision(lsoSpikeCounts: [[Int]]) -> Result<ITDEstimate, ITDReadout.NoDirection> {
        let counts = frames.weightedActivity
        let channels = frames.channelCount
        let r = frames.readout
        let preferred = levelEvidence.preferredITD(
            curve: r.integrate(counts: counts, channelCount: channels), delaysSeconds: r.delaysSeconds,
            spikeCounts: lsoSpikeCounts, headModel: headModel)
        // Mirror-image ITD peaks (a real head's ghosts, or inverted polarity) are settled when the
        // LSOs point clearly to one side: 5 standard deviations, which chance alone exceeds about
        // once in 3.5 million sounds.
        let settled = preferred.map {
            levelEvidence.calibration.sideScore(
                spikeCounts: lsoSpikeCounts, azimuthDegrees: headModel.azimuthDegrees(itdSeconds: $0)) >= 5
        }
        let plain = frames.plainEvidence
        let first = r.decide(
            counts: counts, channelCount: channels, preferringPeakNear: preferred, sideSettled: settled ?? false,
            plain: plain)
        guard case .success(let answer) = first,
            let other = levelEvidence.overruledSide(
                itd: answer.itdSeconds, curve: r.integrate(counts: counts, channelCount: channels),
                delaysSeconds: r.delaysSeconds, spikeCounts: lsoSpikeCounts, headModel: headModel)
        else { return first }
        guard other.onPeak else {
            // No peak on the level cue's side to refine: its azimuth, with no ITD prominence.
            return .success(
                ITDEstimate(itdSeconds: other.itdSeconds, confidence: 0, significance: answer.significance))
        }
        return r.decide(
            counts: counts, channelCount: channels, preferringPeakNear: other.itdSeconds, sideSettled: true,
            plain: plain)
    }
}
