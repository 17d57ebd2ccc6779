#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Thin wrappers so the numeric modules need not import the C library themselves.
@inline(__always) public func _log(_ x: Double) -> Double { log(x) }
@inline(__always) public func _exp(_ x: Double) -> Double { exp(x) }
@inline(__always) public func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) public func _sin(_ x: Double) -> Double { sin(x) }
