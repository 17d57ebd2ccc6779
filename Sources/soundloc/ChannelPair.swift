import ArgumentParser
import AudioIO
import Foundation

/// Parses `--channels L,R` (1-based, as people count channels) into zero-based indices.
func parseChannelPair(_ text: String) throws -> (left: Int, right: Int) {
    let parts = text.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.count == 2, let l = parts[0], let r = parts[1], l >= 1, r >= 1, l != r else {
        throw ValidationError("--channels takes two different 1-based channel numbers, like 1,2 (got '\(text)')")
    }
    return (l - 1, r - 1)
}

/// Parses `--raw RATE,CHANNELS,FORMAT`, the layout of header-less input.
func parseRawFormat(_ text: String) throws -> RawPCMFormat {
    guard let format = RawPCMFormat(parsing: text) else {
        throw ValidationError("--raw takes \(RawPCMFormat.syntax) (got '\(text)')")
    }
    return format
}
