import Evaluation
import XCTest

/// The one CSV reader and writer (RFC 4180), on the cases a line-by-line reader gets wrong.
final class CSVTests: XCTestCase {
    /// A quoted field may hold a comma, a doubled quote and a line break; the record after a
    /// quoted line break starts on the line the break pushed it to.
    func testQuotedFieldsHoldCommasQuotesAndLineBreaks() {
        let records = CSV.records("a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\nnext,row\n")
        XCTAssertEqual(records.map(\.fields), [["a", "b,c", "say \"hi\"", "two\nlines", ""], ["next", "row"]])
        XCTAssertEqual(records.map(\.line), [1, 3])
        XCTAssertEqual(records.map(\.error), [nil, nil])
    }

    /// A byte-order mark is not part of the first name, and CRLF ends a record as LF does.
    func testByteOrderMarkAndCRLF() {
        let records = CSV.records("\u{FEFF}file,azimuth_deg\r\na.wav,30\r\n\r\nb.wav,-5")
        XCTAssertEqual(records.map(\.fields), [["file", "azimuth_deg"], ["a.wav", "30"], [""], ["b.wav", "-5"]])
        XCTAssertEqual(records.map(\.line), [1, 2, 3, 4])
        XCTAssertTrue(records[2].isBlank)
    }

    func testMalformedRecordsSayWhy() {
        XCTAssertEqual(CSV.records("\"a\"b,c\n").first?.error, "text after a closing quote")
        XCTAssertEqual(CSV.records("a,\"b\n").first?.error, "a quoted field is never closed")
    }

    /// What the writer quotes reads back as it was, and a plain field is left as it is (so that
    /// ordinary output does not change).
    func testWrittenFieldsReadBack() {
        let awkward = ["plain", "a,b", "say \"hi\"", "two\nlines", "crlf\r\nend", "cr\rend", "", " spaced "]
        XCTAssertEqual(CSV.records(CSV.line(awkward)).map(\.fields), [awkward])
        XCTAssertEqual(CSV.line(["audio/x.wav", "45.50", ""]), "audio/x.wav,45.50,")
        XCTAssertEqual(CSV.field("a\"b"), "\"a\"\"b\"")
    }
}
