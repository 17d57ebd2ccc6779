/// Offset, in steps within -0.5...0.5, of the vertex of the parabola through three equally spaced
/// values around a maximum; 0 when they do not bend downwards (a flat or upturned run has no vertex
/// between the neighbours). For a minimum, pass the values negated: negation is exact in IEEE 754
/// arithmetic, so the offset is the same to the bit as the minimum's own formula.
@inlinable
public func parabolicVertex(_ a: Double, _ b: Double, _ c: Double) -> Double {
    let d = a - 2 * b + c
    return d < 0 ? max(-0.5, min(0.5, 0.5 * (a - c) / d)) : 0
}
