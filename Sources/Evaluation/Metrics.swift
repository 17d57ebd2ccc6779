import Foundation

/// The lateral angle of a direction, in degrees (-90...90): asin(sin(azimuth)). A source behind
/// the head and its mirror image in front share it, so a front/back confusion, which time and level
/// differences cannot resolve, costs nothing.
public func lateralDegrees(_ azimuthDegrees: Double) -> Double {
    asin(max(-1, min(1, sin(azimuthDegrees * Double.pi / 180)))) * 180 / Double.pi
}

/// How well one code did on a set of sounds. Errors are on the lateral angle.
///
/// A sound that got no answer is kept, never dropped: it counts in `count` and in `noAnswer`,
/// enters the mean absolute and RMS errors with `noAnswerErrorDegrees` (90 degrees: as far off as
/// answering "ahead" for a source at the side, and larger than any answer on the right side of
/// the head can be), is never within 5 or 10 degrees, and is left out of the signed bias, which
/// has no sign to give it.
public struct ErrorSummary: Sendable, Equatable, Codable {
    /// The error charged for a sound that got no answer, in degrees.
    public static let noAnswerErrorDegrees = 90.0

    /// Sounds scored, answered or not.
    public var count: Int
    /// Sounds that got no direction.
    public var noAnswer: Int
    /// Mean absolute lateral error, degrees.
    public var meanAbsoluteErrorDegrees: Double
    /// Root-mean-square lateral error, degrees.
    public var rmsErrorDegrees: Double
    /// Fraction (0...1) of sounds within 5 and within 10 degrees.
    public var withinFiveFraction: Double, withinTenFraction: Double
    /// Mean signed lateral error (estimate - truth) over answered sounds, degrees; positive means
    /// the code leans right. 0 when nothing was answered.
    public var meanSignedErrorDegrees: Double

    /// `pairs`: the true azimuth and the estimate (nil = no answer) of each sound, in degrees.
    public init(_ pairs: [(truthDegrees: Double, estimateDegrees: Double?)]) {
        count = pairs.count
        var absolute = 0.0
        var squares = 0.0
        var signed = 0.0
        var answered = 0
        var five = 0
        var ten = 0
        for p in pairs {
            guard let e = p.estimateDegrees else {
                absolute += Self.noAnswerErrorDegrees
                squares += Self.noAnswerErrorDegrees * Self.noAnswerErrorDegrees
                continue
            }
            let error = lateralDegrees(e) - lateralDegrees(p.truthDegrees)
            absolute += abs(error)
            squares += error * error
            signed += error
            answered += 1
            if abs(error) <= 5 { five += 1 }
            if abs(error) <= 10 { ten += 1 }
        }
        let n = Double(max(count, 1))
        noAnswer = count - answered
        meanAbsoluteErrorDegrees = absolute / n
        rmsErrorDegrees = (squares / n).squareRoot()
        withinFiveFraction = Double(five) / n
        withinTenFraction = Double(ten) / n
        meanSignedErrorDegrees = answered > 0 ? signed / Double(answered) : 0
    }
}
