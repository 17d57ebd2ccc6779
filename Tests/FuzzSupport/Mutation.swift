import DSP
import Foundation

/// What the fuzz tests share (no XCTest here: each test asserts on what it gets): how many inputs
/// to run and from which seed, and the byte-level mutations of a valid file.
///
/// The suite runs `SOUNDLOC_FUZZ_INPUTS` inputs (default 2000) from seed `SOUNDLOC_FUZZ_SEED`
/// (default 1); `scripts/fuzz.sh` runs 100,000 of each target.
public enum Fuzz {
    public static var inputs: Int {
        ProcessInfo.processInfo.environment["SOUNDLOC_FUZZ_INPUTS"].flatMap(Int.init) ?? 2000
    }
    public static var seed: UInt64 {
        ProcessInfo.processInfo.environment["SOUNDLOC_FUZZ_SEED"].flatMap(UInt64.init) ?? 1
    }

    /// A progress line every 10,000 inputs on long runs, so that a hang shows as silence.
    public static func progress(_ n: Int, target: String) {
        if inputs > 2000 && n % 10_000 == 0 { print("fuzz \(target): \(n) inputs done") }
    }

    /// The closing line of a run: its outcomes, most frequent first.
    public static func summary(_ outcomes: [String: Int], target: String) -> String {
        "fuzz \(target): \(inputs) inputs from seed \(seed): "
            + outcomes.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.value) \($0.key)" }
            .joined(separator: "; ")
    }

    /// One to eight random edits of `original`: bit flips, random bytes, extreme 32-bit values in
    /// either byte order, cuts, insertions, deletions, copied stretches. With probability 0.7 an
    /// edit lands in the first `headerBytes` bytes, where an audio file's parser makes its
    /// decisions; a SOFA (HDF5) file keeps its structure all through the file, so its test passes 0
    /// and every position is equally likely.
    public static func mutate(_ original: [UInt8], headerBytes: Int = 96, generator: inout SeededGenerator)
        -> [UInt8]
    {
        var b = original
        func index(_ g: inout SeededGenerator, headerBias: Bool = true) -> Int {
            let limit = headerBias && headerBytes > 0 && g.nextOpenUnit() < 0.7 ? min(b.count, headerBytes) : b.count
            return Int(g.next() % UInt64(max(limit, 1)))
        }
        let edits = 1 + Int(generator.next() % 8)
        for _ in 0..<edits where !b.isEmpty {
            switch generator.next() % 7 {
            case 0:  // flip one bit
                let i = index(&generator)
                b[i] ^= UInt8(1 << (generator.next() % 8))
            case 1:  // random byte
                let i = index(&generator)
                b[i] = UInt8(truncatingIfNeeded: generator.next())
            case 2:  // an extreme 32-bit little- or big-endian field: sizes, rates, channel counts
                let i = index(&generator)
                let values: [UInt32] = [
                    0, 1, 2, 3, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x8000_0000, 0xFFFF, 192_001, 7999, 1024, 1025,
                ]
                let v = values[Int(generator.next() % UInt64(values.count))]
                let bigEndian = generator.next() % 2 == 0
                for k in 0..<4 where i + k < b.count {
                    b[i + k] = UInt8(truncatingIfNeeded: bigEndian ? v >> (24 - 8 * k) : v >> (8 * k))
                }
            case 3:  // cut the file short
                b.removeSubrange(index(&generator, headerBias: false)...)
            case 4:  // insert a few random bytes
                let i = index(&generator)
                b.insert(
                    contentsOf: (0..<(1 + generator.next() % 16)).map { _ in UInt8(truncatingIfNeeded: generator.next())
                    }, at: i)
            case 5:  // delete a few bytes
                let i = index(&generator)
                b.removeSubrange(i..<min(b.count, i + 1 + Int(generator.next() % 16)))
            default:  // copy a stretch of the file over another
                let from = index(&generator, headerBias: false)
                let to = index(&generator)
                let n = min(1 + Int(generator.next() % 64), b.count - from, b.count - to)
                if n > 0 { b.replaceSubrange(to..<to + n, with: b[from..<from + n]) }
            }
        }
        return b
    }
}
