import DSP

/// Places a mono sound at a direction by convolving it with a head-related impulse response
/// pair, and optionally adds background noise.
public enum BinauralRenderer {
    /// Left and right ear signals: `mono` convolved with each ear's response. The result is
    /// `mono.count + response length - 1` samples long, so the responses' tails are kept. Long
    /// (room) responses are convolved by the FFT, short ones directly (`convolveChoosingMethod`).
    public static func render(_ mono: [Float], through hrir: HeadRelatedImpulseResponse) -> (
        left: [Float], right: [Float]
    ) {
        var left = convolveChoosingMethod(mono, hrir.left)
        var right = convolveChoosingMethod(mono, hrir.right)
        let n = max(left.count, right.count)
        left += [Float](repeating: 0, count: n - left.count)
        right += [Float](repeating: 0, count: n - right.count)
        return (left, right)
    }

    /// Adds independent (interaurally uncorrelated) Gaussian white noise to each ear.
    ///
    /// Signal-to-noise ratio is defined per ear: each ear's noise RMS is that ear's signal RMS
    /// (over the whole signal) divided by 10^(snrDecibels / 20). The level difference between
    /// the ears is therefore kept, and both ears get the same SNR. A silent ear gets no noise.
    public static func addUncorrelatedNoise(
        left: inout [Float], right: inout [Float], snrDecibels: Double,
        generator: inout SeededGenerator
    ) {
        for ear in 0..<2 {
            let signalRMS = rootMeanSquare(ear == 0 ? left : right)
            let noiseRMS = signalRMS / _exp(snrDecibels / 20 * 2.302585092994046)
            var noise = (0..<(ear == 0 ? left.count : right.count)).map { _ in generator.nextGaussian() }
            // Scale the drawn noise to exactly the target RMS, so the SNR holds for short sounds too.
            let drawnRMS = (noise.reduce(0) { $0 + $1 * $1 } / Double(max(noise.count, 1))).squareRoot()
            let gain = drawnRMS > 0 ? noiseRMS / drawnRMS : 0
            for i in noise.indices { noise[i] *= gain }
            if ear == 0 {
                for i in left.indices { left[i] += Float(noise[i]) }
            } else {
                for i in right.indices { right[i] += Float(noise[i]) }
            }
        }
    }
}
