import AudioIO
import Foundation

/// Comma-separated text as RFC 4180 has it, read and written in this one place: commas separate
/// fields; double quotes enclose a field that holds commas, quotes (doubled inside) or line breaks;
/// CRLF or LF ends a record. A UTF-8 byte-order mark before the first field is dropped, since
/// spreadsheet programs write one and the header's first name would not match otherwise.
public enum CSV {
    public struct Record: Sendable, Equatable {
        /// 1-based line the record starts on (a quoted line break makes a record span lines).
        public var line: Int
        public var fields: [String]
        /// Set when the record is malformed (an unclosed quote, text after a closing quote).
        public var error: String?
        public var isBlank: Bool {
            error == nil && fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
    }

    /// A CSV file that cannot be read as text.
    public struct ReadError: Error, Equatable, CustomStringConvertible {
        var path: String
        var reason: String
        public var description: String { "\(path): cannot read the file (\(reason))" }
    }

    /// The text of a CSV file; refuses what is not a regular file or not UTF-8, naming the reason.
    public static func text(path: String) throws -> String {
        if let problem = regularFileProblem(path: path) { throw ReadError(path: path, reason: problem) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "not UTF-8 text" : "no such file"
            throw ReadError(path: path, reason: reason)
        }
        return text
    }

    /// The records of a CSV text, blank ones included (each with its line, so a caller can name it).
    public static func records(_ text: String) -> [Record] {
        var out: [Record] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var afterQuote = false
        var line = 1
        var start = 1
        var error: String?
        var chars = Array(text.unicodeScalars)[...]
        if chars.first == "\u{FEFF}" { chars = chars.dropFirst() }
        func endRecord() {
            fields.append(field)
            out.append(Record(line: start, fields: fields, error: error))
            fields = []
            field = ""
            error = nil
            afterQuote = false
        }
        var i = chars.startIndex
        while i < chars.endIndex {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if chars.index(after: i) < chars.endIndex && chars[chars.index(after: i)] == "\"" {
                        field.unicodeScalars.append("\"")
                        i = chars.index(after: i)
                    } else {
                        inQuotes = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "," {
                fields.append(field)
                field = ""
                afterQuote = false
            } else if c == "\n" || c == "\r" {
                if c == "\r" && chars.index(after: i) < chars.endIndex && chars[chars.index(after: i)] == "\n" {
                    i = chars.index(after: i)
                }
                endRecord()
                line += 1
                start = line
            } else if c == "\"" && field.trimmingCharacters(in: .whitespaces).isEmpty && !afterQuote {
                field = ""
                inQuotes = true
            } else {
                if afterQuote && c != " " && error == nil { error = "text after a closing quote" }
                field.unicodeScalars.append(c)
            }
            i = chars.index(after: i)
        }
        if inQuotes { error = "a quoted field is never closed" }
        if !field.isEmpty || !fields.isEmpty || inQuotes { endRecord() }
        return out
    }

    /// A field as it is written: quoted only when it holds a comma, a quote or a line break.
    public static func field(_ s: String) -> String {
        // Scalars, not characters: a CRLF is one Character, equal to neither "\r" nor "\n".
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return s
        }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record as it is written, without its line break.
    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
