#!/bin/sh
# Runs the fuzz tests on many more inputs than the suite does (2000 each):
#   audio        Tests/AudioIOTests/FuzzTests.swift (WAV, AIFF, RF64, FLAC through the reader and a small model)
#   sofa         Tests/HRTFTests/SofaFuzzTests.swift (SOFA through libmysofa and SofaFile)
#   calibration  Tests/EvaluationTests/ModelFileFuzzTests.swift (--calibration and --rate-model files)
# usage: scripts/fuzz.sh [audio|sofa|calibration|all, default all] [inputs, default 100000] [seed, default 1]
# Each seed gives a different, reproducible series of mutated files; each target prints its outcome
# counts. SCRATCH=.build-x uses another build folder.
set -eu
target=all
case "${1:-}" in
    audio | sofa | calibration | all) target=$1; shift ;;
    '' | *[!0-9]*) [ $# -eq 0 ] || { echo "usage: $0 [audio|sofa|calibration|all] [inputs] [seed]" >&2; exit 64; } ;;
esac
case $target in
    audio) filter='AudioIOTests\.FuzzTests' ;;
    sofa) filter='SofaFuzzTests' ;;
    calibration) filter='ModelFileFuzzTests/testMutated' ;;
    all) filter='AudioIOTests\.FuzzTests|SofaFuzzTests|ModelFileFuzzTests/testMutated' ;;
esac
SOUNDLOC_FUZZ_INPUTS=${1:-100000} SOUNDLOC_FUZZ_SEED=${2:-1} \
    swift test -c release --disable-swift-testing --scratch-path "${SCRATCH:-.build}" --filter "$filter"
