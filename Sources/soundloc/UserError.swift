import ArgumentParser
import AudioIO
import CStandardStreams
import Evaluation
import Foundation
import HRTF
import Reports

/// Errors whose description is the one line a user should see: each names the file and the problem.
protocol UserError: Error, CustomStringConvertible {}

extension AudioIOError: UserError {}
extension SofaError: UserError {}
extension CalibrationFileError: UserError {}
extension ManifestError: UserError {}
extension CSV.ReadError: UserError {}
extension PlotInputs.Problem: UserError {}

/// Prints `message` on standard error, prefixed with the program's name.
func printError(_ message: String) {
    writeStandardError("soundloc: \(message)\n")
}

/// Writes to standard error unbuffered. A failure is ignored: there is nowhere left to report it
/// (FileHandle's write would stop the program instead).
func writeStandardError(_ text: String) {
    fputs(text, standard_error_stream())
}

/// Runs a command's work; a `UserError` becomes its one line on standard error and exit status 1.
func reportingUserErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as UserError {
        printError(error.description)
        throw ExitCode(1)
    }
}
