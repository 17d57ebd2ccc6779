import AudioIO
import XCTest

final class RawPCMFormatTests: XCTestCase {
    func testParsesRateChannelsAndEncoding() {
        XCTAssertEqual(
            RawPCMFormat(parsing: "48000,2,s16"), RawPCMFormat(sampleRateHz: 48000, channelCount: 2, encoding: .s16))
        XCTAssertEqual(
            RawPCMFormat(parsing: " 44100, 4 ,F32"), RawPCMFormat(sampleRateHz: 44100, channelCount: 4, encoding: .f32))
        XCTAssertEqual(RawPCMFormat(parsing: "8000,1,s24")?.encoding, .s24)
    }

    /// Out of the supported 8000...192000 Hz, no channels, an unknown encoding or a wrong shape.
    func testRefusesWhatItCannotRead() {
        for text in [
            "7999,2,s16", "192001,2,s16", "48000,0,s16", "48000,2,u8", "48000,2", "48000,2,s16,x", "", "a,b,c",
        ] {
            XCTAssertNil(RawPCMFormat(parsing: text), text)
        }
    }
}
