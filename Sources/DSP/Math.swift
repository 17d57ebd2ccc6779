#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

// Thin wrappers so the numeric modules need not import the C library themselves.
@inline(__always) public func _log(_ x: Double) -> Double { log(x) }
@inline(__always) public func _exp(_ x: Double) -> Double { exp(x) }
@inline(__always) public func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) public func _sin(_ x: Double) -> Double { sin(x) }

/// `Int(x)`, truncation toward zero, for an `x` the caller has already clamped into a small
/// finite range. `Int(x)` also checks for NaN and for values beyond Int's range, which costs
/// about eight instructions and a branch on every call; on x86-64 this is the one CVTTSD2SI
/// instruction the conversion comes down to when those checks pass, so the result is the same.
@inlinable @inline(__always) public func truncatedToInt(_ x: Double) -> Int {
    #if arch(x86_64)
    Int(_mm_cvttsd_si64(_mm_set_sd(x)))
    #else
    Int(x)
    #endif
}
