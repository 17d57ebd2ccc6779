// swift-tools-version:6.1
// soundloc: sound localisation the way the brainstem does it.
// Targets follow the signal's path; each one imports only stages before it:
// AudioIO, DSP -> Cochlea -> Brainstem -> Decoding -> Evaluation -> Reports -> soundloc.
import PackageDescription

let package = Package(
    name: "soundloc",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "soundloc", targets: ["soundloc"]),
        .library(name: "SoundLocalization",
                 targets: ["AudioIO", "DSP", "Stimuli", "Reference", "Cochlea", "Brainstem", "Decoding", "HRTF", "Evaluation", "Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CSndfile", path: "Sources/CSndfile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CMySofa", path: "Sources/CMySofa", pkgConfig: "libmysofa",
                       providers: [.apt(["libmysofa-dev"])]),
        .target(name: "DSP"),
        .target(name: "AudioIO", dependencies: ["CSndfile"]),
        .target(name: "Stimuli", dependencies: ["DSP"]),
        .target(name: "Reference", dependencies: ["DSP"]),
        .target(name: "Cochlea", dependencies: ["DSP"]),
        .target(name: "Brainstem", dependencies: ["Cochlea", "DSP"]),
        .target(name: "Decoding", dependencies: ["Brainstem", "Cochlea"]),
        .target(name: "HRTF", dependencies: ["CMySofa", "DSP"]),
        .target(name: "Evaluation", dependencies: ["AudioIO", "DSP", "Stimuli", "Cochlea", "Brainstem", "Decoding", "HRTF"]),
        .target(name: "Reports", dependencies: ["Evaluation", "Decoding", "Cochlea"]),
        .executableTarget(name: "soundloc", dependencies: [
            "AudioIO", "DSP", "Stimuli", "Cochlea", "Decoding", "HRTF", "Evaluation", "Reports",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "DSPTests", dependencies: ["DSP"]),
        .testTarget(name: "ReferenceTests", dependencies: ["Reference", "DSP", "Stimuli"]),
        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO", "DSP", "Stimuli", "Decoding", "Evaluation"]),
        .testTarget(name: "CochleaTests", dependencies: ["Cochlea", "DSP", "Stimuli"]),
        .testTarget(name: "BrainstemTests", dependencies: ["Brainstem", "Cochlea"]),
        .testTarget(name: "DecodingTests", dependencies: ["Decoding", "Brainstem", "Cochlea", "DSP", "Stimuli"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Decoding", "Cochlea", "DSP", "Stimuli"],
                    exclude: ["Golden"]),
        .testTarget(name: "EndToEndTests", dependencies: ["soundloc"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Decoding", "DSP", "Stimuli", "HRTF", "soundloc"]),
        .testTarget(name: "HRTFTests", dependencies: ["HRTF", "DSP", "Stimuli", "Decoding", "Evaluation"]),
    ],
    swiftLanguageModes: [.v5]
)
