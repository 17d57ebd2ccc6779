import ArgumentParser
import AudioIO
import Brainstem
import Cochlea
import DSP
import Decoding
import Evaluation
import Foundation
import Pipeline
import RateCoding
import Stimuli

/// `soundloc bench`: the reference workloads of docs/benchmarks.md, timed stage by stage.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the model on its reference workloads and print the figures.",
        discussion: """
            Workload: stereo white noise at 44.1 kHz with an ITD of +300 us, written to a \
            temporary WAV file and localised with the default model (64 channels per ear, 81 internal \
            delays spanning +/-0.9 ms, 50 ms frames) on one thread. Per stage and in total it prints \
            the median over repeated runs of the thread's CPU time per second of audio (the total \
            also in wall-clock time), the real-time factor (audio seconds per CPU second), \
            auditory-nerve spikes and synaptic events per CPU second, and peak resident memory in \
            MB. Stage times come from an instrumented copy of the pipeline that clocks each stage \
            between blocks; the filterbank is clocked on a shadow copy, and hair cell + fibres is the \
            cochlea's time minus it. The total comes from the real FileLocalizer. See \
            docs/benchmarks.md.

            Parts: stages (default model, 1 s), small (32 channels x 41 delays, 1 s), lengths \
            (1, 10 and 60 s), parallel (1 vs 2 files at once, and 1 file on 2 threads), sweep (the pure-ITD precision sweep, \
            -700...700 us in 25 us steps, 1 s noise each unless --sweep-seconds says otherwise), \
            null (not run unless asked: how often each code reports a direction for inputs that have \
            none, over --null-seeds fibre seeds; see docs/robustness.md).
            """)

    enum Part: String, ExpressibleByArgument, CaseIterable { case stages, small, lengths, parallel, sweep, null }

    @Option(
        name: .customLong("only"), parsing: .upToNextOption,
        help: "Parts to run (stages, small, lengths, parallel, sweep, null); default: all but null.")
    var parts: [Part] = Part.allCases.filter { $0 != .null }

    @Option(name: .customLong("null-seeds"), help: "Fibre seeds per input kind in the null part.")
    var nullSeeds = 200

    @Option(
        help:
            "Runs per workload whose median is reported; 10 s sounds and the parallel test run at most 3 times, 60 s once."
    )
    var repeats = 5

    @Option(name: .customLong("sweep-seconds"), help: "Length of each noise in the pure-ITD sweep, in seconds.")
    var sweepSeconds = 1.0

    @Option(name: .customLong("child-localize"), help: .hidden)
    var childLocalize: String?

    @Flag(help: "Quick mode: 3 runs, lengths 1 and 10 s only, sweep in 100 us steps.")
    var quick = false

    func validate() throws {
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be 1...100") }
        guard (1...100_000).contains(nullSeeds) else { throw ValidationError("--null-seeds must be 1...100000") }
        guard sweepSeconds >= 0.1 && sweepSeconds <= 60 else {
            throw ValidationError("--sweep-seconds must be 0.1...60")
        }
    }

    var runs: Int { quick ? min(repeats, 3) : repeats }

    /// Why bench has nowhere to put its workload files.
    struct NoScratchDirectory: UserError {
        var description: String
    }

    /// A new folder for the workload files in the temporary directory (TMPDIR, else /tmp). A
    /// TMPDIR that names no folder is one line naming it, rather than Foundation's error dump, and
    /// is never created (creating intermediate folders would have made a missing one, as root
    /// anywhere in the tree).
    static func scratchDirectory() throws -> URL {
        let base = FileManager.default.temporaryDirectory.path
        let named = ProcessInfo.processInfo.environment["TMPDIR"].map { "TMPDIR \($0)" } ?? base
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue else {
            let what = FileManager.default.fileExists(atPath: base) ? "is not a directory" : "does not exist"
            throw NoScratchDirectory(
                description: "\(named): \(what); bench needs a folder for its temporary files (set TMPDIR to one)")
        }
        var template = Array((base + "/soundloc-bench-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw NoScratchDirectory(
                description: "\(named): cannot make a temporary folder: \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: String(cString: made), isDirectory: true)
    }

    func run() throws { try reportingUserErrors(runParts) }

    func runParts() throws {
        if let path = childLocalize {
            _ = try FileLocalizer(configuration: .init()).localize(path: path)
            try printChecked(String(format: "%.1f", BenchWorkloads.ownPeakMemoryMB()))
            return
        }
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bench = BenchWorkloads(directory: directory.path)
        try printChecked(
            "soundloc bench: medians of \(runs) runs; one thread's CPU time unless marked wall clock; 'x RT' = audio s / time"
        )
        for part in Part.allCases where parts.contains(part) {
            switch part {
            case .stages:
                try bench.report(
                    title: "default model: 64 channels x 81 delays, 1 s", configuration: .init(),
                    seconds: 1, runs: runs)
            case .small:
                var c = LocalizerConfiguration()
                c.cochlea.channelCount = 32
                c.jeffress.delayCount = 41
                try bench.report(
                    title: "small model: 32 channels x 41 delays, 1 s", configuration: c, seconds: 1, runs: runs)
            case .lengths:
                try bench.lengths(quick ? [1, 10] : [1, 10, 60], runs: runs)
            case .parallel:
                try bench.parallel(runs: min(runs, 3))
            case .sweep:
                try bench.sweep(stepMicroseconds: quick ? 100 : 25, seconds: sweepSeconds)
            case .null:
                try bench.null(seeds: nullSeeds)
            }
        }
    }
}

/// The measurements behind `soundloc bench`.
struct BenchWorkloads {
    let directory: String
    let sampleRateHz = 44100
    let itdSeconds = 0.0003

    /// CPU time of the calling thread, in seconds: what one core spent, unaffected by other
    /// processes sharing the machine.
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// CPU time of the whole process (all threads), in seconds.
    static func processCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    /// Wall-clock time, in seconds.
    static func wall() -> Double { Double(DispatchTime.now().uptimeNanoseconds) * 1e-9 }

    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
    }

    /// Peak resident set size of this process so far, in megabytes.
    static func peakMemoryMB() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Peak resident memory, in megabytes, of localising `path` in a child process (`soundloc bench
    /// --child-localize`), so that making the test sound does not count.
    static func childPeakMemoryMB(localizing path: String) throws -> Double {
        let child = Process()
        let output = Pipe()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["bench", "--child-localize", path]
        child.standardOutput = output
        try child.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        child.waitUntilExit()
        return Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan
    }

    /// This process's peak resident memory, in megabytes, from /proc (VmHWM: counted from the
    /// program's start, unlike getrusage, which keeps the parent's figure across fork and exec).
    static func ownPeakMemoryMB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return .nan }
        return kb / 1024
    }

    /// Writes `seconds` of stereo noise with the workload's ITD (right ear leads) and returns its path.
    func makeFile(seconds: Double, seed: UInt64) throws -> String {
        let path = "\(directory)/noise_\(Int(seconds))s_\(seed).wav"
        if FileManager.default.fileExists(atPath: path) { return path }
        let (left, right) = Self.pureITDNoise(
            seconds: seconds, itdSeconds: itdSeconds, sampleRateHz: Double(sampleRateHz), seed: seed)
        try writeAudioFile(path: path, channels: [left, right], sampleRateHz: sampleRateHz, sampleFormat: .float32)
        return path
    }

    /// Broadband noise delayed by +/- half the ITD in each ear (fractional-sample delays).
    static func pureITDNoise(seconds: Double, itdSeconds: Double, sampleRateHz fs: Double, seed: UInt64) -> (
        [Float], [Float]
    ) {
        var g = SeededGenerator(seed: seed)
        let x = Stimulus.whiteNoise.render(durationSeconds: seconds, sampleRateHz: fs, rms: 0.05, generator: &g)
        return FractionalDelay().interauralPair(x, itdSeconds: itdSeconds, sampleRateHz: fs)
    }

    struct StageTimes {
        var reading = 0.0, filterbank = 0.0, cochlea = 0.0, olive = 0.0, coincidence = 0.0, readout = 0.0
        /// Keeps the shadow filterbank's output observable, so it is not optimised away.
        var checksum: Float = 0
    }

    /// One pass through the real pipeline (`Localizer`), clocking each stage per block: the
    /// reader and a shadow filterbank (the cochlea's first stage, run again on the same block so
    /// that its share of the cochlea's time can be told apart) by a source wrapped around the
    /// file, the model's own stages by its `stageObserver`.
    func instrumented(path: String, configuration c: LocalizerConfiguration) throws -> StageTimes {
        var source = try ClockedSource(path: path, configuration: c)
        let localizer = Localizer(configuration: c, sampleRateHz: source.sampleRateHz)
        let clock = source.clock
        localizer.stageObserver = { stage in
            let t = Self.now()
            switch stage {
            case .cochlea: clock.times.cochlea += t - clock.last
            case .olive: clock.times.olive += t - clock.last
            case .coincidence: clock.times.coincidence += t - clock.last
            case .rateCode, .readout: clock.times.readout += t - clock.last
            }
            clock.last = t
        }
        try localizer.feed(&source)
        clock.last = Self.now()
        _ = localizer.finish()
        return clock.times
    }

    /// Stage times, shared between the source and the model's observer.
    final class StageClock {
        var times = StageTimes()
        /// When the last clocked step ended.
        var last = 0.0
    }

    /// The file's blocks, each clocked as it is read and put through a shadow filterbank.
    struct ClockedSource: StereoSampleSource {
        let reader: StereoFileReader
        let clock = StageClock()
        var shadowLeft: GammatoneFilterbank, shadowRight: GammatoneFilterbank
        var leftMembrane: ChannelBlock, rightMembrane: ChannelBlock
        var sampleRateHz: Double { Double(reader.info.sampleRateHz) }

        init(path: String, configuration c: LocalizerConfiguration) throws {
            reader = try StereoFileReader(path: path, blockFrames: FileLocalizer.defaultBlockFrames)
            let fs = Double(reader.info.sampleRateHz)
            let centres = Cochlea(configuration: c.cochlea, sampleRateHz: fs, ear: .left, seed: c.seed)
                .centreFrequenciesHz
            let bank = GammatoneFilterbank.Configuration(
                centreFrequenciesHz: centres, sampleRateHz: fs,
                bandwidthPerERB: c.cochlea.bandwidthPerERB)
            shadowLeft = GammatoneFilterbank(bank)
            shadowRight = shadowLeft
            leftMembrane = ChannelBlock(channelCount: centres.count, capacityFrames: reader.blockFrames)
            rightMembrane = leftMembrane
        }

        mutating func readBlock(left: inout [Float], right: inout [Float]) throws -> Int {
            var t = BenchWorkloads.now()
            let got = try reader.readBlock(left: &left, right: &right)
            clock.times.reading += BenchWorkloads.now() - t
            guard got > 0 else { return 0 }
            t = BenchWorkloads.now()
            shadowLeft.process(left, into: &leftMembrane)
            shadowRight.process(right, into: &rightMembrane)
            clock.times.checksum += leftMembrane.storage[0][0] + rightMembrane.storage[0][0]
            clock.times.filterbank += BenchWorkloads.now() - t
            clock.last = BenchWorkloads.now()
            return got
        }
    }

    /// Times one workload and prints its table.
    func report(title: String, configuration: LocalizerConfiguration, seconds: Double, runs: Int) throws {
        let path = try makeFile(seconds: seconds, seed: 1)
        var stages: [StageTimes] = []
        var totals: [Double] = []
        var walls: [Double] = []
        var result: LocalizationResult?
        for _ in 0..<runs {
            stages.append(try instrumented(path: path, configuration: configuration))
            let (t, w) = (Self.now(), Self.wall())
            result = try FileLocalizer(configuration: configuration).localize(path: path).result
            totals.append(Self.now() - t)
            walls.append(Self.wall() - w)
        }
        try printChecked("\n== \(title) (\(runs) runs)")
        try printChecked("  stage (CPU time)         ms per audio s      x RT")
        func line(_ name: String, _ time: Double) throws {
            let padded = name.padding(toLength: 24, withPad: " ", startingAt: 0)
            try printChecked(
                "  " + padded + String(format: "%14.2f %10.1f", time / seconds * 1000, seconds / max(time, 1e-12)))
        }
        try line("file reading", Self.median(stages.map(\.reading)))
        try line("filterbank", Self.median(stages.map(\.filterbank)))
        try line("hair cell + fibres", Self.median(stages.map { $0.cochlea - $0.filterbank }))
        try line("lateral superior olive", Self.median(stages.map(\.olive)))
        try line("coincidence network", Self.median(stages.map(\.coincidence)))
        try line("readout + rate path", Self.median(stages.map(\.readout)))
        try line(
            "sum of stages",
            Self.median(stages.map { $0.reading + $0.cochlea + $0.olive + $0.coincidence + $0.readout }))
        let total = Self.median(totals)
        try line("total (FileLocalizer)", total)
        try line("total, wall clock", Self.median(walls))
        if let r = result {
            try printChecked(
                String(
                    format: "  auditory-nerve spikes %d (%.2f M per CPU s), synaptic events %d (%.1f M per CPU s)",
                    r.costs.auditoryNerveSpikes, Double(r.costs.auditoryNerveSpikes) / total / 1e6,
                    r.costs.synapticEvents, Double(r.costs.synapticEvents) / total / 1e6))
            let itd = r.temporal.map { String(format: "%+.1f us", $0.itdSeconds * 1e6) } ?? "none"
            try printChecked("  temporal ITD \(itd) (true +300.0 us)")
        }
        try printChecked(String(format: "  peak resident memory so far: %.1f MB", Self.peakMemoryMB()))
    }

    /// The whole pipeline on sounds of growing length: time should grow in proportion, memory not.
    func lengths(_ lengths: [Double], runs: Int) throws {
        try printChecked("\n== default model, growing length (FileLocalizer; 60 s once, 10 s at most 3 times)")
        try printChecked("  audio s   runs   CPU ms   ms per audio s     x RT   peak memory MB (in a child process)")
        for seconds in lengths {
            let path = try makeFile(seconds: seconds, seed: 1)
            let n = seconds >= 60 ? 1 : seconds >= 10 ? min(runs, 3) : runs
            var times: [Double] = []
            for _ in 0..<n {
                let t = Self.now()
                _ = try FileLocalizer(configuration: .init()).localize(path: path)
                times.append(Self.now() - t)
            }
            let m = Self.median(times)
            try printChecked(
                String(
                    format: "  %7.0f %6d %8.0f %16.2f %8.1f %16.1f", seconds, n, m * 1000, m / seconds * 1000,
                    seconds / m, try Self.childPeakMemoryMB(localizing: path)))
        }
    }

    /// Throughput with one file versus two files localised at once on two threads.
    func parallel(runs: Int) throws {
        let seconds = 10.0
        let paths = [try makeFile(seconds: seconds, seed: 1), try makeFile(seconds: seconds, seed: 2)]
        let localizer = FileLocalizer(configuration: .init())
        var twoThreads = LocalizerConfiguration()
        twoThreads.threadCount = 2
        let threaded = FileLocalizer(configuration: twoThreads)
        var one: [Double] = []
        var two: [Double] = []
        var cpuOne: [Double] = []
        var cpuTwo: [Double] = []
        var oneThreaded: [Double] = []
        var sameAnswers = true
        for _ in 0..<runs {
            let t0 = Self.wall()
            let a = try threaded.localize(path: paths[0])
            oneThreaded.append(Self.wall() - t0)
            let b = try localizer.localize(path: paths[0])
            sameAnswers =
                sameAnswers && a.result.temporal == b.result.temporal && a.result.rate == b.result.rate
                && a.result.activity == b.result.activity
            var (t, c) = (Self.wall(), Self.processCPU())
            _ = try localizer.localize(path: paths[0])
            one.append(Self.wall() - t)
            cpuOne.append(Self.processCPU() - c)
            (t, c) = (Self.wall(), Self.processCPU())
            DispatchQueue.concurrentPerform(iterations: 2) { k in _ = try? localizer.localize(path: paths[k]) }
            two.append(Self.wall() - t)
            cpuTwo.append(Self.processCPU() - c)
        }
        let single = seconds / Self.median(one)
        let double = 2 * seconds / Self.median(two)
        try printChecked(
            "\n== parallel throughput, default model, 10 s files (\(runs) runs, \(ProcessInfo.processInfo.activeProcessorCount) cores, wall clock)"
        )
        try printChecked(String(format: "  1 file:           %8.1f audio s per wall s", single))
        try printChecked(
            String(format: "  2 files at once:  %8.1f audio s per wall s  (%.2fx)", double, double / single))
        let split = seconds / Self.median(oneThreaded)
        try printChecked(
            String(
                format: "  1 file, 2 threads: %7.1f audio s per wall s  (%.2fx; answers %@ to one thread's)",
                split, split / single, sameAnswers ? "identical" : "DIFFERENT"))
        // If the CPU spent per audio second stays put while the wall-clock gain is small, the
        // second core was busy with other work, not the program contending with itself.
        try printChecked(
            String(
                format: "  CPU ms per audio s: 1 file %.1f, 2 files at once %.1f (all threads)",
                Self.median(cpuOne) / seconds * 1000, Self.median(cpuTwo) / (2 * seconds) * 1000))
    }

    /// The pure-ITD precision sweep: noises at -700...700 us, default model, 44.1 kHz.
    func sweep(stepMicroseconds: Int, seconds: Double) throws {
        try printChecked(
            "\n== pure-ITD sweep: \(seconds) s white noise, 44.1 kHz, ITD -700...700 us in \(stepMicroseconds) us steps"
        )
        try printChecked("  true ITD us   estimate us   error us   confidence")
        var worst = 0.0
        for (k, micro) in stride(from: -700, through: 700, by: stepMicroseconds).enumerated() {
            let fs = Double(sampleRateHz)
            let (left, right) = Self.pureITDNoise(
                seconds: seconds, itdSeconds: Double(micro) * 1e-6, sampleRateHz: fs, seed: UInt64(100 + k))
            var c = LocalizerConfiguration()
            c.seed = UInt64(500 + k)
            let r = Localizer.localize(
                left: left, right: right, sampleRateHz: fs, configuration: c,
                blockFrames: left.count)
            if let t = r.temporal {
                let error = t.itdSeconds * 1e6 - Double(micro)
                worst = max(worst, abs(error))
                try printChecked(
                    String(format: "  %11d %13.1f %10.1f %12.2f", micro, t.itdSeconds * 1e6, error, t.confidence))
            } else {
                worst = .infinity
                try printChecked(String(format: "  %11d   no direction", micro))
            }
        }
        try printChecked(String(format: "  worst absolute error: %.1f us", worst))
    }
}
