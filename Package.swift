// swift-tools-version:6.1
// soundloc: sound localisation the way the brainstem does it.
// Targets follow the signal's path; each one imports only stages before it:
// DSP, AudioIO, Stimuli -> Reference (GCC-PHAT: samples in, ITD out), Cochlea -> Brainstem, RateCoding
// -> Decoding -> Pipeline -> HRTF -> Evaluation
// -> Reports -> soundloc. Pipeline assembles the model and runs it over a sample source.
import PackageDescription

let package = Package(
    name: "soundloc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "soundloc", targets: ["soundloc"]),
        .library(
            name: "SoundLocalization",
            targets: [
                "AudioIO", "DSP", "Stimuli", "Reference", "Cochlea", "Brainstem", "RateCoding", "Decoding",
                "Pipeline", "HRTF", "Evaluation", "Reports",
            ]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
    ],
    targets: [
        .systemLibrary(
            name: "CSndfile", path: "Sources/CSndfile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(
            name: "CMySofa", path: "Sources/CMySofa", pkgConfig: "libmysofa",
            providers: [.apt(["libmysofa-dev"])]),
        // stdout and stderr as functions, which Swift 6 lets any thread call (see its shim.h).
        .systemLibrary(name: "CStandardStreams", path: "Sources/CStandardStreams"),
        .target(name: "DSP"),
        .target(name: "AudioIO", dependencies: ["CSndfile", "DSP"]),
        .target(name: "Stimuli", dependencies: ["DSP"]),
        .target(name: "Reference", dependencies: ["DSP"]),
        .target(name: "Cochlea", dependencies: ["DSP"]),
        .target(name: "Brainstem", dependencies: ["Cochlea", "DSP"]),
        .target(name: "RateCoding", dependencies: ["Cochlea", "DSP"]),
        .target(name: "Decoding", dependencies: ["Brainstem", "RateCoding", "DSP"]),
        .target(
            name: "Pipeline",
            dependencies: ["AudioIO", "DSP", "Cochlea", "Brainstem", "RateCoding", "Decoding", "Reference"]),
        .target(name: "HRTF", dependencies: ["AudioIO", "CMySofa", "DSP", "Stimuli"]),
        .target(
            name: "Evaluation",
            dependencies: ["AudioIO", "DSP", "Stimuli", "RateCoding", "Decoding", "Pipeline", "HRTF"]),
        .target(name: "Reports", dependencies: ["AudioIO", "Evaluation", "Pipeline", "Decoding", "Cochlea"]),
        .executableTarget(
            name: "soundloc",
            dependencies: [
                "AudioIO", "DSP", "Stimuli", "Cochlea", "Brainstem", "RateCoding", "Decoding", "Pipeline", "HRTF",
                "Evaluation", "Reports", "Reference", "CStandardStreams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Golden-file checks shared by the test targets that keep golden files (not shipped).
        .target(name: "GoldenFiles", path: "Tests/GoldenFiles"),
        // The fuzz tests' mutations and run sizes, shared by the targets that fuzz a reader (not shipped).
        .target(name: "FuzzSupport", dependencies: ["DSP"], path: "Tests/FuzzSupport"),
        .testTarget(name: "DSPTests", dependencies: ["DSP"]),
        .testTarget(name: "ReferenceTests", dependencies: ["Reference", "DSP", "Stimuli"]),
        .testTarget(
            name: "AudioIOTests",
            dependencies: ["AudioIO", "DSP", "Stimuli", "Decoding", "Pipeline", "Evaluation", "FuzzSupport"]),
        .testTarget(name: "CochleaTests", dependencies: ["Cochlea", "DSP", "Stimuli"]),
        .testTarget(name: "BrainstemTests", dependencies: ["Brainstem", "Cochlea"]),
        .testTarget(name: "RateCodingTests", dependencies: ["RateCoding", "Cochlea", "DSP"]),
        .testTarget(
            name: "DecodingTests", dependencies: ["Decoding", "RateCoding", "Brainstem", "Cochlea", "DSP", "Stimuli"]),
        .testTarget(
            name: "PipelineTests", dependencies: ["Pipeline", "Cochlea", "Decoding", "DSP", "Stimuli"]),
        .testTarget(
            name: "ReportsTests",
            dependencies: [
                "Reports", "Evaluation", "Pipeline", "Decoding", "Cochlea", "AudioIO", "DSP", "Stimuli", "GoldenFiles",
            ],
            exclude: ["Golden"]),
        .testTarget(name: "EndToEndTests", dependencies: ["soundloc", "GoldenFiles"], exclude: ["Golden"]),
        .testTarget(
            name: "EvaluationTests",
            dependencies: [
                "Evaluation", "Pipeline", "Decoding", "RateCoding", "DSP", "Stimuli", "HRTF", "FuzzSupport",
            ]),
        .testTarget(name: "HRTFTests", dependencies: ["HRTF", "DSP", "Stimuli", "FuzzSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
