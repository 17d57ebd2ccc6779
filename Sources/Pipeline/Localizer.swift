import Brainstem
import Cochlea
import DSP
import Decoding
import Dispatch
import RateCoding
import Reference

/// Everything that shapes a localisation run, with units in the names.
public struct LocalizerConfiguration: Sendable, Equatable {
    public var cochlea = CochleaConfiguration()
    public var jeffress = JeffressArray.Configuration()
    /// The level-difference path: one LSO per channel and side (see `LateralSuperiorOliveBank`).
    var lso = LateralSuperiorOlive.Parameters()
    /// What the LSOs do at each azimuth of the head (shipped: `LSOCalibration.kemar`); with it the
    /// level difference chooses among the ITD curve's peaks (`LevelEvidence`). Nil switches the
    /// level cue off (`--ablate lso`); it is also off for a free-field microphone pair, which has
    /// no head to make a level difference, and when the channel count differs from the table's.
    public var lsoCalibration: LSOCalibration? = .kemar
    /// With the level cue on: an answer whose side the LSOs clearly contradict moves to their side
    /// (`LevelEvidence.overruledSide`); false keeps the ITD curve's side (`--ablate side-veto`).
    public var lsoSideVeto = true
    /// The answer's azimuth is read on the ITD curve of the channels that carried the ITD, when the
    /// head model has a curve per channel (`ITDCalibration.channelITDsSeconds`); false reads every
    /// sound on the broadband curve (`--ablate channel-itd`). The track's frames always use the
    /// broadband curve.
    public var channelITDCurves = true
    public var readout = ITDReadout.Parameters()
    /// Both codes answer only when each ear's fibres fired clearly more than spontaneously.
    var spontaneousTest = SpontaneousActivityTest()
    /// Width of the rate code's counting window, in seconds.
    public var rateWindowSeconds: Double = 0.010
    /// When set, the rate code counts each channel's high-spontaneous-rate fibres apart from the
    /// others (`RateCoder.FibreGroups`); a trained read-out fits only frames counted its way.
    public var rateFibreGroups: RateCoder.FibreGroups?
    /// Bands of adjacent channels per fibre group in which the rate code's frames read the level
    /// cue (`RateFrameLayout.bandsPerGroup`); 0 reads every channel apart.
    public var rateBandsPerGroup = 0

    /// Counts the rate code's spikes as `model` was trained to read them, in its fibre groups and
    /// level-cue bands: a trained read-out fits only frames counted its way.
    public mutating func countRateSpikes(like model: RateClassifier) {
        rateFibreGroups = model.layout.fibreGroups == 2 ? .init(cochlea: cochlea) : nil
        rateBandsPerGroup = model.layout.bandsPerGroup
    }
    /// Trained rate read-outs; each window (`rateWindowSeconds` and the sweep's) uses the one
    /// trained for it, and a window with none reads the binned cross-correlation's peak lag
    /// through the head model (the uncalibrated lag read-out). Empty: the lag read-out everywhere.
    public var rateModels: [RateClassifier] = []
    /// A read-out calibrated the older way (`RateCodeCalibration`, for `rateWindowSeconds`); when
    /// set it replaces the trained read-out for that window.
    public var rateCalibration: RateCodeCalibration?
    /// Further counting windows, in seconds, whose features are computed from the same spikes in
    /// the same pass (a sweep over window widths); see `LocalizationResult.rateSweep`.
    public var sweepRateWindowsSeconds: [Double] = []
    /// Maps ITD to azimuth for both codes. The shipped default is the KEMAR calibration
    /// (`ITDCalibration.kemar`), the same as the command line's, so that a library user and a
    /// command-line user get the same answer for the same file.
    public var headModel: HeadModel = .calibrated(.kemar)
    /// Seed for all randomness (the auditory-nerve fibres).
    public var seed: UInt64 = 1
    /// Keep a per-frame estimate (the track). Costs memory in proportion to the sound's length.
    public var keepsTrack = false
    /// Also run GCC-PHAT, the non-spiking signal-processing reference, on the same samples; its ITD
    /// goes through `headModel` like the temporal code's. Nil leaves it out.
    public var reference: GCCPHAT.Configuration?
    /// Threads one sound may use. With 2 or more, the two ears' cochleae run at once and the
    /// Jeffress array's channels are split between threads (channels are independent until the
    /// read-out). Answers do not depend on it, to the bit.
    public var threadCount: Int = 1

    public init() {}
}

/// A direction, as one of the two codes decoded it.
public struct DirectionEstimate: Sendable, Equatable {
    /// Lateral angle in degrees: 0 ahead, negative left, positive right.
    public var azimuthDegrees: Double
    /// Best ITD, in seconds (positive = right ear leads).
    public var itdSeconds: Double
    /// 0...1.
    public var confidence: Double

    public init(azimuthDegrees: Double, itdSeconds: Double, confidence: Double) {
        self.azimuthDegrees = azimuthDegrees
        self.itdSeconds = itdSeconds
        self.confidence = confidence
    }
}

/// One frame of the temporal code's track.
public struct TrackPoint: Sendable, Equatable {
    public var startSeconds: Double
    public var durationSeconds: Double
    /// Nil when the frame had no significant peak (silence, or no consistent ITD).
    public var estimate: DirectionEstimate?
    public var detectorSpikes: Int
    /// The frame's weight in the whole sound's answer (`ITDReadout.frameWeight`: its own peak's
    /// standard deviations of counting noise above 9; 1 for every frame with the weighting off):
    /// 0 for a frame that does not count, unless no frame of the sound has a weight, when every
    /// frame counts alike.
    public var weight: Double

    public init(
        startSeconds: Double, durationSeconds: Double, estimate: DirectionEstimate?, detectorSpikes: Int,
        weight: Double
    ) {
        self.startSeconds = startSeconds
        self.durationSeconds = durationSeconds
        self.estimate = estimate
        self.detectorSpikes = detectorSpikes
        self.weight = weight
    }
}

/// The rate code's answer at one window width.
public struct RateAnswer: Sendable, Equatable {
    /// Nil when there was no answer (silence, or no frame above the spontaneous rate).
    public var estimate: DirectionEstimate?
    /// How it was read: "trained", "lag", or a calibrated read-out's name.
    public var readout: String
    /// Multiply-accumulates of the decision beyond the binned cross-correlation: the frames'
    /// features and the read-out.
    public var decoderMultiplyAccumulates: Int
}

/// What each code spent.
public struct SpikeCosts: Sendable, Equatable {
    /// Auditory-nerve spikes, both ears.
    public var auditoryNerveSpikes = 0
    /// Input spikes delivered to coincidence detectors (one per spike per detector).
    public var synapticEvents = 0
    /// Spikes fired by coincidence detectors.
    public var detectorSpikes = 0
    /// Synaptic events of the level path: each nerve spike excites its own side's LSO and, through
    /// the MNTB (one synapse in, one out), inhibits the other side's: three per nerve spike.
    public var lsoSynapticEvents = 0
    /// Rate path: multiply-accumulates in its feature computation.
    var rateMultiplyAccumulates = 0
    /// Rate path: rate values computed (channels x ears x windows).
    var rateValues = 0
    /// Rate path: multiply-accumulates in its decoder (one decision).
    var rateDecoderMultiplyAccumulates = 0
    /// Rate path: all its multiply-accumulates for one decision, features and decoder.
    public var rateTotalMultiplyAccumulates: Int { rateMultiplyAccumulates + rateDecoderMultiplyAccumulates }
    /// GCC-PHAT reference (when run): multiply-accumulates of its transforms and spectral products.
    public var referenceMultiplyAccumulates = 0

    public init() {}
}

/// The result of localising one sound.
public struct LocalizationResult: Sendable {
    public var durationSeconds: Double
    public var sampleRateHz: Double
    /// Temporal code (Jeffress array); nil when no direction could be found.
    public var temporal: DirectionEstimate?
    /// Rate code; nil when no direction could be found.
    public var rate: DirectionEstimate?
    public var rateFeatures: RateFeatures
    /// Features for each of `sweepRateWindowsSeconds`, in that order.
    public var rateSweep: [RateFeatures]
    /// The rate code's answer for `rateWindowSeconds`, then for each sweep window in order
    /// (`rateAnswers[0].estimate` is `rate`).
    public var rateAnswers: [RateAnswer]
    /// GCC-PHAT's direction (confidence: its correlation peak, 0...1), when the configuration asked
    /// for it; nil when not run or when its peak was not above what noise gives.
    public var reference: DirectionEstimate?
    /// Whether GCC-PHAT ran (so that "no answer" can be told from "not asked").
    public var referenceRan: Bool
    public var costs: SpikeCosts
    /// Detector spikes summed over the whole sound, `[channel * delays + delay]`.
    public var activity: [Int64]
    /// LSO spikes over the whole sound, per side (0 = left, 1 = right) and channel.
    public var lsoSpikeCounts: [[Int]]
    public var channelCount: Int
    public var centreFrequenciesHz: [Double]
    public var delaysSeconds: [Double]
    /// Per-frame estimates, when `keepsTrack` was set and no `trackObserver` took them.
    public var track: [TrackPoint]
    /// True when every input sample was exactly zero.
    public var isDigitalSilence: Bool
    /// True when the left and right channels were identical, sample for sample. Such a sound has
    /// no interaural difference by construction, so the temporal code's direction is reported as
    /// exactly 0 (ahead): the model's own estimate would differ from 0 only by the independent
    /// noise of the two ears' fibres, a few microseconds.
    public var isDiotic: Bool
    /// False when an ear's nerve spikes did not clearly exceed what its fibres fire in
    /// silence (`SpontaneousActivityTest`); both codes then have no direction.
    public var isAboveSpontaneous: Bool
    /// Why `temporal` is nil (nil when it is not, and for digital silence).
    public var noDirectionReason: NoDirectionReason?
}

/// The whole model for one stereo sound: two ears' peripheries (cochleae), the level path, a
/// Jeffress array, a rate coder and their read-outs. Feed it blocks of left and right samples, then
/// call `finish()`.
///
/// The stages meet through small protocols, so that a second implementation of one replaces it
/// here alone: each ear is an `AuditoryPeriphery` (Cochlea), the temporal code's read-out a
/// `TemporalReadout` (Decoding) and each rate window's read-out a `RateReadout` (Decoding).
public final class Localizer {
    let configuration: LocalizerConfiguration
    let sampleRateHz: Double
    let leftEar: any AuditoryPeriphery, rightEar: any AuditoryPeriphery
    var jeffress: JeffressArray
    var olive: LateralSuperiorOliveBank
    var rateCoder: RateCoder
    var sweepCoders: [RateCoder]
    /// Per window (the main one, then the sweep's): its read-out.
    var rateReadouts: [any RateReadout]
    var readout: any TemporalReadout
    var reference: GCCPHAT?
    var leftSpikes: SpikeBlock, rightSpikes: SpikeBlock
    var costs = SpikeCosts()
    /// Auditory-nerve spikes of each ear, for the test against spontaneous activity.
    var leftEarSpikes = 0, rightEarSpikes = 0
    var track: [TrackPoint] = []
    var frames = 0
    var silent = true
    var diotic = true
    /// Optional observer of each block's spikes (for rasters); not needed to localise.
    public var spikeObserver: ((SpikeBlock, SpikeBlock) -> Void)?
    /// Optional observer of each track point (with `keepsTrack`), called as soon as its frame is
    /// final, i.e. its last detector has settled: for a live track. Points handed to it are not
    /// kept in the result, so that following a stream for hours takes constant memory.
    var trackObserver: ((TrackPoint) -> Void)?
    /// The stages of one block, in the order they run; see `stageObserver`.
    public enum Stage: Sendable { case cochlea, olive, rateCode, coincidence, readout }
    /// Optional observer told as each stage of each block (and of `finish()`) ends, so that a
    /// benchmark can clock the stages of the real pipeline; not needed to localise.
    public var stageObserver: ((Stage) -> Void)?

    /// The model with the configuration's cochleae (`configuration.cochlea`, seeded by
    /// `configuration.seed`).
    public convenience init(configuration: LocalizerConfiguration = .init(), sampleRateHz: Double) {
        self.init(
            configuration: configuration, sampleRateHz: sampleRateHz,
            leftEar: Cochlea(
                configuration: configuration.cochlea, sampleRateHz: sampleRateHz, ear: .left,
                seed: configuration.seed),
            rightEar: Cochlea(
                configuration: configuration.cochlea, sampleRateHz: sampleRateHz, ear: .right,
                seed: configuration.seed))
    }

    /// The model behind two given peripheries (fresh ones, with the same channels);
    /// `configuration.cochlea` is then not read. The LSO table (`lsoCalibration`) and the trained
    /// rate read-outs were learned through the default cochlea, so they are used only where their
    /// channel counts and frame layouts fit.
    public init(
        configuration: LocalizerConfiguration, sampleRateHz: Double, leftEar: any AuditoryPeriphery,
        rightEar: any AuditoryPeriphery
    ) {
        precondition(
            leftEar.channelCount == rightEar.channelCount
                && leftEar.centreFrequenciesHz == rightEar.centreFrequenciesHz,
            "the two ears have different channels")
        self.configuration = configuration
        self.sampleRateHz = sampleRateHz
        self.leftEar = leftEar
        self.rightEar = rightEar
        let channels = leftEar.channelCount
        jeffress = JeffressArray(configuration: configuration.jeffress, channelCount: channels)
        jeffress.threadCount = configuration.threadCount
        olive = LateralSuperiorOliveBank(parameters: configuration.lso, channelCount: channels)
        let spontaneous = leftEar.spontaneousSpikesPerSecondPerChannel
        rateCoder = RateCoder(
            windowSeconds: configuration.rateWindowSeconds, channelCount: channels,
            maxLagSeconds: configuration.jeffress.maximumDelaySeconds,
            spontaneousSpikesPerSecondPerChannel: spontaneous, fibreGroups: configuration.rateFibreGroups,
            bandsPerGroup: configuration.rateBandsPerGroup)
        if let c = configuration.rateCalibration {
            precondition(
                abs(c.windowSeconds - configuration.rateWindowSeconds) <= 1e-9 * configuration.rateWindowSeconds,
                "the rate calibration was learned with another window width")
        }
        sweepCoders = configuration.sweepRateWindowsSeconds.map {
            RateCoder(
                windowSeconds: $0, channelCount: channels, maxLagSeconds: configuration.jeffress.maximumDelaySeconds,
                spontaneousSpikesPerSecondPerChannel: spontaneous, fibreGroups: configuration.rateFibreGroups,
                bandsPerGroup: configuration.rateBandsPerGroup)
        }
        // The main window's calibrated read-out when there is one, else a trained read-out that
        // fits the window's frames, else the binned cross-correlation's peak lag through the head.
        rateReadouts = ([rateCoder] + sweepCoders).enumerated().map { w, coder -> any RateReadout in
            if w == 0, let calibration = configuration.rateCalibration {
                return RateCodeDecoder(headModel: configuration.headModel, calibration: calibration)
            }
            if let layout = coder.frameLayout,
                let model = configuration.rateModels.first(where: { $0.layout.fits(layout) })
            {
                return RateEvidence(classifier: model)
            }
            return RateCodeDecoder(headModel: configuration.headModel)
        }
        let frames = FrameReadout(
            readout: ITDReadout(parameters: configuration.readout, delaysSeconds: configuration.jeffress.delaysSeconds),
            channelCount: channels, keepsTrack: configuration.keepsTrack)
        // The level cue needs a table for these channels and a head to make level differences.
        if let calibration = configuration.lsoCalibration, calibration.channelCount == channels,
            !configuration.headModel.isFreeField
        {
            readout = DuplexReadout(
                frames: frames, calibration: calibration, headModel: configuration.headModel,
                sideVeto: configuration.lsoSideVeto)
        } else {
            readout = frames
        }
        leftSpikes = SpikeBlock(channelCount: channels)
        rightSpikes = leftSpikes
        reference = configuration.reference.map {
            GCCPHAT(
                configuration: $0, sampleRateHz: sampleRateHz,
                maximumLagSeconds: abs(configuration.headModel.maximumITDSeconds))
        }
    }

    public var centreFrequenciesHz: [Double] { leftEar.centreFrequenciesHz }

    /// Processes one block; `left` and `right` must have equal lengths.
    func process(left: [Float], right: [Float]) {
        precondition(left.count == right.count, "left and right blocks differ in length")
        if silent { silent = !(left.contains { $0 != 0 } || right.contains { $0 != 0 }) }
        if diotic { diotic = left == right }
        frames += left.count
        reference?.process(left: left, right: right)
        if configuration.threadCount > 1 {
            processEarsConcurrently(left: left, right: right)
        } else {
            leftEar.process(left, into: &leftSpikes)
            rightEar.process(right, into: &rightSpikes)
        }
        stageObserver?(.cochlea)
        spikeObserver?(leftSpikes, rightSpikes)
        costs.auditoryNerveSpikes += leftSpikes.spikeCount + rightSpikes.spikeCount
        olive.process(left: leftSpikes, right: rightSpikes)
        costs.lsoSynapticEvents += 3 * (leftSpikes.spikeCount + rightSpikes.spikeCount)
        stageObserver?(.olive)
        leftEarSpikes += leftSpikes.spikeCount
        rightEarSpikes += rightSpikes.spikeCount
        rateCoder.add(left: leftSpikes, right: rightSpikes)
        for i in sweepCoders.indices { sweepCoders[i].add(left: leftSpikes, right: rightSpikes) }
        takeRateFrames()
        stageObserver?(.rateCode)
        let itdFrames = jeffress.process(left: leftSpikes, right: rightSpikes)
        stageObserver?(.coincidence)
        absorb(itdFrames)
        stageObserver?(.readout)
    }

    /// The ears' cochleae share nothing, so each runs on its own thread; the spike blocks are
    /// moved out and back so that no two threads touch the same property.
    private func processEarsConcurrently(left: [Float], right: [Float]) {
        var blocks = [leftSpikes, rightSpikes]
        leftSpikes = SpikeBlock(channelCount: 0)
        rightSpikes = leftSpikes
        var ears = [leftEar, rightEar]
        let inputs = [left, right]
        blocks.withUnsafeMutableBufferPointer { out in
            ears.withUnsafeMutableBufferPointer { ears in
                // Thread i uses only ear i and block i (see SharedBuffer).
                let (out, ears) = (SharedBuffer(out), SharedBuffer(ears))
                DispatchQueue.concurrentPerform(iterations: 2) { i in ears[i].process(inputs[i], into: &out[i]) }
            }
        }
        leftSpikes = blocks[0]
        rightSpikes = blocks[1]
    }

    /// Hands each window's finished decision frames to its read-out (which keeps or drops them),
    /// so that memory stays constant.
    func takeRateFrames() {
        let frames = rateCoder.drainFrames()
        rateReadouts[0].add(frames: frames)
        for i in sweepCoders.indices {
            let f = sweepCoders[i].drainFrames()
            rateReadouts[i + 1].add(frames: f)
        }
    }

    func absorb(_ itdFrames: [ITDFrame]) {
        for f in itdFrames {
            costs.synapticEvents += f.synapticEvents
            costs.detectorSpikes += f.detectorSpikes
            let reading = readout.absorb(f)
            if configuration.keepsTrack {
                let e = silent ? nil : reading.estimate
                let point = TrackPoint(
                    startSeconds: f.startSeconds, durationSeconds: f.durationSeconds,
                    estimate: e.map(direction), detectorSpikes: f.detectorSpikes, weight: reading.weight)
                if let trackObserver { trackObserver(point) } else { track.append(point) }
            }
        }
    }

    func direction(_ e: ITDEstimate) -> DirectionEstimate {
        let itd = diotic ? 0 : e.itdSeconds
        return DirectionEstimate(
            azimuthDegrees: diotic ? 0 : configuration.headModel.azimuthDegrees(itdSeconds: itd),
            itdSeconds: itd, confidence: e.confidence)
    }

    /// Flushes the model and returns the result. Digital silence never gets a direction.
    public func finish() -> LocalizationResult {
        let lastFrames = jeffress.finish()
        olive.finish()
        stageObserver?(.coincidence)
        absorb(lastFrames)
        let features = rateCoder.finish()
        let sweep = sweepCoders.indices.map { sweepCoders[$0].finish() }
        takeRateFrames()
        costs.rateMultiplyAccumulates = features.multiplyAccumulates
        costs.rateValues = features.rateValues
        let heard = isAboveSpontaneous
        var temporal: DirectionEstimate?
        var reason: NoDirectionReason?
        if !silent {
            switch heard
                ? readout.decision(lsoSpikeCounts: olive.spikeCounts) : .failure(.init(.noEvidenceAboveSpontaneous))
            {
            case .success(let e):
                temporal = direction(e)
                if configuration.channelITDCurves && !diotic {
                    let weights = ITDReadout(
                        parameters: configuration.readout, delaysSeconds: configuration.jeffress.delaysSeconds
                    ).channelWeights(
                        counts: readout.activity.map(Double.init), channelCount: leftEar.channelCount,
                        itdSeconds: e.itdSeconds)
                    temporal?.azimuthDegrees = configuration.headModel.azimuthDegrees(
                        itdSeconds: e.itdSeconds, channelWeights: weights)
                }
            case .failure(let f): reason = f.reason
            }
        }
        let coders = [rateCoder] + sweepCoders
        let answers = ([features] + sweep).enumerated().map { w, f in
            rateAnswer(f, readout: rateReadouts[w], frameCost: coders[w].frameMultiplyAccumulates)
        }
        var referenceEstimate: DirectionEstimate?
        if let result = reference?.finish() {
            costs.referenceMultiplyAccumulates = result.multiplyAccumulates
            if !silent, let itd = result.itdSeconds {
                let lag = diotic ? 0 : itd
                referenceEstimate = DirectionEstimate(
                    azimuthDegrees: configuration.headModel.azimuthDegrees(itdSeconds: lag),
                    itdSeconds: lag, confidence: min(1, max(0, result.peak)))
            }
        }
        costs.rateDecoderMultiplyAccumulates = answers[0].decoderMultiplyAccumulates
        stageObserver?(.readout)
        return LocalizationResult(
            durationSeconds: Double(frames) / sampleRateHz, sampleRateHz: sampleRateHz,
            temporal: temporal, rate: answers[0].estimate, rateFeatures: features,
            rateSweep: sweep, rateAnswers: answers,
            reference: referenceEstimate, referenceRan: reference != nil, costs: costs,
            activity: readout.activity, lsoSpikeCounts: olive.spikeCounts, channelCount: leftEar.channelCount,
            centreFrequenciesHz: leftEar.centreFrequenciesHz,
            delaysSeconds: configuration.jeffress.delaysSeconds, track: track,
            isDigitalSilence: silent, isDiotic: diotic && !silent, isAboveSpontaneous: heard,
            noDirectionReason: reason)
    }

    /// Whether each ear's fibres fired clearly more than their spontaneous rate would make them
    /// over the sound so far.
    var isAboveSpontaneous: Bool {
        let expected =
            leftEar.spontaneousSpikesPerSecondPerChannel * Double(leftEar.channelCount)
            * Double(frames) / sampleRateHz
        let test = configuration.spontaneousTest
        return test.isAboveSpontaneous(spikes: leftEarSpikes, expectedSpikes: expected)
            && test.isAboveSpontaneous(spikes: rightEarSpikes, expectedSpikes: expected)
    }

    /// One window's rate answer from its read-out; none for silence or spontaneous activity alone.
    /// `frameCost` is the window's frame features, charged to read-outs that read the frames.
    func rateAnswer(_ f: RateFeatures, readout: any RateReadout, frameCost: Int) -> RateAnswer {
        let mute = silent || !isAboveSpontaneous
        let estimate =
            mute
            ? nil
            : readout.estimate(f).map {
                DirectionEstimate(
                    azimuthDegrees: $0.azimuthDegrees, itdSeconds: f.bestLagSeconds ?? 0, confidence: $0.confidence)
            }
        return RateAnswer(
            estimate: estimate, readout: readout.name,
            decoderMultiplyAccumulates: (readout.readsFrames ? frameCost : 0) + readout.decisionMultiplyAccumulates)
    }
}
