// swift-tools-version:6.1
import PackageDescription

// Matrix products go through a BLAS library loaded at run time on Linux (oneDNN, else
// OpenBLAS or BLIS: Sources/Autograd/Compute/BLASLibrary.swift), Accelerate on Apple
// platforms. Everything above it is plain Swift.
let package = Package(
    name: "GLIDN",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "glidn", targets: ["glidn"]),
        .executable(name: "glidn-video", targets: ["glidn-video"]),
        .library(name: "GLIDN", targets: ["GLIDN"]),
        .library(name: "GLIDNVideo", targets: ["GLIDNVideo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // zlib (pkg-config `zlib`), for the members of .npz archives.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // FFmpeg (video decoding and encoding) and OpenCV (the HOG people detector, ONNX models
        // through its DNN module, drawing), each behind a small C interface (CVideo, CVision):
        // only the GLIDNVideo target links them, the core does not.
        .systemLibrary(
            name: "CAVFormat", pkgConfig: "libavformat", providers: [.apt(["libavformat-dev", "libavcodec-dev"])]),
        .systemLibrary(name: "CSWScale", pkgConfig: "libswscale", providers: [.apt(["libswscale-dev"])]),
        .systemLibrary(name: "COpenCV", pkgConfig: "glidn-opencv"),  // make deps writes the .pc (tools/setup)
        .target(
            name: "CVideo", dependencies: ["CAVFormat", "CSWScale"],
            linkerSettings: [.linkedLibrary("avcodec"), .linkedLibrary("avutil")]),
        .target(name: "CVision", dependencies: ["COpenCV"]),
        // ONNX Runtime's C API, loaded at run time from PyPI's onnxruntime wheel (no header ships
        // with it: CONNXRuntime declares what it calls; a test checks the library against it).
        .target(name: "CONNXRuntime", linkerSettings: [.linkedLibrary("dl")]),
        // The processor's spin-wait hint for the worker pool's busy-wait loops.
        .target(name: "CSpinHint"),
        // Vector square roots without libm's per-lane calls (`VectorMath.squareRoot`).
        .target(name: "CVectorMath"),
        // The stop flag Ctrl-C, SIGTERM and SIGHUP set (an async-signal-safe handler in C).
        .target(name: "CSignalFlag"),
        // Settings declared once (name, type, default, range, help), their parser, recipes, and
        // the catalogues of things chosen by name; below every other module.
        .target(name: "Settings"),
        .target(
            name: "Autograd",
            dependencies: ["CSpinHint", "CVectorMath", "Settings", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "NN", dependencies: ["Autograd"]),
        .target(
            name: "HOIData",
            dependencies: [
                "Autograd",
                "Settings",
                .product(name: "Logging", package: "swift-log"),
                "CZlib",
            ]
        ),
        .target(
            name: "GLIDN",
            dependencies: ["Autograd", "NN", "HOIData", "Settings", .product(name: "Logging", package: "swift-log")],
            // The pretrained models (`--model`), read from the source tree (`PretrainedModels`).
            exclude: ["Models"]
        ),
        // Video files to tracked entities and per-video features; detectors, tracking, pictures.
        .target(
            name: "GLIDNVideo",
            dependencies: [
                "CVideo", "CVision", "CONNXRuntime", "GLIDN", "HOIData", "Autograd", "NN", "Settings",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The commands live in a library so that tests can run them in-process;
        // the executable only calls them.
        .target(
            name: "GLIDNCLI",
            dependencies: [
                "GLIDN", "NN", "HOIData", "Autograd", "Settings", "CSignalFlag",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The video commands (extract, predict --video, render-synthetic): `glidn` runs the
        // `glidn-video` beside it for them, so that the FFmpeg and OpenCV libraries (some 200
        // shared libraries) are loaded only by commands that read or write video.
        .target(
            name: "GLIDNVideoCLI",
            dependencies: [
                "GLIDNCLI", "GLIDNVideo", "GLIDN", "HOIData", "Settings",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "glidn-video", dependencies: ["GLIDNVideoCLI"], swiftSettings: [.swiftLanguageMode(.v5)]),
        // Every reader of outside files as one entry point for the fuzzers and their regression tests.
        .target(name: "FuzzTargets", dependencies: ["GLIDN", "GLIDNVideo", "HOIData", "NN"]),
        // The libFuzzer driver (`make fuzz` builds it with -sanitize=fuzzer,address -D FUZZING).
        .executableTarget(name: "glidn-fuzz", dependencies: ["FuzzTargets"], swiftSettings: [.swiftLanguageMode(.v5)]),
        // Swift 5 mode for `main` only: it touches the C global `stdout` to line-buffer it.
        .executableTarget(name: "glidn", dependencies: ["GLIDNCLI"], swiftSettings: [.swiftLanguageMode(.v5)]),
        // A program that trains, evaluates and predicts through the library alone (docs/LIBRARY.md).
        .executableTarget(
            name: "glidn-example", dependencies: ["GLIDN", "HOIData", "Settings"], path: "Examples/EmbeddingGLIDN"),
        // Helpers shared by the test targets (finite-difference gradient checks).
        .target(name: "TestSupport", dependencies: ["Autograd", "NN", "HOIData"], path: "Tests/Support"),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd", "Settings", "TestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Autograd", "TestSupport"]),
        // Fixture files are read from the source tree (#filePath), not bundled.
        .testTarget(
            name: "HOIDataTests", dependencies: ["HOIData", "Autograd", "Settings", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "GLIDNTests",
            dependencies: ["GLIDN", "NN", "HOIData", "Autograd", "Settings", "TestSupport", "FuzzTargets"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "GLIDNCLITests",
            dependencies: [
                "GLIDNCLI", "Settings", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(
            name: "GLIDNVideoTests",
            dependencies: [
                "GLIDNVideo", "GLIDNVideoCLI", "GLIDNCLI", "GLIDN", "HOIData", "Settings", "TestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Fixtures"]),
    ],
    cxxLanguageStandard: .cxx17
)
