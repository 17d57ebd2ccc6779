#!/bin/sh
# Runs the file-reading fuzz test (Tests/AudioIOTests/FuzzTests.swift) on many more inputs than
# the suite does. usage: scripts/fuzz.sh [inputs, default 100000] [seed, default 1]
# Each seed gives a different, reproducible series of mutated files.
set -eu
SOUNDLOC_FUZZ_INPUTS=${1:-100000} SOUNDLOC_FUZZ_SEED=${2:-1} \
    swift test -c release --scratch-path "${SCRATCH:-.build}" --filter FuzzTests
