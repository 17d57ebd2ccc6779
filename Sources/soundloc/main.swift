import Foundation
import DSP
import Stimuli
import Decoding
import Cochlea

let fs = 44100.0
var gen = SeededGenerator(seed: 7)
let src = Stimulus.whiteNoise.render(durationSeconds: 1.0, sampleRateHz: fs, rms: 0.05, generator: &gen)
for itdUs in [-650.0, -300.0, -110.0, 0, 37.0, 300.0, 612.5] {
    let itd = itdUs * 1e-6
    // right leads by itd: left delayed by itd/2, right advanced
    let fd = FractionalDelay()
    let left = fd.apply(src, delaySamples: itd / 2 * fs)
    let right = fd.apply(src, delaySamples: -itd / 2 * fs)
    let t0 = Date()
    let loc = Localizer(configuration: .init(), sampleRateHz: fs)
    var i = 0
    while i < left.count { let j = min(i + 4096, left.count); loc.process(left: Array(left[i..<j]), right: Array(right[i..<j])); i = j }
    let r = loc.finish()
    let dt = Date().timeIntervalSince(t0)
    print(itdUs, r.temporal.map { String(format: "%.1f us az %.2f conf %.2f", $0.itdSeconds * 1e6, $0.azimuthDegrees, $0.confidence) } ?? "nil",
          "rate", r.rate.map { String(format: "%.1f", $0.azimuthDegrees) } ?? "nil", "AN", r.costs.auditoryNerveSpikes, "det", r.costs.detectorSpikes, String(format: "%.3fs", dt))
}
