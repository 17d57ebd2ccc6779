/// Physical constants shared by every stage that turns a distance into a delay (head models, the
/// microphone pair, renderers), so that they all agree.
public enum Acoustics {
    /// Speed of sound in air, metres per second: 343 m/s, dry air at about 20 degrees C (the
    /// value Woodworth's head model is usually quoted with, e.g. Kuhn 1977, JASA 62).
    public static let speedOfSoundMetresPerSecond = 343.0
}
