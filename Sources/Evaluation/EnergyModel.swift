import Pipeline

/// Energy per decision, estimated from counted events and stated per-event costs.
///
/// Both codes share the cochlea and the auditory nerve, so only what comes after the nerve spikes
/// is costed. The figures are lower bounds: the temporal path counts synaptic operations only
/// (neuron state updates and spike routing are left out), the rate path counts arithmetic only
/// (memory traffic is left out).
public struct EnergyModel: Sendable, Equatable, Codable {
    /// Energy per synaptic event on neuromorphic hardware, in joules: 23.6 pJ per synaptic spike
    /// operation on Intel Loihi (Davies et al. 2018, "Loihi: a neuromorphic manycore processor with
    /// on-chip learning", IEEE Micro 38(1):82-99).
    public var joulesPerSynapticEvent = 23.6e-12
    /// Energy per 32-bit floating-point multiply-accumulate, in joules: 3.7 pJ multiply + 0.9 pJ
    /// add at 45 nm (Horowitz 2014, "Computing's energy problem", ISSCC, Figure 1.1.9).
    public var joulesPerMultiplyAccumulate = 4.6e-12
    /// Energy to count one nerve spike into its window (a 32-bit integer add), in joules: 0.1 pJ at
    /// 45 nm (Horowitz 2014, same figure).
    public var joulesPerCount = 0.1e-12

    public init() {}

    /// The temporal path: every spike delivered to a coincidence detector, an LSO or the MNTB is one
    /// synaptic event.
    public func temporalJoules(_ costs: SpikeCosts) -> Double {
        Double(costs.synapticEvents + costs.lsoSynapticEvents) * joulesPerSynapticEvent
    }

    /// The rate path: counting each nerve spike, the cross-correlation's and the decoder's
    /// multiply-accumulates.
    public func rateJoules(auditoryNerveSpikes: Int, multiplyAccumulates: Int) -> Double {
        Double(auditoryNerveSpikes) * joulesPerCount + Double(multiplyAccumulates) * joulesPerMultiplyAccumulate
    }

    /// GCC-PHAT: the multiply-accumulates of its transforms and spectral products (it works on the
    /// samples, so it needs neither cochlea nor nerve; counting rule in `RealFFT.multiplyAccumulates`).
    public func referenceJoules(multiplyAccumulates: Int) -> Double {
        Double(multiplyAccumulates) * joulesPerMultiplyAccumulate
    }
}
